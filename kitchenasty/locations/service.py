"""Locations (with their weekly opening hours) and their tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core.api import PageParams, provided
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound, ValidationFailed
from kitchenasty.core.events import DomainEvent, notify
from kitchenasty.core.links import Dependents
from kitchenasty.core.money import from_cents
from kitchenasty.core.schema import iso
from kitchenasty.core.validate import bounded_cents, check_slug, check_time, not_blank
from kitchenasty.locations.hours import DayHours, is_open_at, local_now
from kitchenasty.locations.models import DiningTable, Location, OperatingHour
from kitchenasty.locations.schemas import (
    LocationCounts,
    LocationDetailOut,
    LocationIn,
    LocationOut,
    LocationUpdateIn,
    OperatingHourIn,
    OperatingHourOut,
    TableIn,
    TableOut,
    TableUpdateIn,
)
from kitchenasty.settings.service import ResolvedSettings, SettingsService

MAX_MIN_ORDER_CENTS = 100_000_00


class LocationChanged(DomainEvent, frozen=True):
    """In-process: a location (or its hours) changed; caches such as the storefront menu drop it."""

    name = "location.changed"
    location_id: str


def min_order_cents(amount: Decimal, field: str) -> int:
    return bounded_cents(amount, field, MAX_MIN_ORDER_CENTS, say_maximum=True)


def check_hours(hours: Sequence[OperatingHourIn]) -> list[OperatingHourIn]:
    seen: set[int] = set()
    for entry in hours:
        if entry.day_of_week in seen:
            raise ValidationFailed(f"operatingHours has day {entry.day_of_week} more than once", code="DUPLICATE_DAY")
        seen.add(entry.day_of_week)
        check_time(entry.open_time, "openTime", echo=True)
        check_time(entry.close_time, "closeTime", echo=True)
    return sorted(hours, key=lambda h: h.day_of_week)


def day_hours(rows: Sequence[OperatingHour]) -> list[DayHours]:
    return [DayHours(h.day_of_week, h.open_time, h.close_time, h.is_closed) for h in rows]


def _decimal_or_none(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _float_or_none(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def table_out(table: DiningTable) -> TableOut:
    return TableOut(
        id=table.id,
        location_id=table.location_id,
        name=table.name,
        capacity=table.capacity,
        is_active=table.is_active,
        created_at=iso(table.created_at) or "",
        updated_at=iso(table.updated_at) or "",
    )


def _natural_key(name: str) -> tuple[Any, ...]:
    """ "Table 2" before "Table 10"."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name))


