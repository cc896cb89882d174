"""The locations domain's pure rules: weekly hours with several ranges a day, dated closures, pausing, busy mode.

No I/O. Each refusal is a `ValidationFailed` with a sentence; one that concerns a single JSON field names it in
`details` (`[{"key": "operatingHours[2].openTime", "message": ...}]`) so a form can show it by the field.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from kitchenasty.core.errors import ValidationFailed, field_refusal
from kitchenasty.core.validate import bounded_cents, check_time
from kitchenasty.locations.hours import WEEKDAY_NAMES, Closure, Pause, minutes, when_words
from kitchenasty.locations.schemas import OperatingHourIn

MAX_MIN_ORDER_CENTS = 100_000_00
MAX_RANGES_PER_DAY = 4
MAX_BUSY_EXTRA_MINUTES = 240
MAX_PAUSE_MINUTES = 24 * 60
MAX_CLOSURE_DAYS = 366
MAX_TABLE_CAPACITY = 1000
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@contextmanager
def about(key: str) -> Iterator[None]:
    """A refusal raised inside (by a shared check such as `not_blank`) concerns the JSON field `key`."""
    try:
        yield
    except ValidationFailed as exc:
        if exc.details is None:
            exc.details = [{"key": key, "message": exc.message}]
        raise


def min_order_cents(amount: Decimal, field: str) -> int:
    with about(field):
        return bounded_cents(amount, field, MAX_MIN_ORDER_CENTS, say_maximum=True)


def busy_extra_minutes(value: int) -> int:
    if not 0 <= value <= MAX_BUSY_EXTRA_MINUTES:
        raise field_refusal(
            "busyExtraMinutes", f"busyExtraMinutes must be between 0 and {MAX_BUSY_EXTRA_MINUTES} minutes"
        )
    return value


def table_capacity(value: int) -> int:
    if not 1 <= value <= MAX_TABLE_CAPACITY:
        raise field_refusal("capacity", f"capacity must be between 1 and {MAX_TABLE_CAPACITY} seats")
    return value


# ---------------------------------------------------------------- weekly hours


def _span(entry: OperatingHourIn) -> tuple[int, int]:
    """A range as minutes from its day's midnight; an overnight one ends past 24:00."""
    start, end = minutes(entry.open_time), minutes(entry.close_time)
    return start, end + 24 * 60 if end <= start else end


def check_hours(hours: Sequence[OperatingHourIn]) -> list[OperatingHourIn]:
    """The week's opening ranges, by day and opening time; refused with a sentence when a time is not HH:MM, a day
    has more than `MAX_RANGES_PER_DAY` ranges, is marked closed and also has ranges, or has overlapping ranges."""
    by_day: dict[int, list[tuple[int, OperatingHourIn]]] = defaultdict(list)
    for index, entry in enumerate(hours):
        for field, value in (("openTime", entry.open_time), ("closeTime", entry.close_time)):
            with about(f"operatingHours[{index}].{field}"):
                check_time(value, field, echo=True)
        by_day[entry.day_of_week].append((index, entry))
    for day, entries in by_day.items():
        name = WEEKDAY_NAMES[day]
        last = entries[-1][0]
        if len(entries) > 1 and any(entry.is_closed for _, entry in entries):
            closed = next(index for index, entry in entries if entry.is_closed)
            raise field_refusal(
                f"operatingHours[{closed}].isClosed",
                f"{name} is marked closed and also has other hours; send either one closed entry or its opening hours",
                "HOURS_CONFLICT",
            )
        if len(entries) > MAX_RANGES_PER_DAY:
            raise field_refusal(
                f"operatingHours[{last}]",
                f"{name} has {len(entries)} opening ranges; a day can have at most {MAX_RANGES_PER_DAY}",
                "TOO_MANY_RANGES",
            )
        ordered = sorted(entries, key=lambda pair: _span(pair[1]))
        for (_, before), (index, after) in pairwise(ordered):
            if _span(after)[0] < _span(before)[1]:
                raise field_refusal(
                    f"operatingHours[{index}].openTime",
                    f"{name}'s hours {before.open_time}–{before.close_time} and {after.open_time}–{after.close_time} "
                    "overlap; make one end before the other starts",
                    "HOURS_OVERLAP",
                )
    return sorted(hours, key=lambda h: (h.day_of_week, h.open_time))


# ---------------------------------------------------------------- closures


def parse_date(text: str, key: str) -> date:
    """A YYYY-MM-DD date, or a refusal naming the field."""
    try:
        if DATE_RE.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise field_refusal(key, f"{key} must be a date written YYYY-MM-DD, got '{text}'", "INVALID_DATE")


