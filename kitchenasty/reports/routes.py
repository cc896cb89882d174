"""`/api/reports`: the end-of-day (Z) report, as JSON and as CSV (MANAGER and up)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, get
from litestar.params import QueryParameter

from kitchenasty.core.api import Ok, ok
from kitchenasty.core.guards import manager_or_admin
from kitchenasty.core.openapi import errors
from kitchenasty.reports.schemas import ZReport
from kitchenasty.reports.service import parse_day, z_report_csv
from kitchenasty.services import ServicesDep

LocationQuery = Annotated[str, QueryParameter(name="locationId", min_length=1, max_length=64)]
DayQuery = Annotated[str, QueryParameter(name="date", min_length=10, max_length=10, description="YYYY-MM-DD")]


@get("/api/reports/z", guards=[manager_or_admin], tags=["reports"], responses=errors(404))
async def z_report(services: ServicesDep, location_id: LocationQuery, day: DayQuery) -> Ok[ZReport]:
    """The end-of-day report of one location and restaurant-local day: orders, gross, discounts, net, tax, tips,
    delivery fees and total, by order type and payment method, and the cancellations."""
    return ok(await services.reports.z_report(location_id, parse_day(day)))


@get(
    "/api/reports/z.csv",
    guards=[manager_or_admin],
    tags=["reports"],
    media_type="text/csv",
    responses=errors(404),
)
async def z_report_as_csv(services: ServicesDep, location_id: LocationQuery, day: DayQuery) -> Response[str]:
    """The same report as CSV, for a spreadsheet."""
    report = await services.reports.z_report(location_id, parse_day(day))
    filename = f"z-report-{report.day}.csv"
    return Response(
        z_report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


ROUTES: list[Any] = [z_report, z_report_as_csv]
