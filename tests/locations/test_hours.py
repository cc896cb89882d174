"""Opening hours and mealtime windows as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from kitchenasty.locations.hours import (
    DayHours,
    OpeningState,
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
