"""The two token pages in a real Chromium: accepting a staff invitation and choosing a new password."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from kitchenasty.core.config import BootSettings
from kitchenasty.services import build_services
from tests.realtime.helpers import World, run_sync
from tests.servers import UvicornThread
from tests.web.browsing import open_person
from tests.web.conftest import PHONE

pytestmark = pytest.mark.browser


def test_invited_cook_creates_an_account_on_the_invitation_page(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    invited = httpx.post(
        f"{server.base_url}/api/staff/invite",
        json={"email": "new.cook@example.com", "role": "STAFF"},
        headers={"Authorization": f"Bearer {world.admin_token}"},
    )
    assert invited.status_code == 201, invited.text
    token = invited.json()["data"]["token"]
    person = open_person(browser, contexts, server.base_url, PHONE)
    page = person.page
    page.goto(f"/staff/accept-invite?token={token}")
    expect(page.locator("#invite-email")).to_have_text("new.cook@example.com")
    expect(page.locator("#invite-role")).to_have_text("staff")
    assert "token" not in page.url  # read, then removed from the address bar and history

    page.get_by_label("Your name").fill("Nia Cook")
    page.get_by_label("Password (at least 8 characters)").fill("saute-pan-42")
    page.get_by_label("Repeat the password").fill("saute-pan-43")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("#invite-error")).to_have_text("The two passwords are different.")
    page.get_by_label("Repeat the password").fill("saute-pan-42")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("#invite-done")).to_be_visible()

    login = httpx.post(
        f"{server.base_url}/api/auth/staff/login", json={"email": "new.cook@example.com", "password": "saute-pan-42"}
    )
    assert login.status_code == 200
    # the invitation is single use
    page.goto(f"/staff/accept-invite?token={token}")
    expect(page.locator("#invite-status")).to_contain_text("already")
    expect(page.locator("#invite-form")).to_be_hidden()
    person.assert_no_errors()


def test_customer_chooses_a_new_password_on_the_reset_page(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, boot: BootSettings
) -> None:
    async def reset_token() -> str:
        services = build_services(boot)
        try:
            token = await services.auth.request_reset(principal_type="customer", email=world.customer_email)
            assert token is not None
            return token
        finally:
            await services.db.dispose()

    token = run_sync(reset_token())
    person = open_person(browser, contexts, server.base_url, PHONE)
    page = person.page
    page.goto(f"/reset-password?token={token}")
    page.get_by_label("New password (at least 8 characters)").fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator("#reset-error")).to_have_text("The password needs at least 8 characters.")
    page.get_by_label("New password (at least 8 characters)").fill("a-much-better-one")
    page.get_by_label("Repeat the password").fill("a-much-better-one")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator("#reset-done")).to_be_visible()
    login = httpx.post(
        f"{server.base_url}/api/auth/customer/login",
        json={"email": world.customer_email, "password": "a-much-better-one"},
    )
    assert login.status_code == 200
    person.assert_no_errors()
