"""Growing past one box: with `channels_backend` set to a Redis URL, two server processes share their rooms.

A real `redis-server` (Debian's package; `.ci/run` installs it) runs on 127.0.0.1 for these tests. Two apps over the
same database stand for two KitchenAsty processes: an order placed on one reaches a kitchen display connected to
the other, and a status change reaches that order's room on the other.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.realtime.helpers import World, cookie, decode, move, place
from tests.servers import free_port, serve


@pytest.fixture
def redis_url() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is required for the Redis room tests (apt-get install -y redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


async def next_event(ws, name: str) -> dict:  # type: ignore[no-untyped-def]
    while True:
        message = decode(await asyncio.wait_for(ws.recv(), 10))
        if message["event"] == name:
            return message


async def test_rooms_span_two_processes_over_redis(app_factory, world: World, redis_url: str) -> None:  # type: ignore[no-untyped-def]
    env = {"KITCHENASTY_CHANNELS_BACKEND": redis_url}
    with serve(app_factory(env)) as first, serve(app_factory(env)) as second:
        kitchen_url = f"{second.ws_url}/api/ws/kitchen"
        async with (
            httpx.AsyncClient(base_url=first.base_url, timeout=10) as http,
            connect(kitchen_url, additional_headers=cookie(world.staff_token)) as kitchen,
        ):
            assert decode(await asyncio.wait_for(kitchen.recv(), 10))["event"] == "snapshot"
            await asyncio.sleep(0.3)  # the second process's Redis subscription is in place
            order = await place(http, world, world.simple_item)
            created = await next_event(kitchen, "order.created")
            assert created["data"]["id"] == order["id"]
            room_url = f"{second.ws_url}/api/ws/orders/{order['id']}?tracking={order['trackingToken']}"
            async with connect(room_url) as room:
                assert decode(await asyncio.wait_for(room.recv(), 10))["data"]["status"] == "PENDING"
                await asyncio.sleep(0.3)
                await move(http, world, order["id"], "CONFIRMED")
                update = await next_event(room, "order.statusUpdate")
                on_board = await next_event(kitchen, "order.statusUpdate")
    assert update["data"]["status"] == on_board["data"]["status"] == "CONFIRMED"
    assert update["seq"] == 2 and on_board["seq"] == created["seq"] + 1
