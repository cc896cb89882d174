from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.schema import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow


class Coupon(IdMixin, TimestampMixin, Base):
    """PERCENTAGE (value in basis points), FIXED (value in cents) or FREE_DELIVERY coupons."""

    __tablename__ = "coupons"

    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    type: Mapped[str] = mapped_column(String(16), nullable=False)
    value_units: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    min_order_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    max_discount_cents: Mapped[int | None] = mapped_column(Integer)
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    usage_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    per_customer: Mapped[int | None] = mapped_column(Integer, default=1)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class CouponRedemption(IdMixin, Base):
    """One use of a coupon by one order; `customer_key` is `customer:<id>` or `guest:<e-mail>`."""

    __tablename__ = "coupon_redemptions"

    coupon_id: Mapped[str] = mapped_column(ForeignKey("coupons.id", ondelete="CASCADE"), nullable=False)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, unique=True)
    customer_key: Mapped[str] = mapped_column(String(300), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (Index("ix_coupon_redemptions_coupon_customer", "coupon_id", "customer_key"),)
