"""One function per response shape of the reservations API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from kitchenasty.core.schema import iso
from kitchenasty.reservations.checks import BookingRules, Slot, cancel_deadline, next_statuses
from kitchenasty.reservations.schemas import (
    AvailabilityOut,
    CustomerRef,
    LocationRef,
    ReservationOut,
    SlotOut,
    TableRef,
)

MANAGE_PATH = "/reservations/manage/{id}?t={token}"


def manage_path(reservation_id: str, token: str) -> str:
    """The guest's page for one booking (the manage link; e-mails put the site's address in front)."""
    return MANAGE_PATH.format(id=reservation_id, token=token)


def reservation_out(row: Any, *, now: datetime, rules: BookingRules) -> ReservationOut:
    """`row`: a `queries.rows` row (the reservation, its location's name, its table's capacity and state, and its
    customer's name, e-mail and phone)."""
    r = row[0]
    customer = (
        CustomerRef(id=r.customer_id, name=row.c_name, email=row.c_email, phone=row.c_phone)
        if r.customer_id is not None and row.c_name is not None
        else None
    )
    table = None
    if r.table_name is not None:
        table = TableRef(
            id=r.table_id,
            name=r.table_name,
            capacity=row.table_capacity,
            is_active=bool(row.table_active) if r.table_id is not None else False,
        )
    return ReservationOut(
        id=r.id,
        location_id=r.location_id,
        location=LocationRef(id=r.location_id, name=row.location_name),
        table_id=r.table_id,
        table=table,
        customer_id=r.customer_id,
        customer=customer,
        customer_name=(customer.name if customer else None) or r.guest_name or "",
        guest_name=r.guest_name,
        guest_email=r.guest_email,
        guest_phone=r.guest_phone,
        date=r.date.isoformat(),
        time=r.time,
        starts_at=iso(r.starts_at) or "",
        ends_at=iso(r.ends_at) or "",
        duration_minutes=r.duration_minutes,
        party_size=r.party_size,
        status=r.status,
        next_statuses=next_statuses(r.status, starts_at=r.starts_at, now=now),
        comment=r.comment,
        source=r.source,
        needs_reassignment=r.needs_reassignment,
        manage_token=r.manage_token,
        manage_url=manage_path(r.id, r.manage_token),
        cancellable_until=iso(cancel_deadline(r.starts_at, rules)) or "",
        created_at=iso(r.created_at) or "",
        updated_at=iso(r.updated_at) or "",
    )


def availability_out(
    location_id: str,
    day: str,
    party_size: int,
    stay_minutes: int,
    rules: BookingRules,
    slots: Sequence[Slot],
    total_tables: int,
    note: str | None,
) -> AvailabilityOut:
    return AvailabilityOut(
        location_id=location_id,
        date=day,
        party_size=party_size,
        stay_minutes=stay_minutes,
        interval=rules.interval,
        slots=[SlotOut(time=s.time, available=s.available, reason=s.reason) for s in slots],
        total_tables=total_tables,
        note=note,
    )
