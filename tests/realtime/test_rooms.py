"""The live rooms (DESIGN §6) against a real uvicorn: snapshot then events with a per-socket seq, the kitchen and
order rooms, no cross-talk, refusals with 4401/4403/4404, heartbeat replies."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from kitchenasty.core.realtime import RoomChannels
from tests.realtime.helpers import World, cookie, decode, move, place
from tests.servers import UvicornThread, eventually

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


async def receive(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    return decode(await asyncio.wait_for(ws.recv(), timeout))


async def nothing_more(ws: ClientConnection, wait: float = 0.3) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.recv(), wait)


async def refused_with(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    async with connect(url, additional_headers=headers or {}) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def rest_view(http: httpx.AsyncClient, order: dict[str, Any]) -> dict[str, Any]:
    response = await http.get(f"/api/orders/{order['id']}", params={"t": order["trackingToken"]})
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_kitchen_room_sends_snapshot_then_created_and_status_events(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    earlier = await place(http, world, comment="Ring twice")
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        snapshot = await receive(ws)
        assert snapshot["event"] == "snapshot"
        assert snapshot["seq"] == 1
        assert snapshot["data"] == [await rest_view(http, earlier)]

        created = await place(http, world)
        message = await receive(ws)
        assert (message["event"], message["seq"]) == ("order.created", 2)
        assert message["data"] == await rest_view(http, created)

        await move(http, world, earlier["id"], "CONFIRMED")
        message = await receive(ws)
        assert (message["event"], message["seq"]) == ("order.statusUpdate", 3)
        assert message["data"]["id"] == earlier["id"]
        assert message["data"]["status"] == "CONFIRMED"
        assert message["data"]["nextStatus"] == "PREPARING"
        assert message["data"] == await rest_view(http, earlier)


async def test_kitchen_snapshot_holds_only_active_orders_oldest_first(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    first = await place(http, world)
    second = await place(http, world)
    done = await place(http, world)
    for status in ("CONFIRMED", "PREPARING", "READY", "PICKED_UP"):
        await move(http, world, done["id"], status)
    cancelled = await place(http, world)
    await move(http, world, cancelled["id"], "CANCELLED")
    await move(http, world, second["id"], "CONFIRMED")
    async with connect(f"{server.ws_url}/api/ws/kitchen?token={world.staff_token}") as ws:
        snapshot = await receive(ws)
    assert [order["id"] for order in snapshot["data"]] == [first["id"], second["id"]]
    assert [order["status"] for order in snapshot["data"]] == ["PENDING", "CONFIRMED"]


async def test_order_room_sends_snapshot_then_only_its_own_updates(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    mine = await place(http, world)
    other = await place(http, world)
    url = f"{server.ws_url}/api/ws/orders/{mine['id']}?tracking={mine['trackingToken']}"
    async with connect(url) as ws:
        snapshot = await receive(ws)
        assert (snapshot["event"], snapshot["seq"]) == ("snapshot", 1)
        assert snapshot["data"] == await rest_view(http, mine)

        await move(http, world, other["id"], "CONFIRMED")  # another order's change: not for this room
        await place(http, world)  # a new order: kitchen only
        await move(http, world, mine["id"], "CONFIRMED")
        update = await receive(ws)
        assert (update["event"], update["seq"]) == ("order.statusUpdate", 2)
        assert update["data"]["id"] == mine["id"]
        assert update["data"]["status"] == "CONFIRMED"
        await move(http, world, mine["id"], "PREPARING")
        update = await receive(ws)
        assert (update["seq"], update["data"]["status"]) == (3, "PREPARING")
        await nothing_more(ws)


async def test_status_change_reaches_kitchen_room_and_order_room(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    order = await place(http, world)
    order_url = f"{server.ws_url}/api/ws/orders/{order['id']}?tracking={order['trackingToken']}"
    async with (
        connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as kitchen,
        connect(order_url) as room,
    ):
        assert (await receive(kitchen))["event"] == "snapshot"
        assert (await receive(room))["event"] == "snapshot"
        changed = await move(http, world, order["id"], "CONFIRMED")
        to_kitchen = await receive(kitchen)
        to_room = await receive(room)
    assert to_kitchen["event"] == to_room["event"] == "order.statusUpdate"
    assert to_kitchen["data"] == to_room["data"] == changed
    assert (to_kitchen["seq"], to_room["seq"]) == (2, 2)


async def test_order_leaving_the_kitchen_statuses_is_announced_to_the_kitchen(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    order = await place(http, world)
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        await receive(ws)
        await move(http, world, order["id"], "CANCELLED")
        message = await receive(ws)
    assert message["event"] == "order.statusUpdate"
    assert (message["data"]["status"], message["data"]["nextStatus"]) == ("CANCELLED", None)


async def test_fifty_order_rooms_each_get_exactly_their_own_update(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    orders = [await place(http, world) for _ in range(50)]
    sockets = [await connect(f"{server.ws_url}/api/ws/orders/{o['id']}?tracking={o['trackingToken']}") for o in orders]
    try:
        for ws, order in zip(sockets, orders, strict=True):
            snapshot = await receive(ws)
            assert snapshot["data"]["id"] == order["id"]

        arrived: dict[str, float] = {}

        async def listen(ws: ClientConnection, order_id: str) -> dict[str, Any]:
            message = await receive(ws, timeout=20)
            arrived[order_id] = time.perf_counter()
            return message

        listeners = [asyncio.create_task(listen(ws, o["id"])) for ws, o in zip(sockets, orders, strict=True)]
        sent: dict[str, float] = {}
        answered: dict[str, float] = {}
        started = time.perf_counter()
        for order in orders:  # one status change at a time: each latency is one write plus its fan-out
            sent[order["id"]] = time.perf_counter()
            await move(http, world, order["id"], "CONFIRMED")
            answered[order["id"]] = time.perf_counter()
        received = await asyncio.gather(*listeners)
        finished = time.perf_counter()

        for message, order in zip(received, orders, strict=True):
            assert message["event"] == "order.statusUpdate"
            assert message["data"]["id"] == order["id"]
            assert message["data"]["status"] == "CONFIRMED"
            assert message["seq"] == 2
        await asyncio.gather(*(nothing_more(ws, 0.5) for ws in sockets))
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets))

    def ms(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {"p50": round(ordered[len(ordered) // 2] * 1000, 1), "max": round(ordered[-1] * 1000, 1)}

    figures = {
        "rooms": len(orders),
        "all_50_changes_ms": round((finished - started) * 1000, 1),
        "patch_sent_to_update_received_ms": ms([arrived[o["id"]] - sent[o["id"]] for o in orders]),
        "patch_round_trip_ms": ms([answered[o["id"]] - sent[o["id"]] for o in orders]),
        "note": "real uvicorn on 127.0.0.1, 50 order rooms open, status changes one after another",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "realtime-fanout.json").write_text(json.dumps(figures, indent=2) + "\n")
    assert figures["patch_sent_to_update_received_ms"]["max"] < 2000, figures


async def test_sockets_without_credentials_are_refused_with_4401(server: UvicornThread, world: World) -> None:
    code, reason = await refused_with(f"{server.ws_url}/api/ws/kitchen")
    assert code == 4401
    assert reason
    code, _ = await refused_with(f"{server.ws_url}/api/ws/kitchen?token=not-a-jwt")
    assert code == 4401
    code, _ = await refused_with(f"{server.ws_url}/api/ws/kitchen", cookie("expired-or-forged"))
    assert code == 4401
    code, reason = await refused_with(f"{server.ws_url}/api/ws/orders/some-order")
    assert code == 4401
    assert reason


async def test_sockets_for_the_wrong_principal_are_refused_with_4403(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    code, reason = await refused_with(f"{server.ws_url}/api/ws/kitchen", cookie(world.customer_token))
    assert code == 4403
    assert reason
    order = await place(http, world, token=world.customer_token)
    code, reason = await refused_with(
        f"{server.ws_url}/api/ws/orders/{order['id']}", cookie(world.other_customer_token)
    )
    assert code == 4403
    assert reason


async def test_sockets_for_a_missing_order_are_refused_with_4404(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    code, reason = await refused_with(f"{server.ws_url}/api/ws/orders/no-such-order?token={world.staff_token}")
    assert code == 4404
    assert reason
    order = await place(http, world)
    code, _ = await refused_with(f"{server.ws_url}/api/ws/orders/{order['id']}?tracking=wrong-token")
    assert code == 4404


async def test_order_room_admits_owner_staff_and_tracking_token(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    order = await place(http, world, token=world.customer_token)
    base = f"{server.ws_url}/api/ws/orders/{order['id']}"
    for url, headers in (
        (base, cookie(world.customer_token)),
        (f"{base}?token={world.staff_token}", {}),
        (f"{base}?tracking={order['trackingToken']}", {}),
        # a stale login cookie does not lock out a guest holding the tracking link
        (f"{base}?tracking={order['trackingToken']}", cookie("stale-cookie")),
    ):
        async with connect(url, additional_headers=headers) as ws:
            snapshot = await receive(ws)
        assert (snapshot["event"], snapshot["data"]["id"]) == ("snapshot", order["id"])


async def test_heartbeat_ping_is_answered_with_the_next_seq(server: UvicornThread, world: World) -> None:
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        assert (await receive(ws))["seq"] == 1
        await ws.send("ping")
        pong = await receive(ws)
        await ws.send(json.dumps({"event": "ping"}))
        second = await receive(ws)
        await ws.send("something else")  # ignored
        await nothing_more(ws)
    assert (pong["event"], pong["seq"], pong["data"]) == ("pong", 2, None)
    assert (second["event"], second["seq"]) == ("pong", 3)


async def test_frames_are_uncompressed_text(server: UvicornThread, world: World) -> None:
    async with connect(
        f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token), compression="deflate"
    ) as ws:
        frame = await asyncio.wait_for(ws.recv(), 5)
        assert ws.response is not None
        extensions = ws.response.headers.get("Sec-WebSocket-Extensions")
    assert isinstance(frame, str)
    assert not extensions


async def test_rooms_are_forgotten_when_their_last_socket_leaves(
    server: UvicornThread, http: httpx.AsyncClient, world: World, app: Litestar
) -> None:
    channels = app.plugins.get(RoomChannels)
    orders = [await place(http, world) for _ in range(3)]
    urls = [f"{server.ws_url}/api/ws/orders/{o['id']}?tracking={o['trackingToken']}" for o in orders]
    async with connect(urls[0]) as a, connect(urls[0]) as b, connect(urls[1]) as c:
        for ws in (a, b, c):
            await receive(ws)
        assert channels.rooms() == {f"order:{orders[0]['id']}": 2, f"order:{orders[1]['id']}": 1}
    await eventually(lambda: channels.rooms() == {})
    assert not any(name.startswith("order:") for name in channels._channels)
