"""The `/admin` back office: one page shell for every screen, and the registry of screens.

Every screen is a client of the JSON API (each rule and guard lives once, in the services); this module only
decides which shell to answer. The first path segment after `/admin` names the screen (`/admin/orders/abc` is the
`orders` screen with the path `["abc"]`); the staff member comes from the same httpOnly auth cookie as `/kitchen`:

- an unknown screen answers the HTML 404 page;
- nobody logged in (or a customer): the shell with the staff login form; after login the same address reloads;
- a role below the screen's: the HTML 403 page;
- otherwise `admin.html` with the page config: the screen, the user, the navigation that user's role may open
  (grouped), the restaurant's name and the public site settings.

**Adding a screen**: append one `AdminScreen(...)` line to `SCREENS` below and write
`static/js/admin/screens/<module>.js` exporting `mount(main, ctx)` (see docs/DEVELOPING.md, "Adding an admin
screen").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from litestar.params import FromPath

from kitchenasty.core.guards import MANAGER, STAFF, SUPER_ADMIN, MaybePrincipal
from kitchenasty.core.security import ROLES, Principal, Role
from kitchenasty.orders.checks import TRANSITIONS
from kitchenasty.orders.schemas import ORDER_STATUSES
from kitchenasty.services import Services, ServicesDep
from kitchenasty.settings.service import public_settings
from kitchenasty.web.errors import error_page, forbidden_page
from kitchenasty.web.routes import PageRequest, render, restaurant_name


@dataclass(frozen=True, kw_only=True)
class AdminScreen:
    """One back-office screen.

    `slug` is the first path segment after `/admin` ("" is `/admin` itself); `role` the least role that may open it
    (STAFF < MANAGER < SUPER_ADMIN); `module` the script `static/js/admin/screens/<module>.js`; `group` the heading
    it is listed under in the navigation ("" = not listed: the start page); `description` one sentence for the start
    page's link to it; `extra` what the screen needs from the server's own rules (it reaches the page as
    `config.screenConfig`, e.g. the order transition table), so the page never restates a rule."""

    slug: str
    title: str
    role: Role
    module: str
    group: str
    description: str = ""
    extra: Callable[[], dict[str, Any]] | None = None

    @property
    def href(self) -> str:
        return f"/admin/{self.slug}" if self.slug else "/admin"


def order_rules() -> dict[str, Any]:
    """The orders screens' buttons: order type -> status -> the statuses staff may move it to (`orders.checks`)."""
    rank = ORDER_STATUSES.index
    return {
        "transitions": {
            order_type: {status: sorted(targets, key=rank) for status, targets in table.items()}
            for order_type, table in TRANSITIONS.items()
        }
    }


# The one list of screens, in navigation order (groups appear in the order of their first screen).
# Add a screen by appending one line.
SCREENS: tuple[AdminScreen, ...] = (
    AdminScreen(
        slug="", title="Start", role=STAFF, module="home", group="", description="The back office's start page."
    ),
    AdminScreen(
        slug="orders",
        title="Orders",
        role=STAFF,
        module="orders",
        group="Service",
        description="Find an order, follow it live, change its status or cancel it, print a receipt.",
        extra=order_rules,
    ),
    AdminScreen(
        slug="reservations",
        title="Reservations",
        role=STAFF,
        module="reservations",
        group="Service",
        description="The day's bookings per table, live: confirm, seat, complete, move a table, add a walk-in; trends.",
    ),
    AdminScreen(
        slug="menu",
        title="Menu items",
        role=MANAGER,
        module="menu",
        group="Menu",
        description="Prices, options and stock; mark an item sold out in one tap; change a category's prices at once.",
    ),
    AdminScreen(
        slug="categories",
        title="Categories",
        role=MANAGER,
        module="categories",
        group="Menu",
        description="The menu's sections: add, rename, nest, reorder or hide them.",
    ),
    AdminScreen(
        slug="locations",
        title="Locations",
        role=MANAGER,
        module="locations",
        group="Restaurant",
        description="Address, opening hours, holidays, busy mode and pausing orders, minimums, lead times and tables.",
    ),
    AdminScreen(
        slug="stations",
        title="Stations",
        role=MANAGER,
        module="stations",
        group="Restaurant",
        description="The kitchen line: which station (bar, grill…) prepares which categories; each station's display.",
    ),
    AdminScreen(
        slug="printers",
        title="Printers",
        role=MANAGER,
        module="printers",
        group="Restaurant",
        description="Kitchen ticket printers: their station, paper width, state and test page; print jobs to retry.",
    ),
    AdminScreen(
        slug="staff",
        title="Staff",
        role=SUPER_ADMIN,
        module="staff",
        group="People",
        description="Invite the team, change roles, deactivate an account, send a password-reset link.",
    ),
    AdminScreen(
        slug="customers",
        title="Customers",
        role=MANAGER,
        module="customers",
        group="People",
        description="Find a customer, see their orders and totals, deactivate an account, export their data.",
    ),
    AdminScreen(
        slug="coupons",
        title="Coupons",
        role=MANAGER,
        module="coupons",
        group="Sales",
        description="Percentage, fixed and free-delivery coupons with their window, minimum, limits and uses.",
    ),
    AdminScreen(
        slug="settings",
        title="Settings",
        role=MANAGER,
        module="settings",
        group="Setup",
        description="Every setting with its help, its value and where that value comes from; a test e-mail.",
    ),
    AdminScreen(
        slug="dashboard",
        title="Dashboard",
        role=STAFF,
        module="dashboard",
        group="Insights",
        description="Today, the last 7 and 30 days: revenue, orders, top items, revenue by hour; what needs a look.",
    ),
    AdminScreen(
        slug="reports",
        title="Reports",
        role=MANAGER,
        module="reports",
        group="Insights",
        description="The end-of-day (Z) report per location and day, to print or download as CSV.",
    ),
    AdminScreen(
        slug="automation",
        title="Automation",
        role=MANAGER,
        module="automation",
        group="Automation",
        description="Rules: when something happens, send an e-mail, a text or a webhook.",
    ),
    AdminScreen(
        slug="outbox",
        title="Outbox",
        role=MANAGER,
        module="outbox",
        group="Automation",
        description="Every e-mail, text and webhook: how its delivery went; send the failed ones again.",
    ),
    AdminScreen(
        slug="metrics",
        title="Request metrics",
        role=MANAGER,
        module="metrics",
        group="Developer",
        description="Requests, errors and response times per endpoint and hour.",
    ),
    AdminScreen(
        slug="audit",
        title="Audit log",
        role=SUPER_ADMIN,
        module="audit",
        group="Developer",
        description="Every change made by staff: who, what, when, each field before and after.",
    ),
)

