"""`/api/dashboard`: the owner's numbers (staff may read them, as in the original)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import get
from litestar.params import QueryParameter

from kitchenasty.core.api import Ok, ok
from kitchenasty.core.guards import staff_only
from kitchenasty.dashboard.schemas import DashboardStats
from kitchenasty.services import ServicesDep


@get("/api/dashboard/stats", guards=[staff_only], tags=["dashboard"], summary="Orders, revenue and what needs a look")
async def dashboard_stats(
    services: ServicesDep,
    location_id: Annotated[str | None, QueryParameter(name="locationId", max_length=64)] = None,
) -> Ok[DashboardStats]:
    return ok(await services.dashboard.stats(location_id))


ROUTES: list[Any] = [dashboard_stats]
