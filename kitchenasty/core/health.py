"""`GET /api/health`: answers before anything else and checks the database with one cheap query."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import text

from kitchenasty import __version__
from kitchenasty.core.api import Ok, ok
from kitchenasty.core.schema import iso, utcnow


class Health(msgspec.Struct, kw_only=True):
    status: str
    timestamp: str
    version: str
    database: str


@get(
    "/api/health",
    tags=["health"],
    summary="Liveness and database check",
    responses={503: ResponseSpec(data_container=Ok[Health], description="The database does not answer.")},
)
async def health(request: Request[Any, Any, Any]) -> Response[Ok[Health]]:
    database = "ok"
    try:
        async with request.app.state.db.session() as session:
            await session.execute(text("SELECT 1"))
    except Exception:  # the point of a health check is to report, not to raise
        database = "unavailable"
    body = ok(
        Health(
            status="ok" if database == "ok" else "degraded",
            timestamp=iso(utcnow()) or "",
            version=__version__,
            database=database,
        )
    )
    return Response(body, status_code=200 if database == "ok" else 503)
