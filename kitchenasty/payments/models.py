"""The payments domain's tables: one row per attempt to pay an order (`payments`), each refund of one (`payment_refunds`)
and every provider callback already handled (`payment_events`, unique by the provider's event id: a replayed
webhook changes nothing). Amounts are integer minor units (cents) of `currency`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.schema import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow


class Payment(IdMixin, TimestampMixin, Base):
    """An order's payment by one provider: STRIPE (`provider_ref` a Checkout Session `cs_...` or a PaymentIntent
    `pi_...`; `intent_ref` the intent behind a session, once known), PAYPAL (`provider_ref` the PayPal order id,
    `intent_ref` its capture id), CASH or CARD_ON_SITE (marked by staff: `received_cents`, `change_cents`).
    `flag` says why a provider's callback was refused (an amount or order that does not match ours)."""

    __tablename__ = "payments"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    provider: Mapped[str] = mapped_column(String(16), nullable=False)
    provider_ref: Mapped[str | None] = mapped_column(String(255), index=True)
    intent_ref: Mapped[str | None] = mapped_column(String(255), index=True)
    redirect_url: Mapped[str | None] = mapped_column(String(2048))
    status: Mapped[str] = mapped_column(String(24), nullable=False, default="PENDING")
    amount_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    refunded_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    received_cents: Mapped[int | None] = mapped_column(Integer)
    change_cents: Mapped[int | None] = mapped_column(Integer)
    actor_type: Mapped[str] = mapped_column(String(16), nullable=False)
    actor_id: Mapped[str | None] = mapped_column(String(32))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flag: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_payments_order_created", "order_id", "created_at"),)


class PaymentRefund(IdMixin, Base):
    """A refund of (part of) a payment: PENDING while the provider is asked, then SUCCEEDED or FAILED."""

    __tablename__ = "payment_refunds"

    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"), nullable=False, index=True)
    amount_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="PENDING")
    reason: Mapped[str | None] = mapped_column(String(200))
    provider_ref: Mapped[str | None] = mapped_column(String(255))
    actor_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class PaymentEvent(IdMixin, Base):
    """A provider callback handled once: (`provider`, `event_id`) is unique, so a replay is recognised."""

    __tablename__ = "payment_events"

    provider: Mapped[str] = mapped_column(String(16), nullable=False)
    event_id: Mapped[str] = mapped_column(String(255), nullable=False)
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    outcome: Mapped[str] = mapped_column(String(300), nullable=False)
    payment_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("provider", "event_id", name="uq_payment_events_provider_event"),)
