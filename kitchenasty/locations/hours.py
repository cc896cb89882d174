"""Opening hours as pure functions (no DB): is a location open at a local time, when it next opens or closes, and
how to say its hours to a guest.

A weekday may have several opening ranges (11:30-14:30 and 17:30-22:00); a range whose close time is at or before
its open time runs past midnight into the next day. Dated closures (holidays) close the location for whole
restaurant-local dates whatever its weekly hours: an evening that runs past midnight into a closed date ends at
midnight, and a closed date's own evening does not run into the next day. A pause (ordering stopped for a while)
closes it to orders until the pause ends. Times are read as wall-clock time in the restaurant's zone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
DAY = timedelta(days=1)


@dataclass(frozen=True)
class DayHours:
    """One opening range of a weekday (0 = Sunday, as in the reference); a weekday may have several. A close time at
    or before the open time spans midnight (18:00-02:00 is open until 2 am the next day); `is_closed` marks the day
    closed (such a row opens nothing)."""

    day_of_week: int
    open_time: str
    close_time: str
    is_closed: bool = False


@dataclass(frozen=True)
class Closure:
    """Closed from `start` to `end` (restaurant-local dates, both included), whatever the weekly hours; `note` is
    what guests are told ("Closed for the holidays")."""

    start: date
    end: date
    note: str | None = None


@dataclass(frozen=True)
class Pause:
    """Ordering paused until `until` (an aware moment), or until it is resumed when `until` is None."""

    until: datetime | None
    message: str | None = None

    def active(self, moment: datetime) -> bool:
        return self.until is None or _real(moment) < _real(self.until)


def _real(moment: datetime) -> datetime:
    """An aware moment in UTC (comparisons within one zone read the wall clock and ignore the DST fold)."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


ALL_DAY_WEEK = tuple(DayHours(day, "00:00", "00:00") for day in range(7))
"""What a location without any hours is: open around the clock (the owner has not set hours yet)."""


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def weekday_sunday0(moment: datetime | date) -> int:
    """Python's Monday=0 to the reference's Sunday=0."""
    return (moment.weekday() + 1) % 7


def closure_on(closures: Sequence[Closure], day: date) -> Closure | None:
    """The closure that covers `day`, if any."""
    return next((c for c in closures if c.start <= day <= c.end), None)


def _ranges(hours: Sequence[DayHours], weekday: int) -> list[DayHours]:
    """The opening ranges of a weekday, by opening time (closed-day rows open nothing)."""
    return sorted((h for h in hours if h.day_of_week == weekday and not h.is_closed), key=lambda h: h.open_time)


def is_open_at(hours: Sequence[DayHours], local: datetime, closures: Sequence[Closure] = ()) -> bool:
    """Whether `local` (a time in the restaurant's zone) falls inside the opening hours and on no closed date.

    A location with no hours at all is open around the clock (on the dates it is not closed).
    """
    if not hours and not closures:
        return True
    hours = hours or ALL_DAY_WEEK
    today = local.date()
    if closures and closure_on(closures, today) is not None:
        return False
    now = local.hour * 60 + local.minute
    weekday = weekday_sunday0(today)
    yesterday_closed = bool(closures) and closure_on(closures, today - DAY) is not None
    for h in hours:
        if h.is_closed:
            continue
        start, end = minutes(h.open_time), minutes(h.close_time)
        if h.day_of_week == weekday:
            if start <= now < end or (end <= start and now >= start):  # the latter: closes after midnight
                return True
        elif h.day_of_week == (weekday - 1) % 7 and end <= start and now < end and not yesterday_closed:
            return True  # inside yesterday's overnight span
    return False


def _hyphen(day: Sequence[DayHours], dash: str) -> str:
    return ", ".join(f"{h.open_time}{dash}{h.close_time}" for h in day)


def describe_day(hours: Sequence[DayHours], local: datetime, closures: Sequence[Closure] = ()) -> str:
    """ "11:00-22:00", "11:30-14:30, 17:30-22:00", "closed" or "not set" for the date of `local` (for messages a
    guest can act on)."""
    if closure_on(closures, local.date()) is not None:
        return "closed"
    weekday = weekday_sunday0(local)
    if not any(h.day_of_week == weekday for h in hours):
        return "not set"
    ranges = _ranges(hours, weekday)
    return _hyphen(ranges, "-") if ranges else "closed"


