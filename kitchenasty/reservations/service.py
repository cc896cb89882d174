"""Reservations: availability, booking (guests, customers, staff by phone), walk-ins, the status workflow, staff
edits and reassignment, the manage link, reads, and what the locations domain asks about tables.

Every write is ONE ORM write transaction (`Database.transaction`: BEGIN IMMEDIATE behind the single writer on
SQLite) that locks the location row (PostgreSQL), reads the location's hours, tables and the bookings holding a
table around the time, decides with the pure rules (`reservations.checks`) and writes; so of two guests racing for
the last table exactly one gets it and the other a 409 sentence. Events are recorded in that transaction and
published after it commits (automation, the live `reservations` room).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core.api import PageParams, provided
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, Forbidden, NotFound, Unauthorized
from kitchenasty.core.events import notify, record
from kitchenasty.core.schema import utcnow
from kitchenasty.core.security import Principal, constant_time_equals
from kitchenasty.core.validate import valid_email, valid_hhmm
from kitchenasty.locations.models import Location
from kitchenasty.reservations import analytics, checks, queries
from kitchenasty.reservations.checks import BookingRules, Held, Seat, clean, refuse
from kitchenasty.reservations.events import (
    ReservationChanged,
    ReservationCreated,
    ReservationDeleted,
    ReservationStatusChanged,
)
from kitchenasty.reservations.models import Reservation
from kitchenasty.reservations.schemas import (
    AnalyticsOut,
    AvailabilityOut,
    ReservationIn,
    ReservationOut,
    ReservationUpdateIn,
    WalkInIn,
)
from kitchenasty.reservations.views import availability_out, reservation_out
from kitchenasty.settings.service import SettingsService

LOCATION_UNAVAILABLE = "Location not found or inactive"
DAY = timedelta(days=1)


class ReservationNotFound(NotFound):
    default_code = "RESERVATION_NOT_FOUND"


def _missing() -> ReservationNotFound:
    return ReservationNotFound("Reservation not found")


class ReservationService:
    def __init__(self, db: Database, settings: SettingsService) -> None:
        self.db = db
        self.settings = settings

    async def rules(self) -> tuple[BookingRules, ZoneInfo]:
        resolved = await self.settings.resolved()
        return checks.rules_of(resolved.group("reservations")), ZoneInfo(resolved.get("general.timezone"))

    async def _refuse_online_booking(self) -> None:
        resolved = await self.settings.resolved()
        if resolved.get("advanced.maintenanceMode"):
            message = resolved.get("advanced.maintenanceMessage") or "We are doing some maintenance right now."
            raise refuse(f"{message} Tables cannot be booked online at the moment.", "MAINTENANCE")
        if not resolved.get("reservations.enabled"):
            raise refuse("Online table booking is turned off at the moment; please call us", "RESERVATIONS_OFF")

    # ---------------------------------------------------------------- what a decision reads

    @staticmethod
    def _window(day: date, rules: BookingRules, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """Every booking that can overlap a stay starting on `day` holds a table inside this window."""
        start = checks.closing_instant(datetime(day.year, day.month, day.day) - DAY, zone)
        end = checks.closing_instant(datetime(day.year, day.month, day.day) + 2 * DAY, zone)
        return start, end + timedelta(minutes=rules.longest_stay)

    async def _location(self, session: AsyncSession, location_id: str, *, lock: bool = False) -> Location:
        location = await queries.location_row(session, location_id, lock=lock)
        if location is None or not location.is_active:
            raise refuse(LOCATION_UNAVAILABLE, "LOCATION_UNAVAILABLE", "locationId")
        return location

    async def _out(self, session: AsyncSession, reservation_id: str, rules: BookingRules) -> ReservationOut:
        found = await queries.rows(session, queries.conditions(ids=[reservation_id]))
        if not found:
            raise _missing()
        return reservation_out(found[0], now=utcnow(), rules=rules)

    async def _outs(self, session: AsyncSession, where: list[Any], rules: BookingRules, **kw: Any) -> list[Any]:
        now = utcnow()
        return [reservation_out(row, now=now, rules=rules) for row in await queries.rows(session, where, **kw)]

    # ---------------------------------------------------------------- availability

    async def availability(self, location_id: str | None, day_text: str | None, party_size: int) -> AvailabilityOut:
        """The date's table times for the party (public). Unknown location: 404; an inactive one offers none."""
        if not clean(location_id) or not clean(day_text):
            raise refuse("locationId and date are required", "MISSING_PARAMETERS")
        assert location_id is not None
        rules, zone = await self.rules()
        day = checks.parse_date(day_text)
        party = checks.check_party(party_size, rules, online=True)
        now = utcnow()
        async with self.db.session() as session:
            location = await queries.location_row(session, location_id)
            if location is None:
                raise NotFound("Location not found", code="LOCATION_NOT_FOUND")
            hours, closures = await queries.opening(session, location.id, day - DAY)
            tables = await queries.seats(session, location.id)
            held = await queries.held_between(session, location.id, *self._window(day, rules, zone))
        stay = rules.stay_minutes(party)
        fitting = checks.fitting(tables, party)
        if not location.is_active or not rules.enabled:
            closed = (
                f"{location.name} is not taking reservations at the moment."
                if not location.is_active
                else "Online table booking is turned off at the moment; please call us."
            )
            return availability_out(location.id, day.isoformat(), party, stay, rules, [], len(fitting), closed)
        slots = checks.day_slots(
            day, party, rules=rules, hours=hours, closures=closures, tables=tables, held=held, now=now, zone=zone
        )
        note = checks.day_note(
            day, party, slots, rules=rules, tables=tables, closures=closures, today=checks.local_day(now, zone)
        )
        return availability_out(location.id, day.isoformat(), party, stay, rules, slots, len(fitting), note)

    # ---------------------------------------------------------------- booking

    async def book(
        self, data: ReservationIn, principal: Principal | None, idempotency_key: str | None = None
    ) -> tuple[ReservationOut, bool]:
        """Book a table (guest, customer, or staff for a guest). Returns the booking and whether it is a replay of an
        earlier submission with the same Idempotency-Key."""
        key = clean(idempotency_key)
        if key is not None and len(key) > 128:
            raise refuse("Idempotency-Key must be at most 128 characters", "INVALID_IDEMPOTENCY_KEY")
        staff = principal is not None and principal.is_staff
        customer_id = principal.id if principal is not None and principal.is_customer else None
        if not staff:
            await self._refuse_online_booking()
        rules, zone = await self.rules()
        day = checks.parse_date(data.date)
        if not valid_hhmm(data.time):
            raise refuse("time must be HH:MM (00:00 to 23:59)", "INVALID_TIME", "time")
        party = checks.check_party(data.party_size, rules, online=not staff)
        name = email = phone = None
        if customer_id is None:
            name, email, phone = checks.guest_details(
                data.guest_name, data.guest_email, data.guest_phone, email_required=not staff
            )
        print_ = checks.fingerprint(data, principal.id if principal is not None else None)

        async def attempt() -> tuple[ReservationOut, bool]:
            async with self.db.transaction() as session:
                if key is not None:
                    earlier = await queries.id_for_key(session, key)
                    if earlier is not None:
                        if earlier[1] != print_:
                            raise Conflict(
                                "This Idempotency-Key was already used for a different booking; use a new key for a "
                                "new booking",
                                code="IDEMPOTENCY_KEY_REUSED",
                            )
                        return await self._out(session, earlier[0], rules), True
                if customer_id is not None and await queries.customer_row(session, customer_id) is None:
                    raise Unauthorized("Your account was not found; please sign in again", code="CUSTOMER_NOT_FOUND")
                location = await self._location(session, data.location_id, lock=True)
                hours, closures = await queries.opening(session, location.id, day - DAY)
                tables = await queries.seats(session, location.id)
                held = await queries.held_between(session, location.id, *self._window(day, rules, zone))
                slots = checks.day_slots(
                    day,
                    party,
                    rules=rules,
                    hours=hours,
                    closures=closures,
                    tables=tables,
                    held=held,
                    now=utcnow(),
                    zone=zone,
                    online=not staff,
                )
                slot = next((s for s in slots if s.time == data.time), None)
                checks.refuse_slot(slot, day, data.time, party, rules, tables)
                assert slot is not None and slot.table is not None
                row = Reservation(
                    location_id=location.id,
                    table_id=slot.table.id,
                    table_name=slot.table.name,
                    customer_id=customer_id,
                    guest_name=name,
                    guest_email=email,
                    guest_phone=phone,
                    date=day,
                    time=data.time,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    duration_minutes=rules.stay_minutes(party),
                    party_size=party,
                    status="CONFIRMED" if staff or rules.auto_confirm else "PENDING",
                    comment=clean(data.comment),
                    source="staff" if staff else "online",
                    manage_token=secrets.token_urlsafe(24),
                    idempotency_key=key,
                    request_fingerprint=print_,
                )
                await queries.add(session, row)
                out = await self._out(session, row.id, rules)
                record(session, ReservationCreated(reservation=out))
            return out, False

        try:
            return await attempt()
        except IntegrityError:
            if key is None:
                raise
            return await attempt()  # a concurrent submission with the same key won (servers with several writers)

    async def walk_in(self, data: WalkInIn) -> ReservationOut:
        """Staff: a party seated now, for its stay, at the given table or the smallest free one that seats it."""
        rules, zone = await self.rules()
        party = checks.check_party(data.party_size, rules, online=False)
        now = utcnow().replace(second=0, microsecond=0)
        local = now.astimezone(zone)
        stay = rules.stay_minutes(party)
        ends = now + timedelta(minutes=stay)
        phone = clean(data.guest_phone)
        email = clean(data.guest_email)
        if email is not None and not valid_email(email):
            raise refuse("Please enter a valid e-mail address", "INVALID_EMAIL", "guestEmail")
        async with self.db.transaction() as session:
            location = await self._location(session, data.location_id, lock=True)
            tables = await queries.seats(session, location.id)
            held = await queries.held_between(session, location.id, now, ends)
            if data.table_id is not None:
                seat = self._seat_for(tables, data.table_id, party, location.name)
                self._refuse_clash(held, seat, now, ends, zone)
            else:
                found = checks.free_table(tables, held, party, now, ends)
                if found is None:
                    raise Conflict(f"No table for {party} is free now; please wait or free a table", code="NO_TABLE")
                seat = found
            row = Reservation(
                location_id=location.id,
                table_id=seat.id,
                table_name=seat.name,
                guest_name=clean(data.guest_name) or "Walk-in",
                guest_email=email,
                guest_phone=phone,
                date=local.date(),
                time=f"{local:%H:%M}",
                starts_at=now,
                ends_at=ends,
                duration_minutes=stay,
                party_size=party,
                status="SEATED",
                comment=clean(data.comment),
                source="walk_in",
                manage_token=secrets.token_urlsafe(24),
            )
            await queries.add(session, row)
            out = await self._out(session, row.id, rules)
            record(session, ReservationCreated(reservation=out))
        return out

    # ---------------------------------------------------------------- tables

    @staticmethod
    def _seat_for(tables: list[Seat], table_id: str, party: int, location_name: str) -> Seat:
        seat = next((t for t in tables if t.id == table_id), None)
        if seat is None:
            raise refuse(f"This table is not at {location_name}", "TABLE_NOT_FOUND", "tableId")
        if not seat.is_active:
            raise refuse(f"{seat.name} is not in use; choose an active table", "TABLE_INACTIVE", "tableId")
        if seat.capacity < party:
            raise refuse(f"{seat.name} seats {seat.capacity}; this party is {party}", "TABLE_TOO_SMALL", "tableId")
        return seat

    @staticmethod
    def _refuse_clash(
        held: list[Held], seat: Seat, starts: datetime, ends: datetime, zone: ZoneInfo, ignore: str = ""
    ) -> None:
        clash = checks.clash_on(held, seat.id, starts, ends, ignore)
        if clash is not None:
            begin, end = clash.starts_at.astimezone(zone), clash.ends_at.astimezone(zone)
            who = f"{clash.name}, " if clash.name else ""
            raise Conflict(
                f"{seat.name} is booked from {begin:%H:%M} to {end:%H:%M} ({who}{clash.party_size} guests); "
                "choose another table",
                code="TABLE_TAKEN",
                details=[{"key": "tableId", "message": f"{seat.name} is taken then"}],
            )

    # ---------------------------------------------------------------- staff edits and the workflow

    async def update(self, reservation_id: str, data: ReservationUpdateIn) -> ReservationOut:
        """Staff: status, table reassignment, rescheduling, comment. A move that would double-book a table is 409."""
        fields = provided(data)
        rules, zone = await self.rules()
        now = utcnow()
        async with self.db.transaction() as session:
            r = await queries.reservation_row(session, reservation_id)
            if r is None:
                raise _missing()
            location = await queries.location_row(session, r.location_id, lock=True)
            assert location is not None
            previous = r.status
            moved = await self._move(session, r, fields, rules, zone, location)
            if "comment" in fields:
                r.comment = clean(fields["comment"])
            status = fields.get("status", previous)
            if status != previous:
                checks.check_transition(previous, status, starts_at=r.starts_at, now=now, zone=zone)
                if status == "SEATED" and r.needs_reassignment:
                    raise refuse(
                        "This booking's table is no longer available; move it to another table before seating it",
                        "NEEDS_REASSIGNMENT",
                    )
                r.status = status
                if status not in checks.HOLDING:
                    r.needs_reassignment = False
            await session.flush()
            out = await self._out(session, r.id, rules)
            if status != previous:
                record(session, ReservationStatusChanged(reservation=out, previous_status=previous))
            elif moved or "comment" in fields:
                notify(session, ReservationChanged(reservation=out))
        return out

    async def _move(
        self,
        session: AsyncSession,
        r: Reservation,
        fields: Mapping[str, Any],
        rules: BookingRules,
        zone: ZoneInfo,
        location: Location,
    ) -> bool:
        """Apply a table change or a reschedule (date, time, party size); returns whether anything moved."""
        schedule = {k for k in ("date", "time", "party_size") if k in fields}
        if not schedule and "table_id" not in fields:
            return False
        if r.status not in checks.HOLDING:
            raise refuse(f"A {r.status} booking can no longer be moved", "NOT_MOVABLE")
        if schedule and r.status not in checks.EDITABLE:
            raise refuse(
                f"A {r.status} booking keeps its date, time and party size; only its table can change", "NOT_MOVABLE"
            )
        day = checks.parse_date(fields["date"]) if "date" in fields else r.date
        time = fields.get("time", r.time)
        if not valid_hhmm(time):
            raise refuse("time must be HH:MM (00:00 to 23:59)", "INVALID_TIME", "time")
        party = checks.check_party(fields.get("party_size", r.party_size), rules, online=False)
        starts, ends = r.starts_at, r.ends_at
        if schedule:
            wall = datetime(day.year, day.month, day.day, int(time[:2]), int(time[3:]))
            begins = checks.to_instant(wall, zone)
            if begins is None:
                raise refuse(f"The clock skips {time} on {checks.say_date(day)}; choose another time", "NO_SUCH_TIME")
            starts, ends = begins, begins + timedelta(minutes=rules.stay_minutes(party))
        tables = await queries.seats(session, location.id)
        held = await queries.held_between(session, location.id, starts, ends)
        if "table_id" in fields:
            seat = self._seat_for(tables, fields["table_id"], party, location.name)
            self._refuse_clash(held, seat, starts, ends, zone, ignore=r.id)
        else:
            current = next((t for t in tables if t.id == r.table_id), None)
            keep = (
                current is not None
                and current.is_active
                and current.capacity >= party
                and checks.clash_on(held, current.id, starts, ends, r.id) is None
            )
            found = current if keep else checks.free_table(tables, held, party, starts, ends, ignore=r.id)
            if found is None:
                local = starts.astimezone(zone)
                raise Conflict(
                    f"No table for {party} is free at {local:%H:%M} on {checks.say_date(local.date())}; "
                    "choose another time",
                    code="SLOT_TAKEN",
                )
            seat = found
        if schedule:
            r.date, r.time, r.party_size = day, time, party
            r.starts_at, r.ends_at, r.duration_minutes = starts, ends, int((ends - starts).total_seconds() // 60)
        r.table_id, r.table_name, r.needs_reassignment = seat.id, seat.name, False
        return True

    async def cancel(self, reservation_id: str, principal: Principal | None, token: str | None) -> ReservationOut:
        """Cancel: staff any time before SEATED; the booking's customer, or anyone with its manage token, until the
        cancellation cut-off."""
        rules, zone = await self.rules()
        now = utcnow()
        async with self.db.transaction() as session:
            r = await queries.reservation_row(session, reservation_id)
            self._authorise(r, principal, token)
            assert r is not None
            previous = r.status
            if principal is not None and principal.is_staff:
                checks.check_transition(previous, "CANCELLED", starts_at=r.starts_at, now=now, zone=zone)
            else:
                checks.check_guest_cancel(previous, r.starts_at, now, rules)
            r.status, r.needs_reassignment = "CANCELLED", False
            await session.flush()
            out = await self._out(session, r.id, rules)
            record(session, ReservationStatusChanged(reservation=out, previous_status=previous))
        return out

    async def delete(self, reservation_id: str) -> None:
        async with self.db.transaction() as session:
            r = await queries.reservation_row(session, reservation_id)
            if r is None:
                raise _missing()
            location_id = r.location_id
            await queries.remove(session, r)
            notify(session, ReservationDeleted(reservation_id=reservation_id, location_id=location_id))

    # ---------------------------------------------------------------- reads

    @staticmethod
    def _authorise(r: Reservation | None, principal: Principal | None, token: str | None) -> None:
        """Staff, the booking's customer, or the holder of its manage token (a wrong token reads as not found; a
        signed-in customer who does not own it is refused)."""
        if r is None:
            raise _missing()
        if principal is not None and principal.is_staff:
            return
        if token:
            if constant_time_equals(token, r.manage_token):
                return
            raise _missing()
        if principal is not None and principal.is_customer:
            if r.customer_id == principal.id:
                return
            raise Forbidden("Access denied", code="ACCESS_DENIED")
        raise _missing()

    async def get_for_viewer(
        self, reservation_id: str, principal: Principal | None, token: str | None = None
    ) -> ReservationOut:
        rules, _ = await self.rules()
        async with self.db.session() as session:
            self._authorise(await queries.reservation_row(session, reservation_id), principal, token)
            return await self._out(session, reservation_id, rules)

    async def list_reservations(
        self,
        params: PageParams,
        *,
        day: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        location_id: str | None = None,
        status: str | None = None,
        needs_reassignment: bool | None = None,
    ) -> tuple[list[ReservationOut], int]:
        """Staff: bookings by date and time, filtered."""
        wanted = [s.strip().upper() for s in (status or "").split(",") if s.strip()]
        unknown = [s for s in wanted if s not in checks.STATUSES]
        if unknown:
            raise refuse(
                f"Invalid status: {', '.join(unknown)}. Must be one of: {', '.join(checks.STATUSES)}",
                "INVALID_STATUS",
                "status",
            )
        where = queries.conditions(
            day=checks.parse_date(day) if day else None,
            date_from=checks.parse_date(date_from, "from") if date_from else None,
            date_to=checks.parse_date(date_to, "to") if date_to else None,
            location_id=clean(location_id),
            statuses=wanted,
            needs_reassignment=needs_reassignment,
        )
        return await self._page(where, params, order_by=queries.BY_DATE)

    async def my_reservations(self, principal: Principal, params: PageParams) -> tuple[list[ReservationOut], int]:
        """A customer's own bookings, latest date first."""
        return await self._page(queries.conditions(customer_id=principal.id), params, order_by=queries.NEWEST_FIRST)

    async def _page(self, where: list[Any], params: PageParams, *, order_by: Any) -> tuple[list[ReservationOut], int]:
        rules, _ = await self.rules()
        async with self.db.session() as session:
            total = await queries.count(session, where)
            items = await self._outs(session, where, rules, order_by=order_by, limit=params.limit, offset=params.offset)
        return items, total

    async def day_snapshot(self, day_text: str | None, location_id: str | None) -> list[ReservationOut]:
        """The `reservations` room's snapshot: one date's bookings (today when left out), by time."""
        rules, zone = await self.rules()
        day = checks.parse_date(day_text) if day_text else checks.local_day(utcnow(), zone)
        async with self.db.session() as session:
            where = queries.conditions(day=day, location_id=clean(location_id))
            return await self._outs(session, where, rules, order_by=queries.BY_DATE)

    async def analytics(self, days: int | None, location_id: str | None) -> AnalyticsOut:
        _, zone = await self.rules()
        span = analytics.clamp_days(days)
        first, last = analytics.date_range(checks.local_day(utcnow(), zone), span)
        async with self.db.session() as session:
            rows = await queries.analytics_rows(session, first, last, clean(location_id))
        return analytics.analytics(rows, first, last, zone)

    # ---------------------------------------------------------------- what the locations domain asks (core.links)

    async def table_changed(self, session: AsyncSession, table_id: str, changes: Mapping[str, Any]) -> None:
        """A table was deactivated, reactivated or resized: flag the upcoming bookings it no longer seats for
        reassignment (and unflag those it seats again), in the same transaction; staff see them live."""
        if "is_active" not in changes and "capacity" not in changes:
            return
        table = await queries.table_state(session, table_id)
        if table is None:
            return
        ids = await queries.flag_for_table(session, table_id, table.capacity, table.is_active)
        if not ids:
            return
        rules, _ = await self.rules()
        for out in await self._outs(session, queries.conditions(ids=ids), rules):
            notify(session, ReservationChanged(reservation=out))
