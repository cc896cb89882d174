"""The developer pages' reads: the audit log (written by `core.audit` in the transactions it records), newest first,
and request metrics (`core.metrics`)."""

from __future__ import annotations

import math
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from kitchenasty.core.api import PageParams
from kitchenasty.core.audit import AuditEntry
from kitchenasty.core.db import Database
from kitchenasty.core.errors import ValidationFailed
from kitchenasty.core.metrics import BUCKETS_MS, Counter, RequestMetrics, hour_of, stored_since
from kitchenasty.core.schema import iso
from kitchenasty.developer.schemas import (
    AuditActorOut,
    AuditEntryOut,
    AuditFacetsOut,
    EndpointMetrics,
    HourMetrics,
    MetricsOut,
    MetricsSummary,
)
from kitchenasty.settings.service import SettingsService


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


def parse_day(text: str | None, key: str) -> date | None:
    """`2026-12-01` -> that day; blank -> None; anything else is a 400 naming `key`."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(
            f"{key} must be a day such as 2026-12-01",
            code="INVALID_DATE",
            details=[{"key": key, "message": "must be a day such as 2026-12-01"}],
        ) from None


class AuditService:
    def __init__(self, db: Database, settings: SettingsService) -> None:
        self.db = db
        self.settings = settings

    async def _day_bounds(self, since: date | None, until: date | None) -> list[Any]:
        """Conditions for entries from the start of `since` to the end of `until`, restaurant-local days."""
        if since is None and until is None:
            return []
        if since is not None and until is not None and until < since:
            raise ValidationFailed(
                "to must be the same day as from or later",
                code="INVALID_DATE_RANGE",
                details=[{"key": "to", "message": "must be the same day as from or later"}],
            )
        zone = ZoneInfo(str((await self.settings.resolved()).get("general.timezone")))
        conditions: list[Any] = []
        if since is not None:
            conditions.append(AuditEntry.created_at >= datetime.combine(since, clock(), zone).astimezone(UTC))
        if until is not None:
            end = datetime.combine(until + timedelta(days=1), clock(), zone).astimezone(UTC)
            conditions.append(AuditEntry.created_at < end)
        return conditions

    async def list_entries(
        self,
        params: PageParams,
        *,
        entity: str | None = None,
        action: str | None = None,
        search: str | None = None,
        user_id: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> tuple[list[AuditEntryOut], int]:
        """Newest first; `search` matches the user's e-mail or the record's id (contains, any case); `since` and
        `until` are restaurant-local days (both included)."""
        conditions: list[Any] = await self._day_bounds(since, until)
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

    async def facets(self) -> AuditFacetsOut:
        """What the log's filters can choose from: the kinds of record and the actions it holds, and who acted."""
        async with self.db.session() as session:
            entities = await session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))
            actions = await session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
            actors = await session.execute(
                select(AuditEntry.actor_id, func.max(AuditEntry.actor_email))
                .where(AuditEntry.actor_id.is_not(None))
                .group_by(AuditEntry.actor_id)
                .order_by(func.max(AuditEntry.actor_email))
            )
            return AuditFacetsOut(
                entities=list(entities),
                actions=list(actions),
                users=[AuditActorOut(id=actor_id, email=email) for actor_id, email in actors if actor_id],
            )


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
