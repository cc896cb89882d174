"""`/api/developer/audit-logs`: the audit log, for the owner (SUPER_ADMIN), as in the original."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter

from kitchenasty.audit.schemas import AuditEntryOut
from kitchenasty.core.api import Page, PageParams, page
from kitchenasty.core.guards import admin_only
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.services import ServicesDep

Filter = Annotated[str | None, QueryParameter(max_length=120)]


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
    ) -> Page[AuditEntryOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.audit.list_entries(
            params, entity=entity, action=action, search=search, user_id=user_id
        )
        return page(items, page=params.page, limit=params.limit, total=total)


ROUTES: list[Any] = [AuditController]
