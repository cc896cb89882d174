"""One function per response shape of the locations API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from kitchenasty.core.money import from_cents
from kitchenasty.core.schema import iso
from kitchenasty.locations.checks import is_paused
from kitchenasty.locations.hours import Closure, is_open_at
from kitchenasty.locations.models import DiningTable, Location, LocationClosure, OperatingHour
from kitchenasty.locations.queries import day_hours
from kitchenasty.locations.schemas import (
    ClosureOut,
    LocationCounts,
    LocationDetailOut,
    LocationOut,
    OperatingHourOut,
    TableOut,
)


def decimal_or_none(value: float | None) -> Decimal | None:
    """A latitude or longitude as sent (a JSON number) to the stored decimal."""
    return None if value is None else Decimal(str(value))


def _float_or_none(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def table_out(table: DiningTable) -> TableOut:
    return TableOut(
        id=table.id,
        location_id=table.location_id,
        name=table.name,
        capacity=table.capacity,
        is_active=table.is_active,
        created_at=iso(table.created_at) or "",
        updated_at=iso(table.updated_at) or "",
    )


def closure_out(row: LocationClosure) -> ClosureOut:
    return ClosureOut(
        id=row.id,
        location_id=row.location_id,
        start_date=row.start_date.isoformat(),
        end_date=row.end_date.isoformat(),
        note=row.note,
        created_at=iso(row.created_at) or "",
    )


def _location_fields(
    loc: Location,
    hours: Sequence[OperatingHour],
    closures: Sequence[Closure],
    counts: LocationCounts,
    now: datetime,
) -> dict[str, Any]:
    """`now` is the restaurant's local time."""
    paused = is_paused(loc, now)
    return {
        "id": loc.id,
        "name": loc.name,
        "slug": loc.slug,
        "description": loc.description,
        "phone": loc.phone,
        "email": loc.email,
        "address": loc.address,
        "city": loc.city,
        "state": loc.state,
        "postal_code": loc.postal_code,
        "country": loc.country,
        "lat": _float_or_none(loc.lat),
        "lng": _float_or_none(loc.lng),
        "image": loc.image,
        "is_active": loc.is_active,
        "delivery_enabled": loc.delivery_enabled,
        "pickup_enabled": loc.pickup_enabled,
        "dine_in_enabled": loc.dine_in_enabled,
        "min_order_delivery": from_cents(loc.min_order_delivery_cents),
        "min_order_pickup": from_cents(loc.min_order_pickup_cents),
        "delivery_lead_time": loc.delivery_lead_time,
        "pickup_lead_time": loc.pickup_lead_time,
        "is_busy": loc.is_busy,
        "busy_message": loc.busy_message,
        "busy_extra_minutes": loc.busy_extra_minutes,
        "is_paused": paused,
        "paused_at": iso(loc.paused_at) if paused else None,
        "paused_until": iso(loc.paused_until) if paused else None,
        "pause_message": loc.pause_message if paused else None,
        "is_open_now": is_open_at(day_hours(hours), now, closures),
        "operating_hours": [
            OperatingHourOut(
                day_of_week=h.day_of_week, open_time=h.open_time, close_time=h.close_time, is_closed=h.is_closed
            )
            for h in sorted(hours, key=lambda h: (h.day_of_week, h.open_time))
        ],
        "counts": counts,
        "created_at": iso(loc.created_at) or "",
        "updated_at": iso(loc.updated_at) or "",
    }


def location_out(
    loc: Location, hours: Sequence[OperatingHour], closures: Sequence[Closure], counts: LocationCounts, now: datetime
) -> LocationOut:
    return LocationOut(**_location_fields(loc, hours, closures, counts, now))


def location_detail_out(
    loc: Location,
    hours: Sequence[OperatingHour],
    closures: Sequence[Closure],
    counts: LocationCounts,
    now: datetime,
    tables: Sequence[DiningTable],
) -> LocationDetailOut:
    return LocationDetailOut(
        **_location_fields(loc, hours, closures, counts, now), tables=[table_out(table) for table in tables]
    )
