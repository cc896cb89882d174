"""The pages people use: storefront `/`, kitchen display `/kitchen`, order tracking `/track/{orderId}`, table booking
`/book` and a booking's manage page `/reservations/manage/{id}?t=` (the API's `manageUrl`), and the two token pages
(staff invitation, password reset). Server-rendered Jinja2 shells + vanilla JS modules + one
stylesheet, all shipped in the package (found through `core.paths`, so they work inside the PyInstaller bundle).

Every page is public: what a visitor may see is decided by the API the page calls (the kitchen page shows a login
form until a staff member logs in). Pages carry a strict Content-Security-Policy: scripts, styles and connections
only from this box. Errors at a page's address answer an HTML page (`web.errors`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Request, Response, get
from litestar.datastructures import CacheControlHeader
from litestar.enums import MediaType
from litestar.params import FromPath
from litestar.static_files import create_static_files_router

from kitchenasty import __version__
from kitchenasty.core.openapi_docs import OPENAPI_JSON_PATH
from kitchenasty.core.paths import STATIC_DIR, TEMPLATES_DIR
from kitchenasty.core.schema import utcnow
from kitchenasty.reservations.checks import local_day
from kitchenasty.services import Services, ServicesDep
from kitchenasty.settings.service import public_settings

CSP = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob: http: https:",
    "media-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")


def page_headers(host: str | None) -> dict[str, str]:
    """Security headers of a page. The live sockets are named explicitly in `connect-src`: older Safari (the iPads
    kitchens reuse) does not let `'self'` cover ws:// and wss://."""
    connect = "connect-src 'self'"
    if host and _HOST.match(host):
        connect += f" ws://{host} wss://{host}"
    return {
        "Content-Security-Policy": "; ".join((*CSP, connect)),
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }


@cache
def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(("html",)),
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


PageRequest = Request[Any, Any, Any]


def restaurant_name(site: dict[str, Any]) -> str:
    """The name pages show, from the public site settings."""
    return str(site.get("general", {}).get("restaurantName") or "KitchenAsty")


async def render(
    request: PageRequest, services: Services, name: str, *, title: str, config: dict[str, Any]
) -> Response[str]:
    """A page shell; `config` reaches the page's script as JSON (public settings only, never a secret)."""
    site = await public_settings(services.settings)
    restaurant = restaurant_name(site)
    template = templates().get_template(name)
    html = template.render(title=title, restaurant=restaurant, version=__version__, config={"site": site, **config})
    return Response(html, media_type=MediaType.HTML, headers=page_headers(request.headers.get("host")))


@get("/", include_in_schema=False, name="page-storefront")
async def storefront_page(request: PageRequest, services: ServicesDep) -> Response[str]:
    return await render(request, services, "storefront.html", title="Order online", config={"page": "storefront"})


@get("/kitchen", include_in_schema=False, name="page-kitchen")
async def kitchen_page(request: PageRequest, services: ServicesDep) -> Response[str]:
    resolved = await services.settings.resolved()
    warn = int(resolved.get("orders.kitchenWarnMinutes"))
    late = max(int(resolved.get("orders.kitchenLateMinutes")), warn)
    repeat = int(resolved.get("orders.kitchenAlertRepeatSeconds"))
    config = {"page": "kitchen", "warnMinutes": warn, "lateMinutes": late, "alertRepeatSeconds": repeat}
    return await render(request, services, "kitchen.html", title="Kitchen display", config=config)


@get("/track/{order_id:str}", include_in_schema=False, name="page-track")
async def track_page(request: PageRequest, order_id: FromPath[str], services: ServicesDep) -> Response[str]:
    config = {"page": "track", "orderId": order_id}
    return await render(request, services, "track.html", title="Your order", config=config)


@get("/book", include_in_schema=False, name="page-book")
async def book_page(request: PageRequest, services: ServicesDep) -> Response[str]:
    """Booking a table: the party sizes and how far ahead come from the reservation settings (the API decides)."""
    rules, zone = await services.reservations.rules()
    booking = {
        "enabled": rules.enabled,
        "today": local_day(utcnow(), zone).isoformat(),
        "minPartySize": rules.min_party,
        "maxPartySize": rules.max_party,
        "maxAdvanceDays": rules.max_days,
    }
    config = {"page": "book", "booking": booking}
    return await render(request, services, "book.html", title="Book a table", config=config)


@get("/reservations/manage/{reservation_id:str}", include_in_schema=False, name="page-reservation-manage")
async def reservation_manage_page(
    request: PageRequest, reservation_id: FromPath[str], services: ServicesDep
) -> Response[str]:
    config = {"page": "reservation", "reservationId": reservation_id}
    return await render(request, services, "reservation.html", title="Your booking", config=config)


@get("/staff/accept-invite", include_in_schema=False, name="page-accept-invite")
async def accept_invite_page(request: PageRequest, services: ServicesDep) -> Response[str]:
    config = {"page": "accept-invite"}
    return await render(request, services, "accept_invite.html", title="Join the team", config=config)


@get("/reset-password", include_in_schema=False, name="page-reset-password")
async def reset_password_page(request: PageRequest, services: ServicesDep) -> Response[str]:
    config = {"page": "reset-password"}
    return await render(request, services, "reset_password.html", title="Choose a new password", config=config)


@get("/api/docs", include_in_schema=False, name="page-api-docs")
async def api_docs_page(request: PageRequest) -> Response[str]:
    """The API reference (bundled assets, no CDN), under the same Content-Security-Policy as every page."""
    html = templates().get_template("api_docs.html").render(version=__version__, spec_url=OPENAPI_JSON_PATH)
    return Response(html, media_type=MediaType.HTML, headers=page_headers(request.headers.get("host")))


static_files = create_static_files_router(
    path="/static",
    directories=[STATIC_DIR],
    name="static",
    cache_control=CacheControlHeader(no_cache=True),
    include_in_schema=False,
)

ROUTES: list[Any] = [
    storefront_page,
    kitchen_page,
    track_page,
    book_page,
    reservation_manage_page,
    accept_invite_page,
    reset_password_page,
    api_docs_page,
    static_files,
]
