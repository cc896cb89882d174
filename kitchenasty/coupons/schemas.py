"""Coupon API shapes. Amounts are major units (JSON numbers, at most 2 decimals); a PERCENTAGE value is a percent."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import msgspec

CouponType = Literal["PERCENTAGE", "FIXED", "FREE_DELIVERY"]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Count = Annotated[int, msgspec.Meta(ge=1, le=1_000_000_000)]
# Dates are ISO 8601: "2025-12-31" (a whole day in the restaurant's time zone) or a date-time (without an offset it
# is read in the restaurant's time zone). msgspec cannot take both kinds in one field, so they are strings here.
DateText = Annotated[str, msgspec.Meta(max_length=40)]


class CouponIn(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    code: Code
    type: CouponType
    value: Decimal = Decimal(0)
    min_order: Decimal | None = None
    max_discount: Decimal | None = None
    usage_limit: Count | None = None
    per_customer: Count | None = 1
    starts_at: DateText | None = None
    expires_at: DateText | None = None
    is_active: bool = True


class CouponUpdateIn(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True, omit_defaults=True):
    code: Code | msgspec.UnsetType = msgspec.UNSET
    type: CouponType | msgspec.UnsetType = msgspec.UNSET
    value: Decimal | msgspec.UnsetType = msgspec.UNSET
    min_order: Decimal | msgspec.UnsetType | None = msgspec.UNSET
    max_discount: Decimal | msgspec.UnsetType | None = msgspec.UNSET
    usage_limit: Count | msgspec.UnsetType | None = msgspec.UNSET
    per_customer: Count | msgspec.UnsetType | None = msgspec.UNSET
    starts_at: DateText | msgspec.UnsetType | None = msgspec.UNSET
    expires_at: DateText | msgspec.UnsetType | None = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class CouponValidateIn(msgspec.Struct, kw_only=True, rename="camel"):
    code: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    subtotal: Decimal | None = None


class CouponValidateOut(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    type: CouponType
    value: float
    discount: float
    free_delivery: bool


class CouponOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    code: str
    type: CouponType
    value: float
    """Percent for PERCENTAGE, an amount for FIXED, 0 for FREE_DELIVERY."""
    min_order: float
    max_discount: float | None
    usage_limit: int | None
    usage_count: int
    per_customer: int | None
    starts_at: str | None
    expires_at: str | None
    is_active: bool
    created_at: str
    updated_at: str
