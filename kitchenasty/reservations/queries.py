"""The reservations domain's SQL: the only code that writes `reservations`. It reads what a booking needs from the
locations domain (the location, its hours and closures, its tables) and customers. Every query runs in the ORM
session of the caller's transaction (reservations are not a hot path: the back office and guests booking)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import iso, table_of, utcnow
from kitchenasty.customers.models import Customer
from kitchenasty.locations.hours import Closure, DayHours
from kitchenasty.locations.models import DiningTable, Location
from kitchenasty.locations.queries import closures_of, day_hours, hours_of
from kitchenasty.reservations.checks import HOLDING, Held, Seat
from kitchenasty.reservations.models import Reservation

_ROWS = (
    select(
        Reservation,
        Location.name.label("location_name"),
        DiningTable.capacity.label("table_capacity"),
        DiningTable.is_active.label("table_active"),
        Customer.name.label("c_name"),
        Customer.email.label("c_email"),
        Customer.phone.label("c_phone"),
    )
    .join(Location, Location.id == Reservation.location_id)
    .outerjoin(DiningTable, DiningTable.id == Reservation.table_id)
    .outerjoin(Customer, Customer.id == Reservation.customer_id)
)
BY_TIME = (Reservation.starts_at.asc(), Reservation.id.asc())
BY_DATE = (Reservation.date.asc(), Reservation.time.asc(), Reservation.id.asc())
NEWEST_FIRST = (Reservation.date.desc(), Reservation.time.desc(), Reservation.id.desc())


# ---------------------------------------------------------------- what a booking reads


async def location_row(session: AsyncSession, location_id: str, *, lock: bool = False) -> Location | None:
    """The location; with `lock`, locked for the transaction (PostgreSQL: bookings at one location queue here;
    SQLite serialises every write transaction anyway)."""
    query = select(Location).where(Location.id == location_id)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def opening(session: AsyncSession, location_id: str, since: date) -> tuple[list[DayHours], list[Closure]]:
    """The location's weekly hours and the closures ending on or after `since`."""
    hours = (await hours_of(session, [location_id]))[location_id]
    closures = (await closures_of(session, [location_id], since))[location_id]
    return day_hours(hours), closures


async def seats(session: AsyncSession, location_id: str) -> list[Seat]:
    rows = await session.execute(
        select(DiningTable.id, DiningTable.name, DiningTable.capacity, DiningTable.is_active).where(
            DiningTable.location_id == location_id
        )
    )
    return [Seat(id=r.id, name=r.name, capacity=r.capacity, is_active=r.is_active) for r in rows]


async def table_state(session: AsyncSession, table_id: str) -> Seat | None:
    table = await session.get(DiningTable, table_id)
    if table is None:
        return None
    return Seat(id=table.id, name=table.name, capacity=table.capacity, is_active=table.is_active)


async def held_between(session: AsyncSession, location_id: str, start: datetime, end: datetime) -> list[Held]:
    """The location's bookings that hold a table at some moment of `[start, end)`."""
    rows = await session.execute(
        select(
            Reservation.id,
            Reservation.table_id,
            Reservation.starts_at,
            Reservation.ends_at,
            Reservation.party_size,
            func.coalesce(Reservation.guest_name, Customer.name).label("name"),
        )
        .outerjoin(Customer, Customer.id == Reservation.customer_id)
        .where(
            Reservation.location_id == location_id,
            Reservation.status.in_(HOLDING),
            Reservation.starts_at < end,
            Reservation.ends_at > start,
        )
    )
    return [Held(r.id, r.table_id, r.starts_at, r.ends_at, r.party_size, r.name or "") for r in rows]


async def customer_row(session: AsyncSession, customer_id: str) -> Customer | None:
    return await session.get(Customer, customer_id)


# ---------------------------------------------------------------- reservations


async def reservation_row(session: AsyncSession, reservation_id: str) -> Reservation | None:
    return await session.get(Reservation, reservation_id)


async def id_for_key(session: AsyncSession, key: str) -> tuple[str, str | None] | None:
    """(id, request fingerprint) of the booking made with this Idempotency-Key."""
    row = (
        await session.execute(
            select(Reservation.id, Reservation.request_fingerprint).where(Reservation.idempotency_key == key)
        )
    ).first()
    return (row.id, row.request_fingerprint) if row is not None else None


async def add(session: AsyncSession, reservation: Reservation) -> Reservation:
    session.add(reservation)
    await session.flush()
    return reservation


async def remove(session: AsyncSession, reservation: Reservation) -> None:
    await session.delete(reservation)
    await session.flush()


