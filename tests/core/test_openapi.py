"""The OpenAPI document tells the truth: error statuses in the app's `{success:false, error, code}` envelope, the
security each guard implies, the real success shapes; the docs page and every response carry the security headers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.core.test_guard_matrix import load_matrix

ERROR_REF = "#/components/schemas/ErrorBody"
METHODS = ("get", "post", "put", "patch", "delete")

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def document(client: Client) -> dict[str, Any]:
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def schema_of(op: dict[str, Any], status: int) -> dict[str, Any]:
    return op["responses"][str(status)]["content"]["application/json"]["schema"]


def test_openapi_error_responses_are_the_envelope_the_app_sends(document: dict[str, Any]) -> None:
    place = document["paths"]["/api/orders"]["post"]
    for status in (400, 401, 409, 413):
        assert schema_of(place, status) == {"$ref": ERROR_REF}, status
    staff_list = document["paths"]["/api/orders"]["get"]
    for status in (400, 401, 403):
        assert schema_of(staff_list, status) == {"$ref": ERROR_REF}, status
    error_body = document["components"]["schemas"]["ErrorBody"]
    assert set(error_body["required"]) == {"success", "error", "code"}
    assert set(error_body["properties"]) == {"success", "error", "code", "details"}
    for method, path, op in operations(document):
        for status, response in op["responses"].items():
            if int(status) >= 400 and not (path == "/api/health" and status == "503"):
                assert response["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}, (method, path)


def test_openapi_statuses_follow_guards_paths_and_bodies(document: dict[str, Any]) -> None:
    matrix = {(method, re.sub(r":\w+}", "}", path)): level for (method, path), level in load_matrix().items()}
    seen = set()
    for method, path, op in operations(document):
        level = matrix[(method, path)]
        statuses = {int(status) for status in op["responses"]}
        assert 405 in statuses, (method, path)
        if level in ("customer", "staff", "manager", "admin"):
            assert {401, 403} <= statuses, (method, path)
            assert op["security"] == [{"BearerToken": []}, {"AuthCookie": []}], (method, path)
        elif level == "auth":
            assert 401 in statuses, (method, path)
        else:
            assert "security" not in op or {} in op["security"], (method, path)  # a guest may call it
        if "{" in path:
            assert 404 in statuses, (method, path)
        if "requestBody" in op:
            assert {400, 413} <= statuses, (method, path)
        if method != "GET":  # a login-cookie request from another origin, or a cookie-carried body not in JSON
            assert 403 in statuses and ("requestBody" not in op or 415 in statuses), (method, path)
        seen.add((method, path))
    undocumented = {("GET", "/api/openapi.json"), ("GET", "/api/docs")}
    assert seen == {key for key in matrix if key[1].startswith("/api/")} - undocumented
    login = document["paths"]["/api/auth/customer/login"]["post"]
    assert {401, 429} <= {int(s) for s in login["responses"]}
    assert "409" in document["paths"]["/api/auth/customer/register"]["post"]["responses"]
    assert {"502", "504"} <= set(document["paths"]["/api/settings/mail/test"]["post"]["responses"])
    assert document["paths"]["/api/orders"]["post"]["security"][0] == {}  # a guest may order


def test_openapi_success_shapes_are_the_real_ones(document: dict[str, Any]) -> None:
    menu = document["paths"]["/api/menu"]["get"]
    assert schema_of(menu, 200) == {"$ref": "#/components/schemas/Ok_kitchenasty.menu.schemas.StoreMenu_"}
    place = document["paths"]["/api/orders"]["post"]
    order = {"$ref": "#/components/schemas/Ok_kitchenasty.orders.schemas.OrderOut_"}
    assert schema_of(place, 201) == schema_of(place, 200) == order  # 200: an Idempotency-Key replay
    health = document["paths"]["/api/health"]["get"]
    assert schema_of(health, 503) == schema_of(health, 200)


async def test_api_docs_page_has_the_pages_security_policy(client: Client) -> None:
    response = await client.get("/api/docs")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    html = response.text
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script on a page under CSP"
    assets = re.findall(r'(?:src|href)="(/static/[^"?]+)', html)
    assert len(assets) == 2
    for asset in assets:
        assert (await client.get(asset)).status_code == 200, asset
    assert 'href="/api/openapi.json"' in html


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/health", 200),
        ("GET", "/api/openapi.json", 200),
        ("GET", "/api/orders", 401),
        ("GET", "/api/no-such-thing", 404),
        ("DELETE", "/api/health", 405),
        ("GET", "/static/app.css", 200),
        ("GET", "/static/js/api-docs.js", 200),
        ("GET", "/api/docs", 200),
        ("GET", "/", 200),
    ],
)
async def test_every_response_says_nosniff(client: Client, method: str, path: str, status: int) -> None:
    response = await client.request(method, path)
    assert response.status_code == status
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
