from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from kitchenasty.core.validate import Email, NewPassword, Phone
from kitchenasty.core.validate import PersonName as Name


class CustomerRegisterIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    email: Email
    password: NewPassword
    name: Name
    phone: Phone | None = None


class CustomerOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    email: str
    name: str
    phone: str | None


class CustomerUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """What staff change on a customer account: only whether it is active."""

    is_active: bool


@dataclass(frozen=True)
class CustomerOrderTotals:
    """What a customer's orders add up to (filled by the orders domain through `core.links`)."""

    orders_count: int = 0
    cancelled_count: int = 0
    spent_cents: int = 0
    """The totals of their orders that were not cancelled, in cents."""
    first_order_at: datetime | None = None
    last_order_at: datetime | None = None


class CustomerRowOut(msgspec.Struct, kw_only=True, rename="camel"):
    """One line of the customer list."""

    id: str
    email: str
    name: str
    phone: str | None
    is_active: bool
    created_at: str
    orders_count: int
    total_spent: float
    last_order_at: str | None


class CustomerTotalsOut(msgspec.Struct, kw_only=True, rename="camel"):
    orders_count: int
    """Every order, cancelled ones included."""
    cancelled_count: int
    total_spent: float
    """Major units, as every amount in the API: the orders that were not cancelled."""
    total_spent_cents: int
    """The same, in integer minor units."""
    first_order_at: str | None
    last_order_at: str | None


class CustomerDetailOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    email: str
    name: str
    phone: str | None
    is_active: bool
    has_password: bool
    created_at: str
    updated_at: str
    totals: CustomerTotalsOut


class CustomerEventOut(msgspec.Struct, kw_only=True):
    """The customer inside `customer.registered` events (automation paths `customer.email`, ...)."""

    id: str
    email: str
    name: str
    phone: str | None


class CustomerExportProfile(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    email: str
    name: str
    phone: str | None
    is_active: bool
    has_password: bool
    created_at: str | None
    updated_at: str | None


class CustomerExportDoc(msgspec.Struct, kw_only=True, rename="camel"):
    """The export document (documentation of `GET /api/customers/{id}/export`; the body is built as plain JSON)."""

    format: str
    exported_at: str
    customer: CustomerExportProfile
    orders: list[dict[str, Any]]
    """Every order with its items and chosen options, oldest first, as the orders API shows them (without the
    tracking token, which is a credential, not data about the person)."""
    addresses: list[dict[str, Any]]
    """The distinct delivery addresses of their orders (there is no address book)."""
    coupon_redemptions: list[dict[str, Any]]
    """`{couponCode, orderId, usedAt}` for every coupon use."""
