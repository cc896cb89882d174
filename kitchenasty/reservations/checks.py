"""The reservations domain's pure rules: which table times a date offers, which of them a party can still book,
which table it gets, and the status workflow. No I/O; the service feeds these with rows it read inside its
transaction, so the answer the guest saw is decided again, on the same rules, when the booking is written.

Slots. The location's opening spans touching the date (`locations.hours.opening_spans`: several ranges a day,
ranges past midnight, dated closures; no hours at all is open around the clock) are cut every `timeInterval`
minutes from each span's opening; a slot is offered when its whole stay fits before the span closes. Times are the
restaurant's wall clock: a slot's start is the first moment the clock shows it (a time the clock skips on a
spring-forward night is not offered), and its stay is real minutes, so across a change of the clocks a table is
held for exactly the stay and the stay still ends by the (first) closing time.

A slot is available for a party when it starts at least the lead time from now, its date is within the booking
horizon, some active table seats the party with no holding booking overlapping `[start, start + stay)`, and the
guests arriving in that slot stay within the cover cap. Bookings overlap when one starts before the other ends.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import msgspec

from kitchenasty.core.errors import Conflict, ValidationFailed
from kitchenasty.core.validate import valid_email
from kitchenasty.locations.checks import natural_key
from kitchenasty.locations.hours import WEEKDAY_NAMES, Closure, DayHours, closure_on, opening_spans, weekday_sunday0

STATUSES: tuple[str, ...] = ("PENDING", "CONFIRMED", "SEATED", "COMPLETED", "CANCELLED", "NO_SHOW")
HOLDING: frozenset[str] = frozenset({"PENDING", "CONFIRMED", "SEATED"})
"""Statuses that hold a table for the booking's stay."""
EDITABLE: frozenset[str] = frozenset({"PENDING", "CONFIRMED"})
"""Statuses whose date, time and party size staff may still change."""
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "PENDING": ("CONFIRMED", "CANCELLED"),
    "CONFIRMED": ("SEATED", "NO_SHOW", "CANCELLED"),
    "SEATED": ("COMPLETED",),
    "COMPLETED": (),
    "CANCELLED": (),
    "NO_SHOW": (),
}
"""The workflow: PENDING -> CONFIRMED -> SEATED -> COMPLETED; NO_SHOW from CONFIRMED once its time has come;
CANCELLED before SEATED. Every other move is refused."""
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_YEAR, LAST_YEAR = 2000, 2200
MAX_TEXT = 120


class InvalidTransition(ValidationFailed):
    default_code = "INVALID_TRANSITION"


def refuse(message: str, code: str, key: str | None = None) -> ValidationFailed:
    """A 400 with a sentence; naming the JSON field `key` in `details` when it concerns one."""
    details = [{"key": key, "message": message}] if key else None
    return ValidationFailed(message, code=code, details=details)


# ---------------------------------------------------------------- rules from the settings


@dataclass(frozen=True)
class BookingRules:
    """The `reservations` settings group, as the rules read it."""

    interval: int = 30
    stay_default: int = 90
    stay_by_size: tuple[tuple[int, int], ...] = ()
    lead_minutes: int = 60
    max_days: int = 30
    min_party: int = 1
    max_party: int = 20
    cover_cap: int = 0
    cancel_notice_hours: int = 2
    enabled: bool = True
    auto_confirm: bool = False

    def stay_minutes(self, party_size: int) -> int:
        """The first threshold that seats the party decides its stay; parties above every threshold stay the
        default."""
        for up_to, minutes in self.stay_by_size:
            if party_size <= up_to:
                return minutes
        return self.stay_default

    @property
    def longest_stay(self) -> int:
        return max([self.stay_default, *(minutes for _, minutes in self.stay_by_size)])


def rules_of(group: Mapping[str, Any]) -> BookingRules:
    """`ResolvedSettings.group("reservations")` -> the rules."""
    return BookingRules(
        interval=int(group["timeInterval"]),
        stay_default=int(group["stayTime"]),
        stay_by_size=tuple((int(a), int(b)) for a, b in group["stayTimeByPartySize"]),
        lead_minutes=int(group["leadTimeMinutes"]),
        max_days=int(group["maxAdvanceBookingDays"]),
        min_party=int(group["minPartySize"]),
        max_party=int(group["maxPartySize"]),
        cover_cap=int(group["maxCoversPerSlot"]),
        cancel_notice_hours=int(group["minCancellationNoticeHours"]),
        enabled=bool(group["enabled"]),
        auto_confirm=bool(group["autoConfirm"]),
    )


