from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.factories import staff_headers


@pytest.fixture
def env() -> dict[str, str]:
    return {"KITCHENASTY_LOGIN_ATTEMPTS_PER_MINUTE": "3"}


async def test_login_is_rate_limited_per_client(client: AsyncTestClient[Litestar]) -> None:
    body = {"email": "nobody@example.com", "password": "wrong-password"}
    statuses = [(await client.post("/api/auth/staff/login", json=body)).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    limited = await client.post("/api/auth/customer/login", json=body)
    assert limited.status_code == 429
    assert limited.json()["success"] is False
    assert limited.json()["code"] == "RATE_LIMITED"
    assert int(limited.headers["retry-after"]) >= 1


async def test_rate_limiting_can_be_switched_off_by_the_owner(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    await client.put("/api/settings/advanced", headers=headers, json={"enableRateLimiting": False})
    body = {"email": "nobody@example.com", "password": "wrong-password"}
    statuses = {(await client.post("/api/auth/staff/login", json=body)).status_code for _ in range(6)}
    assert statuses == {401}