def say_date(day: date) -> str:
    """ "24 December 2025": a date as people read it."""
    return f"{day.day} {day:%B %Y}"


def say_dates(start: date, end: date) -> str:
    return say_date(start) if start == end else f"{say_date(start)} to {say_date(end)}"


def check_closure(start_text: str, end_text: str | None, note: str | None, today: date) -> Closure:
    """A closure from what was sent: one day when `end_text` is left out; refused when it ends before it starts,
    lasts more than `MAX_CLOSURE_DAYS`, or is already over on `today` (restaurant-local)."""
    start = parse_date(start_text, "startDate")
    end = parse_date(end_text, "endDate") if end_text is not None else start
    if end < start:
        raise field_refusal("endDate", "endDate must be on or after startDate", "INVALID_DATE_RANGE")
    if (end - start).days >= MAX_CLOSURE_DAYS:
        raise field_refusal(
            "endDate",
            f"A closure can last at most {MAX_CLOSURE_DAYS} days; add another one after it",
            "CLOSURE_TOO_LONG",
        )
    if end < today:
        raise field_refusal(
            "endDate" if end_text is not None else "startDate",
            f"{say_dates(start, end)} is already over; a closure must end today or later",
            "CLOSURE_IN_PAST",
        )
    text = note.strip() if note is not None else ""
    return Closure(start=start, end=end, note=text or None)


def overlapping(new: Closure, existing: Sequence[Closure]) -> Closure | None:
    """The first existing closure that shares a date with `new`."""
    return next((c for c in existing if c.start <= new.end and c.end >= new.start), None)


# ---------------------------------------------------------------- pause and busy


def pause_end(now: datetime, pause_minutes: int | None) -> datetime | None:
    """When a pause of `pause_minutes` started `now` ends, rounded up to the whole minute (what guests are told);
    None (until resumed) when no minutes are given."""
    if pause_minutes is None:
        return None
    if not 1 <= pause_minutes <= MAX_PAUSE_MINUTES:
        raise field_refusal(
            "minutes",
            f"minutes must be between 1 and {MAX_PAUSE_MINUTES} (24 hours); leave it out to pause until resumed",
        )
    until = now.astimezone(UTC) + timedelta(minutes=pause_minutes)
    whole = until.replace(second=0, microsecond=0)
    return whole if whole == until else whole + timedelta(minutes=1)


def clean_message(text: str | None) -> str | None:
    text = text.strip() if text is not None else ""
    return text or None


def pause_of(loc: Any) -> Pause | None:
    """The location's pause (a row with `paused_at`, `paused_until`, `pause_message`), expired or not."""
    if loc.paused_at is None:
        return None
    return Pause(until=loc.paused_until, message=loc.pause_message)


def is_paused(loc: Any, now: datetime) -> bool:
    pause = pause_of(loc)
    return pause is not None and pause.active(now)


def pause_blocks(pause: Pause, now: datetime, scheduled_at: datetime | None) -> bool:
    """Whether the pause refuses an order placed `now`: every order while it lasts, except one scheduled for when
    it is over (it ends by itself at `pause.until`)."""
    if not pause.active(now):
        return False
    return scheduled_at is None or pause.until is None or scheduled_at < pause.until


def sentence(text: str) -> str:
    """`text` ending with a full stop (or the ! or ? it has)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def paused_refusal(name: str, pause: Pause, local: datetime, can_schedule: bool) -> str:
    """Why an order is refused while ordering is paused (`local`: now, in the restaurant's zone)."""
    if pause.until is None:
        return sentence(pause.message) if pause.message else f"{name} is not taking orders right now. Please try later."
    head = sentence(pause.message) if pause.message else f"{name} is not taking orders right now."
    again = when_words(pause.until.astimezone(local.tzinfo), local)
    later = " You can schedule your order for then or later." if can_schedule else ""
    return f"{head} Orders open again {again}.{later}"


def closed_refusal(name: str, closure: Closure, day: str) -> str:
    """Why an order is refused on a closed date (`day`: "today", "on 25 December 2025")."""
    return f"{name} is closed {day}: {sentence(closure.note)}" if closure.note else f"{name} is closed {day}."


def lead_time(loc: Any, order_type: str) -> int:
    """The minutes an order of this type must be scheduled ahead: the location's lead time, more while busy."""
    lead: int = loc.delivery_lead_time if order_type == "DELIVERY" else loc.pickup_lead_time
    return lead + (loc.busy_extra_minutes if loc.is_busy else 0)


def natural_key(name: str) -> tuple[Any, ...]:
    """ "Table 2" before "Table 10"."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name))
