"""`/api/developer`: the audit log (SUPER_ADMIN) and request metrics (MANAGER and up), as in the original."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter

from kitchenasty.core.api import Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import admin_only, manager_or_admin
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.developer.schemas import AuditEntryOut, AuditFacetsOut, EndpointMetrics, MetricsOut
from kitchenasty.developer.service import parse_day
from kitchenasty.services import ServicesDep

Filter = Annotated[str | None, QueryParameter(max_length=120)]
FromDay = Annotated[
    str | None, QueryParameter(name="from", max_length=10, description="YYYY-MM-DD, restaurant-local, included")
]
ToDay = Annotated[
    str | None, QueryParameter(name="to", max_length=10, description="YYYY-MM-DD, restaurant-local, included")
]
Hours = Annotated[int, QueryParameter(name="hours", ge=1, le=168, description="How many hours back (1-168)")]


class AuditController(Controller):
    path = "/api/developer"
    tags = ["audit"]

    @get("/audit-logs", guards=[admin_only], summary="Every change made by staff, newest first (SUPER_ADMIN)")
    async def audit_logs(
        self,
        services: ServicesDep,
        page_number: PageQuery = 1,
        limit: LimitQuery = 20,
        entity: Filter = None,
        action: Filter = None,
        search: Filter = None,
        user_id: Annotated[str | None, QueryParameter(name="userId", max_length=64)] = None,
        since: FromDay = None,
        until: ToDay = None,
    ) -> Page[AuditEntryOut]:
        """Filters: `entity` (kind of record), `action`, `userId` (who), `from` and `to` (restaurant-local days,
        both included), `search` (the user's e-mail or the record's id, any part)."""
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.audit.list_entries(
            params,
            entity=entity,
            action=action,
            search=search,
            user_id=user_id,
            since=parse_day(since, "from"),
            until=parse_day(until, "to"),
        )
        return page(items, page=params.page, limit=params.limit, total=total)

    @get(
        "/audit-logs/facets",
        guards=[admin_only],
        summary="What the audit log's filters offer: {entities, actions, users: [{id, email}]} found in the log",
    )
    async def audit_facets(self, services: ServicesDep) -> Ok[AuditFacetsOut]:
        return ok(await services.audit.facets())

    @get("/metrics", guards=[manager_or_admin], summary="Requests, errors and latency per hour")
    async def metrics(self, services: ServicesDep, hours: Hours = 24) -> Ok[MetricsOut]:
        return ok(await services.request_metrics.summary(hours))

    @get("/metrics/endpoints", guards=[manager_or_admin], summary="Requests, errors and latency per endpoint")
    async def endpoint_metrics(self, services: ServicesDep, hours: Hours = 24) -> Ok[list[EndpointMetrics]]:
        return ok(await services.request_metrics.endpoints(hours))


ROUTES: list[Any] = [AuditController]
