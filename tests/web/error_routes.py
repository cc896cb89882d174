"""Routes registered on the real app by the error-page tests only: a page and an API route that fail unexpectedly,
and two page routes that refuse (one returns the 403 page, one raises the domain's `Forbidden`)."""

from __future__ import annotations

from litestar import Litestar, Response, get

from kitchenasty.core.errors import Forbidden
from kitchenasty.web.errors import forbidden_page

BROKEN_PAGE = "/test-only/broken-page"
BROKEN_API = "/api/test-only/broken"
MANAGERS_PAGE = "/test-only/managers-only"
RAISING_PAGE = "/test-only/raises-forbidden"
FAILURE = "the oven caught fire at table 7"


@get(BROKEN_PAGE, include_in_schema=False)
async def broken_page() -> str:
    raise RuntimeError(FAILURE)


@get(BROKEN_API, include_in_schema=False)
async def broken_api() -> str:
    raise RuntimeError(FAILURE)


@get(MANAGERS_PAGE, include_in_schema=False)
async def managers_only_page() -> Response[str]:
    return forbidden_page()


@get(RAISING_PAGE, include_in_schema=False)
async def raising_page() -> str:
    raise Forbidden("Only managers can open the menu editor.", code="MANAGERS_ONLY")


def with_test_routes(app: Litestar) -> Litestar:
    for handler in (broken_page, broken_api, managers_only_page, raising_page):
        app.register(handler)
    return app
