"""The back office's shell in a real Chromium: staff log in on the page, each role sees only its navigation, the 403
page at a screen above the role, log out, a deep link that survives the login, the phone drawer, axe-core, the
screenshots; and the shared form module's behaviour through a page (an API field error next to its field, with the
focus; the warning before leaving unsaved changes)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kitchenasty.web import admin
from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.a11y import serious_violations
from tests.web.admin_screens import MANAGERS_SCREEN, OWNERS_SCREEN, test_screens
from tests.web.browsing import log_in_to_admin, open_person
from tests.web.conftest import PHONE, TABLET

__all__ = ["test_screens"]

pytestmark = pytest.mark.browser


def nav_titles(page: Page) -> list[str]:
    return page.locator("#admin-nav .admin-nav-link").all_inner_texts()


def fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_admin_each_role_logs_in_and_sees_only_its_navigation(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    test_screens: tuple[admin.AdminScreen, ...],
) -> None:
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    page.goto("/admin")
    for email, role, name in (
        (world.admin_email, "SUPER_ADMIN", "Administrator"),
        (world.manager_email, "MANAGER", "Manager"),
        (world.staff_email, "STAFF", "Staff"),
    ):
        log_in_to_admin(page, email)
        expect(page).to_have_url(f"{server.base_url}/admin")
        expect(page.locator("#admin-user .admin-user-role")).to_have_text(name)
        expected = ["Start", *(s.title for s in test_screens if s.group and admin.may_open(role, s))]
        assert nav_titles(page) == [*expected, "Kitchen display", "Storefront"], role
        expect(page.locator("#admin-nav [aria-current='page']")).to_have_text("Start")
        shown = set(nav_titles(page))
        assert (MANAGERS_SCREEN.title in shown) == (role != "STAFF")
        assert (OWNERS_SCREEN.title in shown) == (role == "SUPER_ADMIN")
        # the start page links to the same screens, and to the kitchen display
        cards = page.locator(".admin-cards a").all_inner_texts()
        assert cards == [*expected[1:], "Kitchen display"]
        expect(page.get_by_role("banner").get_by_role("link", name="Kitchen display")).to_have_attribute(
            "href", "/kitchen"
        )
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", name="Staff login")).to_be_visible()
        expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # logged out for real: the API no longer knows this browser
    assert page.evaluate("fetch('/api/auth/me').then(r => r.status)") == 401
    person.assert_no_errors()


def test_admin_staff_at_a_managers_screen_gets_the_403_page(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    test_screens: tuple[admin.AdminScreen, ...],
) -> None:
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    page.goto("/admin")
    log_in_to_admin(page, world.staff_email)
    response = page.goto(f"/admin/{MANAGERS_SCREEN.slug}")
    assert response is not None and response.status == 403
    assert response.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are not allowed here")
    response = page.goto("/admin/no-such-screen")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    person.assert_no_errors()


def test_admin_deep_link_shows_the_login_form_then_lands_on_its_screen(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    response = page.goto("/admin/orders")
    assert response is not None and response.status == 200
    page.get_by_label("E-mail").fill(world.staff_email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#admin-login-error")).not_to_be_empty()
    assert page.locator("#admin-login-password").evaluate("el => el === document.activeElement")
    log_in_to_admin(page, world.staff_email)
    expect(page).to_have_url(f"{server.base_url}/admin/orders")
    expect(page.get_by_role("heading", level=1)).to_have_text("Orders")
    expect(page.locator("#admin-nav [aria-current='page']")).to_have_text("Orders")
    expect(page).to_have_title(
        f"Orders · {page.locator('.admin-brand').evaluate('el => el.firstChild.textContent.trim()')}"
    )
    # the password-reset link leads to the request form for a staff account
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_label("E-mail").fill(world.staff_email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("#reset-request-done")).to_contain_text("reset link is on its way")
    person.assert_no_errors()


@pytest.mark.parametrize(("size_name", "viewport"), [("tablet", TABLET), ("phone", PHONE)])
def test_admin_login_and_start_page_are_accessible_at_both_sizes(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    screenshots: Path,
    size_name: str,
    viewport: dict[str, int],
) -> None:
    person = open_person(browser, contexts, server.base_url, viewport)
    page = person.page
    page.goto("/admin")
    expect(page.get_by_role("heading", name="Staff login")).to_be_visible()
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-login-{size_name}.png"), full_page=True)
    log_in_to_admin(page, world.manager_email)
    expect(page.locator(".admin-home-open")).not_to_be_empty()
    fits(page)
    assert serious_violations(page) == []
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Back office")
    if size_name == "phone":
        expect(nav).to_be_hidden()
        page.screenshot(path=str(screenshots / f"admin-home-{size_name}.png"), full_page=True)
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(nav).to_be_visible()
        assert page.evaluate("document.activeElement.getAttribute('aria-current')") == "page"
        assert serious_violations(page) == []
        page.screenshot(path=str(screenshots / "admin-nav-phone.png"))
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        assert page.evaluate("document.activeElement.id") == "admin-menu-btn"
    else:
        expect(menu).to_be_hidden()
        expect(nav).to_be_visible()
        page.screenshot(path=str(screenshots / f"admin-home-{size_name}.png"), full_page=True)
    person.assert_no_errors()


# ---------------------------------------------------------------- form.js through a page

MOUNT_FORM = """async (locationId) => {
  const { createForm } = await import("/static/js/admin/form.js");
  const { api } = await import("/static/js/common.js");
  const main = document.getElementById("admin-screen");
  main.replaceChildren();
  window.saved = null;
  createForm(main, {
    label: "New table",
    fields: [
      { name: "name", label: "Table name", help: "As the staff call it, e.g. Terrace 4." },
      { name: "capacity", label: "Seats", type: "number", min: 1 },
      { name: "isActive", label: "Taking guests", type: "checkbox" },
    ],
    values: { name: "", capacity: 4, isActive: true },
    submitLabel: "Add table",
    submit: (values) => api(`/api/locations/${locationId}/tables`, { method: "POST", body: values }),
    onSaved: (data) => { window.saved = data; },
  });
}"""


def test_admin_form_shows_api_field_errors_next_to_the_field_and_warns_before_leaving(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    taken = httpx.get(f"{server.base_url}/api/locations/{world.location_id}/tables").json()["data"][0]["name"]
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    page.goto("/admin")
    log_in_to_admin(page, world.manager_email)
    page.evaluate(MOUNT_FORM, world.location_id)
    name = page.get_by_label("Table name")
    seats = page.get_by_label("Seats")
    add = page.get_by_role("button", name="Add table")
    expect(name).to_have_accessible_description("As the staff call it, e.g. Terrace 4.")

    add.click()  # blank name: the server's 400 names the field
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(
        "As the staff call it, e.g. Terrace 4. Table name must have at least 1 character."
    )
    expect(name).to_be_focused()
    expect(page.locator(".admin-form-error")).to_have_text("Please correct the marked fields.")

    name.fill(taken)  # a name in use: the server's 409 names the field too
    add.click()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".admin-field-text .admin-field-error")).to_contain_text("already")

    name.fill("Terrace 9")
    seats.fill("0")
    add.click()
    expect(seats).to_have_attribute("aria-invalid", "true")
    expect(seats).to_be_focused()
    expect(name).not_to_have_attribute("aria-invalid", "true")

    # unsaved changes: a link inside the back office asks first, and "Stay" stays
    seats.press_sequentially("6")
    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Orders").click()
    dialog = page.get_by_role("dialog", name="Leave without saving?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Stay on this page")).to_be_focused()
    dialog.get_by_role("button", name="Stay on this page").click()
    expect(dialog).to_have_count(0)
    expect(page).to_have_url(f"{server.base_url}/admin")
    # closing the tab gets the browser's own question
    with page.expect_event("dialog") as question:
        page.close(run_before_unload=True)
    assert question.value.type == "beforeunload"
    question.value.dismiss()

    page = person.context.new_page()
    page.goto("/admin")
    page.evaluate(MOUNT_FORM, world.location_id)
    page.get_by_label("Table name").fill("Terrace 9")
    page.get_by_role("button", name="Add table").click()
    # waited on through the DOM: a string predicate is evaluated with eval(), which the page's CSP refuses
    expect(page.locator("body")).to_have_attribute("data-unsaved", "false")
    assert page.evaluate("window.saved && window.saved.name") == "Terrace 9"
    page.get_by_label("Table name").fill("Terrace 10")
    page.get_by_role("link", name="Orders").first.click()
    page.get_by_role("dialog").get_by_role("button", name="Leave without saving").click()
    expect(page).to_have_url(f"{server.base_url}/admin/orders")
    person.assert_no_errors()
