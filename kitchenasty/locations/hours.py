"""Opening hours as pure functions (no DB): is a location open at a local time, and how to say its hours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@dataclass(frozen=True)
class DayHours:
    """Hours for one weekday (0 = Sunday, as in the reference). A close time at or before the open time spans
    midnight (18:00-02:00 is open until 2 am the next day)."""

    day_of_week: int
    open_time: str
    close_time: str
    is_closed: bool = False


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def weekday_sunday0(moment: datetime) -> int:
    """Python's Monday=0 to the reference's Sunday=0."""
    return (moment.weekday() + 1) % 7


def is_open_at(hours: Sequence[DayHours], local: datetime) -> bool:
    """Whether `local` (a time in the restaurant's zone) falls inside the opening hours.

    A location with no hours at all is treated as always open (the owner has not set hours yet).
    """
    if not hours:
        return True
    by_day = {h.day_of_week: h for h in hours}
    now = local.hour * 60 + local.minute
    today = by_day.get(weekday_sunday0(local))
    if today is not None and not today.is_closed:
        start, end = minutes(today.open_time), minutes(today.close_time)
        if start < end and start <= now < end:
            return True
        if end <= start and now >= start:  # opened today, closes after midnight
            return True
    yesterday = by_day.get(weekday_sunday0(local - timedelta(days=1)))
    if yesterday is not None and not yesterday.is_closed:
        start, end = minutes(yesterday.open_time), minutes(yesterday.close_time)
        if end <= start and now < end:  # still inside yesterday's overnight span
            return True
    return False


def describe_day(hours: Sequence[DayHours], local: datetime) -> str:
    """ "11:00-22:00", "closed" or "not set" for the weekday of `local` (for messages a guest can act on)."""
    day = next((h for h in hours if h.day_of_week == weekday_sunday0(local)), None)
    if day is None:
        return "not set"
    if day.is_closed:
        return "closed"
    return f"{day.open_time}-{day.close_time}"


def in_window(start: str, end: str, days: Sequence[int], local: datetime) -> bool:
    """Whether `local` falls in a weekly window (a mealtime): `start`-`end` on each of `days` (0 = Sunday).

    As with opening hours, an end at or before the start runs past midnight into the next day.
    """
    if not days:
        return False
    return is_open_at([DayHours(day, start, end) for day in days], local)


def local_now(timezone: str, now: datetime | None = None) -> datetime:
    """The current time (or `now`, an aware datetime) in the restaurant's IANA time zone."""
    zone = ZoneInfo(timezone)
    return (now or datetime.now(zone)).astimezone(zone)
