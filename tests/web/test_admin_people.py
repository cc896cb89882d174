"""Staff and customers in the back office, in a real Chromium: an administrator invites a cook (the link, whether it
was e-mailed, the copy button), the cook accepts on the invitation page and logs in to the back office with the
staff navigation; invitations sent again and withdrawn, a role changed, an account deactivated (its session ends)
and reactivated, a password-reset link handed over; a manager finds a customer, sees their orders and totals,
exports their data and deactivates the account."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kitchenasty.web import admin
from tests.factories import PASSWORD
from tests.realtime.helpers import World
from tests.servers import SMTPServer, UvicornThread
from tests.web.admin_shots import check_and_shoot
from tests.web.browsing import log_in_to_admin, open_person
from tests.web.conftest import TABLET

pytestmark = pytest.mark.browser

COOK = "cook@example.com"


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    # the local SMTP server listens on 127.0.0.1, which only the owner's allowlist lets outbound traffic reach
    return {**env, "KITCHENASTY_OUTBOUND_ALLOWED_HOSTS": "127.0.0.1", "KITCHENASTY_OUTBOX_BASE_DELAY_SECONDS": "0.05"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def nav_titles(page: Page) -> list[str]:
    return page.locator("#admin-nav .admin-nav-link").all_inner_texts()


def relative(url: str) -> str:
    """The link's path and query (the link names the configured public address; the test server has its own)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_admin_invites_a_cook_who_accepts_and_logs_in_to_the_staff_navigation(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    with SMTPServer() as smtp:
        mail = {"smtpHost": "127.0.0.1", "smtpPort": smtp.port, "encryption": "none", "senderEmail": "k@pizza.example"}
        saved = httpx.put(f"{server.base_url}/api/settings/mail", json=mail, headers=bearer(world.admin_token))
        assert saved.status_code == 200, saved.text
        owner = open_person(browser, contexts, server.base_url, TABLET)
        owner.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
        page = owner.page
        page.goto("/admin/staff")
        log_in_to_admin(page, world.admin_email)
        expect(page.get_by_role("heading", name="Staff", level=1)).to_be_visible()
        expect(page.locator(".admin-pending")).to_contain_text("No invitations are waiting")

        invite = page.get_by_role("form", name="Invite a team member")
        invite.get_by_label("E-mail", exact=True).fill(COOK)
        invite.get_by_label("Name (optional)").fill("Carla Cook")
        expect(invite.get_by_label("Role", exact=True)).to_have_value("STAFF")
        invite.get_by_role("button", name="Send invitation").click()

        panel = page.get_by_role("region", name=f"Invitation e-mailed to {COOK}")
        expect(panel).to_be_visible()
        expect(panel).to_be_focused()
        link = panel.get_by_label("Invitation link").input_value()
        assert "/staff/accept-invite?token=" in link
        panel.get_by_role("button", name="Copy link").click()
        expect(panel.get_by_role("status")).to_have_text("Link copied.")
        assert page.evaluate("navigator.clipboard.readText()") == link
        # the form is empty again for the next one, and the invitation waits in the list
        expect(invite.get_by_label("E-mail", exact=True)).to_have_value("")
        pending = page.get_by_role("region", name="Pending invitations", exact=True)
        expect(pending.get_by_role("row", name=re.compile(COOK))).to_contain_text("Staff")
        [sent] = smtp.wait_for(1)
        assert sent.rcpt_tos == [COOK]
        assert link in sent.text()
        check_and_shoot(page, screenshots, "staff")
        owner.assert_no_errors()

    cook = open_person(browser, contexts, server.base_url, TABLET)
    cook.page.goto(relative(link))
    expect(cook.page.get_by_role("heading", name="Join the team")).to_be_visible()
    expect(cook.page.locator("#invite-email")).to_have_text(COOK)
    expect(cook.page.get_by_label("Your name")).to_have_value("Carla Cook")
    cook.page.get_by_label("Password (at least 8 characters)").fill(PASSWORD)
    cook.page.get_by_label("Repeat the password").fill(PASSWORD)
    cook.page.get_by_role("button", name="Create my account").click()
    expect(cook.page.locator("#invite-done")).to_be_visible()

    cook.page.goto("/admin")
    log_in_to_admin(cook.page, COOK)
    expect(cook.page.locator("#admin-user .admin-user-role")).to_have_text("Staff")
    staff_screens = [s.title for s in admin.SCREENS if s.group and admin.may_open("STAFF", s)]
    assert nav_titles(cook.page) == ["Start", *staff_screens, "Kitchen display", "Storefront"]
    assert "Staff" not in staff_screens and "Settings" not in staff_screens
    cook.assert_no_errors()

    # back at the owner's: the cook is on the team, the invitation is no longer pending
    page.reload()
    expect(page.locator(".admin-pending")).to_contain_text("No invitations are waiting")
    team = page.get_by_role("region", name="Team members")
    expect(team.get_by_role("row", name=re.compile("Carla Cook"))).to_contain_text("Active")


