"""The audit log's API shapes (`GET /api/developer/audit-logs`, the original's contract plus the changes)."""

from __future__ import annotations

from typing import Any

import msgspec


class AuditEntryOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    action: str
    """`create`, `update`, `delete`, or a named action (`retry`)."""
    entity: str
    entity_id: str | None
    user_id: str | None
    user_email: str
    user_role: str | None
    changes: dict[str, Any]
    """Each changed field as `[before, after]` (secrets masked); a settings group maps its fields that way."""
    via: str
    """What made the change: `PATCH /api/menu/items/…`, or the command line."""
    created_at: str


class AuditActorOut(msgspec.Struct, kw_only=True):
    id: str
    email: str


class AuditFacetsOut(msgspec.Struct, kw_only=True):
    """What the audit log's filters offer: values present in the log."""

    entities: list[str]
    """The kinds of record changed (`menu_item`, `site_settings`, ...)."""
    actions: list[str]
    """`create`, `update`, `delete` and the named actions (`retry`, `seen`, ...)."""
    users: list[AuditActorOut]
    """Who made changes (the e-mail they had at their latest change)."""


class MetricsSummary(msgspec.Struct, kw_only=True, rename="camel"):
    total_requests: int
    avg_response_time: float
    """Milliseconds, rounded."""
    error_count: int
    """Answers with a status of 500 or more."""
    error_rate: float
    """Percent, 2 decimals."""
    requests_per_minute: float


class HourMetrics(msgspec.Struct, kw_only=True, rename="camel"):
    hour: str
    requests: int
    errors: int
    avg_response_time: float


class MetricsOut(msgspec.Struct, kw_only=True):
    summary: MetricsSummary
    hourly: list[HourMetrics]


class EndpointMetrics(msgspec.Struct, kw_only=True, rename="camel"):
    method: str
    path: str
    count: int
    avg_response_time: float
    p95_response_time: float
    """The upper bound of the latency bucket the 95th percentile falls in (milliseconds)."""
    errors: int
