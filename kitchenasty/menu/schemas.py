"""The menu API shapes: categories (a tree), items with option groups, allergens, mealtimes, and the storefront's
whole-menu read. Money is JSON numbers in major units (cents inside)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from kitchenasty.core.validate import ImageUrl
from kitchenasty.menu.checks import DisplayType, ItemAvailability, UnavailableReason

OrderTypeValue = Literal["DELIVERY", "PICKUP", "DINE_IN"]

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
SlugText = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
SortOrder = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
StockQty = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
TimeText = Annotated[str, msgspec.Meta(max_length=5)]
Day = Annotated[int, msgspec.Meta(ge=0, le=6)]
Days = Annotated[list[Day], msgspec.Meta(min_length=1, max_length=7)]
IdList = Annotated[list[Id], msgspec.Meta(max_length=100)]
AllergenName = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
MealtimeName = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]


class Counts(msgspec.Struct, kw_only=True, rename="camel", omit_defaults=True):
    """The original's `_count` object; only the counts that make sense for the resource are present."""

    menu_items: int | msgspec.UnsetType = msgspec.UNSET
    options: int | msgspec.UnsetType = msgspec.UNSET
    allergens: int | msgspec.UnsetType = msgspec.UNSET
    mealtimes: int | msgspec.UnsetType = msgspec.UNSET


# ---------------------------------------------------------------- categories


class CategoryIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    name: Name
    slug: SlugText
    description: LongText | None = None
    image: ImageUrl | None = None
    sort_order: SortOrder = 0
    is_active: bool = True
    parent_id: Id | None = None
    location_id: Id | None = None


class CategoryUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """Partial; `slug` is immutable (sending the current one is accepted)."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    slug: SlugText | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType | None = msgspec.UNSET
    image: ImageUrl | msgspec.UnsetType | None = msgspec.UNSET
    sort_order: SortOrder | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
    parent_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    location_id: Id | msgspec.UnsetType | None = msgspec.UNSET


class CategoryOrderIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`PUT /api/menu/categories/order`: every category directly under `parentId` (null: the top level), in their
    new order."""

    parent_id: Id | None = None
    ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=500)]


class RepriceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`POST /api/menu/categories/{id}/reprice`: every item's price changed by `percent` (-50 to +200, two decimals
    at most), rounded half up to the cent or to a multiple of `roundTo` (0.01 to 100.00); with
    `includeSubcategories` the items of every category below it too; with `includeModifiers` the option values'
    price modifiers change by the same percentage."""

    percent: Decimal
    include_subcategories: bool = False
    include_modifiers: bool = False
    round_to: Decimal | None = None


class ModifierChangeOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    option: str
    value: str
    before: float
    after: float


class PriceChangeOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    before: float
    after: float
    modifiers: list[ModifierChangeOut]


class RepriceOut(msgspec.Struct, kw_only=True, rename="camel"):
    """What a reprice changed: `count` items, each with its price before and after (and its modifiers')."""

    count: int
    items: list[PriceChangeOut]


class CategoryRef(msgspec.Struct, kw_only=True):
    id: str
    name: str
    slug: str


class CategoryOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    slug: str
    description: str | None
    image: str | None
    sort_order: int
    is_active: bool
    parent_id: str | None
    location_id: str | None
    counts: Counts = msgspec.field(name="_count")
    created_at: str
    updated_at: str


class CategoryTreeOut(CategoryOut, kw_only=True, rename="camel"):
    """`GET /api/menu/categories`: a root category with its subcategories, recursively."""

    children: list[CategoryTreeOut]


class ItemBrief(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    slug: str
    price: float
    image: str | None
    is_active: bool
    sort_order: int
    track_stock: bool
    stock_qty: int
    is_sold_out: bool
    counts: Counts = msgspec.field(name="_count")


class CategoryDetailOut(CategoryOut, kw_only=True, rename="camel"):
    """`GET /api/menu/categories/{id}`: a category with its parent, direct children and items."""

    parent: CategoryRef | None
    children: list[CategoryOut]
    menu_items: list[ItemBrief]


# ---------------------------------------------------------------- items


class OptionValueIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """A value of an option group. Send `id` to keep an existing value (it stays the same row)."""

    id: Id | None = None
    name: Name
    price_modifier: Decimal = Decimal(0)
    is_default: bool = False
    sort_order: SortOrder | None = None  # default: its position in the list


class OptionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """An option group. Send `id` to keep an existing group; groups and values left out are retired."""

    id: Id | None = None
    name: Name
    display_type: DisplayType = "SELECT"
    is_required: bool = False
    min_select: Annotated[int, msgspec.Meta(ge=0, le=100)] = 0
    max_select: Annotated[int, msgspec.Meta(ge=1, le=100)] = 1
    sort_order: SortOrder | None = None  # default: its position in the list
    values: Annotated[list[OptionValueIn], msgspec.Meta(min_length=1, max_length=50)]


OptionList = Annotated[list[OptionIn], msgspec.Meta(max_length=30)]


class MenuItemIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    name: Name
    slug: SlugText
    description: LongText | None = None
    price: Decimal
    image: ImageUrl | None = None
    is_active: bool = True
    sort_order: SortOrder = 0
    track_stock: bool = False
    stock_qty: StockQty = 0
    order_type: OrderTypeValue | None = None
    category_id: Id
    location_id: Id | None = None
    options: OptionList = []
    allergen_ids: IdList = []
    mealtime_ids: IdList = []
    station_id: Id | None = None
    """The kitchen station that prepares it; None follows its category's station."""


class MenuItemUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """Partial; `slug` is immutable. `options`, `allergenIds`, `mealtimeIds` replace their set when present.

    Options and values sent with their `id` keep it; those left out are retired (hidden, never deleted, because
    orders keep pointing at the values they were placed with).
    """

    name: Name | msgspec.UnsetType = msgspec.UNSET
    slug: SlugText | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType | None = msgspec.UNSET
    price: Decimal | msgspec.UnsetType = msgspec.UNSET
    image: ImageUrl | msgspec.UnsetType | None = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
    sort_order: SortOrder | msgspec.UnsetType = msgspec.UNSET
    track_stock: bool | msgspec.UnsetType = msgspec.UNSET
    stock_qty: StockQty | msgspec.UnsetType = msgspec.UNSET
    order_type: OrderTypeValue | msgspec.UnsetType | None = msgspec.UNSET
    category_id: Id | msgspec.UnsetType = msgspec.UNSET
    location_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    options: OptionList | msgspec.UnsetType = msgspec.UNSET
    allergen_ids: IdList | msgspec.UnsetType = msgspec.UNSET
    mealtime_ids: IdList | msgspec.UnsetType = msgspec.UNSET
    station_id: Id | msgspec.UnsetType | None = msgspec.UNSET


class OptionValueOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    price_modifier: float
    is_default: bool
    sort_order: int


class OptionOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    display_type: str
    is_required: bool
    min_select: int
    max_select: int
    sort_order: int
    values: list[OptionValueOut]


class AllergenRef(msgspec.Struct, kw_only=True):
    id: str
    name: str


class MealtimeRef(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    start_time: str
    end_time: str
    days: list[int]


class CategoryName(msgspec.Struct, kw_only=True):
    id: str
    name: str


class MenuItemListOut(msgspec.Struct, kw_only=True, rename="camel"):
    """`GET /api/menu/items`: every item (inactive and sold-out ones too) with its category and counts.
    `isSoldOut` is the back office's flag; `availability` sums up what the storefront makes of the item (see
    `ItemAvailability`)."""

    id: str
    name: str
    slug: str
    description: str | None
    price: float
    image: str | None
    is_active: bool
    sort_order: int
    track_stock: bool
    stock_qty: int
    is_sold_out: bool
    availability: ItemAvailability
    order_type: str | None
    category_id: str
    location_id: str | None
    category: CategoryName
    counts: Counts = msgspec.field(name="_count")
    created_at: str
    updated_at: str
    station_id: str | None = None


class MenuItemOut(msgspec.Struct, kw_only=True, rename="camel"):
    """An item with its current option groups, allergens and mealtimes (retired options are not shown)."""

    id: str
    name: str
    slug: str
    description: str | None
    price: float
    image: str | None
    is_active: bool
    sort_order: int
    track_stock: bool
    stock_qty: int
    is_sold_out: bool
    availability: ItemAvailability
    order_type: str | None
    category_id: str
    location_id: str | None
    category: CategoryName
    options: list[OptionOut]
    allergens: list[AllergenRef]
    mealtimes: list[MealtimeRef]
    created_at: str
    updated_at: str
    station_id: str | None = None


class ItemFilter(msgspec.Struct, kw_only=True, frozen=True):
    category_id: str | None = None
    include_subcategories: bool = False
    search: str | None = None


# ---------------------------------------------------------------- allergens and mealtimes


class AllergenIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: AllergenName


class AllergenOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    counts: Counts = msgspec.field(name="_count")


class MealtimeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """An availability window: items linked to mealtimes sell only inside one of their active windows."""

    name: MealtimeName
    start_time: TimeText
    end_time: TimeText
    days: Days
    is_active: bool = True
    location_id: Id | None = None


class MealtimeUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    name: MealtimeName | msgspec.UnsetType = msgspec.UNSET
    start_time: TimeText | msgspec.UnsetType = msgspec.UNSET
    end_time: TimeText | msgspec.UnsetType = msgspec.UNSET
    days: Days | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
    location_id: Id | msgspec.UnsetType | None = msgspec.UNSET


class MealtimeOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    start_time: str
    end_time: str
    days: list[int]
    is_active: bool
    location_id: str | None
    counts: Counts = msgspec.field(name="_count")
    created_at: str
    updated_at: str


# ---------------------------------------------------------------- the storefront's whole menu


class StoreLocation(msgspec.Struct, kw_only=True, rename="camel"):
    """`openingNote` ("Open now · until 22:00", "Closed now · opens at 17:00", "Closed for the holidays · opens
    Friday at 11:00", "Not taking orders now · back at 19:30") and `hoursToday` ("Today: 11:30–14:30, 17:30–22:00",
    "Closed today"; null while no hours are set) are sentences for guests, in restaurant time; `opensAt`/`closesAt`
    (ISO 8601 with the restaurant's offset) the next opening when closed, the closing when open (null: none within
    a week). `isOpenNow` is whether orders are taken now: false on a closed date and while ordering is paused
    (`isPaused`, with the owner's `pauseMessage`; `opensAt` is then when the pause ends). While busy (`isBusy`)
    orders are taken and the lead times shown include the busy extra minutes."""

    id: str
    name: str
    slug: str
    is_open_now: bool
    opening_note: str
    hours_today: str | None
    opens_at: str | None
    closes_at: str | None
    is_busy: bool
    busy_message: str | None
    is_paused: bool
    pause_message: str | None
    delivery_enabled: bool
    pickup_enabled: bool
    dine_in_enabled: bool
    min_order_delivery: float
    min_order_pickup: float
    delivery_lead_time: int
    pickup_lead_time: int


class StoreItem(msgspec.Struct, kw_only=True, rename="camel"):
    """`unavailableReason` is for programs (`OUT_OF_STOCK`, `NOT_NOW`); `availabilityNote` says it to a guest
    ("Sold out", "Served 11:00–15:00 (Lunch)"); both null while the item can be ordered."""

    id: str
    name: str
    slug: str
    description: str | None
    price: float
    image: str | None
    category_id: str
    is_available: bool
    unavailable_reason: UnavailableReason | None
    availability_note: str | None
    track_stock: bool
    stock_qty: int
    order_type: OrderTypeValue | None
    allergens: list[AllergenRef]
    mealtimes: list[MealtimeRef]
    options: list[OptionOut]


class StoreCategory(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    slug: str
    description: str | None
    image: str | None
    sort_order: int
    parent_id: str | None
    children: list[StoreCategory]
    items: list[StoreItem]


class StoreMenu(msgspec.Struct, kw_only=True):
    """`GET /api/menu`: one location's orderable menu (active categories, items, options and values only)."""

    location: StoreLocation
    categories: list[StoreCategory]
