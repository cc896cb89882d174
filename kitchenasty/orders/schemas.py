"""The order API shapes. `OrderOut` is also what events and WebSocket rooms carry ("the order as the API shows it").

Amounts are JSON numbers in major units (12.99); inside they are cents. Client-sent prices are ignored: option
entries may carry the original clients' `name`/`value`/`priceModifier`, which are accepted and not read.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, get_args

import msgspec

OrderType = Literal["DELIVERY", "PICKUP", "DINE_IN"]
OrderStatus = Literal[
    "PENDING", "CONFIRMED", "PREPARING", "READY", "OUT_FOR_DELIVERY", "DELIVERED", "PICKED_UP", "CANCELLED"
]
ORDER_STATUSES: tuple[str, ...] = get_args(OrderStatus)
ACTIVE_STATUSES: tuple[str, ...] = ("PENDING", "CONFIRMED", "PREPARING", "READY", "OUT_FOR_DELIVERY")
KITCHEN_STATUSES: tuple[str, ...] = ("PENDING", "CONFIRMED", "PREPARING", "READY")
TERMINAL_STATUSES: tuple[str, ...] = ("DELIVERED", "PICKED_UP", "CANCELLED")
PaymentState = Literal["UNPAID", "PENDING", "PAID", "PARTIALLY_REFUNDED", "REFUNDED"]
"""An order's `paymentStatus` (kept by the payments domain)."""

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Text = Annotated[str, msgspec.Meta(max_length=500)]
ShortText = Annotated[str, msgspec.Meta(max_length=120)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=100)]
# msgspec cannot bound a Decimal: the service refuses negative, non-finite, too large or over-precise amounts (400).
Amount = Annotated[Decimal, msgspec.Meta(description="An amount in major units, at most 2 decimals, >= 0")]


# ---------------------------------------------------------------- input


class OrderOptionIn(msgspec.Struct, kw_only=True):
    """A chosen option value. Any other keys (name, value, priceModifier from older clients) are ignored."""

    menu_option_value_id: Id = msgspec.field(name="menuOptionValueId")


class OrderItemIn(msgspec.Struct, kw_only=True, rename="camel"):
    menu_item_id: Id
    quantity: Quantity
    comment: Text | None = None
    options: Annotated[list[OrderOptionIn], msgspec.Meta(max_length=50)] = []


class AddressIn(msgspec.Struct, kw_only=True, rename="camel"):
    """A delivery address. Like the rest of the order body, keys it does not know (country, ...) are ignored."""

    line1: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    line2: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    city: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    postal_code: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    zip: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    state: Annotated[str, msgspec.Meta(max_length=120)] | None = None
    notes: Text | None = None
    lat: float | None = None
    lng: float | None = None


class OrderIn(msgspec.Struct, kw_only=True, rename="camel"):
    """`POST /api/orders` and `POST /api/orders/quote`. Unknown keys (e.g. client prices) are ignored."""

    order_type: OrderType
    items: Annotated[list[OrderItemIn], msgspec.Meta(min_length=1, max_length=100)]
    location_id: Id | None = None
    comment: Text | None = None
    scheduled_at: datetime | None = None
    coupon_code: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    tip: Amount | None = None
    address: AddressIn | None = None
    table_id: Id | None = None
    guest_name: ShortText | None = None
    guest_email: Annotated[str, msgspec.Meta(max_length=254)] | None = None
    guest_phone: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    payment_method: Literal["CASH", "STRIPE", "PAYPAL"] = "CASH"
    """How the guest means to pay; STRIPE and PAYPAL orders are paid afterwards through `/api/payments`."""


PrepState = Literal["QUEUED", "PREPARING", "DONE"]
PREP_STATES: tuple[str, ...] = get_args(PrepState)


class PrepIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`PATCH /api/orders/{id}/items/{itemId}/prep`: the state wanted and what the screen saw (one of the two):
    `expectedVersion` (the item's `prepVersion`) or `from` (its `prepState`)."""

    state: PrepState
    expected_version: Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)] | None = None
    from_state: PrepState | None = msgspec.field(default=None, name="from")


REASON_MAX_CHARS = 200


class VoidIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000, description="Why the item comes off.")]


class StatusIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: OrderStatus
    reason: (
        Annotated[
            str,
            msgspec.Meta(
                description=f"Why (a cancellation's reason, say): at most {REASON_MAX_CHARS} characters once "
                "trimmed; kept in the order's history."
            ),
        ]
        | None
    ) = None


# ---------------------------------------------------------------- output


class OrderItemOptionOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    menu_option_value_id: str
    name: str
    value: str
    price_modifier: float


class OrderItemOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    menu_item_id: str
    name: str
    quantity: int
    unit_price: float
    subtotal: float
    comment: str | None
    options: list[OrderItemOptionOut]
    prep_state: PrepState = "QUEUED"
    """The item's preparation on the kitchen line: QUEUED, PREPARING or DONE."""
    prep_version: int = 0
    """Rises by one per change of `prepState`: what a change sends back as `expectedVersion`. (Defaults: events
    recorded before the kitchen line read back as they were.)"""
    prep_changed_at: str | None = None
    station_id: str | None = None
    """The kitchen station that prepares this line (set when the order was placed); None: expo only."""
    voided: bool = False
    """Taken off the order after it was placed (shown struck through); its amount is no longer in the totals."""


class PartyRef(msgspec.Struct, kw_only=True):
    id: str
    name: str
    email: str
    phone: str | None = None


class LocationRef(msgspec.Struct, kw_only=True):
    id: str
    name: str


class AddressOut(msgspec.Struct, kw_only=True, rename="camel"):
    line1: str
    line2: str | None
    city: str
    postal_code: str | None
    state: str | None
    notes: str | None


class OrderOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    order_number: str
    tracking_token: str
    status: OrderStatus
    next_status: OrderStatus | None
    """The kitchen display's one-tap forward step (None once the order is finished or cancelled)."""
    order_type: OrderType
    location_id: str
    location: LocationRef
    customer_id: str | None
    customer: PartyRef | None
    customer_name: str
    guest_name: str | None
    guest_email: str | None
    guest_phone: str | None
    delivery_address: AddressOut | None
    table_id: str | None
    table_name: str | None
    scheduled_at: str | None
    comment: str | None
    coupon_code: str | None
    payment_method: str
    payment_status: PaymentState = "UNPAID"
    subtotal: float
    discount: float
    delivery_fee: float
    tax: float
    tax_rate: float
    tip: float
    total: float
    items: list[OrderItemOut]
    created_at: str
    updated_at: str
    acknowledged_at: str | None = None
    """When a staff member acknowledged the new order on a kitchen display (null: its alert still repeats)."""
    acknowledged_by: str | None = None
    """The id of the staff member who acknowledged it."""


class QuoteLineOut(msgspec.Struct, kw_only=True, rename="camel"):
    menu_item_id: str
    name: str
    quantity: int
    unit_price: float
    subtotal: float
    options: list[OrderItemOptionOut]


class QuoteOut(msgspec.Struct, kw_only=True, rename="camel"):
    """`POST /api/orders/quote`: the server's totals for a cart; nothing is written."""

    items: list[QuoteLineOut]
    subtotal: float
    discount: float
    delivery_fee: float
    tax: float
    tax_rate: float
    tip: float
    total: float
    coupon_code: str | None
    free_delivery: bool


class ActorOut(msgspec.Struct, kw_only=True):
    """Who made a status change: a staff member (`role` SUPER_ADMIN, MANAGER or STAFF, as it is now) or a customer
    (`role` CUSTOMER); `role` is null and `name` says so when the account no longer exists."""

    id: str
    name: str
    role: str | None


class StatusChangeOut(msgspec.Struct, kw_only=True):
    """`GET /api/orders/{id}/history`: one step of the order's status, oldest first. `by` is null for a guest."""

    status: OrderStatus
    at: str
    by: ActorOut | None
    reason: str | None


DeliveryKind = Literal["email", "sms", "webhook"]


class OrderDeliveryOut(msgspec.Struct, kw_only=True, rename="camel"):
    """`GET /api/orders/{id}/deliveries`: a message the order caused (e-mail, SMS, webhook) and how its delivery
    went. A webhook's recipient is its host only (its URL may carry a secret)."""

    id: str
    kind: DeliveryKind
    recipient: str
    status: Literal["PENDING", "SENDING", "SENT", "FAILED"]
    attempts: int
    last_error: str | None
    next_attempt_at: str | None
    created_at: str
    sent_at: str | None


# ---------------------------------------------------------------- the kitchen line


class ItemPrepOut(msgspec.Struct, kw_only=True, rename="camel"):
    """An item's preparation state as it is now (also the `details[0]` of a 409 `ITEM_CHANGED`, so the screen
    that lost the race shows what won)."""

    id: str
    order_id: str
    prep_state: PrepState = "QUEUED"
    prep_version: int
    prep_changed_at: str | None


class PrepChangeOut(msgspec.Struct, kw_only=True, rename="camel"):
    """`PATCH /api/orders/{id}/items/{itemId}/prep`: the item after the change and the order's status after it
    (PREPARING when the first item started on a CONFIRMED order, READY when the last one was done)."""

    item: ItemPrepOut
    order_status: OrderStatus


class AcknowledgedOut(msgspec.Struct, kw_only=True, rename="camel"):
    """`POST /api/orders/{id}/acknowledge`: who acknowledged the new order, and when (the first to do so)."""

    order_id: str
    acknowledged_at: str
    acknowledged_by: str
