"""Opening hours and mealtime windows as pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from kitchenasty.locations.hours import (
    Closure,
    DayHours,
    OpeningState,
    Pause,
    closure_on,
    describe_day,
    in_window,
    is_open_at,
    local_now,
    opening_state,
)

# 2025-06-02 is a Monday (day 1 with Sunday = 0).
MONDAY = datetime(2025, 6, 2)


def at(day_offset: int, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return MONDAY.replace(day=MONDAY.day + day_offset, hour=hours, minute=minutes)


def test_is_open_at_without_hours_is_always_open() -> None:
    assert is_open_at([], at(0, "03:00"))


def test_is_open_at_respects_the_day_and_the_span() -> None:
    hours = [DayHours(1, "11:00", "22:00"), DayHours(2, "11:00", "22:00", is_closed=True)]
    assert not is_open_at(hours, at(0, "10:59"))
    assert is_open_at(hours, at(0, "11:00"))
    assert is_open_at(hours, at(0, "21:59"))
    assert not is_open_at(hours, at(0, "22:00"))
    assert not is_open_at(hours, at(1, "12:00"))  # Tuesday is closed
    assert not is_open_at(hours, at(2, "12:00"))  # Wednesday has no hours


def test_is_open_at_overnight_span_runs_into_the_next_day() -> None:
    hours = [DayHours(5, "18:00", "02:00")]  # Friday
    assert is_open_at(hours, at(4, "23:30"))
    assert is_open_at(hours, at(5, "01:59"))  # Saturday morning
    assert not is_open_at(hours, at(5, "02:00"))
    assert not is_open_at(hours, at(4, "17:59"))


def test_describe_day_says_hours_closed_or_not_set() -> None:
    hours = [DayHours(1, "11:00", "22:00"), DayHours(2, "00:00", "00:00", is_closed=True)]
    assert describe_day(hours, at(0, "09:00")) == "11:00-22:00"
    assert describe_day(hours, at(1, "09:00")) == "closed"
    assert describe_day(hours, at(2, "09:00")) == "not set"


def test_in_window_only_on_its_days() -> None:
    weekdays = [1, 2, 3, 4, 5]
    assert in_window("11:00", "15:00", weekdays, at(0, "12:00"))
    assert not in_window("11:00", "15:00", weekdays, at(0, "15:00"))
    assert not in_window("11:00", "15:00", weekdays, at(5, "12:00"))  # Saturday
    assert not in_window("11:00", "15:00", [], at(0, "12:00"))


def test_in_window_overnight_belongs_to_its_start_day() -> None:
    assert in_window("22:00", "03:00", [6], at(5, "23:00"))  # Saturday night
    assert in_window("22:00", "03:00", [6], at(6, "02:00"))  # early Sunday, still Saturday's window
    assert not in_window("22:00", "03:00", [6], at(6, "23:00"))


def test_local_now_converts_to_the_restaurant_zone() -> None:
    moment = datetime(2025, 1, 1, 23, 30, tzinfo=UTC)
    tokyo = local_now("Asia/Tokyo", moment)
    assert (tokyo.year, tokyo.month, tokyo.day, tokyo.hour, tokyo.minute) == (2025, 1, 2, 8, 30)
    assert local_now("UTC").tzinfo is not None


WEEK_11_22 = [DayHours(day, "11:00", "22:00") for day in range(7)]


def test_opening_state_open_says_until_when() -> None:
    state = opening_state(WEEK_11_22, at(0, "12:30"))
    assert (state.is_open, state.note, state.today) == (True, "Open now · until 22:00", "Today: 11:00–22:00")
    assert (state.closes_at, state.opens_at) == (at(0, "22:00"), None)


def test_opening_state_closed_says_when_it_opens() -> None:
    hours = [DayHours(1, "17:00", "22:00"), DayHours(2, "11:00", "22:00"), DayHours(5, "11:00", "15:00")]
    later_today = opening_state(hours, at(0, "09:15"))
    assert (later_today.is_open, later_today.note) == (False, "Closed now · opens at 17:00")
    assert (later_today.opens_at, later_today.closes_at) == (at(0, "17:00"), None)
    assert later_today.today == "Today: 17:00–22:00"
    tomorrow = opening_state(hours, at(0, "22:00"))
    assert (tomorrow.note, tomorrow.opens_at) == ("Closed now · opens tomorrow at 11:00", at(1, "11:00"))
    friday = opening_state(hours, at(1, "23:00"))  # Tuesday night: nothing on Wednesday or Thursday
    assert (friday.note, friday.today) == ("Closed now · opens Friday at 11:00", "Today: 11:00–22:00")
    closed_day = opening_state(hours, at(2, "12:00"))  # Wednesday has no hours: closed all day
    assert (closed_day.note, closed_day.today) == ("Closed now · opens Friday at 11:00", "Closed today")


def test_opening_state_a_week_away_is_next_weekday() -> None:
    hours = [DayHours(1, "11:00", "15:00")]  # Mondays only
    state = opening_state(hours, at(0, "16:00"))
    assert (state.note, state.opens_at) == ("Closed now · opens next Monday at 11:00", at(7, "11:00"))


def test_opening_state_never_opening_says_closed() -> None:
    hours = [DayHours(day, "11:00", "22:00", is_closed=True) for day in range(7)]
    state = opening_state(hours, at(0, "12:00"))
    assert (state.is_open, state.note, state.opens_at, state.today) == (False, "Closed now", None, "Closed today")


def test_opening_state_overnight_and_joined_spans() -> None:
    friday_night = [DayHours(5, "18:00", "02:00")]
    assert opening_state(friday_night, at(5, "01:00")).note == "Open now · until 02:00"  # Saturday, small hours
    midnight = [DayHours(1, "18:00", "00:00")]
    assert opening_state(midnight, at(0, "19:00")).note == "Open now · until midnight"
    # Monday all day runs into Tuesday morning: one span, closing on Tuesday.
    joined = [DayHours(1, "00:00", "00:00"), DayHours(2, "00:00", "03:00")]
    state = opening_state(joined, at(0, "08:00"))
    assert (state.note, state.closes_at, state.today) == (
        "Open now · until 03:00",
        at(1, "03:00"),
        "Today: open all day",
    )
    late = opening_state([DayHours(1, "00:00", "00:00"), DayHours(2, "00:00", "22:00")], at(0, "08:00"))
    assert late.note == "Open now · until tomorrow at 22:00"


def test_opening_state_without_hours_or_all_week_has_no_closing() -> None:
    assert opening_state([], at(0, "03:00")) == OpeningState(
        is_open=True, note="Open now", today=None, opens_at=None, closes_at=None
    )
    always = [DayHours(day, "00:00", "00:00") for day in range(7)]
    state = opening_state(always, at(0, "03:00"))
    assert (state.is_open, state.note, state.closes_at) == (True, "Open now", None)


def test_opening_state_keeps_the_restaurant_zone() -> None:
    zone = ZoneInfo("Europe/Berlin")
    local = datetime(2025, 6, 2, 9, 0, tzinfo=zone)
    state = opening_state(WEEK_11_22, local)
    assert state.opens_at == datetime(2025, 6, 2, 11, 0, tzinfo=zone)
    assert state.opens_at is not None and state.opens_at.isoformat() == "2025-06-02T11:00:00+02:00"


@given(
    st.lists(
        st.builds(
            DayHours,
            st.integers(0, 6),
            st.sampled_from(["00:00", "06:30", "11:00", "17:00", "23:45"]),
            st.sampled_from(["00:00", "02:00", "11:00", "15:00", "22:00"]),
            st.booleans(),
        ),
        max_size=7,
    ),
    st.integers(0, 6),
    st.integers(0, 24 * 60 - 1),
)
def test_opening_state_agrees_with_is_open_at(hours: list[DayHours], day: int, minute: int) -> None:
    local = MONDAY.replace(day=MONDAY.day + day) + timedelta(minutes=minute)
    state = opening_state(hours, local)
    assert state.is_open == is_open_at(hours, local)
    if state.opens_at is not None:
        assert state.opens_at > local
        assert is_open_at(hours, state.opens_at)
        assert not is_open_at(hours, state.opens_at - timedelta(minutes=1))
    if state.closes_at is not None:
        assert state.closes_at > local
        assert not is_open_at(hours, state.closes_at)
        assert is_open_at(hours, state.closes_at - timedelta(minutes=1))


# ---------------------------------------------------------------- several ranges a day, closures, pause


SPLIT = [DayHours(day, start, end) for day in range(7) for start, end in (("11:30", "14:30"), ("17:30", "22:00"))]


def test_is_open_at_several_ranges_a_day() -> None:
    assert not is_open_at(SPLIT, at(0, "11:29"))
    assert is_open_at(SPLIT, at(0, "11:30"))
    assert not is_open_at(SPLIT, at(0, "14:30"))
    assert not is_open_at(SPLIT, at(0, "17:29"))
    assert is_open_at(SPLIT, at(0, "21:59"))
    late = [DayHours(5, "11:00", "15:00"), DayHours(5, "18:00", "02:00")]  # Friday lunch, Friday night
    assert is_open_at(late, at(5, "01:30"))  # Saturday, small hours
    assert not is_open_at(late, at(4, "16:00"))


def test_describe_day_lists_each_range() -> None:
    assert describe_day(SPLIT, at(0, "09:00")) == "11:30-14:30, 17:30-22:00"
    closed = [Closure(date(2025, 6, 2), date(2025, 6, 2), "Staff training")]
    assert describe_day(SPLIT, at(0, "09:00"), closed) == "closed"


def test_opening_state_between_two_ranges() -> None:
    state = opening_state(SPLIT, at(0, "15:00"))
    assert (state.is_open, state.note, state.opens_at) == (False, "Closed now · opens at 17:30", at(0, "17:30"))
    assert state.today == "Today: 11:30–14:30, 17:30–22:00"
    lunch = opening_state(SPLIT, at(0, "12:00"))
    assert (lunch.note, lunch.closes_at) == ("Open now · until 14:30", at(0, "14:30"))


HOLIDAYS = [Closure(date(2025, 6, 3), date(2025, 6, 4), "Closed for the holidays")]  # Tuesday and Wednesday


def test_closure_shuts_whole_dates_whatever_the_hours() -> None:
    assert is_open_at(WEEK_11_22, at(0, "12:00"), HOLIDAYS)
    assert not is_open_at(WEEK_11_22, at(1, "12:00"), HOLIDAYS)
    assert not is_open_at(WEEK_11_22, at(2, "21:00"), HOLIDAYS)
    assert is_open_at(WEEK_11_22, at(3, "12:00"), HOLIDAYS)
    assert not is_open_at([], at(1, "03:00"), HOLIDAYS)  # no hours is open around the clock, but not that day
    assert is_open_at([], at(0, "03:00"), HOLIDAYS)


def test_closure_cuts_an_evening_at_midnight_and_drops_its_own_night() -> None:
    nights = [DayHours(day, "18:00", "02:00") for day in range(7)]
    assert is_open_at(nights, at(0, "23:59"), HOLIDAYS)
    assert not is_open_at(nights, at(1, "00:30"), HOLIDAYS)  # Monday's night ends at midnight: Tuesday is closed
    assert not is_open_at(nights, at(3, "01:00"), HOLIDAYS)  # Wednesday's night never started
    assert is_open_at(nights, at(3, "18:00"), HOLIDAYS)
    monday = opening_state(nights, at(0, "22:00"), HOLIDAYS)
    assert (monday.note, monday.closes_at) == ("Open now · until midnight", at(1, "00:00"))


def test_opening_state_on_a_closed_date_gives_its_note_and_the_next_opening() -> None:
    state = opening_state(WEEK_11_22, at(1, "12:00"), HOLIDAYS)
    assert (state.is_open, state.today) == (False, "Closed today")
    assert (state.note, state.opens_at) == ("Closed for the holidays · opens Thursday at 11:00", at(3, "11:00"))
    unnamed = opening_state(WEEK_11_22, at(1, "12:00"), [Closure(date(2025, 6, 3), date(2025, 6, 3))])
    assert unnamed.note == "Closed today · opens tomorrow at 11:00"
    before = opening_state(WEEK_11_22, at(0, "23:00"), HOLIDAYS)  # the day before: closed as usual
    assert before.note == "Closed now · opens Thursday at 11:00"


def test_opening_state_looks_past_a_long_closure() -> None:
    summer = [Closure(date(2025, 6, 3), date(2025, 6, 30), "Summer break")]
    state = opening_state(WEEK_11_22, at(1, "12:00"), summer)
    assert (state.note, state.opens_at) == ("Summer break · opens on Tuesday 1 July at 11:00", datetime(2025, 7, 1, 11))
    always = opening_state([], at(0, "12:00"), [Closure(date(2025, 6, 5), date(2025, 6, 6))])
    assert (always.note, always.closes_at) == ("Open now · until Wednesday at midnight", at(3, "00:00"))


def test_opening_state_while_paused_says_when_orders_are_back() -> None:
    back = opening_state(WEEK_11_22, at(0, "12:00"), pause=Pause(until=at(0, "12:30"), message="Kitchen full"))
    assert (back.is_open, back.paused, back.note) == (False, True, "Kitchen full · back at 12:30")
    assert (back.opens_at, back.closes_at, back.today) == (at(0, "12:30"), None, "Today: 11:00–22:00")
    past_closing = opening_state(WEEK_11_22, at(0, "21:00"), pause=Pause(until=at(0, "23:00")))
    assert past_closing.note == "Not taking orders now · opens tomorrow at 11:00"
    assert past_closing.opens_at == at(1, "11:00")
    until_resumed = opening_state(WEEK_11_22, at(0, "12:00"), pause=Pause(until=None))
    assert (until_resumed.note, until_resumed.opens_at, until_resumed.paused) == ("Not taking orders now", None, True)
    over = opening_state(WEEK_11_22, at(0, "12:00"), pause=Pause(until=at(0, "11:59")))
    assert (over.is_open, over.paused, over.note) == (True, False, "Open now · until 22:00")
    closed_anyway = opening_state(WEEK_11_22, at(0, "09:00"), pause=Pause(until=at(0, "10:00")))
    assert (closed_anyway.note, closed_anyway.paused) == ("Closed now · opens at 11:00", True)
    paused_past_opening = opening_state(WEEK_11_22, at(0, "09:00"), pause=Pause(until=at(0, "11:30")))
    assert (paused_past_opening.note, paused_past_opening.opens_at) == ("Closed now · opens at 11:30", at(0, "11:30"))


def test_opening_state_says_the_midnight_that_ends_a_day() -> None:
    joined = [DayHours(1, "00:00", "00:00"), DayHours(2, "00:00", "00:00")]  # Monday and Tuesday, all day
    state = opening_state(joined, at(0, "08:00"))
    assert (state.note, state.closes_at) == ("Open now · until tomorrow at midnight", at(2, "00:00"))


BERLIN = ZoneInfo("Europe/Berlin")


def real(moment: datetime | None) -> datetime:
    """In UTC: aware datetimes of one zone compare by their wall clock, ignoring the DST fold."""
    assert moment is not None and moment.tzinfo is not None
    return moment.astimezone(UTC)


def test_opening_state_across_the_spring_gap() -> None:
    """30 March 2025 in Berlin: the clock jumps from 02:00 to 03:00."""
    nights = [DayHours(6, "22:00", "02:30")]  # Saturday night, until 02:30 (a time that does not exist that night)
    local = datetime(2025, 3, 30, 1, 30, tzinfo=BERLIN)
    state = opening_state(nights, local)
    assert real(state.closes_at) == datetime(2025, 3, 30, 1, 0, tzinfo=UTC)  # the moment of the jump (03:00 CEST)
    assert state.note == "Open now · until 02:30"
    morning = [DayHours(0, "02:30", "12:00")]
    early = opening_state(morning, datetime(2025, 3, 30, 1, 0, tzinfo=BERLIN))
    assert real(early.opens_at) == datetime(2025, 3, 30, 1, 0, tzinfo=UTC)
    assert is_open_at(morning, early.opens_at.astimezone(BERLIN))  # type: ignore[union-attr]


def test_opening_state_in_the_repeated_autumn_hour() -> None:
    """26 October 2025 in Berlin: 02:00-03:00 happens twice (CEST, then CET)."""
    nights = [DayHours(6, "22:00", "02:30")]
    first = datetime(2025, 10, 26, 0, 15, tzinfo=UTC).astimezone(BERLIN)  # 02:15 CEST
    second = datetime(2025, 10, 26, 1, 15, tzinfo=UTC).astimezone(BERLIN)  # 02:15 CET
    assert (first.hour, second.hour, second.fold) == (2, 2, 1)
    assert real(opening_state(nights, first).closes_at) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    assert real(opening_state(nights, second).closes_at) == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)


# ---------------------------------------------------------------- properties


TRANSITIONS = [
    ("Europe/Berlin", datetime(2025, 3, 30, 1, 0, tzinfo=UTC)),
    ("Europe/Berlin", datetime(2025, 10, 26, 1, 0, tzinfo=UTC)),
    ("America/New_York", datetime(2025, 3, 9, 7, 0, tzinfo=UTC)),
    ("America/New_York", datetime(2025, 11, 2, 6, 0, tzinfo=UTC)),
    ("UTC", datetime(2025, 6, 2, 0, 0, tzinfo=UTC)),
    ("Asia/Kolkata", datetime(2025, 12, 31, 18, 30, tzinfo=UTC)),
]
"""Clock changes (and midnights) to test around: a moment within 36 hours of one, in that zone."""

ranges_st = st.lists(
    st.builds(
        DayHours,
        st.integers(0, 6),
        st.sampled_from(["00:00", "01:30", "06:30", "11:00", "17:00", "23:45"]),
        st.sampled_from(["00:00", "02:00", "02:30", "03:00", "11:00", "15:00", "22:00"]),
        st.booleans(),
    ),
    max_size=10,
)
moments_st = st.builds(
    lambda transition, offset: (transition[1] + timedelta(minutes=offset)).astimezone(ZoneInfo(transition[0])),
    st.sampled_from(TRANSITIONS),
    st.integers(-36 * 60, 36 * 60),
)
closure_offsets_st = st.lists(
    st.tuples(st.integers(-2, 9), st.integers(0, 3), st.sampled_from([None, "Closed for the holidays"])), max_size=3
)


def closures_from(local: datetime, offsets: list[tuple[int, int, str | None]]) -> list[Closure]:
    today = local.date()
    return [
        Closure(today + timedelta(days=start), today + timedelta(days=start + length), note)
        for start, length, note in offsets
    ]


def minute_before(moment: datetime) -> datetime:
    """One real minute earlier, in the same zone (aware arithmetic in the same zone is wall-clock arithmetic)."""
    assert moment.tzinfo is not None
    return (moment.astimezone(UTC) - timedelta(minutes=1)).astimezone(moment.tzinfo)


@given(ranges_st, moments_st, closure_offsets_st)
def test_opening_state_agrees_with_is_open_at_around_midnight_and_clock_changes(
    hours: list[DayHours], local: datetime, offsets: list[tuple[int, int, str | None]]
) -> None:
    closures = closures_from(local, offsets)
    zone = local.tzinfo
    state = opening_state(hours, local, closures)
    assert state.is_open == is_open_at(hours, local, closures)
    assert not state.paused
    if closure_on(closures, local.date()) is not None:
        assert not state.is_open and state.today == "Closed today"
    if state.opens_at is not None:
        assert real(state.opens_at) > real(local)
        assert is_open_at(hours, state.opens_at.astimezone(zone), closures)
        assert not is_open_at(hours, minute_before(state.opens_at.astimezone(zone)), closures)
    if state.closes_at is not None:
        assert real(state.closes_at) > real(local)
        assert not is_open_at(hours, state.closes_at.astimezone(zone), closures)
        assert is_open_at(hours, minute_before(state.closes_at.astimezone(zone)), closures)


@given(ranges_st, moments_st, closure_offsets_st, st.one_of(st.none(), st.integers(1, 24 * 60)))
def test_opening_state_while_paused_is_closed_until_the_pause_ends(
    hours: list[DayHours], local: datetime, offsets: list[tuple[int, int, str | None]], pause_minutes: int | None
) -> None:
    closures = closures_from(local, offsets)
    until = None if pause_minutes is None else real(local) + timedelta(minutes=pause_minutes)
    state = opening_state(hours, local, closures, Pause(until=until))
    assert (state.is_open, state.paused, state.closes_at) == (False, True, None)
    if until is None:
        assert state.opens_at is None
    if state.opens_at is not None:
        assert until is not None and real(state.opens_at) >= until
        assert is_open_at(hours, state.opens_at.astimezone(local.tzinfo), closures)
    unpaused = opening_state(hours, local, closures)
    if until is not None and unpaused.is_open and unpaused.closes_at is not None and real(unpaused.closes_at) > until:
        assert state.opens_at is not None and real(state.opens_at) == until  # still open then: back at that moment
