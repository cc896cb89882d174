"""Error pages: outside `/api/` and `/static/`, an error answers an HTML page in the site's style (the stylesheet, the
restaurant's name, a sentence and a way back to the storefront) with the right status and the pages' security
headers; `/api/*` keeps the JSON envelope of `core.http`.

`page_aware` wraps the JSON exception handlers, so what they log (an unexpected error, once, with its traceback) is
logged exactly as before; only the answer differs. A page route that must refuse returns `forbidden_page()`, or
raises a `core.errors` error (`Forbidden`, `NotFound`): its message becomes the page's sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.response.base import ASGIResponse
from litestar.types import Receive, Scope, Send

from kitchenasty import __version__
from kitchenasty.core.errors import DomainError
from kitchenasty.core.logging import get_logger
from kitchenasty.settings.service import public_settings
from kitchenasty.web.routes import page_headers, restaurant_name, templates

log = get_logger("kitchenasty.web")

AnyRequest = Request[Any, Any, Any]
Handler = Callable[[AnyRequest, Any], Response[Any]]

PAGE_TEXT: dict[int, tuple[str, str]] = {
    400: (
        "That did not work",
        "The address or what was sent with it has a mistake in it. Please go back and try again.",
    ),
    403: ("You are not allowed here", "Your account cannot open this page. Ask a manager if you need it."),
    404: ("Page not found", "There is no page at this address. The link may be mistyped, or the page may have moved."),
    405: ("That did not work", "This page cannot be used that way. Please start again from the menu."),
    413: ("That was too large", "What was sent is larger than this restaurant accepts."),
    429: ("Too many tries", "There were too many tries in a short time. Please wait a minute and try again."),
    500: (
        "Something went wrong",
        "Something went wrong on our side and it has been noted. Please try again in a moment.",
    ),
}
_OTHER_REFUSAL = ("That did not work", "This request could not be completed. Please go back and try again.")


def is_page_path(path: str) -> bool:
    """Whether an error at `path` answers a page (everything but the API and the static files)."""
    return not (path == "/api" or path.startswith(("/api/", "/static/")))


def page_text(status: int) -> tuple[str, str]:
    """The heading and sentence of the error page for `status`."""
    if status >= 500:
        return PAGE_TEXT[500]
    return PAGE_TEXT.get(status, _OTHER_REFUSAL)


class ErrorPage(Response[str]):
    """An HTML error page. Litestar's exception handlers are synchronous and the restaurant's name comes from the
    (async, cached) site settings, so the page is rendered when it is sent."""

    def __init__(self, status_code: int, heading: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__("", status_code=status_code, media_type=MediaType.HTML, headers=dict(headers or {}))
        self.heading = heading
        self.message = message

    def to_asgi_response(
        self,
        app: Any,
        request: AnyRequest,
        *,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        **_: Any,
    ) -> ASGIResponse:
        merged = {**(headers or {}), **self.headers, **page_headers(request.headers.get("host"))}
        return _RenderedOnSend(self, request, merged, is_head_response)


class _RenderedOnSend(ASGIResponse):
    def __init__(self, page: ErrorPage, request: AnyRequest, headers: dict[str, str], head: bool) -> None:
        super().__init__(
            status_code=page.status_code, headers=headers, media_type=MediaType.HTML, is_head_response=head
        )
        self.page = page
        self.request = request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = (await render_error_page(self.request, self.page)).encode()
        self.headers["content-length"] = str(len(body))
        if not self.is_head_response:
            self.body = body
        await super().__call__(scope, receive, send)


async def _restaurant(request: AnyRequest) -> str:
    try:
        return restaurant_name(await public_settings(request.app.state.services.settings))
    except Exception as exc:  # the error being shown may be the database's own: the page still answers
        log.warning("error page without settings", path=request.url.path, error_type=type(exc).__name__)
        return restaurant_name({})


async def render_error_page(request: AnyRequest, page: ErrorPage) -> str:
    restaurant = await _restaurant(request)
    return (
        templates()
        .get_template("error.html")
        .render(
            title=page.heading, heading=page.heading, message=page.message, restaurant=restaurant, version=__version__
        )
    )


def error_page(status: int, message: str | None = None, headers: Mapping[str, str] | None = None) -> ErrorPage:
    heading, default = page_text(status)
    return ErrorPage(status, heading, message or default, headers)


def forbidden_page(message: str | None = None) -> ErrorPage:
    """The 403 page ("You are not allowed here"), for a page route to return, e.g. to a STAFF user at a manager's
    page; `message` replaces the default sentence."""
    return error_page(403, message)


def _for_pages(handler: Handler) -> Handler:
    def handle(request: AnyRequest, exc: Exception) -> Response[Any]:
        response = handler(request, exc)  # logs what it logged before, and is the answer outside the pages
        if not is_page_path(request.url.path):
            return response
        status = response.status_code or 500
        message = exc.message if isinstance(exc, DomainError) and status < 500 else None
        kept = {k: v for k, v in response.headers.items() if k.lower() in ("allow", "retry-after")}
        return error_page(status, message, kept)

    return handle


def page_aware(handlers: Mapping[type[Exception] | int, Handler]) -> dict[type[Exception] | int, Handler]:
    """`handlers` (the JSON envelope's), each answering the HTML error page instead for a page's address."""
    return {key: _for_pages(handler) for key, handler in handlers.items()}
