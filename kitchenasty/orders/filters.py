"""The staff order list's filters (status, type, location, date range, search), shared by the list and its CSV
export so that both always select the same orders. Dates are restaurant-local days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kitchenasty.orders import queries
from kitchenasty.orders.checks import clean, refuse
from kitchenasty.orders.schemas import ORDER_STATUSES


def filter_moment(text: str, name: str, tz: ZoneInfo, *, end: bool) -> datetime:
    """A filter bound: a date is a whole restaurant-local day (`to` includes it); a date-time is exact."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            start = datetime.combine(date.fromisoformat(raw), time.min, tzinfo=tz)
            return (start + timedelta(days=1) if end else start).astimezone(UTC)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise refuse(f"{name} must be an ISO date (2025-11-25) or date-time", "INVALID_DATE") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC) + (timedelta(microseconds=1) if end else timedelta(0))


def status_filter(status: str | None, known: Sequence[str]) -> list[str]:
    """A comma list of statuses, upper-cased; an unknown one is a 400 that lists the valid ones."""
    wanted = [s.strip().upper() for s in (status or "").split(",") if s.strip()]
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise refuse(f"Invalid status: {', '.join(unknown)}. Must be one of: {', '.join(known)}", "INVALID_STATUS")
    return wanted


def list_filters(
    tz: ZoneInfo,
    status: str | None,
    order_type: str | None,
    location_id: str | None,
    date_from: str | None,
    date_to: str | None,
    search: str | None,
) -> list[Any]:
    """The staff list's query parameters as conditions (the list and the CSV export share them)."""
    return queries.list_conditions(
        statuses=status_filter(status, ORDER_STATUSES),
        order_type=order_type,
        location_id=location_id,
        created_from=filter_moment(date_from, "from", tz, end=False) if date_from else None,
        created_before=filter_moment(date_to, "to", tz, end=True) if date_to else None,
        number=None,
        search=clean(search),
    )
