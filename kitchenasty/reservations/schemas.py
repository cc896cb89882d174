"""The reservation API shapes (camelCase JSON). `ReservationOut` is also what the events and the `reservations` room
carry ("the reservation as the API shows it")."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

ReservationStatus = Literal["PENDING", "CONFIRMED", "SEATED", "COMPLETED", "CANCELLED", "NO_SHOW"]
Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
DateText = Annotated[str, msgspec.Meta(max_length=10, description="A date, YYYY-MM-DD", examples=["2026-06-12"])]
TimeText = Annotated[str, msgspec.Meta(max_length=5, description="A time of day, HH:MM", examples=["19:30"])]
PartySize = Annotated[
    int, msgspec.Meta(ge=1, le=1000, description="Guests (online: reservations.minPartySize to maxPartySize)")
]
Comment = Annotated[str, msgspec.Meta(max_length=500)]
Name = Annotated[str, msgspec.Meta(max_length=120)]
EmailText = Annotated[str, msgspec.Meta(max_length=254)]
PhoneText = Annotated[str, msgspec.Meta(max_length=40)]


# ---------------------------------------------------------------- input


class ReservationIn(msgspec.Struct, kw_only=True, rename="camel"):
    """`POST /api/reservations`: a guest gives name, e-mail and phone; a signed-in customer books under their
    account (the guest fields are then ignored); staff book for a guest by phone (e-mail optional). Keys it does
    not know are ignored, as the original's clients send some."""

    location_id: Id
    date: DateText
    time: TimeText
    party_size: PartySize
    comment: Comment | None = None
    guest_name: Name | None = None
    guest_email: EmailText | None = None
    guest_phone: PhoneText | None = None


class WalkInIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`POST /api/reservations/walk-in` (staff): a party seated now, for its stay; `tableId` left out gives the
    smallest free table that seats it."""

    location_id: Id
    party_size: PartySize
    table_id: Id | None = None
    guest_name: Name | None = None
    guest_phone: PhoneText | None = None
    guest_email: EmailText | None = None
    comment: Comment | None = None


class ReservationUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`PATCH /api/reservations/{id}` (staff): only the fields sent change. `tableId` moves the booking to another
    table (refused with 409 when that table is taken for the stay); `date`, `time` and `partySize` reschedule a
    PENDING or CONFIRMED booking (keeping its table when it still fits and is free, else the smallest free one);
    `status` moves it along the workflow."""

    status: ReservationStatus | msgspec.UnsetType = msgspec.UNSET
    table_id: Id | msgspec.UnsetType = msgspec.UNSET
    date: DateText | msgspec.UnsetType = msgspec.UNSET
    time: TimeText | msgspec.UnsetType = msgspec.UNSET
    party_size: PartySize | msgspec.UnsetType = msgspec.UNSET
    comment: Comment | msgspec.UnsetType | None = msgspec.UNSET


# ---------------------------------------------------------------- output


class LocationRef(msgspec.Struct, kw_only=True):
    id: str
    name: str


class TableRef(msgspec.Struct, kw_only=True, rename="camel"):
    id: str | None
    name: str
    capacity: int | None
    is_active: bool


class CustomerRef(msgspec.Struct, kw_only=True):
    id: str
    name: str
    email: str
    phone: str | None = None


class ReservationOut(msgspec.Struct, kw_only=True, rename="camel"):
    """`startsAt`/`endsAt` are the stay in UTC (`date`/`time` the restaurant's wall clock). `nextStatuses` are the
    moves staff may make now; `cancellableUntil` is when the guest's manage link stops cancelling. `manageUrl` is
    the guest's page for this booking (`/reservations/manage/{id}?t=<manageToken>`)."""

    id: str
    location_id: str
    location: LocationRef
    table_id: str | None
    table: TableRef | None
    customer_id: str | None
    customer: CustomerRef | None
    customer_name: str
    guest_name: str | None
    guest_email: str | None
    guest_phone: str | None
    date: str
    time: str
    starts_at: str
    ends_at: str
    duration_minutes: int
    party_size: int
    status: ReservationStatus
    next_statuses: list[str]
    comment: str | None
    source: str
    needs_reassignment: bool
    manage_token: str
    manage_url: str
    cancellable_until: str
    created_at: str
    updated_at: str


class SlotOut(msgspec.Struct, kw_only=True):
    """`reason` when not available: TOO_SOON, TOO_FAR, FULL or COVER_CAP."""

    time: str
    available: bool
    reason: str | None = None


class AvailabilityOut(msgspec.Struct, kw_only=True, rename="camel"):
    """`GET /api/reservations/availability`: the date's table times for the party. `totalTables` counts the active
    tables that seat it; `note` says in a sentence why nothing is available (None when something is)."""

    location_id: str
    date: str
    party_size: int
    stay_minutes: int
    interval: int
    slots: list[SlotOut]
    total_tables: int
    note: str | None


class SummaryOut(msgspec.Struct, kw_only=True, rename="camel"):
    total_reservations: int
    total_guests: int
    avg_party_size: float
    completion_rate: float
    range_start: str
    range_end: str


class DailyOut(msgspec.Struct, kw_only=True):
    date: str
    reservations: int
    guests: int


class WeekdayOut(msgspec.Struct, kw_only=True):
    dow: int
    reservations: int
    guests: int


class PartySizeOut(msgspec.Struct, kw_only=True, rename="camel"):
    party_size: int
    count: int


class StatusCountOut(msgspec.Struct, kw_only=True):
    status: str
    count: int


class HourOut(msgspec.Struct, kw_only=True):
    hour: int
    reservations: int


class LeadTimeOut(msgspec.Struct, kw_only=True):
    bucket: str
    count: int


class AnalyticsOut(msgspec.Struct, kw_only=True, rename="camel"):
    """`GET /api/reservations/analytics` (reference §9.11): bookings dated from `days` days ago to `days` days
    ahead (restaurant-local dates)."""

    summary: SummaryOut
    daily_bookings: list[DailyOut]
    day_of_week_distribution: list[WeekdayOut]
    party_size_distribution: list[PartySizeOut]
    status_distribution: list[StatusCountOut]
    hourly_distribution: list[HourOut]
    lead_time_buckets: list[LeadTimeOut]
