"""The order rooms' WebSocket endpoints (DESIGN §6).

- `ws /api/ws/kitchen`: staff only (JWT from the auth cookie, `Authorization`, or `?token=`); snapshot = the
  active kitchen orders (PENDING, CONFIRMED, PREPARING, READY; oldest first).
- `ws /api/ws/orders/{orderId}`: the order's customer, staff, or `?tracking=<trackingToken>`; snapshot = the order.

Refusals close with 4401 (no or bad credentials), 4403 (not allowed here, or a handshake from another origin's
page: it would carry the staff cookie) or 4404 (no such order). A socket admitted on a login (the kitchen; an order
room without `?tracking=`) closes with 4401 when that session ends.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from kitchenasty.core.errors import Unauthorized
from kitchenasty.core.guards import resolve_principal, staff_only
from kitchenasty.core.origin import require_own_origin
from kitchenasty.core.realtime import RoomJoin, serve_room
from kitchenasty.orders.rooms import KITCHEN_ROOM, order_room
from kitchenasty.services import ServicesDep

ChannelsDep: TypeAlias = NamedDependency[ChannelsPlugin]
TrackingQuery: TypeAlias = Annotated[str | None, QueryParameter(name="tracking")]


@websocket("/api/ws/kitchen", name="ws-kitchen")
async def kitchen_socket(socket: WebSocket[Any, Any, Any], services: ServicesDep, channels: ChannelsDep) -> None:
    async def join() -> RoomJoin:
        require_own_origin(socket, services.boot.public_url)
        await staff_only(socket, socket.route_handler)
        return RoomJoin([KITCHEN_ROOM], services.orders.kitchen_snapshot, by_session=True)

    await serve_room(socket, channels, join)


@websocket("/api/ws/orders/{order_id:str}", name="ws-order")
async def order_socket(
    socket: WebSocket[Any, Any, Any],
    order_id: FromPath[str],
    services: ServicesDep,
    channels: ChannelsDep,
    tracking: TrackingQuery = None,
) -> None:
    async def join() -> RoomJoin:
        require_own_origin(socket, services.boot.public_url)
        # With a tracking token a stale login cookie must not lock the guest out, so a bad token only counts
        # when it is the sole credential.
        principal = await resolve_principal(socket, strict=not tracking)
        if principal is None and not tracking:
            raise Unauthorized("Log in or open the order's tracking link", code="AUTH_REQUIRED")

        async def snapshot() -> Any:
            return await services.orders.get_for_viewer(order_id, principal, tracking)

        await snapshot()  # authorise before joining the room (NotFound -> 4404, Forbidden -> 4403)
        return RoomJoin([order_room(order_id)], snapshot, by_session=not tracking)

    await serve_room(socket, channels, join)


SOCKET_ROUTES: list[Any] = [kitchen_socket, order_socket]
