"""The durable outbox: every e-mail, SMS and webhook is a row written in the transaction that caused it.

A background worker (`kitchenasty.automation.worker`) sends due rows with retries and exponential backoff and
marks them SENT or FAILED. Life of a row:

    PENDING --claim--> SENDING --2xx / 250--> SENT            (never sent again)
                          |--error, attempts left--> PENDING  (next_attempt_at = now + backoff)
                          |--error, no attempts left--> FAILED (kept with last_error; retry by hand)
                          '--lease expired (crash)--> claimed again (every copy carries the delivery id)

A claim is an UPDATE guarded by the row's status, so two workers never send the same row at the same time; it
counts the attempt and sets `lease_until`, after which a row left SENDING by a crash is claimed again.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from kitchenasty.core.events import DomainEvent, notify
from kitchenasty.core.schema import Base, IdMixin, JSONColumn, TimestampMixin, UTCDateTime, utcnow

Channel = Literal["email", "sms", "webhook"]
Status = Literal["PENDING", "SENDING", "SENT", "FAILED"]
CHANNELS: tuple[str, ...] = ("email", "sms", "webhook")
STATUSES: tuple[str, ...] = ("PENDING", "SENDING", "SENT", "FAILED")

PENDING: Status = "PENDING"
SENDING: Status = "SENDING"
SENT: Status = "SENT"
FAILED: Status = "FAILED"

JITTER = 0.1
"""Each retry delay is stretched by up to 10% at random, so failed messages do not retry in lockstep."""


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
    # e-mail: comma-separated addresses; sms: one number; webhook: the URL
    recipient: Mapped[str] = mapped_column(String(2048), nullable=False)
    # e-mail: the subject; webhook: the event name (X-KitchenAsty-Event)
    subject: Mapped[str | None] = mapped_column(String(500))
    # e-mail: HTML; sms: the text; webhook: the exact JSON body that is signed and sent
    body: Mapped[str | None] = mapped_column(Text)
    text_body: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | list[Any] | None] = mapped_column(JSONColumn)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSONColumn)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # None: the boot setting outbox_max_attempts; 1 for messages that must not be retried (the mail test)
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_created", "created_at"),
    )


def retry_delay(attempts: int, base_seconds: float, *, jitter: float = JITTER) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: base x 2^(attempts-1), stretched by <= `jitter`."""
    exponent = max(attempts, 1) - 1
    seconds = base_seconds * (2**exponent)
    return timedelta(seconds=seconds * (1 + random.uniform(0, jitter)))


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
    max_attempts: int | None = None,
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
            max_attempts=max_attempts,
        ),
    )
