"""The channels backend chosen by the boot setting, and the bridge from the event bus to the rooms."""

from __future__ import annotations

import asyncio

import msgspec
import pytest
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from websockets.asyncio.client import connect

from kitchenasty.core.config import ConfigError
from kitchenasty.core.realtime import RoomChannels, channels_backend
from kitchenasty.orders.schemas import OrderIn
from kitchenasty.services import Services
from tests.realtime.helpers import World, cookie, decode
from tests.servers import UvicornThread


def test_channels_backend_is_memory_by_default() -> None:
    assert isinstance(channels_backend("memory"), MemoryChannelsBackend)
    assert isinstance(channels_backend(""), MemoryChannelsBackend)


def test_channels_backend_is_redis_for_a_redis_url() -> None:
    # Building the backend does not connect: a box without Redis running still starts (and fails on use).
    assert isinstance(channels_backend("redis://127.0.0.1:6390/0"), RedisChannelsPubSubBackend)


def test_channels_backend_refuses_anything_else() -> None:
    with pytest.raises(ConfigError, match="channels_backend"):
        channels_backend("kafka://broker:9092")


def test_app_uses_the_configured_backend(app_factory) -> None:  # type: ignore[no-untyped-def]
    app = app_factory({"KITCHENASTY_CHANNELS_BACKEND": "redis://127.0.0.1:6390/0"})
    assert isinstance(app.plugins.get(RoomChannels)._backend, RedisChannelsPubSubBackend)


async def test_order_placed_from_another_event_loop_reaches_the_kitchen(
    server: UvicornThread, services: Services, world: World
) -> None:
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        assert decode(await asyncio.wait_for(ws.recv(), 5))["event"] == "snapshot"
        # The app's own services, used from this test's event loop (not the server's): the bridge hands the event
        # to the server's loop.
        order, _ = await services.orders.place(msgspec.convert(world.order_body(), OrderIn), None)
        message = decode(await asyncio.wait_for(ws.recv(), 5))
    assert message["event"] == "order.created"
    assert message["data"]["id"] == order.id
