"""The location, hours, closure, pause and table API shapes. Money is JSON numbers in major units (cents inside).

Numbers whose bounds are a business rule (busy extra minutes, pause minutes) are checked by `locations.checks`,
which refuses with a sentence naming the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from kitchenasty.core.validate import ImageUrl

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
SlugText = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
Phone = Annotated[str, msgspec.Meta(max_length=40)]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Address = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
City = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
State = Annotated[str, msgspec.Meta(max_length=120)]
PostalCode = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
Country = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{2}$")]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]
LeadTime = Annotated[int, msgspec.Meta(ge=0, le=24 * 60)]
BusyMessage = Annotated[str, msgspec.Meta(max_length=500)]
TimeText = Annotated[str, msgspec.Meta(max_length=5)]
TableName = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
Capacity = Annotated[int, msgspec.Meta(description="Seats, 1 to 1000")]


class OperatingHourIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    day_of_week: Annotated[int, msgspec.Meta(ge=0, le=6)]
    open_time: TimeText
    close_time: TimeText
    is_closed: bool = False


HoursList = Annotated[
    list[OperatingHourIn],
    msgspec.Meta(
        max_length=28,
        description="The whole week: one entry per opening range; a day may have several ranges (at most 4), which "
        "must not overlap; a day marked isClosed has that one entry only.",
    ),
]
ExtraMinutes = Annotated[int, msgspec.Meta(description="0 to 240 minutes added to the lead times while busy")]
DateText = Annotated[str, msgspec.Meta(max_length=10, description="A date, YYYY-MM-DD", examples=["2025-12-24"])]
ClosureNote = Annotated[str, msgspec.Meta(max_length=200)]


class LocationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`POST /api/locations`. Minimum orders and lead times default to the orders settings when left out."""

    name: Name
    slug: SlugText
    description: LongText | None = None
    phone: Phone | None = None
    email: Email | None = None
    address: Address
    city: City
    state: State | None = None
    postal_code: PostalCode
    country: Country = "US"
    lat: Latitude | None = None
    lng: Longitude | None = None
    image: ImageUrl | None = None
    is_active: bool = True
    delivery_enabled: bool = True
    pickup_enabled: bool = True
    dine_in_enabled: bool = True
    min_order_delivery: Decimal | None = None
    min_order_pickup: Decimal | None = None
    delivery_lead_time: LeadTime | None = None
    pickup_lead_time: LeadTime | None = None
    is_busy: bool = False
    busy_message: BusyMessage | None = None
    busy_extra_minutes: ExtraMinutes = 20
    operating_hours: HoursList | None = None


class LocationUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`PATCH /api/locations/{id}`: only the fields sent change; `operatingHours` replaces the whole week.
    Pausing and resuming have their own requests (`POST .../pause`, `.../resume`).

    `slug` is immutable: sending the current slug is accepted, another one is refused.
    """

    name: Name | msgspec.UnsetType = msgspec.UNSET
    slug: SlugText | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType | None = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    email: Email | msgspec.UnsetType | None = msgspec.UNSET
    address: Address | msgspec.UnsetType = msgspec.UNSET
    city: City | msgspec.UnsetType = msgspec.UNSET
    state: State | msgspec.UnsetType | None = msgspec.UNSET
    postal_code: PostalCode | msgspec.UnsetType = msgspec.UNSET
    country: Country | msgspec.UnsetType = msgspec.UNSET
    lat: Latitude | msgspec.UnsetType | None = msgspec.UNSET
    lng: Longitude | msgspec.UnsetType | None = msgspec.UNSET
    image: ImageUrl | msgspec.UnsetType | None = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
    delivery_enabled: bool | msgspec.UnsetType = msgspec.UNSET
    pickup_enabled: bool | msgspec.UnsetType = msgspec.UNSET
    dine_in_enabled: bool | msgspec.UnsetType = msgspec.UNSET
    min_order_delivery: Decimal | msgspec.UnsetType = msgspec.UNSET
    min_order_pickup: Decimal | msgspec.UnsetType = msgspec.UNSET
    delivery_lead_time: LeadTime | msgspec.UnsetType = msgspec.UNSET
    pickup_lead_time: LeadTime | msgspec.UnsetType = msgspec.UNSET
    is_busy: bool | msgspec.UnsetType = msgspec.UNSET
    busy_message: BusyMessage | msgspec.UnsetType | None = msgspec.UNSET
    busy_extra_minutes: ExtraMinutes | msgspec.UnsetType = msgspec.UNSET
    operating_hours: HoursList | msgspec.UnsetType = msgspec.UNSET


class OperatingHourOut(msgspec.Struct, kw_only=True, rename="camel"):
    day_of_week: int
    open_time: str
    close_time: str
    is_closed: bool


class LocationCounts(msgspec.Struct, kw_only=True, rename="camel"):
    tables: int
    orders: int
    menu_items: int


class TableOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    location_id: str
    name: str
    capacity: int
    is_active: bool
    created_at: str
    updated_at: str


class LocationOut(msgspec.Struct, kw_only=True, rename="camel"):
    """`isOpenNow`: open now by its weekly hours and closures; `isPaused`: online ordering is paused now
    (`pausedUntil` null: until resumed). Busy (`isBusy`) still takes orders, `busyExtraMinutes` later."""

    id: str
    name: str
    slug: str
    description: str | None
    phone: str | None
    email: str | None
    address: str
    city: str
    state: str | None
    postal_code: str
    country: str
    lat: float | None
    lng: float | None
    image: str | None
    is_active: bool
    delivery_enabled: bool
    pickup_enabled: bool
    dine_in_enabled: bool
    min_order_delivery: float
    min_order_pickup: float
    delivery_lead_time: int
    pickup_lead_time: int
    is_busy: bool
    busy_message: str | None
    busy_extra_minutes: int
    is_paused: bool
    paused_at: str | None
    paused_until: str | None
    pause_message: str | None
    is_open_now: bool
    operating_hours: list[OperatingHourOut]
    counts: LocationCounts = msgspec.field(name="_count")
    created_at: str
    updated_at: str


class LocationDetailOut(LocationOut, kw_only=True, rename="camel"):
    """`GET /api/locations/{id}`: a location with its tables."""

    tables: list[TableOut]


class TableIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    name: TableName
    capacity: Capacity
    is_active: bool = True


class TableUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    name: TableName | msgspec.UnsetType = msgspec.UNSET
    capacity: Capacity | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class ClosureIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`POST /api/locations/{id}/closures`: closed from `startDate` to `endDate` (both included; one day when left
    out), in restaurant-local dates; `note` is shown to guests ("Closed for the holidays")."""

    start_date: DateText
    end_date: DateText | None = None
    note: ClosureNote | None = None


class ClosureOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    location_id: str
    start_date: str
    end_date: str
    note: str | None
    created_at: str


class PauseIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`POST /api/locations/{id}/pause`: stop taking online orders for `minutes` (1 to 1440; left out: until
    resumed), telling guests `message`. Pausing again replaces the pause."""

    minutes: Annotated[int, msgspec.Meta(description="1 to 1440; leave out to pause until resumed")] | None = None
    message: BusyMessage | None = None
