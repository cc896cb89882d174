"""The room fan-out (`core.fanout`) against a real uvicorn: frames written straight to the socket stay valid and in
order, a socket that stops reading waits in order without holding up the rest of the room, and one that falls
`MAX_BACKLOG` messages behind is closed (1013) so it reconnects for a fresh snapshot."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from litestar import Litestar
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from kitchenasty.core.realtime import MAX_BACKLOG, RoomChannels, RoomPublisher, encode_json, frame_head
from kitchenasty.orders.rooms import KITCHEN_ROOM
from tests.realtime.helpers import World, cookie, decode
from tests.servers import UvicornThread, eventually

FILLER = "x" * 20_000
"""Makes each test message ~20 KB, so a few hundred fill the TCP buffers of a socket that stops reading (the
server's send buffer grows to ~4 MB here)."""


def publish(app: Litestar, count: int, start: int = 0) -> None:
    publisher = app.plugins.get(RoomPublisher)
    for number in range(start, start + count):
        publisher.publish(frame_head("test.message", encode_json({"n": number, "filler": FILLER})), [KITCHEN_ROOM])


def small_window_socket(port: int) -> socket.socket:
    """A client socket with a tiny receive buffer, so the server sees back-pressure as soon as it stops reading."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    return sock


async def kitchen(server: UvicornThread, world: World, **options: Any) -> ClientConnection:
    ws = await connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token), **options)
    assert decode(await asyncio.wait_for(ws.recv(), 5))["event"] == "snapshot"
    return ws


async def fast_and_slow(
    server: UvicornThread, world: World, app: Litestar
) -> tuple[ClientConnection, ClientConnection]:
    """Two kitchen sockets: one reads as it goes, the other (tiny TCP window, 2-message queue) stops reading."""
    fast = await kitchen(server, world)
    slow = await kitchen(server, world, sock=small_window_socket(server.port), max_queue=2)
    await eventually(lambda: len(members(app)) == 2)
    return fast, slow


def members(app: Litestar) -> list[Any]:
    hub = app.plugins.get(RoomChannels).hub
    room = hub._rooms.get(KITCHEN_ROOM)
    return list(room.members) if room is not None else []


async def read_messages(ws: ClientConnection, count: int) -> list[dict[str, Any]]:
    return [decode(await asyncio.wait_for(ws.recv(), 10)) for _ in range(count)]


async def test_every_socket_gets_every_message_once_in_order_with_consecutive_seq(
    server: UvicornThread, world: World, app: Litestar
) -> None:
    sockets = [await kitchen(server, world) for _ in range(3)]
    await eventually(lambda: len(members(app)) == 3)
    publish(app, 300)
    for ws in sockets:
        got = await read_messages(ws, 300)
        assert [m["data"]["n"] for m in got] == list(range(300))
        assert [m["seq"] for m in got] == list(range(2, 302))
        assert all(m["event"] == "test.message" and m["data"]["filler"] == FILLER for m in got)
        await ws.close()


async def test_a_socket_that_stops_reading_waits_in_order_without_holding_up_the_room(
    server: UvicornThread, world: World, app: Litestar
) -> None:
    fast, slow = await fast_and_slow(server, world, app)
    publish(app, 600)
    fast_got = await read_messages(fast, 600)
    assert [m["data"]["n"] for m in fast_got] == list(range(600))
    # the slow socket's TCP buffers are full: the rest of its messages wait on the server, in order
    await eventually(lambda: max(member.behind for member in members(app)) > 0)
    slow_got = await read_messages(slow, 600)
    assert [m["data"]["n"] for m in slow_got] == list(range(600))
    assert [m["seq"] for m in slow_got] == list(range(2, 602))
    # once it has caught up, new messages are written at once again
    await eventually(lambda: all(member.behind == 0 for member in members(app)))
    publish(app, 5, start=600)
    assert [m["data"]["n"] for m in await read_messages(slow, 5)] == [600, 601, 602, 603, 604]
    assert [m["seq"] for m in await read_messages(fast, 5)] == [602, 603, 604, 605, 606]
    await fast.close()
    await slow.close()


async def test_a_socket_too_far_behind_is_closed_so_it_resyncs(
    server: UvicornThread, world: World, app: Litestar
) -> None:
    fast, slow = await fast_and_slow(server, world, app)
    chunk = 200  # the fast client reads each chunk before the next is published, so only the slow one falls behind
    for start in range(0, MAX_BACKLOG + 600, chunk):
        publish(app, chunk, start=start)
        assert [m["data"]["n"] for m in await read_messages(fast, chunk)] == list(range(start, start + chunk))
    # the slow socket reads again: what reached its buffers, then the close (1013) that tells it to resync
    received = 0
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(slow.recv(), 10)
            received += 1
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1013
    assert "reconnect" in closed.value.rcvd.reason
    assert 0 < received < MAX_BACKLOG + 600
    await eventually(lambda: len(members(app)) == 1)
    await fast.close()
