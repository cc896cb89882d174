"""Opening hours as pure functions (no DB): is a location open at a local time, when it next opens or closes, and
how to say its hours to a guest."""

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


HORIZON_DAYS = 8
"""How far ahead the next opening or closing is looked for (a week, and the day after it)."""


@dataclass(frozen=True)
class OpeningState:
    """A location's hours as a guest sees them at one moment (restaurant time).

    `note` is the sentence shown by the location's name ("Open now · until 22:00", "Closed now · opens tomorrow at
    11:00"); `today` is today's hours ("Today: 11:00–22:00", "Closed today"; None while no hours are set).
    `opens_at` is the next opening when closed, `closes_at` the closing when open (None: not within the week).
    """

    is_open: bool
    note: str
    today: str | None
    opens_at: datetime | None
    closes_at: datetime | None


def _spans(hours: Sequence[DayHours], local: datetime) -> list[tuple[datetime, datetime]]:
    """The opening spans from yesterday to `HORIZON_DAYS` ahead, in wall-clock time (naive, as `is_open_at`
    reads it), merged where one runs into the next (open until midnight and again from midnight is one span)."""
    by_day = {h.day_of_week: h for h in hours}
    midnight = local.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    merged: list[tuple[datetime, datetime]] = []
    for offset in range(-1, HORIZON_DAYS):
        day = midnight + timedelta(days=offset)
        entry = by_day.get(weekday_sunday0(day))
        if entry is None or entry.is_closed:
            continue
        start = day + timedelta(minutes=minutes(entry.open_time))
        end = day + timedelta(minutes=minutes(entry.close_time))
        if end <= start:  # runs past midnight (00:00-00:00 is the whole day)
            end += timedelta(days=1)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _today(hours: Sequence[DayHours], local: datetime) -> str | None:
    if not hours:
        return None
    day = next((h for h in hours if h.day_of_week == weekday_sunday0(local)), None)
    if day is None or day.is_closed:
        return "Closed today"
    if day.open_time == day.close_time == "00:00":
        return "Today: open all day"
    return f"Today: {day.open_time}–{day.close_time}"


def _day_words(moment: datetime, now: datetime) -> str:
    """ "", "tomorrow ", "Monday " or "next Monday ": which day `moment` is, seen from `now` (at most a week on)."""
    days = (moment.date() - now.date()).days
    if days <= 0:
        return ""
    if days == 1:
        return "tomorrow "
    name = WEEKDAY_NAMES[weekday_sunday0(moment)]
    return f"next {name} " if days >= 7 else f"{name} "


def opening_state(hours: Sequence[DayHours], local: datetime) -> OpeningState:
    """Whether the location is open at `local`, until when or from when, in words and as times (in `local`'s zone).

    Agrees with `is_open_at`: no hours at all is open around the clock.
    """
    is_open = is_open_at(hours, local)
    if not hours:
        return OpeningState(is_open=True, note="Open now", today=None, opens_at=None, closes_at=None)
    now = local.replace(tzinfo=None, second=0, microsecond=0)
    spans = _spans(hours, local)
    today = _today(hours, local)
    if is_open:
        end = next((e for s, e in spans if s <= now < e), None)
        if end is None or end - now > timedelta(days=HORIZON_DAYS - 1):
            return OpeningState(is_open=True, note="Open now", today=today, opens_at=None, closes_at=None)
        clock = "midnight" if (end.hour, end.minute) == (0, 0) else f"{end:%H:%M}"
        when = clock if end - now <= timedelta(hours=24) else f"{_day_words(end, now)}at {clock}"
        closes = end.replace(tzinfo=local.tzinfo)
        return OpeningState(is_open=True, note=f"Open now · until {when}", today=today, opens_at=None, closes_at=closes)
    start = next((s for s, _ in spans if s > now), None)
    if start is None:
        return OpeningState(is_open=False, note="Closed now", today=today, opens_at=None, closes_at=None)
    note = f"Closed now · opens {_day_words(start, now)}at {start:%H:%M}"
    opens = start.replace(tzinfo=local.tzinfo)
    return OpeningState(is_open=False, note=note, today=today, opens_at=opens, closes_at=None)


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
