"""The payments API shapes (camelCase; amounts in major units as everywhere, cents inside)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from kitchenasty.orders.schemas import PaymentState

Provider = Literal["STRIPE", "PAYPAL", "CASH", "CARD_ON_SITE"]
PaymentStatus = Literal["PENDING", "SUCCEEDED", "FAILED", "REFUNDED", "PARTIALLY_REFUNDED"]
RefundStatus = Literal["PENDING", "SUCCEEDED", "FAILED"]
Ref = Annotated[str, msgspec.Meta(max_length=255)]
Token = Annotated[str, msgspec.Meta(max_length=128)]
Amount = Annotated[Decimal, msgspec.Meta(description="An amount in major units, at most 2 decimals, > 0")]


# ---------------------------------------------------------------- input


class PayIn(msgspec.Struct, kw_only=True, rename="camel"):
    """`create-intent`, `create-checkout-session`, `paypal/create`: the order to pay. A guest adds the order's
    `trackingToken` (from placing it, or the tracking link); its customer and staff need none."""

    order_id: Ref | None = None
    tracking_token: Token | None = None


class CaptureIn(msgspec.Struct, kw_only=True, rename="camel"):
    """`paypal/capture`: the PayPal order the guest approved, and our order it pays."""

    paypal_order_id: Ref | None = None
    order_id: Ref | None = None
    tracking_token: Token | None = None


class CashIn(msgspec.Struct, kw_only=True, rename="camel"):
    """`POST /api/payments/cash` (the original's endpoint, staff): the order was paid in cash, exactly its total."""

    order_id: Ref | None = None


class MarkPaidIn(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """Staff: the order was paid on site. For cash, the amount received (at least the total) gives the change."""

    method: Literal["CASH", "CARD_ON_SITE"] = "CASH"
    amount_received: Amount | None = None


class RefundIn(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """MANAGER: give back `amount` (all that is left when omitted) of a completed payment, for `reason`."""

    amount: Amount | None = None
    reason: Annotated[str, msgspec.Meta(max_length=200)] | None = None


# ---------------------------------------------------------------- output


class IntentOut(msgspec.Struct, kw_only=True, rename="camel"):
    client_secret: str
    payment_intent_id: str
    payment_id: str


class CheckoutSessionOut(msgspec.Struct, kw_only=True, rename="camel"):
    url: str
    """Stripe's hosted Checkout page: the browser goes there (a top-level navigation, no script of Stripe's here)."""
    session_id: str
    payment_id: str


class PayPalOrderOut(msgspec.Struct, kw_only=True, rename="camel"):
    paypal_order_id: str
    approval_url: str
    payment_id: str


class CaptureOut(msgspec.Struct, kw_only=True, rename="camel"):
    status: Literal["COMPLETED"]
    payment_id: str
    payment_status: PaymentState


class WebhookOut(msgspec.Struct, kw_only=True):
    received: bool


class ByOut(msgspec.Struct, kw_only=True):
    """Who recorded a payment or a refund (staff only see this)."""

    id: str
    name: str


class RefundOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    amount: float
    status: RefundStatus
    reason: str | None
    by: ByOut | None
    created_at: str


class PaymentOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    order_id: str
    provider: Provider
    provider_ref: str | None
    status: PaymentStatus
    amount: float
    refunded: float
    currency: str
    received: float | None
    """Cash: what the guest handed over; `change` is what they got back."""
    change: float | None
    by: ByOut | None
    paid_at: str | None
    flag: str | None
    """Why a provider's callback for this payment was refused (amount or order mismatch); staff only."""
    refunds: list[RefundOut]
    created_at: str
    updated_at: str
