"""Locations with their weekly hours, dated closures, busy mode and pause, and their tables.

Each write is one ORM transaction that runs the pure rules (`locations.checks`), writes through
`locations.queries` and notifies `LocationChanged` (the storefront menu and the order catalog drop what they hold);
reads build their shapes with `locations.views`.

Busy and paused are different things: a busy location still takes orders (guests see the busy message, and
scheduled orders must be `busyExtraMinutes` further ahead); a paused one takes no online orders until the pause
ends by itself (`minutes`) or is resumed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core.api import PageParams, provided
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound, field_refusal
from kitchenasty.core.events import notify
from kitchenasty.core.links import Dependents
from kitchenasty.core.schema import utcnow
from kitchenasty.core.validate import check_slug, not_blank
from kitchenasty.locations import checks, queries, views
from kitchenasty.locations.checks import about, min_order_cents
from kitchenasty.locations.events import LocationChanged
from kitchenasty.locations.hours import Closure, local_now
from kitchenasty.locations.models import DiningTable, Location
from kitchenasty.locations.schemas import (
    ClosureIn,
    ClosureOut,
    LocationCounts,
    LocationDetailOut,
    LocationIn,
    LocationOut,
    LocationUpdateIn,
    PauseIn,
    TableIn,
    TableOut,
    TableUpdateIn,
)
from kitchenasty.settings.service import ResolvedSettings, SettingsService

__all__ = ["LocationChanged", "LocationService"]  # LocationChanged: where the wiring imports it from

NOT_FOUND = "Location not found"
TABLE_NAME_TAKEN = "A table with this name already exists at this location"
SLUG_TAKEN = "A location with this slug already exists"
TABLE_IN_USE = "Cannot delete table with existing orders. Deactivate it instead."
REQUIRED_TEXT = (("name", "name"), ("address", "address"), ("city", "city"), ("postal_code", "postalCode"))


def _location_missing() -> NotFound:
    return NotFound(NOT_FOUND, code="LOCATION_NOT_FOUND")


def _table_missing() -> NotFound:
    return NotFound("Table not found", code="TABLE_NOT_FOUND")


class LocationService:
    def __init__(self, db: Database, settings: SettingsService, dependents: Dependents | None = None) -> None:
        self.db = db
        self.settings = settings
        self.dependents = dependents or Dependents()
        """What other domains hold of this one's rows (registered when the services are wired)."""

    async def local_now(self) -> datetime:
        """Now, in the restaurant's time zone (`general.timezone`)."""
        return local_now((await self.settings.resolved()).get("general.timezone"))

    # ---------------------------------------------------------------- reads

    async def _counts(self, session: AsyncSession, ids: Sequence[str]) -> dict[str, LocationCounts]:
        if not ids:
            return {}
        tables = await queries.table_counts(session, ids)
        orders = await self.dependents.count(session, "location", "orders", ids)
        items = await self.dependents.count(session, "location", "menuItems", ids)
        return {
            i: LocationCounts(tables=tables.get(i, 0), orders=orders.get(i, 0), menu_items=items.get(i, 0)) for i in ids
        }

    async def list_locations(self, params: PageParams) -> tuple[list[LocationOut], int]:
        """Every location (inactive ones too), by name."""
        now = await self.local_now()
        async with self.db.session() as session:
            total = await queries.count_locations(session)
            locations = await queries.location_page(session, params.limit, params.offset)
            ids = [loc.id for loc in locations]
            hours = await queries.hours_of(session, ids)
            closures = await queries.closures_of(session, ids, now.date())
            counts = await self._counts(session, ids)
        out = [views.location_out(loc, hours[loc.id], closures[loc.id], counts[loc.id], now) for loc in locations]
        return out, total

    async def get(self, location_id: str) -> LocationDetailOut:
        now = await self.local_now()
        async with self.db.session() as session:
            loc = await queries.location_row(session, location_id)
            if loc is None:
                raise _location_missing()
            hours = (await queries.hours_of(session, [loc.id]))[loc.id]
            closures = (await queries.closures_of(session, [loc.id], now.date()))[loc.id]
            counts = (await self._counts(session, [loc.id]))[loc.id]
            tables = await queries.tables_of(session, loc.id)
        tables.sort(key=lambda t: checks.natural_key(t.name))
        return views.location_detail_out(loc, hours, closures, counts, now, tables)

    # ---------------------------------------------------------------- writes

    async def create(self, data: LocationIn) -> LocationDetailOut:
        """A new location; minimum orders and lead times not given come from the orders settings."""
        defaults = await self.settings.resolved()
        try:
            async with self.db.transaction() as session:
                location = await self.create_in(session, data, defaults)
        except IntegrityError:
            raise Conflict(SLUG_TAKEN, code="SLUG_TAKEN") from None
        return await self.get(location.id)

    async def create_in(self, session: AsyncSession, data: LocationIn, defaults: ResolvedSettings) -> Location:
        """Validate and add a location inside the caller's transaction (also used by the demo seed)."""
        with about("slug"):
            check_slug(data.slug)
        hours = checks.check_hours(data.operating_hours or [])
        min_delivery, min_pickup = data.min_order_delivery, data.min_order_pickup
        delivery_lead, pickup_lead = data.delivery_lead_time, data.pickup_lead_time
        text = {key: getattr(data, key) for key, _ in REQUIRED_TEXT}
        for key, label in REQUIRED_TEXT:
            with about(label):
                text[key] = not_blank(text[key], label)
        location = Location(
            **text,
            slug=data.slug,
            description=data.description,
            phone=data.phone,
            email=data.email,
            state=data.state,
            country=data.country.upper(),
            lat=views.decimal_or_none(data.lat),
            lng=views.decimal_or_none(data.lng),
            image=data.image,
            is_active=data.is_active,
            delivery_enabled=data.delivery_enabled,
            pickup_enabled=data.pickup_enabled,
            dine_in_enabled=data.dine_in_enabled,
            min_order_delivery_cents=min_order_cents(
                min_delivery if min_delivery is not None else defaults.get("orders.minOrderDelivery"),
                "minOrderDelivery",
            ),
            min_order_pickup_cents=min_order_cents(
                min_pickup if min_pickup is not None else defaults.get("orders.minOrderPickup"), "minOrderPickup"
            ),
            delivery_lead_time=delivery_lead if delivery_lead is not None else defaults.get("orders.deliveryLeadTime"),
            pickup_lead_time=pickup_lead if pickup_lead is not None else defaults.get("orders.pickupLeadTime"),
            is_busy=data.is_busy,
            busy_message=data.busy_message,
            busy_extra_minutes=checks.busy_extra_minutes(data.busy_extra_minutes),
        )
        if await queries.slug_taken(session, data.slug):
            raise Conflict(SLUG_TAKEN, code="SLUG_TAKEN", details=[{"key": "slug", "message": SLUG_TAKEN}])
        await queries.add_location(session, location, hours)
        notify(session, LocationChanged(location_id=location.id))
        return location

    async def update(self, location_id: str, data: LocationUpdateIn) -> LocationDetailOut:
        fields = provided(data)
        hours = checks.check_hours(fields.pop("operating_hours")) if "operating_hours" in fields else None
        for key, label in (("min_order_delivery", "minOrderDelivery"), ("min_order_pickup", "minOrderPickup")):
            if key in fields:
                fields[f"{key}_cents"] = min_order_cents(fields.pop(key), label)
        for key in ("lat", "lng"):
            if key in fields:
                fields[key] = views.decimal_or_none(fields[key])
        if "country" in fields:
            fields["country"] = fields["country"].upper()
        if "busy_extra_minutes" in fields:
            checks.busy_extra_minutes(fields["busy_extra_minutes"])
        for key, label in REQUIRED_TEXT:
            if key in fields:
                with about(label):
                    fields[key] = not_blank(fields[key], label)
        async with self.db.transaction() as session:
            location = await queries.location_row(session, location_id)
            if location is None:
                raise _location_missing()
            slug = fields.pop("slug", location.slug)
            if slug != location.slug:
                raise field_refusal("slug", "The slug of a location cannot be changed", "SLUG_IMMUTABLE")
            for key, value in fields.items():
                setattr(location, key, value)
            if hours is not None:
                await queries.replace_hours(session, location_id, hours)
            notify(session, LocationChanged(location_id=location_id))
        return await self.get(location_id)

    async def delete(self, location_id: str) -> None:
        refused = Conflict(
            "Cannot delete location with existing orders. Deactivate it instead.", code="LOCATION_IN_USE"
        )
        try:
            async with self.db.transaction() as session:
                if await queries.location_row(session, location_id) is None:
                    raise _location_missing()
                refusal = await self.dependents.refusal(session, "location", location_id, refused.message)
                if refusal is not None:
                    raise Conflict(refusal, code="LOCATION_IN_USE")
                await self.dependents.deleting(session, "location", location_id)
                await queries.delete_location(session, location_id)
                notify(session, LocationChanged(location_id=location_id))
        except IntegrityError:
            raise refused from None

    # ---------------------------------------------------------------- pause and resume

    async def pause(self, location_id: str, data: PauseIn) -> LocationDetailOut:
        """Stop taking online orders now, for `data.minutes` (ending by itself) or until resumed."""
        now = utcnow()
        until = checks.pause_end(now, data.minutes)
        async with self.db.transaction() as session:
            location = await self._location(session, location_id)
            queries.set_pause(location, now, until, checks.clean_message(data.message))
            notify(session, LocationChanged(location_id=location_id))
        return await self.get(location_id)

    async def resume(self, location_id: str) -> LocationDetailOut:
        """Take online orders again (nothing changes when ordering was not paused)."""
        async with self.db.transaction() as session:
            location = await self._location(session, location_id)
            queries.set_pause(location, None, None, None)
            notify(session, LocationChanged(location_id=location_id))
        return await self.get(location_id)

    # ---------------------------------------------------------------- closures

    async def _today(self) -> date:
        return (await self.local_now()).date()

    async def list_closures(self, location_id: str, past: bool = False) -> list[ClosureOut]:
        """The location's closures by start date: those not over yet in restaurant time, or all with `past`."""
        since = None if past else await self._today()
        async with self.db.session() as session:
            await self._location(session, location_id)
            rows = await queries.closure_rows(session, location_id, since)
        return [views.closure_out(row) for row in rows]

    async def create_closure(self, location_id: str, data: ClosureIn) -> ClosureOut:
        closure = checks.check_closure(data.start_date, data.end_date, data.note, await self._today())
        async with self.db.transaction() as session:
            await self._location(session, location_id)
            existing = await queries.closure_rows(session, location_id, closure.start - timedelta(days=1))
            clash = checks.overlapping(closure, [Closure(r.start_date, r.end_date, r.note) for r in existing])
            if clash is not None:
                message = (
                    f"These dates overlap the closure of {checks.say_dates(clash.start, clash.end)}; "
                    "change or delete that one first"
                )
                raise Conflict(message, code="CLOSURE_OVERLAP", details=[{"key": "startDate", "message": message}])
            row = await queries.add_closure(session, location_id, closure)
            notify(session, LocationChanged(location_id=location_id))
        return views.closure_out(row)

    async def delete_closure(self, location_id: str, closure_id: str) -> None:
        async with self.db.transaction() as session:
            await self._location(session, location_id)
            row = await queries.closure_row(session, closure_id)
            if row is None or row.location_id != location_id:
                raise NotFound("Closure not found", code="CLOSURE_NOT_FOUND")
            await queries.delete_closure(session, closure_id)
            notify(session, LocationChanged(location_id=location_id))

    # ---------------------------------------------------------------- tables

    async def _location(self, session: AsyncSession, location_id: str) -> Location:
        location = await queries.location_row(session, location_id)
        if location is None:
            raise _location_missing()
        return location

    async def list_tables(self, location_id: str) -> list[TableOut]:
        async with self.db.session() as session:
            await self._location(session, location_id)
            tables = await queries.tables_of(session, location_id)
        tables.sort(key=lambda t: checks.natural_key(t.name))
        return [views.table_out(t) for t in tables]

    async def get_table(self, location_id: str, table_id: str) -> TableOut:
        async with self.db.session() as session:
            await self._location(session, location_id)
            table = await queries.table_row(session, table_id)
        if table is None or table.location_id != location_id:
            raise _table_missing()
        return views.table_out(table)

    @staticmethod
    async def _check_table_name(session: AsyncSession, location_id: str, name: str, table_id: str | None) -> None:
        if await queries.table_name_taken(session, location_id, name, table_id):
            raise Conflict(
                TABLE_NAME_TAKEN, code="TABLE_NAME_TAKEN", details=[{"key": "name", "message": TABLE_NAME_TAKEN}]
            )

    async def create_table(self, location_id: str, data: TableIn) -> TableOut:
        try:
            async with self.db.transaction() as session:
                table = await self.create_table_in(session, location_id, data)
        except IntegrityError:
            raise Conflict(TABLE_NAME_TAKEN, code="TABLE_NAME_TAKEN") from None
        return views.table_out(table)

    async def create_table_in(self, session: AsyncSession, location_id: str, data: TableIn) -> DiningTable:
        await self._location(session, location_id)
        with about("name"):
            name = not_blank(data.name, "name")
        await self._check_table_name(session, location_id, name, None)
        capacity = checks.table_capacity(data.capacity)
        table = DiningTable(location_id=location_id, name=name, capacity=capacity, is_active=data.is_active)
        return await queries.add_table(session, table)

    async def update_table(self, location_id: str, table_id: str, data: TableUpdateIn) -> TableOut:
        fields = provided(data)
        if "capacity" in fields:
            checks.table_capacity(fields["capacity"])
        try:
            async with self.db.transaction() as session:
                await self._location(session, location_id)
                table = await queries.table_row(session, table_id)
                if table is None or table.location_id != location_id:
                    raise _table_missing()
                if "name" in fields:
                    with about("name"):
                        fields["name"] = not_blank(fields["name"], "name")
                    await self._check_table_name(session, location_id, fields["name"], table_id)
                for key, value in fields.items():
                    setattr(table, key, value)
                await session.flush()
                await self.dependents.updated(session, "table", table_id, fields)
        except IntegrityError:
            raise Conflict(TABLE_NAME_TAKEN, code="TABLE_NAME_TAKEN") from None
        return views.table_out(table)

    async def delete_table(self, location_id: str, table_id: str) -> None:
        async with self.db.transaction() as session:
            await self._location(session, location_id)
            table = await queries.table_row(session, table_id)
            if table is None or table.location_id != location_id:
                raise _table_missing()
            refusal = await self.dependents.refusal(session, "table", table_id, TABLE_IN_USE)
            if refusal is not None:
                raise Conflict(refusal, code="TABLE_IN_USE")
            await queries.delete_table(session, table_id)
