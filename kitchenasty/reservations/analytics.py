"""Reservation trends (reference §9.11) as a pure function of the bookings in the range."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from kitchenasty.core.schema import iso
from kitchenasty.locations.hours import weekday_sunday0
from kitchenasty.reservations.checks import STATUSES
from kitchenasty.reservations.schemas import (
    AnalyticsOut,
    DailyOut,
    HourOut,
    LeadTimeOut,
    PartySizeOut,
    StatusCountOut,
    SummaryOut,
    WeekdayOut,
)

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 7, 365, 30
LEAD_BUCKETS = ("same-day", "1-2d", "3-7d", "8-14d", "15d+")
SEATED_OR_DONE = frozenset({"COMPLETED", "SEATED"})

Row = tuple[date, str, int, str, datetime]
"""(date, time, party size, status, created at): one booking."""


def clamp_days(days: int | None) -> int:
    """`days` clamped to 7-365 (30 when left out), as the original."""
    return DEFAULT_DAYS if days is None else max(MIN_DAYS, min(MAX_DAYS, days))


def date_range(today: date, days: int) -> tuple[date, date]:
    """From `days` days ago to `days` days ahead (future bookings count too)."""
    return today - timedelta(days=days), today + timedelta(days=days)


def lead_bucket(days_ahead: int) -> str:
    if days_ahead <= 0:
        return "same-day"
    if days_ahead <= 2:
        return "1-2d"
    if days_ahead <= 7:
        return "3-7d"
    if days_ahead <= 14:
        return "8-14d"
    return "15d+"


def analytics(rows: Sequence[Row], first: date, last: date, zone: tzinfo) -> AnalyticsOut:
    """Totals and distributions of the bookings dated `first` to `last` (every date of the range listed, zero
    ones included; days of the week 0 = Sunday; lead time = booked date minus the local date it was made)."""
    total = len(rows)
    guests = sum(r[2] for r in rows)
    daily: dict[date, list[int]] = {first + timedelta(days=n): [0, 0] for n in range((last - first).days + 1)}
    weekdays = {dow: [0, 0] for dow in range(7)}
    sizes: Counter[int] = Counter()
    statuses: Counter[str] = Counter()
    hours: Counter[int] = Counter()
    leads: Counter[str] = Counter()
    for day, at, party, status, created in rows:
        daily.setdefault(day, [0, 0])
        daily[day][0] += 1
        daily[day][1] += party
        dow = weekday_sunday0(day)
        weekdays[dow][0] += 1
        weekdays[dow][1] += party
        sizes[party] += 1
        statuses[status] += 1
        hours[int(at.split(":", 1)[0])] += 1
        leads[lead_bucket((day - created.astimezone(zone).date()).days)] += 1
    done = sum(1 for r in rows if r[3] in SEATED_OR_DONE)
    start = datetime.combine(first, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last, time.max, tzinfo=zone).astimezone(UTC)
    return AnalyticsOut(
        summary=SummaryOut(
            total_reservations=total,
            total_guests=guests,
            avg_party_size=round(guests / total, 2) if total else 0.0,
            completion_rate=round(done / total, 4) if total else 0.0,
            range_start=iso(start) or "",
            range_end=iso(end) or "",
        ),
        daily_bookings=[DailyOut(date=d.isoformat(), reservations=n, guests=g) for d, (n, g) in sorted(daily.items())],
        day_of_week_distribution=[WeekdayOut(dow=d, reservations=n, guests=g) for d, (n, g) in weekdays.items()],
        party_size_distribution=[PartySizeOut(party_size=p, count=n) for p, n in sorted(sizes.items())],
        status_distribution=[StatusCountOut(status=s, count=statuses[s]) for s in STATUSES],
        hourly_distribution=[HourOut(hour=h, reservations=n) for h, n in sorted(hours.items())],
        lead_time_buckets=[LeadTimeOut(bucket=b, count=leads[b]) for b in LEAD_BUCKETS],
    )
