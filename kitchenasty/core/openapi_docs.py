"""`/api/openapi.json`: the OpenAPI document (the `/api/docs` page that reads it is a page of `web`)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

OPENAPI_JSON_PATH = "/api/openapi.json"


@get(OPENAPI_JSON_PATH, include_in_schema=False, media_type="application/vnd.oai.openapi+json")
async def openapi_json(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """The OpenAPI document Litestar generates from the routes and msgspec schemas (see `core.openapi`)."""
    return Response(request.app.openapi_schema.to_schema(), media_type="application/vnd.oai.openapi+json")


DOCS_ROUTES = [openapi_json]
