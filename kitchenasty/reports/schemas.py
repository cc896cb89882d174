"""The end-of-day (Z) report's shape: one location, one restaurant-local day."""

from __future__ import annotations

import msgspec


class Amounts(msgspec.Struct, kw_only=True, rename="camel"):
    """Sums over the orders not cancelled (`gross` = items; `net` = gross - discounts; `total` = what was
    charged: net + tax + delivery fees + tips)."""

    orders: int
    gross: float
    discounts: float
    net: float
    tax: float
    delivery_fees: float
    tips: float
    total: float


class Cancellations(msgspec.Struct, kw_only=True):
    orders: int
    total: float
    """What the cancelled orders would have come to."""


class ZReport(msgspec.Struct, kw_only=True, rename="camel"):
    location_id: str
    location_name: str
    day: str
    time_zone: str
    currency: str
    totals: Amounts
    by_type: dict[str, Amounts]
    by_payment_method: dict[str, Amounts]
    cancellations: Cancellations
    generated_at: str
