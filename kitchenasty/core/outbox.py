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

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kitchenasty.core.events import DomainEvent, notify
from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import Base, IdMixin, JSONColumn, TimestampMixin, UTCDateTime, new_id, table_of, utcnow

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
    last_response: Mapped[str | None] = mapped_column(String(500))
    """What the receiver answered when it took the delivery (`250 2.0.0 Ok: queued as …`, `HTTP 200`)."""
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failure_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When someone looked at this delivery's failure (the dashboard shows failures nobody has seen yet)."""

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


# ---------------------------------------------------------------- the outbox's SQL (the only code that writes it)

outbox_t = table_of(OutboxMessage)
MESSAGE_FIELDS = (
    "id",
    "channel",
    "source",
    "event_id",
    "rule_id",
    "dedupe_key",
    "recipient",
    "subject",
    "body",
    "text_body",
    "headers",
    "max_attempts",
)
"""What a new delivery is made of; the rest (status, attempts, times) starts at its default."""
_INSERT = insert(outbox_t)


def due(now: datetime) -> ColumnElement[bool]:
    """PENDING and due, or SENDING with an expired lease (the sender crashed)."""
    return or_(
        and_(outbox_t.c.status == PENDING, outbox_t.c.next_attempt_at <= now),
        and_(outbox_t.c.status == SENDING, outbox_t.c.lease_until <= now),
    )


def message_row(**fields: Any) -> dict[str, Any]:
    """A delivery as a row to insert, every field of `MESSAGE_FIELDS` present (one executemany for a batch)."""
    unknown = set(fields) - set(MESSAGE_FIELDS)
    if unknown:
        raise TypeError(f"not outbox fields: {', '.join(sorted(unknown))}")
    row = {name: fields.get(name) for name in MESSAGE_FIELDS}
    row["id"] = row["id"] or new_id()
    return row


def insert_messages(session: Any, rows: list[dict[str, Any]]) -> None:
    """Add deliveries (rows from `message_row`) in the caller's transaction; the worker is woken after commit."""
    if rows:
        fast(session).execute(_INSERT, rows)
        notify(session, OutboxEnqueued())


def due_ids(session: Any, now: datetime, limit: int) -> list[str]:
    stmt = select(outbox_t.c.id).where(due(now)).order_by(outbox_t.c.next_attempt_at, outbox_t.c.id).limit(limit)
    return list(fast(session).execute(stmt).scalars().all())


def claim(session: Any, ids: list[str], now: datetime, lease: timedelta) -> list[Any]:
    """Mark due rows SENDING (counting the attempt, taking a lease); returns the rows claimed (others were taken or
    are no longer due)."""
    conn = fast(session)
    claimed = []
    for message_id in ids:
        taken = conn.execute(
            update(outbox_t)
            .where(outbox_t.c.id == message_id, due(now))
            .values(status=SENDING, attempts=outbox_t.c.attempts + 1, lease_until=now + lease, updated_at=now)
        )
        if taken.rowcount == 1:
            claimed.append(message_id)
    if not claimed:
        return []
    return list(conn.execute(select(outbox_t).where(outbox_t.c.id.in_(claimed))).all())


def settle(session: Any, message_id: str, attempts: int, values: dict[str, Any]) -> bool:
    """Record the outcome of the attempt `attempts`; False when that claim is no longer ours."""
    result = fast(session).execute(
        update(outbox_t)
        .where(outbox_t.c.id == message_id, outbox_t.c.status == SENDING, outbox_t.c.attempts == attempts)
        .values(**values)
    )
    return result.rowcount == 1


def next_due(session: Any) -> datetime | None:
    """When the next delivery falls due (a pending retry or an expiring lease), or None when nothing waits."""
    conn = fast(session)
    pending = conn.execute(select(func.min(outbox_t.c.next_attempt_at)).where(outbox_t.c.status == PENDING)).scalar()
    lease = conn.execute(select(func.min(outbox_t.c.lease_until)).where(outbox_t.c.status == SENDING)).scalar()
    moments = [m for m in (pending, lease) if m is not None]
    return min(moments) if moments else None


def get(session: Any, message_id: str) -> Any:
    return fast(session).execute(select(outbox_t).where(outbox_t.c.id == message_id)).first()


def send_again(session: Any, message_id: str, now: datetime, *, fresh_attempts: bool) -> None:
    """Make a waiting or FAILED delivery due now (a FAILED one gets a fresh set of attempts)."""
    values: dict[str, Any] = {"status": PENDING, "next_attempt_at": now, "lease_until": None, "updated_at": now}
    if fresh_attempts:
        values["attempts"] = 0
    fast(session).execute(update(outbox_t).where(outbox_t.c.id == message_id).values(**values))
    notify(session, OutboxEnqueued())


def mark_failures_seen(session: Any, now: datetime) -> int:
    """Someone looked at the failed deliveries: the dashboard stops showing them. Returns how many."""
    result = fast(session).execute(
        update(outbox_t)
        .where(outbox_t.c.status == FAILED, outbox_t.c.failure_seen_at.is_(None))
        .values(failure_seen_at=now)
    )
    return int(result.rowcount or 0)


def send_failed_again(session: Any, now: datetime) -> int:
    """Every FAILED delivery due now with a fresh set of attempts; returns how many."""
    result = fast(session).execute(
        update(outbox_t)
        .where(outbox_t.c.status == FAILED)
        .values(status=PENDING, attempts=0, next_attempt_at=now, lease_until=None, updated_at=now)
    )
    if result.rowcount:
        notify(session, OutboxEnqueued())
    return int(result.rowcount or 0)
