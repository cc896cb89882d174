"""Throttles on a test client (one client address): logins count failures only; coupon checks are capped."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.factories import PASSWORD, make_staff, staff_headers


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


async def test_successful_logins_do_not_use_the_budget(client: AsyncTestClient[Litestar], services: Services) -> None:
    await make_staff(services, email="cook@example.com")
    good = {"email": "cook@example.com", "password": PASSWORD}
    bad = {"email": "cook@example.com", "password": "wrong-password"}
    successes = [(await client.post("/api/auth/staff/login", json=good)).status_code for _ in range(6)]
    assert successes == [200] * 6
    failures = [(await client.post("/api/auth/staff/login", json=bad)).status_code for _ in range(4)]
    assert failures == [401, 401, 401, 429]


async def test_a_throttled_client_is_refused_even_with_the_right_password(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    await make_staff(services, email="cook@example.com")
    for n in range(3):
        body = {"email": f"guess{n}@example.com", "password": "wrong-password"}
        assert (await client.post("/api/auth/staff/login", json=body)).status_code == 401
    good = await client.post("/api/auth/staff/login", json={"email": "cook@example.com", "password": PASSWORD})
    assert good.status_code == 429


async def test_coupon_guesses_are_throttled_per_client(client: AsyncTestClient[Litestar]) -> None:
    statuses = []
    for n in range(31):
        response = await client.post("/api/coupons/validate", json={"code": f"GUESS{n:03}", "subtotal": 20})
        statuses.append(response.status_code)
    assert 429 not in statuses[:30], statuses
    assert statuses[30] == 429
    limited = await client.post("/api/coupons/validate", json={"code": "GUESS999", "subtotal": 20})
    assert limited.status_code == 429
    assert limited.json()["code"] == "RATE_LIMITED"
    assert limited.json()["success"] is False
    assert int(limited.headers["retry-after"]) >= 1
