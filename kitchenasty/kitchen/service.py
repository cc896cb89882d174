"""Stations: the places on the kitchen line, each with the categories whose items it prepares.

Writes are ORM transactions (audited by the listeners) that record `StationsChanged`, so the orders' catalog drops
its item -> station map; placing an order then reads the map once and keeps it (`kitchen.queries.station_map`).
What other domains hang off a station (printers) is asked through `core.links` ("station").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core.api import provided
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound, ValidationFailed, field_refusal
from kitchenasty.core.events import notify
from kitchenasty.core.links import Dependents
from kitchenasty.core.validate import check_slug, not_blank
from kitchenasty.kitchen import queries, views
from kitchenasty.kitchen.events import StationsChanged
from kitchenasty.kitchen.models import Station
from kitchenasty.kitchen.schemas import StationIn, StationOut, StationUpdateIn

SLUG_TAKEN = "A station with this slug already exists"


def slug_from(name: str) -> str:
    """`Bar & Drinks` -> `bar-drinks`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    if not slug:
        raise field_refusal("slug", "Choose a slug for this station (letters, digits and hyphens)", "INVALID_SLUG")
    return slug


class StationService:
    def __init__(self, db: Database, dependents: Dependents | None = None) -> None:
        self.db = db
        self.dependents = dependents or Dependents()

    async def list_stations(self) -> list[StationOut]:
        async with self.db.session() as session:
            stations = await queries.stations(session)
            return await self._out(session, stations)

    async def get_station(self, station_id: str) -> StationOut:
        async with self.db.session() as session:
            station = await self._station(session, station_id)
            return (await self._out(session, [station]))[0]

    async def create_station(self, data: StationIn) -> StationOut:
        name = not_blank(data.name, "name")
        slug = check_slug(data.slug) if data.slug is not None else slug_from(name)
        try:
            async with self.db.transaction() as session:
                if await queries.slug_taken(session, slug):
                    raise Conflict(SLUG_TAKEN, code="SLUG_TAKEN")
                station = queries.add_station(session, name=name, slug=slug, position=data.position, active=data.active)
                await session.flush()
                await self._set_categories(session, station.id, data.category_ids)
                notify(session, StationsChanged())
        except IntegrityError:
            raise Conflict(SLUG_TAKEN, code="SLUG_TAKEN") from None
        return await self.get_station(station.id)

    async def update_station(self, station_id: str, data: StationUpdateIn) -> StationOut:
        fields = provided(data)
        async with self.db.transaction() as session:
            station = await self._station(session, station_id)
            if "name" in fields:
                station.name = not_blank(fields["name"], "name")
            if "position" in fields:
                station.position = fields["position"]
            if "active" in fields:
                station.active = fields["active"]
            if "category_ids" in fields:
                await self._set_categories(session, station_id, fields["category_ids"])
            notify(session, StationsChanged())
        return await self.get_station(station_id)

    async def delete_station(self, station_id: str) -> None:
        async with self.db.transaction() as session:
            station = await self._station(session, station_id)
            refusal = await self.dependents.refusal(
                session, "station", station_id, "This station is in use and cannot be deleted"
            )
            if refusal is not None:
                raise Conflict(refusal, code="STATION_IN_USE")
            await self.dependents.deleting(session, "station", station_id)
            await queries.delete_station(session, station)
            notify(session, StationsChanged())

    # ------------------------------------------------------------ helpers

    @staticmethod
    async def _station(session: AsyncSession, station_id: str) -> Station:
        station = await queries.station(session, station_id)
        if station is None:
            raise NotFound("Station not found", code="STATION_NOT_FOUND")
        return station

    @staticmethod
    async def _set_categories(session: AsyncSession, station_id: str, category_ids: Sequence[str]) -> None:
        """A category belongs to at most one station: one held by another station is refused (409), naming it."""
        wanted = list(dict.fromkeys(category_ids))
        if wanted:
            known = await queries.existing_categories(session, wanted)
            missing = [c for c in wanted if c not in known]
            if missing:
                raise ValidationFailed(
                    "Some of these categories do not exist; reload the page and choose again",
                    code="CATEGORY_NOT_FOUND",
                    details=[{"key": "categoryIds", "message": f"Unknown category: {missing[0]}"}],
                )
            for category_id, (holder_id, holder_name) in (await queries.holders_of(session, wanted)).items():
                if holder_id != station_id:
                    message = (
                        f"The category {known[category_id]} already goes to the station {holder_name}; take it off "
                        "there first"
                    )
                    raise Conflict(message, code="CATEGORY_TAKEN", details=[{"key": "categoryIds", "message": message}])
        await queries.set_categories(session, station_id, wanted)

    async def _out(self, session: AsyncSession, stations: Sequence[Station]) -> list[StationOut]:
        categories = await queries.category_ids_by_station(session)
        printers = await self.dependents.summary(session, "station", "printers", [s.id for s in stations])
        return [views.station_out(s, categories.get(s.id, []), printers.get(s.id, ())) for s in stations]
