"""Bodies that cannot be read get a clear 400 in the envelope, never a 500 or a decoder's message (too deep a body:
`test_bad_input.py`)."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"code": "FUZZ10"', "Request body is not valid JSON"),
        (b'{"code": "\xff\xfe"}', "Request body is not valid JSON"),
        (b'{"code": "FUZZ10", "subtotal": 1e400}', "A number in the request body is out of range"),
        (b"{code: 1}", "Request body is not valid JSON"),
    ],
)
async def test_unreadable_body_is_a_clear_400(client: AsyncTestClient[Litestar], body: bytes, message: str) -> None:
    response = await client.post("/api/coupons/validate", content=body, headers=JSON)
    assert response.status_code == 400
    assert response.json() == {"success": False, "error": message, "code": "INVALID_JSON"}


async def test_missing_request_body_is_a_plain_sentence(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post("/api/orders")
    assert response.status_code == 400
    assert response.json()["error"] == "A JSON request body is required"
    response = await client.post("/api/orders", json=[])
    assert response.status_code == 400
    assert response.json()["error"] == "The request body must be a JSON object, not array"


async def test_invalid_parameter_is_named_as_the_client_sent_it(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/menu/items", params={"page": "abc", "categoryId": "x" * 65})
    assert response.status_code == 400
    body = response.json()
    assert {detail["key"] for detail in body["details"]} == {"page", "categoryId"}
    assert body["error"].endswith("(page)")