HORIZON_DAYS = 8
"""How far ahead the next opening or closing is looked for (a week, and the day after it), past any closure that
falls within it."""
MAX_HORIZON_DAYS = 400


@dataclass(frozen=True)
class OpeningState:
    """A location's hours as a guest sees them at one moment (restaurant time).

    `note` is the sentence shown by the location's name ("Open now · until 22:00", "Closed now · opens tomorrow at
    11:00", "Closed for the holidays · opens Friday at 11:00", "Not taking orders now · back at 19:30"); `today` is
    today's hours ("Today: 11:30–14:30, 17:30–22:00", "Closed today"; None while no hours are set). `opens_at` is
    the next opening (or the end of the pause) when closed, `closes_at` the closing when open (None: not within the
    horizon). `paused`: ordering is paused now.
    """

    is_open: bool
    note: str
    today: str | None
    opens_at: datetime | None
    closes_at: datetime | None
    paused: bool = False


def _horizon(today: date, closures: Sequence[Closure]) -> date:
    """The last date to look at: `HORIZON_DAYS` ahead, pushed past the closures that fall within it."""
    end = today + timedelta(days=HORIZON_DAYS)
    moved = True
    while moved:
        moved = False
        for c in closures:
            if c.start <= end and c.end >= today and c.end + timedelta(days=HORIZON_DAYS) > end:
                end = c.end + timedelta(days=HORIZON_DAYS)
                moved = True
    return min(end, today + timedelta(days=MAX_HORIZON_DAYS))


def opening_spans(
    hours: Sequence[DayHours], first: date, last: date, closures: Sequence[Closure] = ()
) -> Iterator[tuple[datetime, datetime]]:
    """The opening spans of the ranges that open from `first` to `last` (restaurant-local dates, both included), in
    wall-clock time (naive, as `is_open_at` reads it), merged where one runs into the next (open until midnight and
    again from midnight is one span). A range running past midnight ends at midnight before a closed date; no hours
    at all is open around the clock. Table bookings lay their slots on these spans."""
    hours = hours or ALL_DAY_WEEK
    current: tuple[datetime, datetime] | None = None
    day = datetime(first.year, first.month, first.day)
    while day.date() <= last:
        if closure_on(closures, day.date()) is None:
            next_closed = closure_on(closures, day.date() + DAY) is not None
            for entry in _ranges(hours, weekday_sunday0(day)):
                start = day + timedelta(minutes=minutes(entry.open_time))
                end = day + timedelta(minutes=minutes(entry.close_time))
                if end <= start:  # runs past midnight (00:00-00:00 is the whole day)
                    end = min(end + DAY, day + DAY) if next_closed else end + DAY
                if current is not None and start <= current[1]:
                    current = (current[0], max(current[1], end))
                    continue
                if current is not None:
                    yield current
                current = (start, end)
        day += DAY
    if current is not None:
        yield current


def _spans(
    hours: Sequence[DayHours], local: datetime, closures: Sequence[Closure]
) -> Iterator[tuple[datetime, datetime]]:
    """The opening spans from yesterday to the horizon (see `opening_spans`)."""
    today = local.date()
    return opening_spans(hours, today - DAY, _horizon(today, closures), closures)


def _today(hours: Sequence[DayHours], local: datetime, closures: Sequence[Closure]) -> str | None:
    if closure_on(closures, local.date()) is not None:
        return "Closed today"
    if not hours:
        return None
    ranges = _ranges(hours, weekday_sunday0(local))
    if not ranges:
        return "Closed today"
    if len(ranges) == 1 and ranges[0].open_time == ranges[0].close_time == "00:00":
        return "Today: open all day"
    return f"Today: {_hyphen(ranges, '–')}"


def _day_words(moment: datetime, now: datetime) -> str:
    """ "", "tomorrow ", "Monday ", "next Monday " or "on Monday 12 January ": which day `moment` is, from `now`."""
    days = (moment.date() - now.date()).days
    if days <= 0:
        return ""
    if days == 1:
        return "tomorrow "
    name = WEEKDAY_NAMES[weekday_sunday0(moment)]
    if days > 7:
        return f"on {name} {moment.day} {moment:%B} "
    return f"next {name} " if days == 7 else f"{name} "


