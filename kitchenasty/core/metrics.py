"""Request metrics: counts, errors and latency per endpoint and hour, aggregated in memory and flushed to the
database once a minute (never a row per request on the hot path).

The app's outer ASGI wrapper calls `observe` once per request (two clock reads and a dict update). `flush` adds the
minute's counters to `request_metrics` rows (one per hour, method and route template) with upserts; latency is kept
as counts per bucket (`BUCKETS_MS`), from which the 95th percentile is read as the bucket it falls in.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Float, Integer, String, Table, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.fastsql import fast
from kitchenasty.core.logging import get_logger
from kitchenasty.core.schema import Base, table_of

log = get_logger("kitchenasty.metrics")

BUCKETS_MS = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, float("inf"))
"""Upper bounds of the latency buckets (the last one takes everything slower)."""
FLUSH_SECONDS = 60.0
UNMATCHED = "(no route)"


class RequestMetricRow(Base):
    __tablename__ = "request_metrics"

    hour: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    """The UTC hour (naive, truncated) the requests were answered in."""
    method: Mapped[str] = mapped_column(String(8), primary_key=True)
    path: Mapped[str] = mapped_column(String(300), primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    errors: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    """Answers with a status of 500 or more."""
    total_ms: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    # requests per latency bucket: b0 <= 1 ms, b1 <= 2 ms, ... b12 slower than 5 s (`BUCKETS_MS`)
    b0: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b1: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b2: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b3: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b4: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b5: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b6: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b7: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b8: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b9: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b10: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b11: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    b12: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


BUCKET_COLUMNS = tuple(f"b{i}" for i in range(len(BUCKETS_MS)))
metrics_t: Table = table_of(RequestMetricRow)


def _upsert(dialect_insert: Any) -> Any:
    stmt = dialect_insert(metrics_t)
    summed = ("requests", "errors", "total_ms", *BUCKET_COLUMNS)
    return stmt.on_conflict_do_update(
        index_elements=["hour", "method", "path"],
        set_={name: getattr(metrics_t.c, name) + getattr(stmt.excluded, name) for name in summed},
    )


_ADD = {"sqlite": _upsert(sqlite_insert), "postgresql": _upsert(postgresql_insert)}
_SINCE = select(metrics_t).where(metrics_t.c.hour >= bindparam("since"))


@dataclass(slots=True)
class Counter:
    requests: int = 0
    errors: int = 0
    total_ms: float = 0.0
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKETS_MS))

    def add(self, other: Any) -> None:
        self.requests += int(other.requests)
        self.errors += int(other.errors)
        self.total_ms += float(other.total_ms)
        counts = other.buckets if isinstance(other, Counter) else [getattr(other, name) for name in BUCKET_COLUMNS]
        for index, count in enumerate(counts):
            self.buckets[index] += int(count)


def hour_of(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch - epoch % 3600, UTC).replace(tzinfo=None)


class RequestMetrics:
    """The counters of requests answered since the last flush (this process)."""

    def __init__(self) -> None:
        self._pending: dict[tuple[float, str, str], Counter] = {}
        self._lock = threading.Lock()
        self._task: asyncio.Task[None] | None = None

    def observe(self, method: str, path: str, status: int, elapsed_ms: float, now: float | None = None) -> None:
        moment = time.time() if now is None else now
        key = (moment - moment % 3600, method, path)
        with self._lock:
            counter = self._pending.get(key)
            if counter is None:
                counter = self._pending[key] = Counter()
            counter.requests += 1
            counter.total_ms += elapsed_ms
            if status >= 500:
                counter.errors += 1
            for index, bound in enumerate(BUCKETS_MS):
                if elapsed_ms <= bound:
                    counter.buckets[index] += 1
                    break

    def take(self) -> dict[tuple[float, str, str], Counter]:
        with self._lock:
            pending, self._pending = self._pending, {}
        return pending

    def pending(self) -> dict[tuple[float, str, str], Counter]:
        """A copy of the counters not flushed yet (reads include them)."""
        with self._lock:
            return {key: Counter(c.requests, c.errors, c.total_ms, list(c.buckets)) for key, c in self._pending.items()}

    def flush_in(self, session: Any) -> int:
        """Add the pending counters to their rows in the caller's write transaction; returns how many rows."""
        pending = self.take()
        if not pending:
            return 0
        conn = fast(session)
        rows = []
        for (hour, method, path), c in pending.items():
            row: dict[str, Any] = {
                "hour": hour_of(hour),
                "method": method,
                "path": path[:300],
                "requests": c.requests,
                "errors": c.errors,
                "total_ms": c.total_ms,
            }
            row.update(zip(BUCKET_COLUMNS, c.buckets, strict=True))
            rows.append(row)
        conn.execute(_ADD[conn.dialect.name], rows)
        return len(rows)

    async def run(self, db: Any) -> None:
        """Flush every `FLUSH_SECONDS` until cancelled, then a last time."""
        try:
            while True:
                await asyncio.sleep(FLUSH_SECONDS)
                await self._flush(db)
        finally:
            with contextlib.suppress(Exception):
                await self._flush(db)

    async def _flush(self, db: Any) -> None:
        try:
            await db.run_write(self.flush_in)
        except Exception:  # the counters of one minute are not worth breaking anything for
            log.warning("metrics.flush_failed", exc_info=True)

    def start(self, db: Any) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(db), name="kitchenasty-metrics")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def stored_since(session: Any, since: datetime) -> list[Any]:
    return list(fast(session).execute(_SINCE, {"since": since}).all())
