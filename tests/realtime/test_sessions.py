"""Room sockets and login sessions on a real uvicorn: a socket admitted on a session is closed with 4401 the moment
that session ends (logout, password reset, deactivation), or within seconds when another process ended it; a
socket admitted by a tracking token is not; the handshake renews an aged login cookie."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from kitchenasty.core.config import BootSettings
from kitchenasty.core.security import AUTH_COOKIE
from kitchenasty.services import build_services
from tests.realtime.helpers import PASSWORD, World, cookie, decode, place
from tests.servers import UvicornThread

ENDED = (4401, "Your session has ended; log in again.")


async def joined(ws: ClientConnection) -> None:
    assert decode(await asyncio.wait_for(ws.recv(), 5))["event"] == "snapshot"


async def closed_with(ws: ClientConnection, within: float) -> tuple[int, str]:
    """The close code and reason the server sends within `within` seconds."""
    started = time.monotonic()
    try:
        while True:
            await asyncio.wait_for(ws.recv(), max(0.01, within - (time.monotonic() - started)))
    except ConnectionClosed as closed:
        assert closed.rcvd is not None, "closed without a close frame from the server"
        return closed.rcvd.code, closed.rcvd.reason
    except TimeoutError:
        raise AssertionError(f"the socket was still open after {within} s") from None


async def still_open(ws: ClientConnection) -> None:
    await ws.send("ping")
    assert decode(await asyncio.wait_for(ws.recv(), 5))["event"] == "pong"


async def staff_login(http: httpx.AsyncClient, email: str) -> str:
    response = await http.post("/api/auth/staff/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["data"]["token"]


async def reset_token(boot: BootSettings, kind: str, email: str) -> str:
    """A password-reset token, made as the reset e-mail would carry it (by a services instance of its own)."""
    services = build_services(boot)
    try:
        token = await services.auth.request_reset(principal_type=kind, email=email)  # type: ignore[arg-type]
    finally:
        await services.db.dispose()
    assert token is not None
    return token


async def test_kitchen_socket_closes_at_once_when_the_cooks_password_is_reset(
    server: UvicornThread, http: httpx.AsyncClient, world: World, boot: BootSettings
) -> None:
    token = await reset_token(boot, "staff", world.staff_email)
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        await joined(ws)
        done = await http.post(
            "/api/auth/password-reset/confirm", json={"token": token, "password": "a-brand-new-password"}
        )
        assert done.status_code == 200
        assert await closed_with(ws, within=1.5) == ENDED
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        assert await closed_with(ws, within=5) == ENDED  # and it cannot come back


async def test_logout_closes_that_sessions_sockets_and_no_other(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    second_tablet = await staff_login(http, world.staff_email)
    url = f"{server.ws_url}/api/ws/kitchen"
    async with (
        connect(url, additional_headers=cookie(world.staff_token)) as first,
        connect(f"{url}?token={second_tablet}") as second,
    ):
        await joined(first)
        await joined(second)
        out = await http.post("/api/auth/logout", headers={**cookie(world.staff_token), "Origin": server.base_url})
        assert out.status_code == 200
        assert await closed_with(first, within=1.5) == ENDED
        await still_open(second)


async def test_deactivation_closes_the_cooks_kitchen_socket(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    me = await http.get("/api/auth/me", headers=cookie(world.staff_token))
    cook_id = me.json()["data"]["user"]["id"]
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        await joined(ws)
        admin = {"Authorization": f"Bearer {world.admin_token}"}
        assert (await http.delete(f"/api/staff/{cook_id}", headers=admin)).status_code == 200
        assert await closed_with(ws, within=1.5) == ENDED


async def test_password_set_by_another_process_closes_the_socket_within_seconds(
    server: UvicornThread, world: World, boot: BootSettings
) -> None:
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        await joined(ws)
        other = build_services(boot)  # the CLI's `set-password`, in a process of its own
        try:
            await other.staff.set_password(world.staff_email, "a-brand-new-password")
        finally:
            await other.db.dispose()
        assert await closed_with(ws, within=6) == ENDED


async def test_customer_logout_closes_the_login_socket_but_not_the_tracking_one(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    order = await place(http, world, token=world.customer_token)
    base = f"{server.ws_url}/api/ws/orders/{order['id']}"
    async with (
        connect(base, additional_headers=cookie(world.customer_token)) as by_login,
        connect(f"{base}?tracking={order['trackingToken']}", additional_headers=cookie(world.customer_token)) as link,
    ):
        await joined(by_login)
        await joined(link)
        out = await http.post("/api/auth/logout", headers={"Authorization": f"Bearer {world.customer_token}"})
        assert out.status_code == 200
        assert await closed_with(by_login, within=1.5) == ENDED
        await still_open(link)


async def test_socket_handshake_renews_an_aged_login_cookie(
    server: UvicornThread, world: World, boot: BootSettings
) -> None:
    services = build_services(boot)
    try:
        claims = services.tokens.decode(world.staff_token)
        aged = services.tokens.encode(claims, now=datetime.now(UTC) - timedelta(hours=7))
    finally:
        await services.db.dispose()
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(aged)) as ws:
        await joined(ws)
        assert ws.response is not None
        set_cookie = ws.response.headers["Set-Cookie"]
    assert set_cookie.startswith(f"{AUTH_COOKIE}=")
    fresh = services.tokens.decode(set_cookie.split(";")[0].split("=", 1)[1])
    assert fresh.session == claims.session
    assert fresh.issued_at > claims.issued_at


async def test_customer_deactivation_closes_their_order_socket_but_not_the_tracking_one(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    order = await place(http, world, token=world.customer_token)
    base = f"{server.ws_url}/api/ws/orders/{order['id']}"
    async with (
        connect(base, additional_headers=cookie(world.customer_token)) as by_login,
        connect(f"{base}?tracking={order['trackingToken']}") as link,
    ):
        await joined(by_login)
        await joined(link)
        manager = {"Authorization": f"Bearer {world.manager_token}"}
        off = await http.patch(f"/api/customers/{world.customer_id}", headers=manager, json={"isActive": False})
        assert off.status_code == 200, off.text
        assert await closed_with(by_login, within=1.5) == ENDED
        await still_open(link)
