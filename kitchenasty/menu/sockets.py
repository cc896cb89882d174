"""`ws /api/ws/menu`: the storefront's menu room (see `menu.rooms`). Anyone may join (the menu is public); the
snapshot is `{"room": "menu"}`, after which each `menu.changed` message says a location's menu is worth reading
again. A handshake from another origin's page is refused with 4403, as for every room."""

from __future__ import annotations

from typing import Any, TypeAlias

from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency

from kitchenasty.core.origin import require_own_origin
from kitchenasty.core.realtime import RoomJoin, serve_room
from kitchenasty.menu.rooms import MENU_ROOM
from kitchenasty.services import ServicesDep

ChannelsDep: TypeAlias = NamedDependency[ChannelsPlugin]


async def _snapshot() -> dict[str, str]:
    return {"room": MENU_ROOM}


@websocket("/api/ws/menu", name="ws-menu")
async def menu_socket(socket: WebSocket[Any, Any, Any], services: ServicesDep, channels: ChannelsDep) -> None:
    async def join() -> RoomJoin:
        require_own_origin(socket, services.boot.public_url)
        return RoomJoin([MENU_ROOM], _snapshot)

    await serve_room(socket, channels, join)


SOCKET_ROUTES: list[Any] = [menu_socket]
