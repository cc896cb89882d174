"""Typed domain events: recorded in the same transaction as the change, published in-process after commit.

`record(session, event)` writes the event row (the durable record the automation worker acts on) and queues the
event on the session; `Database` publishes queued events on the `EventBus` only after the commit succeeded.
A failing subscriber is logged and never breaks the publisher or the other subscribers.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, ClassVar, TypeVar, cast

import msgspec
from sqlalchemy import Index, String, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from kitchenasty.core.fastsql import HotUnit, fast
from kitchenasty.core.logging import get_logger
from kitchenasty.core.schema import Base, IdMixin, JSONColumn, UTCDateTime, table_of, utcnow

log = get_logger("kitchenasty.events")

PENDING_EVENTS_KEY = "kitchenasty.pending_events"


class DomainEvent(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """Base of every event. Subclasses set `name` (e.g. "order.created") and carry JSON-able fields."""

    name: ClassVar[str] = ""

    def payload(self) -> dict[str, Any]:
        return msgspec.to_builtins(self)


EVENT_TYPES: dict[str, type[DomainEvent]] = {}


def event_type(cls: type[DomainEvent]) -> type[DomainEvent]:
    """Class decorator: register an event class under its name (used to validate automation rules)."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    EVENT_TYPES[cls.name] = cls
    return cls


class EventRecord(IdMixin, Base):
    """The durable record of an event, written in the transaction that caused it."""

    __tablename__ = "events"

    name: Mapped[str] = mapped_column(String(64), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONColumn, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    # Only the events still waiting for the worker have an entry (most events nothing acts on are written already
    # processed and add none; a processed one leaves it), so the index stays a handful of rows.
    __table_args__ = (
        Index(
            "ix_events_unprocessed",
            "created_at",
            "id",
            sqlite_where=text("processed_at IS NULL"),
            postgresql_where=text("processed_at IS NULL"),
        ),
    )


events_t = table_of(EventRecord)
_INSERT_EVENT = events_t.insert()


def unprocessed(session: Any, limit: int) -> list[Any]:
    """(id, name) of the oldest events not yet turned into deliveries; rows another worker is on are skipped."""
    stmt = (
        select(events_t.c.id, events_t.c.name)
        .where(events_t.c.processed_at.is_(None))
        .order_by(events_t.c.created_at, events_t.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(fast(session).execute(stmt).all())


def any_unprocessed(session: Any) -> bool:
    stmt = select(events_t.c.id).where(events_t.c.processed_at.is_(None)).limit(1)
    return fast(session).execute(stmt).first() is not None


def events_by_ids(session: Any, ids: list[str]) -> list[Any]:
    """The events (id, name, payload, created_at) in the order they happened."""
    stmt = select(events_t).where(events_t.c.id.in_(ids)).order_by(events_t.c.created_at, events_t.c.id)
    return list(fast(session).execute(stmt).all())


def latest(session: Any, name: str) -> Any:
    """The most recent event of this name (id, name, payload, created_at), or None."""
    stmt = select(events_t).where(events_t.c.name == name).order_by(events_t.c.created_at.desc(), events_t.c.id.desc())
    return fast(session).execute(stmt.limit(1)).first()


def mark_processed(session: Any, ids: list[str]) -> None:
    fast(session).execute(update(events_t).where(events_t.c.id.in_(ids)).values(processed_at=utcnow()))


INTEREST_KEY = "kitchenasty.event_interest"
"""`session.info` key of the bus's `durable_interest` (set by `Database` on every write transaction)."""


def record(session: Session | Any, event: DomainEvent) -> None:
    """Write `event` in the session's transaction and queue it for publication after commit.

    Accepts a sync `Session`, a `HotUnit` or an `AsyncSession`. An event that nothing durable acts on (no active
    automation rule, no built-in notification: see `EventBus.durable_interest`) is written already processed, so
    the outbox worker has nothing to do for it.
    """
    interest = session.info.get(INTEREST_KEY)
    processed_at = None if interest is None or interest(event.name, session) else utcnow()
    if isinstance(session, Session | HotUnit):  # sync (`run_write`, the hot paths): one INSERT, no ORM flush
        fast(session).execute(
            _INSERT_EVENT, {"name": event.name, "payload": event.payload(), "processed_at": processed_at}
        )
    else:
        session.add(EventRecord(name=event.name, payload=event.payload(), processed_at=processed_at))
    session.info.setdefault(PENDING_EVENTS_KEY, []).append(event)


def notify(session: Session | Any, event: DomainEvent) -> None:
    """Queue an in-process notification for after commit, without a durable row (cache invalidation, wake-ups)."""
    pending = session.info.setdefault(PENDING_EVENTS_KEY, [])
    if event not in pending:
        pending.append(event)


def take_pending(session: Session | Any) -> list[DomainEvent]:
    return session.info.pop(PENDING_EVENTS_KEY, [])


Handler = Callable[[DomainEvent], Awaitable[None] | None]
E = TypeVar("E", bound=DomainEvent)


def _always(_name: str, _session: Any = None) -> bool:
    return True


class EventBus:
    """In-process publish/subscribe, keyed by event class (or "*" for every event)."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self.durable_interest: Callable[[str, Any], bool] = _always
        """Whether something durable (the automation worker) acts on events of a name; conservative default."""

    def subscribe(self, event: type[E], handler: Callable[[E], Awaitable[None] | None]) -> None:
        """Call `handler` with every published event of this class (made once, in `kitchenasty.services`)."""
        self._handlers[event.name].append(cast(Handler, handler))

    def subscribe_all(self, handler: Handler) -> None:
        """Call `handler` with every published event (the outbox worker's wake-up)."""
        self._handlers["*"].append(handler)

    async def publish(self, event: DomainEvent) -> None:
        for handler in (*self._handlers.get(event.name, ()), *self._handlers.get("*", ())):
            try:
                result = handler(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception(
                    "event subscriber failed",
                    event_name=event.name,
                    subscriber=getattr(handler, "__qualname__", repr(handler)),
                )

    async def publish_all(self, events: list[DomainEvent]) -> None:
        for event in events:
            await self.publish(event)
