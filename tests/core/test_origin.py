"""A page of another origin on the same site (another port on the box's address) must not act with, or listen
with, the staff cookie; Bearer-token clients are not affected."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from kitchenasty.core.origin import is_own_origin, normalise_origin
from kitchenasty.core.security import AUTH_COOKIE
from kitchenasty.services import Services
from tests.conftest import TEST_ORIGIN as OWN
from tests.factories import PASSWORD, bearer, make_staff
from tests.servers import serve

FOREIGN = "http://testserver.local:8081"


def test_origins_compare_scheme_host_and_port_with_default_ports_left_out() -> None:
    assert normalise_origin("HTTP://Box.LAN:80") == "http://box.lan"
    assert normalise_origin("https://box.lan:443/path?q") == "https://box.lan"
    assert normalise_origin("http://[::1]:8000") == "http://[::1]:8000"
    assert normalise_origin("null") is None
    assert normalise_origin("javascript:alert(1)") is None
    assert is_own_origin("http://192.168.1.20:8000", "192.168.1.20:8000", "")
    assert is_own_origin("https://192.168.1.20:8000", "192.168.1.20:8000", "")  # behind a TLS proxy
    assert not is_own_origin("http://192.168.1.20:8081", "192.168.1.20:8000", "")
    assert is_own_origin("https://orders.example.com", "10.0.0.5:8000", "https://orders.example.com/")
    assert not is_own_origin("null", "192.168.1.20:8000", "")


async def cookie_login(client: AsyncTestClient[Litestar], services: Services) -> None:
    user = await make_staff(services, "SUPER_ADMIN")
    response = await client.post("/api/auth/staff/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.cookies.get(AUTH_COOKIE)


async def tax_rate(client: AsyncTestClient[Litestar]) -> float:
    return (await client.get("/api/settings/order")).json()["data"]["taxRate"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": FOREIGN},
        {"Origin": "null"},
        {"Referer": FOREIGN + "/attack.html"},
        {},  # neither Origin nor Referer: a browser always sends one on a write
    ],
)
async def test_a_cookie_write_from_another_origin_is_refused_and_changes_nothing(
    client: AsyncTestClient[Litestar], services: Services, headers: dict[str, str]
) -> None:
    await cookie_login(client, services)
    before = await tax_rate(client)
    del client.headers["Origin"]  # the fixture's client speaks as our own page
    response = await client.put("/api/settings/order", json={"taxRate": 9.5}, headers=headers)
    assert response.status_code == 403, response.text
    assert response.json() == {
        "success": False,
        "error": "This request came from another web page and was refused; use the restaurant's own pages.",
        "code": "CROSS_ORIGIN_REQUEST",
    }
    assert await tax_rate(client) == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
async def test_a_cookie_write_must_be_json_even_from_our_own_origin(
    client: AsyncTestClient[Litestar], services: Services, content_type: str
) -> None:
    await cookie_login(client, services)
    before = await tax_rate(client)
    response = await client.put(
        "/api/settings/order", content=b'{"taxRate": 9.5}', headers={"Origin": OWN, "Content-Type": content_type}
    )
    assert response.status_code == 415
    assert response.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert await tax_rate(client) == before


async def test_a_cookie_write_from_our_own_page_goes_through(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    await cookie_login(client, services)
    del client.headers["Origin"]
    by_origin = await client.put("/api/settings/order", json={"taxRate": 9.5}, headers={"Origin": OWN})
    assert by_origin.status_code == 200, by_origin.text
    by_referer = await client.put(
        "/api/settings/order", json={"taxRate": 7}, headers={"Referer": OWN + "/admin/settings"}
    )
    assert by_referer.status_code == 200, by_referer.text
    assert await tax_rate(client) == 7


async def test_bearer_clients_are_not_affected_by_origin_rules(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    user = await make_staff(services, "SUPER_ADMIN")
    headers = {**bearer(services.auth.issue("staff", user)), "Origin": FOREIGN}
    response = await client.put("/api/settings/order", json={"taxRate": 3}, headers=headers)
    assert response.status_code == 200, response.text


async def test_the_kitchen_socket_refuses_a_handshake_from_another_origin(app: Litestar, services: Services) -> None:
    user = await make_staff(services, "STAFF")
    cookie = {"Cookie": f"{AUTH_COOKIE}={services.auth.issue('staff', user)}"}
    with serve(app) as server:
        url = f"{server.ws_url}/api/ws/kitchen"
        own_origin = server.base_url
        foreign = f"http://127.0.0.1:{server.port + 1}"
        async with connect(url, additional_headers=cookie, origin=foreign) as ws:  # type: ignore[arg-type]
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4403
        async with connect(url, additional_headers=cookie, origin=own_origin) as ws:  # type: ignore[arg-type]
            first = await asyncio.wait_for(ws.recv(), 5)
        assert '"event":"snapshot"' in str(first)
        async with connect(url, additional_headers=cookie) as ws:  # not a browser: no Origin at all
            assert '"event":"snapshot"' in str(await asyncio.wait_for(ws.recv(), 5))
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            assert (await http.get("/api/health")).status_code == 200