# ---------------------------------------------------------------- wall clock and real time


def to_instant(wall: datetime, zone: tzinfo) -> datetime | None:
    """The first moment (UTC) the restaurant's clock shows `wall` (naive); None when the clock skips it."""
    for fold in (0, 1):
        moment = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if moment.astimezone(zone).replace(tzinfo=None) == wall:
            return moment
    return None


def closing_instant(wall: datetime, zone: tzinfo) -> datetime:
    """When a span that closes at `wall` closes: the first moment the clock shows it, or the moment the clock jumps
    past it on a spring-forward night."""
    moment = to_instant(wall, zone)
    if moment is not None:
        return moment
    # skipped: the jump is the first moment whose wall time is past `wall` (offsets change on whole minutes)
    moment = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    while moment.astimezone(zone).replace(tzinfo=None) < wall:
        moment += timedelta(minutes=1)
    return moment


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: a booking ending at 20:00 and one starting at 20:00 do not overlap."""
    return a_start < b_end and b_start < a_end


# ---------------------------------------------------------------- tables and bookings


@dataclass(frozen=True)
class Seat:
    """A table as the rules see it."""

    id: str
    name: str
    capacity: int
    is_active: bool = True


@dataclass(frozen=True)
class Held:
    """A booking holding a table (status in HOLDING) for `[starts_at, ends_at)`."""

    id: str
    table_id: str | None
    starts_at: datetime
    ends_at: datetime
    party_size: int
    name: str = ""


def clash_on(
    held: Iterable[Held], table_id: str, starts_at: datetime, ends_at: datetime, ignore: str = ""
) -> Held | None:
    """The first booking on `table_id`, other than `ignore`, that overlaps `[starts_at, ends_at)`."""
    for h in held:
        if h.table_id == table_id and h.id != ignore and overlaps(h.starts_at, h.ends_at, starts_at, ends_at):
            return h
    return None


def fitting(tables: Iterable[Seat], party_size: int) -> list[Seat]:
    """The active tables that seat the party, smallest first (then by name, Table 2 before Table 10)."""
    return sorted(
        (t for t in tables if t.is_active and t.capacity >= party_size),
        key=lambda t: (t.capacity, natural_key(t.name), t.id),
    )


def free_table(
    tables: Iterable[Seat],
    held: Sequence[Held],
    party_size: int,
    starts_at: datetime,
    ends_at: datetime,
    ignore: str = "",
) -> Seat | None:
    """The smallest active table that seats the party and no other holding booking overlaps."""
    busy = {h.table_id for h in held if h.id != ignore and overlaps(h.starts_at, h.ends_at, starts_at, ends_at)}
    return next((t for t in fitting(tables, party_size) if t.id not in busy), None)


def covers_starting(held: Iterable[Held], starts_at: datetime, interval: int, ignore: str = "") -> int:
    """Guests whose booking starts within `[starts_at, starts_at + interval)`: what the cover cap counts."""
    end = starts_at + timedelta(minutes=interval)
    return sum(h.party_size for h in held if h.id != ignore and starts_at <= h.starts_at < end)


# ---------------------------------------------------------------- slots


@dataclass(frozen=True)
class Slot:
    """One table time of a date. `reason` says why an unavailable one is: TOO_SOON (in the past or within the
    lead time), TOO_FAR (past the booking horizon), FULL (no fitting table free) or COVER_CAP."""

    time: str
    starts_at: datetime
    ends_at: datetime
    available: bool
    reason: str | None = None
    table: Seat | None = None


def slot_grid(
    day: date,
    stay_minutes: int,
    interval: int,
    hours: Sequence[DayHours],
    closures: Sequence[Closure],
    zone: tzinfo,
) -> list[tuple[str, datetime, datetime]]:
    """(HH:MM, start, end) of every table time on `day` whose stay fits in its opening span, in time order."""
    step = timedelta(minutes=interval)
    stay = timedelta(minutes=stay_minutes)
    midnight = datetime(day.year, day.month, day.day)
    out: list[tuple[str, datetime, datetime]] = []
    # from the day before (its evening may run past midnight) to the day after (a stay may run into its ranges)
    for span_start, span_end in opening_spans(hours, day - timedelta(days=1), day + timedelta(days=1), closures):
        if span_end <= midnight or span_start >= midnight + timedelta(days=1):
            continue
        closing = closing_instant(span_end, zone)
        skip = max(0, math.ceil((midnight - span_start) / step))
        wall = span_start + skip * step
        while wall < span_end and wall.date() == day:
            begins = to_instant(wall, zone)
            if begins is not None and begins + stay <= closing:
                out.append((f"{wall:%H:%M}", begins, begins + stay))
            wall += step
    return out


def day_slots(
    day: date,
    party_size: int,
    *,
    rules: BookingRules,
    hours: Sequence[DayHours],
    closures: Sequence[Closure],
    tables: Sequence[Seat],
    held: Sequence[Held],
    now: datetime,
    zone: tzinfo,
    online: bool = True,
    ignore: str = "",
) -> list[Slot]:
    """Every table time of `day` for a party, each available or not with its reason (and, when available, the
    table it would get). `online`: a guest booking (lead time and horizon apply); staff may book any time from
    now on. `ignore`: a booking being moved (it does not compete with itself)."""
    lead = timedelta(minutes=rules.lead_minutes if online else 0)
    earliest = now + lead
    last_day = local_day(now, zone) + timedelta(days=rules.max_days)
    out: list[Slot] = []
    for time, begins, ends in slot_grid(day, rules.stay_minutes(party_size), rules.interval, hours, closures, zone):
        reason: str | None = None
        table: Seat | None = None
        if begins < earliest:
            reason = "TOO_SOON"
        elif online and day > last_day:
            reason = "TOO_FAR"
        else:
            table = free_table(tables, held, party_size, begins, ends, ignore)
            if table is None:
                reason = "FULL"
            elif rules.cover_cap and covers_starting(held, begins, rules.interval, ignore) + party_size > (
                rules.cover_cap
            ):
                reason, table = "COVER_CAP", None
        out.append(Slot(time, begins, ends, reason is None, reason, table))
    return out


def say_date(day: date) -> str:
    """ "Friday 12 June 2026"."""
    return f"{WEEKDAY_NAMES[weekday_sunday0(day)]} {day.day} {day:%B %Y}"


def day_note(
    day: date,
    party_size: int,
    slots: Sequence[Slot],
    *,
    rules: BookingRules,
    tables: Sequence[Seat],
    closures: Sequence[Closure],
    today: date,
) -> str | None:
    """A sentence for the date when no slot is available (None when one is)."""
    if any(slot.available for slot in slots):
        return None
    closure = closure_on(closures, day)
    if day < today:
        return "This date has passed; please choose another date."
    if closure is not None:
        return closure.note or f"We are closed on {say_date(day)}."
    if not fitting(tables, party_size):
        return f"We have no table for {party_size}; please call us to book."
    if day > today + timedelta(days=rules.max_days):
        return f"Tables can be booked up to {rules.max_days} days ahead; please choose an earlier date."
    if not slots:
        return f"We have no table times on {say_date(day)}; please choose another date."
    if all(slot.reason == "TOO_SOON" for slot in slots):
        return f"No table times are left on {say_date(day)}; please choose a later date."
    return f"We are fully booked on {say_date(day)}; please choose another date."


def refuse_slot(
    slot: Slot | None, day: date, time: str, party_size: int, rules: BookingRules, tables: Sequence[Seat]
) -> None:
    """Why the requested slot cannot be booked, as the error the guest sees; nothing when it can."""
    when = f"{time} on {say_date(day)}"
    if not fitting(tables, party_size):
        raise refuse(f"We have no table for {party_size}; please call us to book.", "NO_TABLE_FITS", "partySize")
    if slot is None:
        raise refuse(
            f"There is no table time at {when}; please choose one of the times offered", "NO_SUCH_SLOT", "time"
        )
    if slot.available:
        return
    if slot.reason == "TOO_SOON":
        raise refuse(
            f"Tables can be booked online until {rules.lead_minutes} minutes before; {when} is too soon. "
            "Please choose a later time or call us.",
            "TOO_SOON",
            "time",
        )
    if slot.reason == "TOO_FAR":
        raise refuse(f"Tables can be booked up to {rules.max_days} days ahead", "TOO_FAR", "date")
    if slot.reason == "COVER_CAP":
        raise Conflict(f"We are fully booked at {when}; please choose another time", code="SLOT_FULL")
    raise Conflict(
        f"Sorry, no table for {party_size} is free at {when} any more; please choose another time",
        code="SLOT_TAKEN",
    )


# ---------------------------------------------------------------- input


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def parse_date(text: str | None, key: str = "date") -> date:
    if text is None or not DATE_RE.match(text):
        raise refuse(f"{key} must be a date, YYYY-MM-DD", "INVALID_DATE", key)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise refuse(f"{key} must be a real date, YYYY-MM-DD", "INVALID_DATE", key) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise refuse(f"{key} must be a date between {FIRST_YEAR} and {LAST_YEAR}", "INVALID_DATE", key)
    return day


def check_party(party_size: int, rules: BookingRules, *, online: bool) -> int:
    if online and not rules.min_party <= party_size <= rules.max_party:
        if party_size > rules.max_party >= rules.min_party:
            message = f"We take online bookings for up to {rules.max_party} guests; please call us for larger parties"
        else:
            message = f"partySize must be between {rules.min_party} and {rules.max_party} guests"
        raise refuse(message, "INVALID_PARTY_SIZE", "partySize")
    if not 1 <= party_size <= 1000:
        raise refuse("partySize must be between 1 and 1000 guests", "INVALID_PARTY_SIZE", "partySize")
    return party_size


def guest_details(
    name: str | None, email: str | None, phone: str | None, *, email_required: bool = True
) -> tuple[str, str | None, str]:
    """A guest's name, e-mail and phone, checked (staff booking by phone may leave the e-mail out)."""
    name, email, phone = clean(name), clean(email), clean(phone)
    wanted = (("name", name), ("e-mail", email), ("phone number", phone))
    missing = [label for label, value in wanted if not value and (email_required or label != "e-mail")]
    if missing:
        raise refuse(
            f"To book as a guest, please give your name, e-mail and phone number (missing: {', '.join(missing)})",
            "GUEST_DETAILS_REQUIRED",
        )
    if email is not None and not valid_email(email):
        raise refuse("Please enter a valid e-mail address", "INVALID_EMAIL", "guestEmail")
    if sum(ch.isdigit() for ch in phone or "") < 5:
        raise refuse("Please enter a phone number we can reach you on", "INVALID_PHONE", "guestPhone")
    return name or "", email, phone or ""


