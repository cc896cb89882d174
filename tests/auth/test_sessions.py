"""Revocable sessions: logout ends the session it is called with; a password change (reset, `set-password`) and a
deactivation end every session of the account, for staff and customers alike; a role change keeps them."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient
from typer.testing import CliRunner

from kitchenasty.cli import app as cli_app
from kitchenasty.core.security import AUTH_COOKIE
from kitchenasty.services import Services, build_services
from tests.factories import PASSWORD, bearer, make_customer, make_staff

NEW_PASSWORD = "a-brand-new-password"


async def me(client: AsyncTestClient[Litestar], token: str) -> tuple[int, str | None]:
    response = await client.get("/api/auth/me", headers=bearer(token))
    return response.status_code, response.json().get("code")


async def login(client: AsyncTestClient[Litestar], kind: str, email: str, password: str = PASSWORD) -> str:
    response = await client.post(f"/api/auth/{kind}/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["data"]["token"]


async def test_logout_ends_the_bearer_tokens_session_only(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    await make_staff(services, email="cook@example.com")
    tablet = await login(client, "staff", "cook@example.com")
    phone = await login(client, "staff", "cook@example.com")
    assert (await me(client, tablet))[0] == 200
    out = await client.post("/api/auth/logout", headers=bearer(tablet))
    assert out.status_code == 200
    assert await me(client, tablet) == (401, "SESSION_ENDED")
    assert (await client.get("/api/auth/me", headers=bearer(tablet))).json()["error"] == (
        "Your session has ended; log in again."
    )
    assert (await me(client, phone))[0] == 200  # the same cook's other device stays logged in


async def test_logout_ends_a_cookie_session(client: AsyncTestClient[Litestar], services: Services) -> None:
    customer = await make_customer(services)
    token = await login(client, "customer", customer.email)
    client.cookies.set(AUTH_COOKIE, token)
    assert (await client.get("/api/orders/my-orders")).status_code == 200
    out = await client.post("/api/auth/logout")
    assert "Max-Age=0" in out.headers["set-cookie"]
    client.cookies.clear()
    client.cookies.set(AUTH_COOKIE, token)  # a copy of the cookie taken before logout
    replay = await client.get("/api/orders/my-orders")
    assert replay.status_code == 401
    assert replay.json()["code"] == "SESSION_ENDED"


async def test_password_reset_ends_every_session_of_a_customer(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    customer = await make_customer(services)
    other = await make_customer(services)
    first, second = services.auth.issue("customer", customer), await login(client, "customer", customer.email)
    bystander = services.auth.issue("customer", other)
    reset = await services.auth.request_reset(principal_type="customer", email=customer.email)
    done = await client.post("/api/auth/password-reset/confirm", json={"token": reset, "password": NEW_PASSWORD})
    assert done.status_code == 200
    assert await me(client, first) == (401, "SESSION_ENDED")
    assert await me(client, second) == (401, "SESSION_ENDED")
    assert (await me(client, bystander))[0] == 200
    fresh = await login(client, "customer", customer.email, NEW_PASSWORD)
    assert (await me(client, fresh))[0] == 200


async def test_password_reset_ends_every_session_of_staff(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    cook = await make_staff(services)
    token = services.auth.issue("staff", cook)
    assert (await me(client, token))[0] == 200
    reset = await services.auth.request_reset(principal_type="staff", email=cook.email)
    done = await client.post("/api/auth/password-reset/confirm", json={"token": reset, "password": NEW_PASSWORD})
    assert done.status_code == 200
    assert await me(client, token) == (401, "SESSION_ENDED")


async def test_deactivation_ends_sessions_for_good(client: AsyncTestClient[Litestar], services: Services) -> None:
    admin = bearer(services.auth.issue("staff", await make_staff(services, "SUPER_ADMIN")))
    cook = await make_staff(services)
    token = services.auth.issue("staff", cook)
    assert (await client.patch(f"/api/staff/{cook.id}", headers=admin, json={"isActive": False})).status_code == 200
    assert await me(client, token) == (401, "ACCOUNT_INACTIVE")
    assert (await client.patch(f"/api/staff/{cook.id}", headers=admin, json={"isActive": True})).status_code == 200
    assert await me(client, token) == (401, "SESSION_ENDED")  # reactivation does not revive the old tokens
    assert (await me(client, await login(client, "staff", cook.email)))[0] == 200


async def test_role_change_keeps_the_session(client: AsyncTestClient[Litestar], services: Services) -> None:
    admin = bearer(services.auth.issue("staff", await make_staff(services, "SUPER_ADMIN")))
    cook = await make_staff(services)
    token = services.auth.issue("staff", cook)
    assert (await client.patch(f"/api/staff/{cook.id}", headers=admin, json={"role": "MANAGER"})).status_code == 200
    status, _ = await me(client, token)
    assert status == 200
    assert (await client.get("/api/auth/me", headers=bearer(token))).json()["data"]["user"]["role"] == "MANAGER"


async def test_set_password_from_another_process_ends_sessions_within_seconds(
    client: AsyncTestClient[Litestar], services: Services, data_dir: Path
) -> None:
    cook = await make_staff(services)
    token = services.auth.issue("staff", cook)
    assert (await me(client, token))[0] == 200  # verified, and cached, by the server
    args = ["set-password", cook.email, "--password", NEW_PASSWORD, "--data-dir", str(data_dir)]
    result = await asyncio.to_thread(CliRunner().invoke, cli_app, args)
    assert result.exit_code == 0, result.output
    assert "sessions have ended" in result.output
    started = time.monotonic()
    while (await me(client, token))[0] == 200:
        assert time.monotonic() - started < 5, "the server still accepts the token"
        await asyncio.sleep(0.1)
    assert await me(client, token) == (401, "SESSION_ENDED")


async def test_logout_in_another_process_is_seen_within_seconds(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    customer = await make_customer(services)
    token = services.auth.issue("customer", customer)
    assert (await me(client, token))[0] == 200
    other = build_services(services.boot)  # a second server on the same database
    try:
        principal = await other.sessions.verify(other.tokens.decode(token))
        await other.auth.logout(principal)
    finally:
        await other.db.dispose()
    started = time.monotonic()
    while (await me(client, token))[0] == 200:
        assert time.monotonic() - started < 5, "the server still accepts the token"
        await asyncio.sleep(0.1)
    assert await me(client, token) == (401, "SESSION_ENDED")