ROLE_TEXT: dict[str, str] = {SUPER_ADMIN: "Administrator", MANAGER: "Manager", STAFF: "Staff"}
"""A role in words, as the header shows it."""


def _rank(role: str | None) -> int:
    """STAFF 1 < MANAGER 2 < SUPER_ADMIN 3 (the order of `core.security.ROLES`, highest first); 0 for no role."""
    return len(ROLES) - ROLES.index(role) if role in ROLES else 0


def may_open(role: str | None, screen: AdminScreen) -> bool:
    """Whether a staff member with `role` may open `screen`."""
    return _rank(role) >= _rank(screen.role)


def screen_for(slug: str) -> AdminScreen | None:
    """The screen at `/admin/<slug>` (a handful of entries: a scan costs less than keeping an index in step;
    `tests/web/test_admin_shell.py` checks that slugs are unique and every module exists)."""
    return next((screen for screen in SCREENS if screen.slug == slug), None)


def navigation(role: str | None) -> list[dict[str, Any]]:
    """The screens `role` may open, grouped under their headings, in registry order (the start page is not listed)."""
    groups: dict[str, list[dict[str, str]]] = {}
    for screen in SCREENS:
        if screen.group and may_open(role, screen):
            groups.setdefault(screen.group, []).append(
                {"slug": screen.slug, "title": screen.title, "href": screen.href, "description": screen.description}
            )
    return [{"group": group, "screens": screens} for group, screens in groups.items()]


async def _user(services: Services, principal: Principal | None) -> dict[str, Any] | None:
    if principal is None or not principal.is_staff:
        return None
    me = (await services.auth.me(principal)).user
    if me is None:
        return None
    return {"id": me.id, "name": me.name, "email": me.email, "role": me.role, "roleText": ROLE_TEXT[me.role]}


async def _admin(request: PageRequest, services: Services, principal: Principal | None, rest: str) -> Response[str]:
    segments = [part for part in rest.split("/") if part]
    screen = screen_for(segments[0] if segments else "")
    if screen is None:
        return error_page(404)
    user = await _user(services, principal)
    if user is not None and not may_open(user["role"], screen):
        return forbidden_page()
    site = await public_settings(services.settings)
    config = {
        "page": "admin",
        "screen": {"slug": screen.slug, "title": screen.title, "module": screen.module},
        "path": segments[1:],
        "user": user,
        "screenConfig": screen.extra() if user and screen.extra else {},
        "nav": navigation(user["role"]) if user else [],
        "restaurant": restaurant_name(site),
        "loginNote": "You are logged in as a customer: log in with a staff account."
        if principal is not None and principal.is_customer
        else "",
    }
    title = screen.title if user else "Staff login"
    return await render(request, services, "admin.html", title=title, config=config)


@get("/admin", include_in_schema=False, name="page-admin")
async def admin_home(request: PageRequest, services: ServicesDep, principal: MaybePrincipal) -> Response[str]:
    return await _admin(request, services, principal, "")


@get("/admin/{rest:path}", include_in_schema=False, name="page-admin-screen")
async def admin_screen(
    request: PageRequest, rest: FromPath[str], services: ServicesDep, principal: MaybePrincipal
) -> Response[str]:
    return await _admin(request, services, principal, rest)


ROUTES: list[Any] = [admin_home, admin_screen]
