"""Bad input the hardening review found answered with a 500: deep JSON, a NUL in a path, huge numbers, and image
fields that took `javascript:` URLs. Each gets a clear 4xx in the envelope and writes nothing."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core.http import MAX_JSON_DEPTH, json_too_deep
from kitchenasty.services import Services
from tests.factories import staff_headers


def nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize(
    "path",
    ["/api/orders", "/api/auth/customer/login", "/api/auth/staff/login", "/api/coupons/validate"],
)
async def test_json_nested_a_thousand_levels_is_a_400_on_anonymous_routes(
    client: AsyncTestClient[Litestar], path: str
) -> None:
    for body in (b"[" * 1000 + b"]" * 1000, nested(1000)):
        response = await client.post(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "JSON_TOO_DEEP"
        assert response.json()["success"] is False


async def test_json_nested_too_deep_is_refused_on_a_staff_route(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    headers = {**await staff_headers(services, "SUPER_ADMIN"), "Content-Type": "application/json"}
    response = await client.put("/api/settings/order", content=nested(MAX_JSON_DEPTH + 1), headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "JSON_TOO_DEEP"


def test_json_depth_counts_brackets_outside_strings_only() -> None:
    assert not json_too_deep(nested(MAX_JSON_DEPTH))
    assert json_too_deep(nested(MAX_JSON_DEPTH + 1))
    inside_a_string = b'{"comment":"' + b"[{" * 500 + b'\\"' + b"[" * 100 + b'"}'
    assert not json_too_deep(inside_a_string)
    many_but_flat = b"[" + b",".join([b"[1]"] * 500) + b"]"
    assert not json_too_deep(many_but_flat)


async def test_a_nul_byte_in_a_static_path_is_a_404(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/static/app.css%00.js")
    assert response.status_code == 404
    assert response.json()["success"] is False
    assert (await client.get("/static/app.css")).status_code == 200


@pytest.mark.parametrize("value", [1e300, "1e300", -5, "NaN", 100.01])
async def test_out_of_range_tax_rate_is_a_400_and_stores_nothing(
    client: AsyncTestClient[Litestar], services: Services, value: object
) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    before = (await client.get("/api/settings/order", headers=headers)).json()["data"]["taxRate"]
    response = await client.put("/api/settings/order", headers=headers, json={"taxRate": value})
    assert response.status_code == 400, response.text
    assert "taxRate" in response.json()["error"]
    assert "(request)" not in response.json()["error"]
    after = (await client.get("/api/settings/order", headers=headers)).json()["data"]["taxRate"]
    assert after == before


@pytest.mark.parametrize("image", ["javascript:alert(document.cookie)", "data:text/html,<script>", "/uploads/../x"])
async def test_image_fields_take_only_http_urls_and_upload_paths(
    client: AsyncTestClient[Litestar], services: Services, image: str
) -> None:
    headers = await staff_headers(services, "MANAGER")
    refused = await client.post(
        "/api/menu/categories", headers=headers, json={"name": "Soups", "slug": "soups", "image": image}
    )
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"] == "image must be an http(s) address or an /uploads/ path"
    assert (await client.get("/api/menu/categories")).json()["data"] == []
    location = await client.post(
        "/api/locations",
        headers=await staff_headers(services, "SUPER_ADMIN"),
        json={
            "name": "Main",
            "slug": "main",
            "address": "1 Road",
            "city": "Town",
            "postalCode": "1000",
            "image": image,
        },
    )
    assert location.status_code == 400, location.text

    for fine in ("https://cdn.example.com/soup.png", "/uploads/menu/soup.png"):
        created = await client.post(
            "/api/menu/categories",
            headers=headers,
            json={"name": f"S {fine[-8:]}", "slug": f"s{len(fine)}", "image": fine},
        )
        assert created.status_code == 201, created.text
        assert created.json()["data"]["image"] == fine
