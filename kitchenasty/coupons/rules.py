"""Coupon rules as pure functions: may this coupon be used now, on this subtotal, by this guest, and for how much.

Checks run in the reference's order (inventory section 9.3): active, validity window, usage limit, then the
per-customer limit and the minimum order. PERCENTAGE values are basis points (1000 = 10 %) capped by
`max_discount`; FIXED values are cents capped at the subtotal; FREE_DELIVERY discounts nothing and waives the
delivery fee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.core.money import MoneyFormat, percent_of

COUPON_TYPES: Final = ("PERCENTAGE", "FIXED", "FREE_DELIVERY")


@dataclass(frozen=True, slots=True)
class CouponTerms:
    code: str
    type: str
    value_units: int
    min_order_cents: int = 0
    max_discount_cents: int | None = None
    usage_limit: int | None = None
    usage_count: int = 0
    per_customer: int | None = None
    starts_at: datetime | None = None
    expires_at: datetime | None = None
    is_active: bool = True

    @classmethod
    def of(cls, row: Any) -> CouponTerms:
        """From a Coupon model or a row with the same attribute names."""
        return cls(
            code=row.code,
            type=row.type,
            value_units=row.value_units,
            min_order_cents=row.min_order_cents,
            max_discount_cents=row.max_discount_cents,
            usage_limit=row.usage_limit,
            usage_count=row.usage_count,
            per_customer=row.per_customer,
            starts_at=row.starts_at,
            expires_at=row.expires_at,
            is_active=row.is_active,
        )


@dataclass(frozen=True, slots=True)
class CouponEffect:
    discount_cents: int
    free_delivery: bool


def check(
    terms: CouponTerms,
    *,
    subtotal_cents: int,
    now: datetime,
    customer_uses: int | None = None,
    money: MoneyFormat = MoneyFormat(),
) -> None:
    """Raise ValidationFailed (400) with the guest-facing reason when the coupon cannot be used.

    `customer_uses` is how often this customer (or guest e-mail) used the coupon already; None skips the check
    (the public validation endpoint does not know who is asking).
    """
    if not terms.is_active:
        raise ValidationFailed("Coupon is not active", code="COUPON_INACTIVE")
    if terms.starts_at is not None and now < terms.starts_at:
        raise ValidationFailed("Coupon is not yet valid", code="COUPON_NOT_YET_VALID")
    if terms.expires_at is not None and now > terms.expires_at:
        raise ValidationFailed("Coupon has expired", code="COUPON_EXPIRED")
    if terms.usage_limit is not None and terms.usage_count >= terms.usage_limit:
        raise ValidationFailed("Coupon usage limit reached", code="COUPON_EXHAUSTED")
    if customer_uses is not None and terms.per_customer is not None and customer_uses >= terms.per_customer:
        message = (
            "You have already used this coupon"
            if terms.per_customer == 1
            else f"You have already used this coupon {terms.per_customer} times, the most allowed"
        )
        raise ValidationFailed(message, code="COUPON_CUSTOMER_LIMIT")
    if subtotal_cents < terms.min_order_cents:
        raise ValidationFailed(f"Minimum order amount is {money(terms.min_order_cents)}", code="COUPON_MIN_ORDER")


def effect(terms: CouponTerms, subtotal_cents: int) -> CouponEffect:
    """The discount on `subtotal_cents` (never negative, never more than the subtotal)."""
    subtotal = max(0, subtotal_cents)
    if terms.type == "FREE_DELIVERY":
        return CouponEffect(discount_cents=0, free_delivery=True)
    if terms.type == "PERCENTAGE":
        amount = percent_of(subtotal, max(0, terms.value_units))
        if terms.max_discount_cents is not None:
            amount = min(amount, max(0, terms.max_discount_cents))
    elif terms.type == "FIXED":
        amount = max(0, terms.value_units)
    else:
        raise ValueError(f"unknown coupon type {terms.type!r}")
    return CouponEffect(discount_cents=min(amount, subtotal), free_delivery=False)


def evaluate(
    terms: CouponTerms,
    *,
    subtotal_cents: int,
    now: datetime,
    customer_uses: int | None = None,
    money: MoneyFormat = MoneyFormat(),
) -> CouponEffect:
    check(terms, subtotal_cents=subtotal_cents, now=now, customer_uses=customer_uses, money=money)
    return effect(terms, subtotal_cents)
