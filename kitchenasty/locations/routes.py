"""`/api/locations`: public reads; create/update, pause/resume, closures and tables SUPER_ADMIN or MANAGER; deleting
a location or a table SUPER_ADMIN."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.core.api import Message, Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import admin_only, manager_or_admin
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.core.openapi import errors
from kitchenasty.locations.schemas import (
    ClosureIn,
    ClosureOut,
    LocationDetailOut,
    LocationIn,
    LocationOut,
    LocationUpdateIn,
    PauseIn,
    TableIn,
    TableOut,
    TableUpdateIn,
)
from kitchenasty.services import ServicesDep


class LocationController(Controller):
    path = "/api/locations"
    tags = ["locations"]

    @get("/", summary="List locations (inactive ones included)")
    async def list_locations(
        self, services: ServicesDep, page_number: PageQuery = 1, limit: LimitQuery = 20
    ) -> Page[LocationOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.locations.list_locations(params)
        return page(items, page=params.page, limit=params.limit, total=total)

    @get("/{location_id:str}", summary="A location with its hours and tables")
    async def get_location(self, location_id: FromPath[str], services: ServicesDep) -> Ok[LocationDetailOut]:
        return ok(await services.locations.get(location_id))

    @post("/", guards=[manager_or_admin], status_code=HTTP_201_CREATED, responses=errors(409))
    async def create_location(self, data: JSONBody[LocationIn], services: ServicesDep) -> Ok[LocationDetailOut]:
        return ok(await services.locations.create(data))

    @patch("/{location_id:str}", guards=[manager_or_admin])
    async def update_location(
        self, location_id: FromPath[str], data: JSONBody[LocationUpdateIn], services: ServicesDep
    ) -> Ok[LocationDetailOut]:
        return ok(await services.locations.update(location_id, data))

    @delete("/{location_id:str}", guards=[admin_only], status_code=HTTP_200_OK, responses=errors(409))
    async def delete_location(self, location_id: FromPath[str], services: ServicesDep) -> Message:
        await services.locations.delete(location_id)
        return Message(message="Location deleted")

    @post(
        "/{location_id:str}/pause",
        guards=[manager_or_admin],
        status_code=HTTP_200_OK,
        summary="Pause online ordering (for some minutes, or until resumed)",
    )
    async def pause_location(
        self, location_id: FromPath[str], data: JSONBody[PauseIn], services: ServicesDep
    ) -> Ok[LocationDetailOut]:
        return ok(await services.locations.pause(location_id, data))

    @post(
        "/{location_id:str}/resume",
        guards=[manager_or_admin],
        status_code=HTTP_200_OK,
        summary="Take online orders again",
    )
    async def resume_location(self, location_id: FromPath[str], services: ServicesDep) -> Ok[LocationDetailOut]:
        return ok(await services.locations.resume(location_id))

    @get("/{location_id:str}/closures", summary="Closed dates of a location (those not over yet, or all with past)")
    async def list_closures(
        self,
        location_id: FromPath[str],
        services: ServicesDep,
        past: Annotated[bool, QueryParameter(name="past", description="Include closures that are over")] = False,
    ) -> Ok[list[ClosureOut]]:
        return ok(await services.locations.list_closures(location_id, past))

    @post(
        "/{location_id:str}/closures",
        guards=[manager_or_admin],
        status_code=HTTP_201_CREATED,
        responses=errors(409),
        summary="Close a location on a date or a range of dates",
    )
    async def create_closure(
        self, location_id: FromPath[str], data: JSONBody[ClosureIn], services: ServicesDep
    ) -> Ok[ClosureOut]:
        return ok(await services.locations.create_closure(location_id, data))

    @delete("/{location_id:str}/closures/{closure_id:str}", guards=[manager_or_admin], status_code=HTTP_200_OK)
    async def delete_closure(
        self, location_id: FromPath[str], closure_id: FromPath[str], services: ServicesDep
    ) -> Message:
        await services.locations.delete_closure(location_id, closure_id)
        return Message(message="Closure deleted")

    @get("/{location_id:str}/tables", summary="Tables of a location, by name")
    async def list_tables(self, location_id: FromPath[str], services: ServicesDep) -> Ok[list[TableOut]]:
        return ok(await services.locations.list_tables(location_id))

    @get("/{location_id:str}/tables/{table_id:str}")
    async def get_table(
        self, location_id: FromPath[str], table_id: FromPath[str], services: ServicesDep
    ) -> Ok[TableOut]:
        return ok(await services.locations.get_table(location_id, table_id))

    @post("/{location_id:str}/tables", guards=[manager_or_admin], status_code=HTTP_201_CREATED, responses=errors(409))
    async def create_table(
        self, location_id: FromPath[str], data: JSONBody[TableIn], services: ServicesDep
    ) -> Ok[TableOut]:
        return ok(await services.locations.create_table(location_id, data))

    @patch("/{location_id:str}/tables/{table_id:str}", guards=[manager_or_admin], responses=errors(409))
    async def update_table(
        self, location_id: FromPath[str], table_id: FromPath[str], data: JSONBody[TableUpdateIn], services: ServicesDep
    ) -> Ok[TableOut]:
        return ok(await services.locations.update_table(location_id, table_id, data))

    @delete(
        "/{location_id:str}/tables/{table_id:str}", guards=[admin_only], status_code=HTTP_200_OK, responses=errors(409)
    )
    async def delete_table(self, location_id: FromPath[str], table_id: FromPath[str], services: ServicesDep) -> Message:
        await services.locations.delete_table(location_id, table_id)
        return Message(message="Table deleted")


ROUTES: list[Any] = [LocationController]