def _location_fields(loc: Location, hours: Sequence[OperatingHour], counts: LocationCounts, now: datetime) -> dict:
    return {
        "id": loc.id,
        "name": loc.name,
        "slug": loc.slug,
        "description": loc.description,
        "phone": loc.phone,
        "email": loc.email,
        "address": loc.address,
        "city": loc.city,
        "state": loc.state,
        "postal_code": loc.postal_code,
        "country": loc.country,
        "lat": _float_or_none(loc.lat),
        "lng": _float_or_none(loc.lng),
        "image": loc.image,
        "is_active": loc.is_active,
        "delivery_enabled": loc.delivery_enabled,
        "pickup_enabled": loc.pickup_enabled,
        "dine_in_enabled": loc.dine_in_enabled,
        "min_order_delivery": from_cents(loc.min_order_delivery_cents),
        "min_order_pickup": from_cents(loc.min_order_pickup_cents),
        "delivery_lead_time": loc.delivery_lead_time,
        "pickup_lead_time": loc.pickup_lead_time,
        "is_busy": loc.is_busy,
        "busy_message": loc.busy_message,
        "is_open_now": is_open_at(day_hours(hours), now),
        "operating_hours": [
            OperatingHourOut(
                day_of_week=h.day_of_week, open_time=h.open_time, close_time=h.close_time, is_closed=h.is_closed
            )
            for h in sorted(hours, key=lambda h: h.day_of_week)
        ],
        "counts": counts,
        "created_at": iso(loc.created_at) or "",
        "updated_at": iso(loc.updated_at) or "",
    }


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
        tables = dict(
            (
                await session.execute(
                    select(DiningTable.location_id, func.count())
                    .where(DiningTable.location_id.in_(ids))
                    .group_by(DiningTable.location_id)
                )
            ).all()
        )
        orders = await self.dependents.count(session, "location", "orders", ids)
        items = await self.dependents.count(session, "location", "menuItems", ids)
        return {
            i: LocationCounts(tables=tables.get(i, 0), orders=orders.get(i, 0), menu_items=items.get(i, 0)) for i in ids
        }

    async def _hours(self, session: AsyncSession, ids: Sequence[str]) -> dict[str, list[OperatingHour]]:
        out: dict[str, list[OperatingHour]] = {i: [] for i in ids}
        if ids:
            rows = await session.scalars(select(OperatingHour).where(OperatingHour.location_id.in_(ids)))
            for row in rows:
                out[row.location_id].append(row)
        return out

    async def list_locations(self, params: PageParams) -> tuple[list[LocationOut], int]:
        """Every location (inactive ones too), by name."""
        now = await self.local_now()
        async with self.db.session() as session:
            total = await session.scalar(select(func.count()).select_from(Location)) or 0
            locations = list(
                await session.scalars(
                    select(Location).order_by(Location.name, Location.id).limit(params.limit).offset(params.offset)
                )
            )
            ids = [loc.id for loc in locations]
            hours = await self._hours(session, ids)
            counts = await self._counts(session, ids)
        return [LocationOut(**_location_fields(loc, hours[loc.id], counts[loc.id], now)) for loc in locations], total

    async def get(self, location_id: str) -> LocationDetailOut:
        now = await self.local_now()
        async with self.db.session() as session:
            loc = await session.get(Location, location_id)
            if loc is None:
                raise NotFound("Location not found", code="LOCATION_NOT_FOUND")
            hours = (await self._hours(session, [loc.id]))[loc.id]
            counts = (await self._counts(session, [loc.id]))[loc.id]
            tables = list(await session.scalars(select(DiningTable).where(DiningTable.location_id == loc.id)))
        tables.sort(key=lambda t: _natural_key(t.name))
        return LocationDetailOut(
            **_location_fields(loc, hours, counts, now), tables=[table_out(table) for table in tables]
        )

    # ---------------------------------------------------------------- writes

    async def create(self, data: LocationIn) -> LocationDetailOut:
        """A new location; minimum orders and lead times not given come from the orders settings."""
        defaults = await self.settings.resolved()
        try:
            async with self.db.transaction() as session:
                location = await self.create_in(session, data, defaults)
        except IntegrityError:
            raise Conflict("A location with this slug already exists", code="SLUG_TAKEN") from None
        return await self.get(location.id)

    async def create_in(self, session: AsyncSession, data: LocationIn, defaults: ResolvedSettings) -> Location:
        """Validate and add a location inside the caller's transaction (also used by the demo seed)."""
        check_slug(data.slug)
        hours = check_hours(data.operating_hours or [])
        min_delivery, min_pickup = data.min_order_delivery, data.min_order_pickup
        delivery_lead, pickup_lead = data.delivery_lead_time, data.pickup_lead_time
        location = Location(
            name=not_blank(data.name, "name"),
            slug=data.slug,
            description=data.description,
            phone=data.phone,
            email=data.email,
            address=not_blank(data.address, "address"),
            city=not_blank(data.city, "city"),
            state=data.state,
            postal_code=not_blank(data.postal_code, "postalCode"),
            country=data.country.upper(),
            lat=_decimal_or_none(data.lat),
            lng=_decimal_or_none(data.lng),
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
        )
        if await session.scalar(select(Location.id).where(Location.slug == data.slug)):
            raise Conflict("A location with this slug already exists", code="SLUG_TAKEN")
        session.add(location)
        await session.flush()
        for h in hours:
            session.add(
                OperatingHour(
                    location_id=location.id,
                    day_of_week=h.day_of_week,
                    open_time=h.open_time,
                    close_time=h.close_time,
                    is_closed=h.is_closed,
                )
            )
        notify(session, LocationChanged(location_id=location.id))
        return location

    async def update(self, location_id: str, data: LocationUpdateIn) -> LocationDetailOut:
        fields = provided(data)
        hours = check_hours(fields.pop("operating_hours")) if "operating_hours" in fields else None
        for key, label in (("min_order_delivery", "minOrderDelivery"), ("min_order_pickup", "minOrderPickup")):
            if key in fields:
                fields[f"{key}_cents"] = min_order_cents(fields.pop(key), label)
        for key in ("lat", "lng"):
            if key in fields:
                fields[key] = _decimal_or_none(fields[key])
        if "country" in fields:
            fields["country"] = fields["country"].upper()
        for key, label in (("name", "name"), ("address", "address"), ("city", "city"), ("postal_code", "postalCode")):
            if key in fields:
                fields[key] = not_blank(fields[key], label)
        async with self.db.transaction() as session:
            location = await session.get(Location, location_id)
            if location is None:
                raise NotFound("Location not found", code="LOCATION_NOT_FOUND")
            slug = fields.pop("slug", location.slug)
            if slug != location.slug:
                raise ValidationFailed("The slug of a location cannot be changed", code="SLUG_IMMUTABLE")
            for key, value in fields.items():
                setattr(location, key, value)
            if hours is not None:
                await session.execute(delete(OperatingHour).where(OperatingHour.location_id == location_id))
                for h in hours:
                    session.add(
                        OperatingHour(
                            location_id=location_id,
                            day_of_week=h.day_of_week,
                            open_time=h.open_time,
                            close_time=h.close_time,
                            is_closed=h.is_closed,
                        )
                    )
            notify(session, LocationChanged(location_id=location_id))
        return await self.get(location_id)

    async def delete(self, location_id: str) -> None:
        refused = Conflict(
            "Cannot delete location with existing orders. Deactivate it instead.", code="LOCATION_IN_USE"
        )
        try:
            async with self.db.transaction() as session:
                location = await session.get(Location, location_id)
                if location is None:
                    raise NotFound("Location not found", code="LOCATION_NOT_FOUND")
                if await self.dependents.in_use(session, "location", location_id):
                    raise refused
                await self.dependents.deleting(session, "location", location_id)
                await session.execute(delete(Location).where(Location.id == location_id))
                notify(session, LocationChanged(location_id=location_id))
        except IntegrityError:
            raise refused from None

    # ---------------------------------------------------------------- tables

    async def _location(self, session: AsyncSession, location_id: str) -> Location:
        location = await session.get(Location, location_id)
        if location is None:
            raise NotFound("Location not found", code="LOCATION_NOT_FOUND")
        return location

    async def list_tables(self, location_id: str) -> list[TableOut]:
        async with self.db.session() as session:
            await self._location(session, location_id)
            tables = list(await session.scalars(select(DiningTable).where(DiningTable.location_id == location_id)))
        tables.sort(key=lambda t: _natural_key(t.name))
        return [table_out(t) for t in tables]

    async def get_table(self, location_id: str, table_id: str) -> TableOut:
        async with self.db.session() as session:
            await self._location(session, location_id)
            table = await session.get(DiningTable, table_id)
        if table is None or table.location_id != location_id:
            raise NotFound("Table not found", code="TABLE_NOT_FOUND")
        return table_out(table)

    @staticmethod
    async def _check_table_name(session: AsyncSession, location_id: str, name: str, table_id: str | None) -> None:
        clash = await session.scalar(
            select(DiningTable.id).where(
                DiningTable.location_id == location_id,
                func.lower(DiningTable.name) == name.lower(),
                DiningTable.id != (table_id or ""),
            )
        )
        if clash:
            raise Conflict("A table with this name already exists at this location", code="TABLE_NAME_TAKEN")

    async def create_table(self, location_id: str, data: TableIn) -> TableOut:
        try:
            async with self.db.transaction() as session:
                table = await self.create_table_in(session, location_id, data)
        except IntegrityError:
            raise Conflict("A table with this name already exists at this location", code="TABLE_NAME_TAKEN") from None
        return table_out(table)

    async def create_table_in(self, session: AsyncSession, location_id: str, data: TableIn) -> DiningTable:
        await self._location(session, location_id)
        name = not_blank(data.name, "name")
        await self._check_table_name(session, location_id, name, None)
        table = DiningTable(location_id=location_id, name=name, capacity=data.capacity, is_active=data.is_active)
        session.add(table)
        await session.flush()
        return table

    async def update_table(self, location_id: str, table_id: str, data: TableUpdateIn) -> TableOut:
        fields = provided(data)
        try:
            async with self.db.transaction() as session:
                await self._location(session, location_id)
                table = await session.get(DiningTable, table_id)
                if table is None or table.location_id != location_id:
                    raise NotFound("Table not found", code="TABLE_NOT_FOUND")
                if "name" in fields:
                    fields["name"] = not_blank(fields["name"], "name")
                    await self._check_table_name(session, location_id, fields["name"], table_id)
                for key, value in fields.items():
                    setattr(table, key, value)
                await session.flush()
        except IntegrityError:
            raise Conflict("A table with this name already exists at this location", code="TABLE_NAME_TAKEN") from None
        return table_out(table)

    async def delete_table(self, location_id: str, table_id: str) -> None:
        async with self.db.transaction() as session:
            await self._location(session, location_id)
            table = await session.get(DiningTable, table_id)
            if table is None or table.location_id != location_id:
                raise NotFound("Table not found", code="TABLE_NOT_FOUND")
            if await self.dependents.in_use(session, "table", table_id):
                raise Conflict("Cannot delete table with existing orders. Deactivate it instead.", code="TABLE_IN_USE")
            await session.execute(delete(DiningTable).where(DiningTable.id == table_id))