def when_words(moment: datetime, now: datetime) -> str:
    """ "at 19:30", "tomorrow at 09:00", "Friday at 11:00": when `moment` is, in words, seen from `now` (both naive
    wall-clock times or both in the restaurant's zone)."""
    return f"{_day_words(moment, now)}at {moment:%H:%M}"


def _until_words(end: datetime, now: datetime) -> str:
    """ "22:00", "midnight", "tomorrow at 22:00", "Thursday at midnight" (the midnight that ends Thursday)."""
    if (end.hour, end.minute) == (0, 0):
        return "midnight" if end - now <= DAY else f"{_day_words(end - timedelta(minutes=1), now)}at midnight"
    return f"{end:%H:%M}" if end - now <= DAY else when_words(end, now)


def _instant(wall: datetime, zone: tzinfo | None, after: datetime) -> datetime:
    """The moment, in `zone`, when the clock first reads `wall` after `after` (a naive `wall` when `zone` is None).

    On a day the clock changes: of a repeated hour the pass still ahead of `after` (the first when both are); a time
    the clock skips is the moment it jumps past it.
    """
    if zone is None:
        return wall
    passes = []
    for fold in (0, 1):
        real = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC).astimezone(zone)
        if real.replace(tzinfo=None) == wall:
            passes.append(real)
    if passes:
        ahead = [p for p in passes if _real(p) > _real(after)]
        return min(ahead, key=_real) if ahead else max(passes, key=_real)
    moment = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)  # before the jump: walk to it, a minute at a time
    while moment.astimezone(zone).replace(tzinfo=None) < wall:
        moment += timedelta(minutes=1)
    return moment.astimezone(zone)


def opening_state(
    hours: Sequence[DayHours], local: datetime, closures: Sequence[Closure] = (), pause: Pause | None = None
) -> OpeningState:
    """Whether the location takes orders at `local`, until when or from when, in words and as times (in `local`'s
    zone; `pause.until` must be of the same kind as `local`, aware or naive).

    Agrees with `is_open_at` while not paused: no hours at all is open around the clock, closures shut whole dates.
    While paused it is closed to orders; `opens_at` is then the end of the pause, or the first opening after it.
    """
    paused = pause is not None and pause.active(local)
    if not hours and not closures and not paused:
        return OpeningState(is_open=True, note="Open now", today=None, opens_at=None, closes_at=None)
    zone = local.tzinfo
    now = local.replace(tzinfo=None, second=0, microsecond=0)
    today = _today(hours, local, closures)
    by_hours = is_open_at(hours, local, closures)
    spans = _spans(hours, local, closures)
    if by_hours and not paused:
        end = next((e for s, e in spans if s <= now < e), None)
        if end is None or end - now > timedelta(days=HORIZON_DAYS - 1):
            return OpeningState(is_open=True, note="Open now", today=today, opens_at=None, closes_at=None)
        note = f"Open now · until {_until_words(end, now)}"
        return OpeningState(is_open=True, note=note, today=today, opens_at=None, closes_at=_instant(end, zone, local))
    if paused and by_hours:
        lead = (pause.message if pause is not None else None) or "Not taking orders now"
    else:
        closure = closure_on(closures, local.date())
        lead = (closure.note or "Closed today") if closure is not None else "Closed now"
    until = pause.until if paused and pause is not None else None
    if paused and until is None:
        return OpeningState(is_open=False, note=lead, today=today, opens_at=None, closes_at=None, paused=True)
    resume = now  # the first moment orders could be taken again, in wall-clock time
    if until is not None:
        resume = (until.astimezone(zone) if zone is not None else until).replace(tzinfo=None, second=0, microsecond=0)
    for start, end in spans:
        if end <= resume:
            continue
        back = max(start, resume)
        verb = "back" if paused and by_hours and start <= resume else "opens"
        opens = until if until is not None and back == resume else _instant(back, zone, local)
        note = f"{lead} · {verb} {when_words(back, now)}"
        return OpeningState(is_open=False, note=note, today=today, opens_at=opens, closes_at=None, paused=paused)
    return OpeningState(is_open=False, note=lead, today=today, opens_at=None, closes_at=None, paused=paused)


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
