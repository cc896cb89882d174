"""Opening hours and mealtime windows as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

from kitchenasty.locations.hours import DayHours, describe_day, in_window, is_open_at, local_now

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