def test_admin_resends_and_withdraws_invitations_and_manages_a_member(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    with httpx.Client(base_url=server.base_url, headers=bearer(world.admin_token)) as api:
        first = api.post("/api/staff/invite", json={"email": "first@example.com", "role": "MANAGER"}).json()["data"]
        api.post("/api/staff/invite", json={"email": "second@example.com"}).raise_for_status()
    owner = open_person(browser, contexts, server.base_url, TABLET)
    page = owner.page
    page.goto("/admin/staff")
    log_in_to_admin(page, world.admin_email)
    pending = page.get_by_role("region", name="Pending invitations", exact=True)
    expect(pending.get_by_role("row")).to_have_count(3)

    # sent again: a new link (mail is not set up, so it says so), and the old link is dead
    pending.get_by_role("button", name="Send again to first@example.com").click()
    panel = page.get_by_role("region", name="Invitation for first@example.com (not e-mailed)")
    expect(panel).to_contain_text("Mail is not set up")
    fresh = panel.get_by_label("Invitation link").input_value()
    assert fresh != first["acceptUrl"]
    assert httpx.get(f"{server.base_url}/api/staff/invite/{first['token']}").status_code >= 400

    # withdrawn, after a confirmation
    pending.get_by_role("button", name="Withdraw the invitation for second@example.com").click()
    dialog = page.get_by_role("dialog", name="Withdraw the invitation for second@example.com?")
    dialog.get_by_role("button", name="Withdraw invitation").click()
    expect(page.locator(".admin-toasts")).to_contain_text("Invitation for second@example.com withdrawn.")
    expect(pending.get_by_role("row")).to_have_count(2)

    # a staff member's page: the role changes, the account is deactivated (its token dies) and reactivated
    team = page.get_by_role("region", name="Team members")
    page.get_by_label("Name or e-mail").fill(world.staff_email)
    expect(team.get_by_role("row")).to_have_count(2)
    team.get_by_role("link").first.click()
    expect(page.get_by_role("link", name="← All staff")).to_be_visible()
    details = page.get_by_role("form", name="Staff member's details")
    details.get_by_label("Role").select_option("MANAGER")
    details.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".admin-toasts")).to_contain_text("Saved.")
    about = page.get_by_label("About this staff member")
    expect(about).to_contain_text("Manager")

    page.get_by_role("button", name="Deactivate").click()
    page.get_by_role("dialog").get_by_role("button", name="Deactivate").click()
    expect(about).to_contain_text("Deactivated")
    assert httpx.get(f"{server.base_url}/api/auth/me", headers=bearer(world.staff_token)).status_code == 401
    page.get_by_role("button", name="Reactivate").click()
    expect(about).to_contain_text("Active")

    page.get_by_role("button", name="Send a password-reset link").click()
    reset = page.get_by_role("region", name="Password-reset link (not e-mailed)")
    expect(reset.get_by_label("Password-reset link")).to_have_value(re.compile(r"/reset-password\?"))

    # your own account: the role cannot be changed, and there is no deactivate button
    page.goto("/admin/staff")
    page.get_by_label("Name or e-mail").fill(world.admin_email)
    expect(team.get_by_role("row")).to_have_count(2)
    team.get_by_role("link").first.click()
    expect(page.get_by_role("form", name="Staff member's details").get_by_label("Role")).to_be_disabled()
    expect(page.get_by_role("button", name="Deactivate")).to_have_count(0)
    owner.assert_no_errors()


def test_manager_finds_a_customer_with_orders_and_totals_exports_and_deactivates(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    customer = bearer(world.customer_token)
    totals = []
    for _ in range(2):
        placed = httpx.post(f"{server.base_url}/api/orders", json=world.order_body(), headers=customer)
        assert placed.status_code == 201, placed.text
        totals.append(placed.json()["data"])
    manager = open_person(browser, contexts, server.base_url, TABLET)
    page = manager.page
    page.goto("/admin/customers")
    log_in_to_admin(page, world.manager_email)
    listing = page.get_by_role("region", name="Customers")
    expect(listing.get_by_role("row")).to_have_count(3)  # the heading and two customers
    page.get_by_label("Name, e-mail or phone").fill(world.customer_email)
    expect(listing.get_by_role("row")).to_have_count(2)
    row = listing.get_by_role("row", name=re.compile(re.escape(world.customer_email)))
    expect(row.locator("td").nth(2)).to_have_text("2")
    check_and_shoot(page, screenshots, "customers")

    row.get_by_role("link").click()
    expect(page.get_by_role("link", name="← All customers")).to_be_visible()
    tiles = page.get_by_label("Order totals").locator(".admin-tile-value")
    expect(tiles.nth(0)).to_have_text("2")
    expect(tiles.nth(2)).to_have_text(f"${sum(Decimal(str(o['total'])) for o in totals):,.2f}")
    orders = page.get_by_role("region", name="Orders of Guest Customer")
    expect(orders.get_by_role("row")).to_have_count(3)
    expect(orders).to_contain_text(f"#{totals[0]['orderNumber']}")
    check_and_shoot(page, screenshots, "customer")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export data (JSON)").click()
    exported = json.loads(Path(download_info.value.path()).read_text())
    assert exported["customer"]["email"] == world.customer_email
    assert sorted(o["orderNumber"] for o in exported["orders"]) == sorted(o["orderNumber"] for o in totals)

    page.get_by_role("button", name="Deactivate").click()
    page.get_by_role("dialog").get_by_role("button", name="Deactivate").click()
    expect(page.get_by_label("About this customer")).to_contain_text("Deactivated")
    assert httpx.get(f"{server.base_url}/api/auth/me", headers=customer).status_code == 401
    page.get_by_role("button", name="Reactivate").click()
    expect(page.get_by_label("About this customer")).to_contain_text("Active")
    manager.assert_no_errors()
