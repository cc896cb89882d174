"""`ws /api/ws/reservations`: staff only (JWT from the auth cookie, `Authorization`, or `?token=`). The snapshot is
one date's bookings (`?date=YYYY-MM-DD`, today in the restaurant's time zone when left out; `?locationId=` narrows
it to one location); then every `reservation.created`, `reservation.updated` and `reservation.deleted` of any date
and location (the page keeps those it shows). Refusals close with 4401 / 4403 as the kitchen room's do."""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from kitchenasty.core.guards import staff_only
from kitchenasty.core.origin import require_own_origin
from kitchenasty.core.realtime import RoomJoin, serve_room
from kitchenasty.reservations.rooms import RESERVATIONS_ROOM
from kitchenasty.services import ServicesDep

ChannelsDep: TypeAlias = NamedDependency[ChannelsPlugin]


@websocket("/api/ws/reservations", name="ws-reservations")
async def reservations_socket(
    socket: WebSocket[Any, Any, Any],
    services: ServicesDep,
    channels: ChannelsDep,
    day: Annotated[str | None, QueryParameter(name="date", max_length=10)] = None,
    location_id: Annotated[str | None, QueryParameter(name="locationId", max_length=64)] = None,
) -> None:
    async def join() -> RoomJoin:
        require_own_origin(socket, services.boot.public_url)
        await staff_only(socket, socket.route_handler)

        async def snapshot() -> Any:
            return await services.reservations.day_snapshot(day, location_id)

        await snapshot()  # a bad date is refused before joining
        return RoomJoin([RESERVATIONS_ROOM], snapshot, by_session=True)

    await serve_room(socket, channels, join)


SOCKET_ROUTES: list[Any] = [reservations_socket]
