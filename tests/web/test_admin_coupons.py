"""Coupons in the back office, in a real Chromium: a manager creates a percentage coupon with a window, a minimum and
limits, a guest's order uses it and the list counts the use, the coupon becomes a fixed amount, and once
deactivated checkout refuses it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.admin_shots import check_and_shoot
from tests.web.browsing import log_in_to_admin, open_person
from tests.web.conftest import TABLET

pytestmark = pytest.mark.browser


def test_manager_creates_edits_and_deactivates_a_coupon_whose_uses_are_counted(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    manager = open_person(browser, contexts, server.base_url, TABLET)
    page = manager.page
    page.goto("/admin/coupons")
    log_in_to_admin(page, world.manager_email)
    listing = page.get_by_role("region", name="Coupons")
    expect(listing.get_by_role("row", name=re.compile("WELCOME10"))).to_contain_text("10% off")

    page.get_by_role("link", name="New coupon").click()
    expect(page.get_by_role("heading", name="New coupon", level=1)).to_be_visible()
    form = page.get_by_role("form", name="New coupon")
    form.get_by_label("Code").fill("summer15")
    expect(form.get_by_label("Amount off")).to_be_hidden()
    form.get_by_label("Percent off").fill("12.345")
    form.get_by_role("button", name="Create coupon").click()
    expect(form.get_by_label("Percent off")).to_be_focused()
    expect(form.get_by_label("Percent off")).to_have_attribute("aria-invalid", "true")
    expect(form).to_contain_text("Enter a percentage such as 10 or 12.5.")

    today = datetime.now(UTC).date()
    form.get_by_label("Percent off").fill("15")
    form.get_by_label("Largest discount (optional)").fill("5")
    form.get_by_label("Minimum order (optional)").fill("2.00")
    form.get_by_label("Valid from (optional)").fill(today.isoformat())
    form.get_by_label("Valid until (optional)").fill((today + timedelta(days=30)).isoformat())
    form.get_by_label("Uses in total (optional)").fill("100")
    form.get_by_label("Uses per customer (optional)").fill("2")
    form.get_by_role("button", name="Create coupon").click()
    expect(page.get_by_role("heading", name="Coupon SUMMER15", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/coupons/[\w-]+$"))
    edit = page.get_by_role("form", name="Coupon SUMMER15")
    expect(edit.get_by_label("Largest discount (optional)")).to_have_value("5.00")
    expect(edit.get_by_label("Valid until (optional)")).to_have_value((today + timedelta(days=30)).isoformat())
    expect(page.locator(".admin-coupon-state")).to_contain_text("Used 0 times of 100.")
    check_and_shoot(page, screenshots, "coupon")

    # a guest's order uses it: the list counts the use
    placed = httpx.post(f"{server.base_url}/api/orders", json=world.order_body(couponCode="SUMMER15"))
    assert placed.status_code == 201, placed.text
    assert placed.json()["data"]["couponCode"] == "SUMMER15"
    page.get_by_role("link", name="← All coupons").click()
    row = listing.get_by_role("row", name=re.compile("SUMMER15"))
    expect(row).to_contain_text("15% off (at most $5.00)")
    expect(row).to_contain_text("1 of 100")
    expect(row).to_contain_text("Active")
    check_and_shoot(page, screenshots, "coupons")

    # a fixed amount now
    row.get_by_role("link", name="SUMMER15").click()
    edit.get_by_label("Kind").select_option("FIXED")
    expect(edit.get_by_label("Percent off")).to_be_hidden()
    edit.get_by_label("Amount off").fill("3")
    edit.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".admin-toasts")).to_contain_text("Saved.")
    expect(edit.get_by_label("Amount off")).to_have_value("3.00")

    # deactivated: checkout refuses it, the list says so
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator(".admin-coupon-state")).to_contain_text("Inactive")
    refused = httpx.post(f"{server.base_url}/api/coupons/validate", json={"code": "SUMMER15", "subtotal": "20.00"})
    assert refused.status_code >= 400
    page.get_by_role("link", name="← All coupons").click()
    expect(row).to_contain_text("$3.00 off")
    expect(row).to_contain_text("Inactive")
    manager.assert_no_errors()