def fingerprint(data: msgspec.Struct, caller: str | None) -> str:
    """What makes two submissions "the same booking" for an Idempotency-Key."""
    digest = hashlib.sha256(msgspec.json.encode(data))
    digest.update(b"|" + (caller or "").encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- the status workflow


def next_statuses(status: str, *, starts_at: datetime, now: datetime) -> list[str]:
    """Where a booking may move now (NO_SHOW only once its time has come)."""
    return [s for s in TRANSITIONS.get(status, ()) if s != "NO_SHOW" or now >= starts_at]


def check_transition(previous: str, status: str, *, starts_at: datetime, now: datetime, zone: tzinfo) -> None:
    if status == "NO_SHOW" and previous == "CONFIRMED" and now < starts_at:
        at = starts_at.astimezone(zone)
        raise InvalidTransition(
            f"A booking can be marked NO_SHOW only once its time has come ({at:%H:%M} on {say_date(at.date())})"
        )
    if status not in TRANSITIONS.get(previous, ()):
        allowed = TRANSITIONS.get(previous, ())
        hint = f"; from {previous} it can go to {', '.join(allowed)}" if allowed else f"; {previous} is final"
        raise InvalidTransition(f"Cannot change a reservation from {previous} to {status}{hint}")


def cancel_deadline(starts_at: datetime, rules: BookingRules) -> datetime:
    return starts_at - timedelta(hours=rules.cancel_notice_hours)


def check_guest_cancel(status: str, starts_at: datetime, now: datetime, rules: BookingRules) -> None:
    """A guest (manage link) or customer cancelling their own booking: before it is seated, up to the cut-off."""
    if status not in EDITABLE:
        raise InvalidTransition(f"This booking is {status} and can no longer be cancelled")
    if now > cancel_deadline(starts_at, rules):
        hours = rules.cancel_notice_hours
        raise refuse(
            f"Bookings can be cancelled online until {hours} hour{'s' if hours != 1 else ''} before their time; "
            "please call us to cancel",
            "CANCELLATION_TOO_LATE",
        )
