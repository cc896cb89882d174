"""The pure availability rules and the status workflow: worked examples around closing time, midnight, dated
closures, several ranges a day, the clocks changing and long stays; then properties over random weeks of hours,
time zones with DST (Hypothesis), checked against `locations.hours.is_open_at` as an independent oracle."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.locations.hours import Closure, DayHours, is_open_at
from kitchenasty.reservations import checks
from kitchenasty.reservations.checks import BookingRules, Held, Seat, day_slots, slot_grid

UTC_ZONE = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = date(2026, 6, 12)  # a Friday (day 5)


def every_day(open_time: str, close_time: str) -> list[DayHours]:
    return [DayHours(day, open_time, close_time) for day in range(7)]


def times(day: date, hours: list[DayHours], *, stay: int = 90, interval: int = 30, zone: ZoneInfo = UTC_ZONE,
          closures: tuple[Closure, ...] = ()) -> list[str]:  # fmt: skip
    return [t for t, _, _ in slot_grid(day, stay, interval, hours, closures, zone)]


# ---------------------------------------------------------------- worked examples


def test_slots_every_interval_from_opening_ending_a_stay_before_closing() -> None:
    assert times(FRIDAY, every_day("17:00", "23:00")) == [f"{h}:{m}" for h in range(17, 22) for m in ("00", "30")]
    assert times(FRIDAY, every_day("17:00", "23:00"), stay=60, interval=45) == [
        "17:00", "17:45", "18:30", "19:15", "20:00", "20:45", "21:30"
    ]  # fmt: skip


def test_a_stay_ending_exactly_at_closing_is_offered_one_minute_later_is_not() -> None:
    assert times(FRIDAY, every_day("18:00", "20:00"), stay=120) == ["18:00"]
    assert times(FRIDAY, every_day("18:00", "20:00"), stay=121) == []


def test_long_stays_shrink_the_evening_and_a_stay_longer_than_it_leaves_nothing() -> None:
    hours = every_day("17:00", "23:00")
    assert times(FRIDAY, hours, stay=330) == ["17:00", "17:30"]
    assert times(FRIDAY, hours, stay=360) == ["17:00"]
    assert times(FRIDAY, hours, stay=361) == []


def test_several_ranges_a_day_each_start_their_own_grid() -> None:
    hours = [DayHours(5, "11:45", "14:30"), DayHours(5, "17:30", "22:00")]
    assert times(FRIDAY, hours, stay=60) == ["11:45", "12:15", "12:45", "13:15", "17:30", "18:00", "18:30",
                                              "19:00", "19:30", "20:00", "20:30", "21:00"]  # fmt: skip
    assert times(FRIDAY + timedelta(days=1), hours) == []  # Saturday has no hours: closed


def test_ranges_that_touch_are_one_span_a_stay_may_cross_between_them() -> None:
    hours = [DayHours(5, "11:00", "15:00"), DayHours(5, "15:00", "17:00")]
    assert times(FRIDAY, hours, stay=120, interval=60) == ["11:00", "12:00", "13:00", "14:00", "15:00"]


def test_hours_past_midnight_put_the_small_hours_on_the_next_date() -> None:
    hours = [DayHours(5, "18:00", "02:00")]  # Friday evening until 2 am Saturday
    friday = times(FRIDAY, hours)
    assert friday[0] == "18:00" and friday[-1] == "23:30"  # 23:30 + 90 min = 01:00 Saturday, before 02:00
    assert times(FRIDAY + timedelta(days=1), hours) == ["00:00", "00:30"]  # 00:30 + 90 = 02:00
    assert times(FRIDAY - timedelta(days=1), hours) == []


def test_a_stay_runs_on_into_the_next_dates_range_that_starts_at_midnight() -> None:
    hours = [DayHours(5, "18:00", "00:00"), DayHours(6, "00:00", "02:00")]
    assert times(FRIDAY, hours)[-1] == "23:30"  # until 01:00 Saturday, in Saturday's own range
    assert times(FRIDAY, [], stay=120, interval=60)[-1] == "23:00"  # open around the clock


def test_a_closed_date_ends_the_evening_before_it_at_midnight() -> None:
    hours = [DayHours(5, "18:00", "02:00")]
    saturday = FRIDAY + timedelta(days=1)
    closed = (Closure(saturday, saturday, "Private party"),)
    assert times(FRIDAY, hours, closures=closed)[-1] == "22:30"  # 22:30 + 90 = midnight
    assert times(saturday, hours, closures=closed) == []
    assert times(FRIDAY, hours, closures=(Closure(FRIDAY, FRIDAY),)) == []


def test_no_hours_at_all_is_open_around_the_clock() -> None:
    slots = times(FRIDAY, [], stay=60, interval=60)
    assert slots == [f"{h:02d}:00" for h in range(24)]


def test_spring_forward_skips_the_missing_times_and_stays_last_real_minutes() -> None:
    sunday = date(2026, 3, 29)  # Berlin: 02:00 CET -> 03:00 CEST
    hours = [DayHours(6, "20:00", "04:00")]  # Saturday evening until 4 am Sunday
    grid = slot_grid(sunday, 90, 30, hours, (), BERLIN)
    assert [t for t, _, _ in grid] == ["00:00", "00:30", "01:00", "01:30"]
    for _, begins, ends in grid:
        assert ends - begins == timedelta(minutes=90)
        assert ends <= datetime(2026, 3, 29, 2, 0, tzinfo=UTC)  # 04:00 CEST
    assert [t for t, _, _ in slot_grid(sunday, 60, 30, hours, (), BERLIN)][-2:] == ["01:30", "03:00"]


def test_fall_back_offers_the_repeated_times_once_at_their_first_pass() -> None:
    sunday = date(2026, 10, 25)  # Berlin: 03:00 CEST -> 02:00 CET
    hours = [DayHours(6, "20:00", "04:00")]
    grid = slot_grid(sunday, 90, 30, hours, (), BERLIN)
    assert [t for t, _, _ in grid] == ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"]
    by_time = {t: begins for t, begins, _ in grid}
    assert by_time["02:00"] == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # the first 02:00 (CEST)
    assert all(ends <= datetime(2026, 10, 25, 3, 0, tzinfo=UTC) for _, _, ends in grid)  # 04:00 CET


# ---------------------------------------------------------------- tables, bookings, lead time, cap


RULES = BookingRules(interval=30, stay_default=90, lead_minutes=60, max_days=30)
TABLES = (Seat("t-small", "Table 2", 2), Seat("t-big", "Table 10", 4), Seat("t-off", "Table 1", 2, is_active=False))
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def at(hhmm: str, day: date = FRIDAY) -> datetime:
    return datetime.fromisoformat(f"{day.isoformat()}T{hhmm}:00+00:00")


def slots_for(party: int, held: list[Held], rules: BookingRules = RULES, now: datetime = NOW) -> dict[str, checks.Slot]:
    found = day_slots(
        FRIDAY, party, rules=rules, hours=every_day("17:00", "23:00"), closures=(), tables=TABLES, held=held,
        now=now, zone=UTC_ZONE,
    )  # fmt: skip
    return {s.time: s for s in found}


def test_the_smallest_free_table_that_seats_the_party_is_chosen() -> None:
    slots = slots_for(2, [])
    assert slots["19:00"].table == TABLES[0]
    taken = [Held("r1", "t-small", at("18:30"), at("20:00"), 2)]
    assert slots_for(2, taken)["19:00"].table == TABLES[1]
    assert slots_for(3, [])["19:00"].table == TABLES[1]
    assert slots_for(5, [])["19:00"].reason == "FULL"


def test_overlap_is_half_open_and_an_inactive_table_is_never_offered() -> None:
    held = [Held("r1", "t-small", at("19:00"), at("20:30"), 2), Held("r2", "t-big", at("19:00"), at("20:30"), 4)]
    slots = slots_for(2, held)
    assert slots["17:30"].available and slots["20:30"].available  # 17:30-19:00 and 20:30-22:00 touch, no overlap
    assert [t for t, s in slots.items() if not s.available] == ["18:00", "18:30", "19:00", "19:30", "20:00"]
    assert all(s.reason == "FULL" for s in slots.values() if not s.available)


def test_lead_time_and_horizon() -> None:
    near = datetime(2026, 6, 12, 17, 45, tzinfo=UTC)
    slots = slots_for(2, [], now=near)
    assert [t for t, s in slots.items() if s.reason == "TOO_SOON"] == ["17:00", "17:30", "18:00", "18:30"]
    assert slots["19:00"].available  # exactly the lead time ahead
    far = slots_for(2, [], now=datetime(2026, 5, 12, 12, 0, tzinfo=UTC))  # 31 days before
    assert {s.reason for s in far.values()} == {"TOO_FAR"}
    staff = day_slots(FRIDAY, 2, rules=RULES, hours=every_day("17:00", "23:00"), closures=(), tables=TABLES,
                      held=[], now=datetime(2026, 5, 12, 12, 0, tzinfo=UTC), zone=UTC_ZONE, online=False)  # fmt: skip
    assert all(s.available for s in staff)


def test_cover_cap_counts_guests_arriving_in_the_slot() -> None:
    rules = BookingRules(interval=30, stay_default=90, lead_minutes=0, max_days=30, cover_cap=6)
    held = [Held("r1", "t-big", at("19:00"), at("20:30"), 4), Held("r2", "x", at("19:15"), at("20:45"), 1)]
    slots = slots_for(2, held, rules)
    assert slots["19:00"].reason == "COVER_CAP"  # 4 + 1 arriving 19:00-19:29, + 2 > 6
    assert slots["19:30"].available and slots["18:30"].available
    assert slots_for(1, held, rules)["19:00"].available


def test_stay_by_party_size_picks_the_first_threshold_that_seats_the_party() -> None:
    rules = BookingRules(stay_default=150, stay_by_size=((2, 75), (4, 90), (8, 120)))
    assert [rules.stay_minutes(n) for n in (1, 2, 3, 4, 5, 8, 9, 40)] == [75, 75, 90, 90, 120, 120, 150, 150]
    assert rules.longest_stay == 150


def test_day_note_says_why_nothing_is_available() -> None:
    def note(day: date, party: int = 2, closures: tuple[Closure, ...] = ()) -> str | None:
        found = day_slots(day, party, rules=RULES, hours=every_day("17:00", "23:00"), closures=closures,
                          tables=TABLES, held=[], now=NOW, zone=UTC_ZONE)  # fmt: skip
        return checks.day_note(day, party, found, rules=RULES, tables=TABLES, closures=closures, today=NOW.date())

    assert note(FRIDAY) is None
    assert note(NOW.date() - timedelta(days=1)) == "This date has passed; please choose another date."
    assert note(FRIDAY, closures=(Closure(FRIDAY, FRIDAY, "Closed for a wedding"),)) == "Closed for a wedding"
    assert note(FRIDAY, party=9) == "We have no table for 9; please call us to book."
    assert note(NOW.date() + timedelta(days=31)) == (
        "Tables can be booked up to 30 days ahead; please choose an earlier date."
    )


# ---------------------------------------------------------------- the workflow, exhaustively


EXPECTED = {
    ("PENDING", "CONFIRMED"), ("PENDING", "CANCELLED"), ("CONFIRMED", "SEATED"), ("CONFIRMED", "NO_SHOW"),
    ("CONFIRMED", "CANCELLED"), ("SEATED", "COMPLETED"),
}  # fmt: skip


def test_every_transition_is_allowed_or_refused_by_the_table() -> None:
    starts = NOW - timedelta(minutes=1)
    for previous, status in itertools.product(checks.STATUSES, repeat=2):
        if (previous, status) in EXPECTED:
            checks.check_transition(previous, status, starts_at=starts, now=NOW, zone=UTC_ZONE)
            continue
        with pytest.raises(ValidationFailed) as refused:
            checks.check_transition(previous, status, starts_at=starts, now=NOW, zone=UTC_ZONE)
        assert refused.value.code == "INVALID_TRANSITION"
        assert f"from {previous} to {status}" in refused.value.message


def test_no_show_only_once_the_time_has_come() -> None:
    later = NOW + timedelta(minutes=30)
    with pytest.raises(ValidationFailed, match="only once its time has come"):
        checks.check_transition("CONFIRMED", "NO_SHOW", starts_at=later, now=NOW, zone=UTC_ZONE)
    assert checks.next_statuses("CONFIRMED", starts_at=later, now=NOW) == ["SEATED", "CANCELLED"]
    assert checks.next_statuses("CONFIRMED", starts_at=NOW, now=NOW) == ["SEATED", "NO_SHOW", "CANCELLED"]


def test_a_guest_cancels_before_seating_and_until_the_cut_off() -> None:
    rules = BookingRules(cancel_notice_hours=2)
    starts = NOW + timedelta(hours=2)
    checks.check_guest_cancel("PENDING", starts, NOW, rules)
    checks.check_guest_cancel("CONFIRMED", starts, NOW, rules)
    with pytest.raises(ValidationFailed, match="until 2 hours before"):
        checks.check_guest_cancel("CONFIRMED", starts, NOW + timedelta(seconds=1), rules)
    with pytest.raises(ValidationFailed, match="SEATED and can no longer be cancelled"):
        checks.check_guest_cancel("SEATED", starts, NOW, rules)


# ---------------------------------------------------------------- properties


ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
DST_DAYS = [date(2026, 3, 8), date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 1), date(2026, 4, 5),
            date(2026, 10, 4), date(2026, 3, 9), date(2026, 10, 26)]  # fmt: skip
QUARTER = timedelta(minutes=15)


def _hhmm(quarters: int) -> str:
    quarters %= 96
    return f"{quarters // 4:02d}:{quarters % 4 * 15:02d}"


@st.composite
def weeks(draw: st.DrawFn) -> list[DayHours]:
    hours = []
    for day in range(7):
        for _ in range(draw(st.integers(0, 2))):
            start = draw(st.one_of(st.sampled_from([0, 4, 72, 88]), st.integers(0, 95)))  # midnight often
            length = draw(st.one_of(st.sampled_from([96, 24, 16]), st.integers(1, 96)))
            hours.append(DayHours(day, _hhmm(start), _hhmm(start + length)))
    return hours


def _open(hours: list[DayHours], closures: tuple[Closure, ...], moment: datetime, zone: ZoneInfo) -> bool:
    return is_open_at(hours, moment.astimezone(zone), closures)


def _run_start(hours: list[DayHours], closures: tuple[Closure, ...], wall: datetime, floor: datetime) -> datetime:
    """Walking back in wall-clock time: where the open run containing `wall` starts (not before `floor`)."""
    while wall > floor and is_open_at(hours, wall - QUARTER, closures):
        wall -= QUARTER
    return wall


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hours=weeks(),
    zone_name=st.sampled_from(ZONES),
    day=st.one_of(st.sampled_from(DST_DAYS), st.dates(date(2026, 1, 1), date(2026, 12, 31))),
    interval=st.sampled_from([15, 30, 45, 60, 90]),
    stay_quarters=st.integers(1, 40),
    closed=st.sampled_from([None, -1, 0, 1]),
)
def test_property_slots_are_exactly_the_grid_times_whose_whole_stay_is_open(
    hours: list[DayHours], zone_name: str, day: date, interval: int, stay_quarters: int, closed: int | None
) -> None:
    zone = ZoneInfo(zone_name)
    stay = timedelta(minutes=15 * stay_quarters)
    closures = () if closed is None else (Closure(day + timedelta(days=closed), day + timedelta(days=closed)),)
    grid = slot_grid(day, 15 * stay_quarters, interval, hours, closures, zone)
    midnight = datetime(day.year, day.month, day.day)
    floor = midnight - timedelta(days=1)
    offered = {}
    for hhmm, begins, ends in grid:
        wall = begins.astimezone(zone).replace(tzinfo=None)
        assert (wall.date(), f"{wall:%H:%M}") == (day, hhmm)  # the first moment the clock shows it
        assert ends - begins == stay
        moment = begins
        while moment < ends:  # soundness: every quarter of the stay is open
            assert _open(hours, closures, moment, zone), (hhmm, moment)
            moment += QUARTER
        start = _run_start(hours, closures, wall, floor)
        if start > floor:
            assert (wall - start) % timedelta(minutes=interval) == timedelta(0), (hhmm, start)
        offered[hhmm] = begins
    assert list(offered) == sorted(offered, key=lambda t: offered[t])  # in time order, each time once
    wall = midnight
    while wall < midnight + timedelta(days=1):  # completeness, on the runs that start after the floor
        begins = checks.to_instant(wall, zone)
        if begins is not None and is_open_at(hours, wall, closures):
            start = _run_start(hours, closures, wall, floor)
            on_grid = (wall - start) % timedelta(minutes=interval) == timedelta(0)
            whole = all(_open(hours, closures, begins + QUARTER * n, zone) for n in range(stay_quarters))
            if start > floor and on_grid and whole:
                assert f"{wall:%H:%M}" in offered, (wall, start)
        wall += QUARTER


@st.composite
def bookings(draw: st.DrawFn) -> tuple[list[Seat], list[Held]]:
    tables = [
        Seat(f"t{n}", f"Table {n}", draw(st.integers(1, 8)), is_active=draw(st.booleans()) or n == 0)
        for n in range(draw(st.integers(1, 5)))
    ]
    held = []
    for n in range(draw(st.integers(0, 12))):
        begins = datetime(2026, 6, 12, 16, 0, tzinfo=UTC) + QUARTER * draw(st.integers(0, 36))
        ends = begins + QUARTER * draw(st.integers(1, 16))
        table = draw(st.sampled_from([t.id for t in tables]))
        held.append(Held(f"r{n}", table, begins, ends, draw(st.integers(1, 8))))
    return tables, held


@settings(max_examples=200, deadline=None)
@given(
    setup=bookings(),
    party=st.integers(1, 8),
    lead=st.sampled_from([0, 30, 60, 240]),
    cap=st.sampled_from([0, 4, 10]),
    now_quarters=st.integers(-400, 200),
)
def test_property_availability_matches_a_brute_force_reading_of_the_tables(
    setup: tuple[list[Seat], list[Held]], party: int, lead: int, cap: int, now_quarters: int
) -> None:
    tables, held = setup
    rules = BookingRules(interval=30, stay_default=90, lead_minutes=lead, max_days=2, cover_cap=cap)
    now = datetime(2026, 6, 12, 12, 0, tzinfo=UTC) + QUARTER * now_quarters
    slots = day_slots(FRIDAY, party, rules=rules, hours=every_day("17:00", "23:00"), closures=(), tables=tables,
                      held=held, now=now, zone=UTC_ZONE)  # fmt: skip
    assert [s.time for s in slots] == times(FRIDAY, every_day("17:00", "23:00"))
    for slot in slots:
        free = [
            t for t in tables
            if t.is_active and t.capacity >= party
            and not any(h.table_id == t.id and max(h.starts_at, slot.starts_at) < min(h.ends_at, slot.ends_at)
                        for h in held)
        ]  # fmt: skip
        arriving = sum(
            h.party_size for h in held if slot.starts_at <= h.starts_at < slot.starts_at + timedelta(minutes=30)
        )
        if slot.starts_at < now + timedelta(minutes=lead):
            assert slot.reason == "TOO_SOON"
        elif now.date() + timedelta(days=2) < FRIDAY:
            assert slot.reason == "TOO_FAR"
        elif not free:
            assert slot.reason == "FULL"
        elif cap and arriving + party > cap:
            assert slot.reason == "COVER_CAP"
        else:
            assert slot.available and slot.table is not None
            assert slot.table in free and slot.table.capacity == min(t.capacity for t in free)
        assert slot.available == (slot.reason is None)
