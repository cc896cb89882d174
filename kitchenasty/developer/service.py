"""The developer pages' reads: the audit log (written by `core.audit` in the transactions it records), newest first,
and request metrics (`core.metrics`)."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select

from kitchenasty.core.api import PageParams
from kitchenasty.core.audit import AuditEntry
from kitchenasty.core.db import Database
from kitchenasty.core.metrics import BUCKETS_MS, Counter, RequestMetrics, hour_of, stored_since
from kitchenasty.core.schema import iso
from kitchenasty.developer.schemas import (
    AuditEntryOut,
    EndpointMetrics,
    HourMetrics,
    MetricsOut,
    MetricsSummary,
)


def entry_out(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        id=entry.id,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        user_id=entry.actor_id,
        user_email=entry.actor_email,
        user_role=entry.actor_role,
        changes=entry.changes or {},
        via=entry.via,
        created_at=iso(entry.created_at) or "",
    )


class AuditService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def list_entries(
        self,
        params: PageParams,
        *,
        entity: str | None = None,
        action: str | None = None,
        search: str | None = None,
        user_id: str | None = None,
    ) -> tuple[list[AuditEntryOut], int]:
        """Newest first; `search` matches the user's e-mail or the record's id (contains, any case)."""
        conditions: list[Any] = []
        if entity:
            conditions.append(AuditEntry.entity == entity.strip())
        if action:
            conditions.append(AuditEntry.action == action.strip())
        if user_id:
            conditions.append(AuditEntry.actor_id == user_id.strip())
        if search and search.strip():
            needle = search.strip().lower()
            conditions.append(
                or_(
                    func.lower(AuditEntry.actor_email).contains(needle, autoescape=True),
                    func.lower(AuditEntry.entity_id).contains(needle, autoescape=True),
                )
            )
        async with self.db.session() as session:
            total = await session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
            rows = await session.scalars(
                select(AuditEntry)
                .where(*conditions)
                .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
                .limit(params.limit)
                .offset(params.offset)
            )
            return [entry_out(row) for row in rows], total


class MetricsService:
    """Requests per hour and per endpoint over the last `hours`, from the stored rows and the minute not yet
    flushed."""

    def __init__(self, db: Database, metrics: RequestMetrics) -> None:
        self.db = db
        self.metrics = metrics

    async def _counters(self, hours: int) -> dict[tuple[datetime, str, str], Counter]:
        now = time.time()
        since = hour_of(now - (hours - 1) * 3600)
        stored = await self.db.run_read(lambda session: stored_since(session, since))
        merged: dict[tuple[datetime, str, str], Counter] = {}
        for row in stored:
            merged.setdefault((row.hour, row.method, row.path), Counter()).add(row)
        for (hour, method, path), counter in self.metrics.pending().items():
            moment = hour_of(hour)
            if moment >= since:
                merged.setdefault((moment, method, path), Counter()).add(counter)
        return merged

    async def summary(self, hours: int) -> MetricsOut:
        counters = await self._counters(hours)
        by_hour: dict[datetime, Counter] = {}
        total = Counter()
        for (hour, _method, _path), counter in counters.items():
            by_hour.setdefault(hour, Counter()).add(counter)
            total.add(counter)
        return MetricsOut(
            summary=MetricsSummary(
                total_requests=total.requests,
                avg_response_time=round(total.total_ms / total.requests) if total.requests else 0,
                error_count=total.errors,
                error_rate=round(total.errors * 100 / total.requests, 2) if total.requests else 0.0,
                requests_per_minute=round(total.requests / (hours * 60), 2),
            ),
            hourly=[
                HourMetrics(
                    hour=(iso(hour.replace(tzinfo=UTC)) or ""),
                    requests=c.requests,
                    errors=c.errors,
                    avg_response_time=round(c.total_ms / c.requests, 1) if c.requests else 0.0,
                )
                for hour, c in sorted(by_hour.items())
            ],
        )

    async def endpoints(self, hours: int) -> list[EndpointMetrics]:
        per_endpoint: dict[tuple[str, str], Counter] = {}
        for (_hour, method, path), counter in (await self._counters(hours)).items():
            per_endpoint.setdefault((method, path), Counter()).add(counter)
        out = [
            EndpointMetrics(
                method=method,
                path=path,
                count=c.requests,
                avg_response_time=round(c.total_ms / c.requests, 1) if c.requests else 0.0,
                p95_response_time=p95(c.buckets),
                errors=c.errors,
            )
            for (method, path), c in per_endpoint.items()
        ]
        return sorted(out, key=lambda e: (-e.count, e.path, e.method))


def p95(buckets: list[int]) -> float:
    """The upper bound of the bucket the 95th percentile request falls in (the slowest bucket: its lower bound)."""
    total = sum(buckets)
    if not total:
        return 0.0
    rank, seen = math.ceil(total * 0.95), 0
    for index, count in enumerate(buckets):
        seen += count
        if seen >= rank:
            bound = BUCKETS_MS[index]
            return bound if math.isfinite(bound) else BUCKETS_MS[index - 1]
    return BUCKETS_MS[-2]
