"""The durable outbox: every e-mail, SMS and webhook is a row written in the transaction that caused it.

A background worker (see `kitchenasty.automation.worker`) sends pending rows with retries and backoff and marks
them SENT or FAILED; a row marked SENT is never sent again. This module only defines the row and how to enqueue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from kitchenasty.core.events import DomainEvent, notify
from kitchenasty.core.schema import Base, IdMixin, JSONColumn, TimestampMixin, UTCDateTime, utcnow

Channel = Literal["email", "sms", "webhook"]


class OutboxEnqueued(DomainEvent, frozen=True):
    """In-process only: a transaction that enqueued messages committed; the worker should look now."""

    name = "outbox.enqueued"


class OutboxMessage(IdMixin, TimestampMixin, Base):
    __tablename__ = "outbox"

    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    source: Mapped[str] = mapped_column(String(64), nullable=False)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    rule_id: Mapped[str | None] = mapped_column(String(32))
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    recipient: Mapped[str] = mapped_column(String(2048), nullable=False)
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    text_body: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | list[Any] | None] = mapped_column(JSONColumn)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSONColumn)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="PENDING")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


def enqueue(session: Session | Any, message: OutboxMessage) -> OutboxMessage:
    """Add `message` to the caller's transaction; the worker is woken after the commit."""
    session.add(message)
    notify(session, OutboxEnqueued())
    return message


def enqueue_email(
    session: Session | Any,
    *,
    to: str,
    subject: str,
    html: str,
    text: str | None = None,
    source: str,
    event_id: str | None = None,
    rule_id: str | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    return enqueue(
        session,
        OutboxMessage(
            channel="email",
            source=source,
            recipient=to,
            subject=subject,
            body=html,
            text_body=text,
            event_id=event_id,
            rule_id=rule_id,
            dedupe_key=dedupe_key,
        ),
    )
