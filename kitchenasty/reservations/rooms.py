"""The `reservations` room: every staff screen following bookings (the admin's day view). Committed booking changes
become room messages carrying the whole reservation as the API shows it:

- `reservation.created`: booked online, by staff, or a walk-in;
- `reservation.updated`: its status changed, it moved table or time, or it was flagged for reassignment;
- `reservation.deleted`: `{"id", "locationId"}`.

The room is staff-only (`ws /api/ws/reservations`); `kitchenasty.services` subscribes these handlers.
"""

from __future__ import annotations

from kitchenasty.core.realtime import RoomPublisher, encode_json, frame_head
from kitchenasty.reservations.events import (
    ReservationChanged,
    ReservationCreated,
    ReservationDeleted,
    ReservationStatusChanged,
)

RESERVATIONS_ROOM = "reservations"
LASTING_ROOMS = frozenset({RESERVATIONS_ROOM})
CREATED = "reservation.created"
UPDATED = "reservation.updated"
DELETED = "reservation.deleted"


class ReservationRooms:
    def __init__(self, publisher: RoomPublisher) -> None:
        self.publisher = publisher

    def on_created(self, event: ReservationCreated) -> None:
        self.publisher.publish(frame_head(CREATED, encode_json(event.reservation)), [RESERVATIONS_ROOM])

    def on_changed(self, event: ReservationStatusChanged | ReservationChanged) -> None:
        self.publisher.publish(frame_head(UPDATED, encode_json(event.reservation)), [RESERVATIONS_ROOM])

    def on_deleted(self, event: ReservationDeleted) -> None:
        data = encode_json({"id": event.reservation_id, "locationId": event.location_id})
        self.publisher.publish(frame_head(DELETED, data), [RESERVATIONS_ROOM])
