"""The back office's shell over HTTP: which page `/admin/...` answers for whom (login form, screen, 403, 404), the
page config it carries, and the registry's own consistency."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core.paths import STATIC_DIR
from kitchenasty.core.security import ROLES
from kitchenasty.services import Services
from kitchenasty.web import admin
from tests.factories import bearer, customer_headers, make_staff
from tests.web.admin_screens import MANAGERS_SCREEN, OWNERS_SCREEN, test_screens
from tests.web.test_pages import page_config

__all__ = ["test_screens"]

Client = AsyncTestClient[Litestar]


def nav_slugs(config: dict) -> list[str]:
    return [screen["slug"] for group in config["nav"] for screen in group["screens"]]


def test_admin_registry_slugs_are_unique_and_every_module_exists() -> None:
    slugs = [screen.slug for screen in admin.SCREENS]
    assert len(slugs) == len(set(slugs)), slugs
    assert "" in slugs and "orders" in slugs
    for screen in admin.SCREENS:
        assert "/" not in screen.slug and screen.slug == screen.slug.strip()
        assert screen.role in ROLES
        assert (STATIC_DIR / "js" / "admin" / "screens" / f"{screen.module}.js").is_file(), screen


def test_admin_roles_are_ordered_staff_manager_super_admin() -> None:
    staff, manager, owner = (admin.AdminScreen(slug=r, title=r, role=r, module="home", group="x") for r in ROLES[::-1])
    assert [admin.may_open("STAFF", s) for s in (staff, manager, owner)] == [True, False, False]
    assert [admin.may_open("MANAGER", s) for s in (staff, manager, owner)] == [True, True, False]
    assert [admin.may_open("SUPER_ADMIN", s) for s in (staff, manager, owner)] == [True, True, True]
    assert not admin.may_open(None, staff)


@pytest.mark.parametrize("path", ["/admin", "/admin/orders", "/admin/orders/some-order/receipt"])
async def test_admin_shows_the_login_form_to_anonymous_visitors(client: Client, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert 'id="admin-login-form"' in html
    assert '<a href="/reset-password?for=staff">Forgot your password?</a>' in html
    assert 'src="/static/js/admin/shell.js' in html
    config = page_config(html)
    assert config["user"] is None and config["nav"] == []
    assert config["screen"]["slug"] == ("" if path == "/admin" else "orders")
    assert "general" in config["site"] and config["restaurant"]


async def test_admin_screen_carries_the_user_navigation_and_path(client: Client, services: Services) -> None:
    await services.settings.update_group("general", {"restaurantName": "Saffron & Sage"})
    user = await make_staff(services, "STAFF", name="Ada Cook")
    response = await client.get("/admin/orders/abc/receipt", headers=bearer(services.auth.issue("staff", user)))
    assert response.status_code == 200
    config = page_config(response.text)
    assert config["screen"] == {"slug": "orders", "title": "Orders", "module": "orders"}
    assert config["path"] == ["abc", "receipt"]
    # the server's transition table, for the status buttons (never restated in the page)
    transitions = config["screenConfig"]["transitions"]
    assert transitions["PICKUP"]["PENDING"] == ["CONFIRMED", "CANCELLED"]
    assert transitions["PICKUP"]["READY"] == ["PICKED_UP", "CANCELLED"]
    assert transitions["DINE_IN"]["DELIVERED"] == []
    assert config["user"] == {
        "id": user.id,
        "name": "Ada Cook",
        "email": user.email,
        "role": "STAFF",
        "roleText": "Staff",
    }
    assert config["restaurant"] == "Saffron & Sage"
    assert config["nav"][0]["group"] == "Service"
    assert {"slug": "orders", "title": "Orders", "href": "/admin/orders"}.items() <= config["nav"][0]["screens"][
        0
    ].items()
    assert "<title>Orders · Saffron &amp; Sage</title>" in response.text
    assert '<a class="admin-nav-link" href="/admin/orders" aria-current="page">Orders</a>' in response.text


async def test_admin_navigation_lists_only_what_each_role_may_open(
    client: Client, services: Services, test_screens: tuple[admin.AdminScreen, ...]
) -> None:
    seen = {}
    for role in ("STAFF", "MANAGER", "SUPER_ADMIN"):
        user = await make_staff(services, role)  # type: ignore[arg-type]
        response = await client.get("/admin", headers=bearer(services.auth.issue("staff", user)))
        seen[role] = nav_slugs(page_config(response.text))
        expected = [s.slug for s in test_screens if s.group and admin.may_open(role, s)]
        assert seen[role] == expected
    assert MANAGERS_SCREEN.slug not in seen["STAFF"] and OWNERS_SCREEN.slug not in seen["STAFF"]
    assert MANAGERS_SCREEN.slug in seen["MANAGER"] and OWNERS_SCREEN.slug not in seen["MANAGER"]
    assert {MANAGERS_SCREEN.slug, OWNERS_SCREEN.slug} <= set(seen["SUPER_ADMIN"])


async def test_admin_screen_above_the_role_answers_the_html_403_page(
    client: Client, services: Services, test_screens: tuple[admin.AdminScreen, ...]
) -> None:
    staff = bearer(services.auth.issue("staff", await make_staff(services, "STAFF")))
    manager = bearer(services.auth.issue("staff", await make_staff(services, "MANAGER")))
    for headers, path in (
        (staff, "/admin/test-managers"),
        (staff, "/admin/test-owners/x"),
        (manager, "/admin/test-owners"),
    ):
        response = await client.get(path, headers=headers)
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1>You are not allowed here</h1>" in response.text
    assert (await client.get("/admin/test-managers", headers=manager)).status_code == 200
    # anonymous: the login form first (the role is checked once someone logs in)
    assert 'id="admin-login-form"' in (await client.get("/admin/test-owners")).text


@pytest.mark.parametrize("path", ["/admin/no-such-screen", "/admin/no-such-screen/deeper"])
async def test_admin_unknown_screen_answers_the_html_404_page(client: Client, services: Services, path: str) -> None:
    for headers in ({}, bearer(services.auth.issue("staff", await make_staff(services, "SUPER_ADMIN")))):
        response = await client.get(path, headers=headers)
        assert response.status_code == 404
        assert "<h1>Page not found</h1>" in response.text


async def test_admin_shows_a_customer_the_staff_login_form(client: Client, services: Services) -> None:
    response = await client.get("/admin/orders", headers=await customer_headers(services))
    assert response.status_code == 200
    config = page_config(response.text)
    assert config["user"] is None
    assert "logged in as a customer" in response.text
