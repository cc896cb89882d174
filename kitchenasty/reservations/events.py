"""The reservations domain's events. `reservation.created` and `reservation.statusChanged` are recorded in the
transaction that made the change (automation rules act on them) and published after commit; the other two are
in-process notifications the live `reservations` room forwards."""

from __future__ import annotations

from kitchenasty.core.events import DomainEvent, event_type
from kitchenasty.reservations.schemas import ReservationOut


@event_type
class ReservationCreated(DomainEvent, frozen=True):
    """A table was booked (online, by staff, or a walk-in). Payload: {"reservation": {...}}."""

    name = "reservation.created"
    reservation: ReservationOut


@event_type
class ReservationStatusChanged(DomainEvent, frozen=True):
    """A booking's status changed. Payload: {"reservation": {...}, "previousStatus": "PENDING"}."""

    name = "reservation.statusChanged"
    reservation: ReservationOut
    previous_status: str


class ReservationChanged(DomainEvent, frozen=True):
    """In-process: a booking changed otherwise (table, time, party, comment, flagged for reassignment)."""

    name = "reservation.changed"
    reservation: ReservationOut


class ReservationDeleted(DomainEvent, frozen=True):
    """In-process: staff deleted a booking."""

    name = "reservation.deleted"
    reservation_id: str
    location_id: str