def conditions(
    *,
    day: date | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    location_id: str | None = None,
    statuses: Sequence[str] = (),
    needs_reassignment: bool | None = None,
    customer_id: str | None = None,
    ids: Sequence[str] = (),
) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if day is not None:
        out.append(Reservation.date == day)
    if date_from is not None:
        out.append(Reservation.date >= date_from)
    if date_to is not None:
        out.append(Reservation.date <= date_to)
    if location_id:
        out.append(Reservation.location_id == location_id)
    if statuses:
        out.append(Reservation.status.in_(statuses))
    if needs_reassignment is not None:
        out.append(Reservation.needs_reassignment.is_(needs_reassignment))
    if customer_id is not None:
        out.append(Reservation.customer_id == customer_id)
    if ids:
        out.append(Reservation.id.in_(ids))
    return out


async def rows(
    session: AsyncSession,
    where: Sequence[ColumnElement[bool]],
    *,
    order_by: Sequence[Any] = BY_TIME,
    limit: int | None = None,
    offset: int | None = None,
) -> list[Any]:
    """Reservations with their location's name, their table and customer, for `views.reservation_out`."""
    query = _ROWS.where(and_(True, *where)).order_by(*order_by)
    if limit is not None:
        query = query.limit(limit).offset(offset or 0)
    return list((await session.execute(query)).all())


async def count(session: AsyncSession, where: Sequence[ColumnElement[bool]]) -> int:
    query = select(func.count()).select_from(Reservation).where(and_(True, *where))
    return await session.scalar(query) or 0


async def analytics_rows(
    session: AsyncSession, first: date, last: date, location_id: str | None
) -> list[tuple[date, str, int, str, datetime]]:
    """(date, time, party size, status, created at) of the bookings dated `first` to `last`."""
    where = conditions(date_from=first, date_to=last, location_id=location_id)
    result = await session.execute(
        select(
            Reservation.date, Reservation.time, Reservation.party_size, Reservation.status, Reservation.created_at
        ).where(and_(True, *where))
    )
    return [(r.date, r.time, r.party_size, r.status, r.created_at) for r in result]


# ---------------------------------------------------------------- what the locations domain asks (core.links)


async def any_at_location(session: AsyncSession, location_id: str) -> bool:
    found = await session.scalar(select(Reservation.id).where(Reservation.location_id == location_id).limit(1))
    return found is not None


async def any_upcoming_at_table(session: AsyncSession, table_id: str) -> bool:
    """A booking that still holds this table (not over, not cancelled, completed or a no-show)."""
    found = await session.scalar(
        select(Reservation.id)
        .where(
            Reservation.table_id == table_id,
            Reservation.status.in_(HOLDING),
            Reservation.ends_at > utcnow(),
        )
        .limit(1)
    )
    return found is not None


async def flag_for_table(session: AsyncSession, table_id: str, capacity: int, is_active: bool) -> list[str]:
    """After a table changed: its upcoming bookings it can no longer seat (inactive, or now too small) are flagged
    for reassignment, and flagged ones it seats again are unflagged. Returns the ids that changed."""
    upcoming = (
        Reservation.table_id == table_id,
        Reservation.status.in_(("PENDING", "CONFIRMED")),
        Reservation.ends_at > utcnow(),
    )
    cannot = (Reservation.party_size > capacity) if is_active else (Reservation.id.is_not(None))
    flag = list(
        await session.scalars(
            select(Reservation.id).where(*upcoming, cannot, Reservation.needs_reassignment.is_(False))
        )
    )
    unflag = list(
        await session.scalars(
            select(Reservation.id).where(*upcoming, ~cannot, Reservation.needs_reassignment.is_(True))
        )
    )
    if flag:
        await session.execute(
            update(Reservation).where(Reservation.id.in_(flag)).values(needs_reassignment=True, updated_at=utcnow())
        )
    if unflag:
        await session.execute(
            update(Reservation).where(Reservation.id.in_(unflag)).values(needs_reassignment=False, updated_at=utcnow())
        )
    return flag + unflag


# ---------------------------------------------------------------- a customer's data export

_reservations_t = table_of(Reservation)
_locations_t = table_of(Location)
_OF_CUSTOMER = (
    select(_reservations_t, _locations_t.c.name.label("location_name"))
    .join(_locations_t, _locations_t.c.id == _reservations_t.c.location_id)
    .where(_reservations_t.c.customer_id == bindparam("customer_id"))
    .order_by(_reservations_t.c.starts_at, _reservations_t.c.id)
)


def reservations_of_customer(session: Any, customer_id: str) -> list[dict[str, Any]]:
    """A customer's bookings, earliest first, for the export of their data (`core.links`; a synchronous read).
    Without the manage token (a credential, not data about them) or the idempotency fields."""
    return [
        {
            "id": row.id,
            "locationId": row.location_id,
            "locationName": row.location_name,
            "tableName": row.table_name,
            "date": row.date.isoformat() if isinstance(row.date, date) else str(row.date),
            "time": row.time,
            "partySize": row.party_size,
            "status": row.status,
            "comment": row.comment,
            "guestName": row.guest_name,
            "guestEmail": row.guest_email,
            "guestPhone": row.guest_phone,
            "source": row.source,
            "createdAt": iso(row.created_at),
        }
        for row in fast(session).execute(_OF_CUSTOMER, {"customer_id": customer_id}).all()
    ]
