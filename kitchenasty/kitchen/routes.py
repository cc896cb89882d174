"""`/api/stations`: staff read the stations (the kitchen display's filter), managers and admins change them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.core.api import Message, Ok, ok
from kitchenasty.core.guards import manager_or_admin, staff_only
from kitchenasty.core.openapi import errors
from kitchenasty.kitchen.schemas import StationIn, StationOut, StationUpdateIn
from kitchenasty.services import ServicesDep


class StationController(Controller):
    path = "/api/stations"
    tags = ["kitchen"]

    @get("/", guards=[staff_only], summary="Stations of the kitchen line, with their categories (staff)")
    async def list_stations(self, services: ServicesDep) -> Ok[list[StationOut]]:
        return ok(await services.stations.list_stations())

    @post("/", guards=[manager_or_admin], status_code=HTTP_201_CREATED, responses=errors(409))
    async def create_station(self, data: JSONBody[StationIn], services: ServicesDep) -> Ok[StationOut]:
        return ok(await services.stations.create_station(data))

    @patch("/{station_id:str}", guards=[manager_or_admin], responses=errors(409))
    async def update_station(
        self, station_id: FromPath[str], data: JSONBody[StationUpdateIn], services: ServicesDep
    ) -> Ok[StationOut]:
        return ok(await services.stations.update_station(station_id, data))

    @delete("/{station_id:str}", guards=[manager_or_admin], status_code=HTTP_200_OK, responses=errors(409))
    async def delete_station(self, station_id: FromPath[str], services: ServicesDep) -> Message:
        await services.stations.delete_station(station_id)
        return Message(message="Station deleted")


ROUTES: list[Any] = [StationController]
