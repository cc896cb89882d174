"""The storefront's menu room (`ws /api/ws/menu`) against a real uvicorn: anyone joins, the snapshot comes first,
then one `menu.changed` per committed menu or location change, after which the menu read shows the change."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from tests.realtime.helpers import World, decode
from tests.servers import UvicornThread


async def receive(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    return decode(await asyncio.wait_for(ws.recv(), timeout))


def manager(world: World) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.manager_token}"}


async def test_menu_room_tells_guests_when_an_item_is_sold_out_and_when_a_location_pauses(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    item = world.items[world.simple_item]
    async with connect(f"{server.ws_url}/api/ws/menu") as ws:
        snapshot = await receive(ws)
        assert (snapshot["event"], snapshot["seq"], snapshot["data"]) == ("snapshot", 1, {"room": "menu"})

        response = await http.post(f"/api/menu/items/{item['id']}/sold-out", headers=manager(world))
        assert response.status_code == 200, response.text
        message = await receive(ws)
        assert message == {"event": "menu.changed", "data": {"locationId": None}, "seq": 2}
        menu = (await http.get("/api/menu", params={"locationId": world.location_id})).json()["data"]
        shown = [i for c in menu["categories"] for i in c["items"] if i["id"] == item["id"]]
        assert shown and shown[0]["isAvailable"] is False and shown[0]["availabilityNote"] == "Sold out"

        response = await http.post(f"/api/locations/{world.location_id}/pause", json={}, headers=manager(world))
        assert response.status_code == 200, response.text
        message = await receive(ws)
        assert message == {"event": "menu.changed", "data": {"locationId": world.location_id}, "seq": 3}

        # marking it sold out a second time changes nothing, so nobody is told
        response = await http.post(f"/api/menu/items/{item['id']}/sold-out", headers=manager(world))
        assert response.status_code == 200
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), 0.3)


async def test_menu_room_refuses_another_origins_page(server: UvicornThread) -> None:
    async with connect(f"{server.ws_url}/api/ws/menu", origin=Origin("http://elsewhere.example")) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
