"""The locations domain's SQL: the only code that writes `locations`, `operating_hours`, `location_closures` and
`tables`. The back office's reads and writes use the ORM session; `closures_since` is a compiled Core statement that
the hot paths (placing an order, the storefront menu) run through `fast()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of
from kitchenasty.locations.hours import Closure, DayHours
from kitchenasty.locations.models import DiningTable, Location, LocationClosure, OperatingHour
from kitchenasty.locations.schemas import OperatingHourIn

closures_t = table_of(LocationClosure)

_CLOSURES_SINCE = (
    select(closures_t.c.start_date, closures_t.c.end_date, closures_t.c.note)
    .where(closures_t.c.location_id == bindparam("location_id"), closures_t.c.end_date >= bindparam("since"))
    .order_by(closures_t.c.start_date)
)


def closures_since(session: Any, location_id: str, since: date) -> list[Closure]:
    """The location's closures that end on or after `since` (hot paths: any session, through `fast`)."""
    rows = fast(session).execute(_CLOSURES_SINCE, {"location_id": location_id, "since": since}).all()
    return [Closure(start=r.start_date, end=r.end_date, note=r.note) for r in rows]


def day_hours(rows: Sequence[OperatingHour]) -> list[DayHours]:
    return [DayHours(h.day_of_week, h.open_time, h.close_time, h.is_closed) for h in rows]


# ---------------------------------------------------------------- locations and their hours


async def location_row(session: AsyncSession, location_id: str) -> Location | None:
    return await session.get(Location, location_id)


async def slug_taken(session: AsyncSession, slug: str) -> bool:
    return bool(await session.scalar(select(Location.id).where(Location.slug == slug)))


async def count_locations(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Location)) or 0


async def location_page(session: AsyncSession, limit: int, offset: int) -> list[Location]:
    return list(
        await session.scalars(select(Location).order_by(Location.name, Location.id).limit(limit).offset(offset))
    )


async def hours_of(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[OperatingHour]]:
    """Each location's opening ranges, by day and opening time."""
    out: dict[str, list[OperatingHour]] = {i: [] for i in ids}
    if ids:
        rows = await session.scalars(
            select(OperatingHour)
            .where(OperatingHour.location_id.in_(ids))
            .order_by(OperatingHour.day_of_week, OperatingHour.open_time)
        )
        for row in rows:
            out[row.location_id].append(row)
    return out


async def closures_of(session: AsyncSession, ids: Sequence[str], since: date) -> dict[str, list[Closure]]:
    """Each location's closures ending on or after `since`, by start date."""
    out: dict[str, list[Closure]] = {i: [] for i in ids}
    if ids:
        rows = await session.scalars(
            select(LocationClosure)
            .where(LocationClosure.location_id.in_(ids), LocationClosure.end_date >= since)
            .order_by(LocationClosure.start_date)
        )
        for row in rows:
            out[row.location_id].append(Closure(start=row.start_date, end=row.end_date, note=row.note))
    return out


async def table_counts(session: AsyncSession, ids: Sequence[str]) -> dict[str, int]:
    rows = await session.execute(
        select(DiningTable.location_id, func.count())
        .where(DiningTable.location_id.in_(ids))
        .group_by(DiningTable.location_id)
    )
    return {location_id: n for location_id, n in rows.all()}


async def add_location(session: AsyncSession, location: Location, hours: Sequence[OperatingHourIn]) -> Location:
    session.add(location)
    await session.flush()
    add_hours(session, location.id, hours)
    return location


def add_hours(session: AsyncSession, location_id: str, hours: Sequence[OperatingHourIn]) -> None:
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


async def replace_hours(session: AsyncSession, location_id: str, hours: Sequence[OperatingHourIn]) -> None:
    """The whole week's ranges replaced by `hours`."""
    await session.execute(delete(OperatingHour).where(OperatingHour.location_id == location_id))
    add_hours(session, location_id, hours)


async def delete_location(session: AsyncSession, location_id: str) -> None:
    await session.execute(delete(Location).where(Location.id == location_id))


def set_pause(loc: Location, now: datetime | None, until: datetime | None, message: str | None) -> None:
    """Pause ordering at `now` until `until` (None: until resumed), or resume when `now` is None."""
    loc.paused_at = now
    loc.paused_until = until if now is not None else None
    loc.pause_message = message if now is not None else None


# ---------------------------------------------------------------- closures


async def closure_rows(session: AsyncSession, location_id: str, since: date | None) -> list[LocationClosure]:
    """The location's closures by start date (those ending on or after `since`, when given)."""
    query = select(LocationClosure).where(LocationClosure.location_id == location_id)
    if since is not None:
        query = query.where(LocationClosure.end_date >= since)
    return list(await session.scalars(query.order_by(LocationClosure.start_date, LocationClosure.id)))


async def add_closure(session: AsyncSession, location_id: str, closure: Closure) -> LocationClosure:
    row = LocationClosure(location_id=location_id, start_date=closure.start, end_date=closure.end, note=closure.note)
    session.add(row)
    await session.flush()
    return row


async def closure_row(session: AsyncSession, closure_id: str) -> LocationClosure | None:
    return await session.get(LocationClosure, closure_id)


async def delete_closure(session: AsyncSession, closure_id: str) -> None:
    await session.execute(delete(LocationClosure).where(LocationClosure.id == closure_id))


# ---------------------------------------------------------------- tables


async def tables_of(session: AsyncSession, location_id: str) -> list[DiningTable]:
    return list(await session.scalars(select(DiningTable).where(DiningTable.location_id == location_id)))


async def table_row(session: AsyncSession, table_id: str) -> DiningTable | None:
    return await session.get(DiningTable, table_id)


async def table_name_taken(session: AsyncSession, location_id: str, name: str, table_id: str | None) -> bool:
    clash = await session.scalar(
        select(DiningTable.id).where(
            DiningTable.location_id == location_id,
            func.lower(DiningTable.name) == name.lower(),
            DiningTable.id != (table_id or ""),
        )
    )
    return bool(clash)


async def add_table(session: AsyncSession, table: DiningTable) -> DiningTable:
    session.add(table)
    await session.flush()
    return table


async def delete_table(session: AsyncSession, table_id: str) -> None:
    await session.execute(delete(DiningTable).where(DiningTable.id == table_id))
