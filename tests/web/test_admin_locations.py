"""The back office's location screens in a real Chromium, driven as a manager would: weekly hours with two ranges a
day (an overlap is refused next to its field) that an open storefront then shows without a reload; pausing online
orders and busy mode in one tap; a dated closure added and removed; per-type minimums and lead times; tables added
and taken out of use; axe-core and the screenshots at both sizes."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.a11y import serious_violations
from tests.web.admin_shots import fits
from tests.web.browsing import log_in_to_admin, open_person
from tests.web.conftest import PHONE, TABLET

pytestmark = pytest.mark.browser

WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def location(server: UvicornThread, world: World) -> Any:
    response = httpx.get(
        f"{server.base_url}/api/locations/{world.location_id}",
        headers={"Authorization": f"Bearer {world.manager_token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def open_location_page(page: Page, world: World, email: str) -> None:
    page.goto("/admin/locations")
    log_in_to_admin(page, email)
    page.get_by_role("link", name=location_name(page)).click()
    expect(page.get_by_role("heading", name="Opening hours")).to_be_visible()


def location_name(page: Page) -> str:
    link = page.locator("tbody tr th a").first
    expect(link).to_be_visible()
    return link.inner_text()


def test_admin_edited_hours_appear_on_the_open_storefront(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    guest = open_person(browser, contexts, server.base_url, PHONE)
    store = guest.page
    store.goto("/")
    expect(store.locator("#opening-note")).not_to_be_empty()
    expect(store.locator("#hours-today")).to_have_text("")  # no set hours: open around the clock
    store.evaluate("window.stillTheSamePage = true")

    manager = open_person(browser, contexts, server.base_url, TABLET)
    page = manager.page
    open_location_page(page, world, world.manager_email)
    hours = page.get_by_role("form", name="Opening hours")
    always = hours.get_by_label("No set hours: open around the clock")
    expect(always).to_be_checked()
    always.uncheck()
    for day in WEEK:
        box = hours.get_by_role("group", name=day, exact=True)
        expect(box.get_by_label("Opens")).to_have_value("11:00")
        box.get_by_label("Opens").fill("10:00")
        box.get_by_label("Closes").fill("14:00")
        box.get_by_role("button", name=f"Add a range on {day}").click()
        expect(box.get_by_label("Opens").nth(1)).to_be_focused()
        box.get_by_label("Opens").nth(1).fill("17:00" if day != "Monday" else "13:30")
        box.get_by_label("Closes").nth(1).fill("23:30")
    hours.get_by_role("button", name="Save opening hours").click()
    # Monday's ranges overlap: refused, and said next to the range that starts too early
    monday = hours.get_by_role("group", name="Monday", exact=True)
    bad = monday.get_by_label("Opens").nth(1)
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(bad).to_be_focused()
    expect(monday).to_contain_text("overlap")
    expect(page.locator("#hours-error")).to_contain_text("overlap")
    bad.fill("17:00")
    hours.get_by_role("button", name="Save opening hours").click()
    expect(page.locator("#admin-toasts")).to_contain_text("Opening hours saved.")
    expect(bad).not_to_have_attribute("aria-invalid", "true")

    saved = location(server, world)["operatingHours"]
    assert len(saved) == 14
    assert {(h["openTime"], h["closeTime"]) for h in saved} == {("10:00", "14:00"), ("17:00", "23:30")}
    expect(store.locator("#hours-today")).to_have_text("Today: 10:00–14:00, 17:00–23:30", timeout=5000)
    assert store.evaluate("window.stillTheSamePage") is True

    # a day closed all day
    sunday = hours.get_by_role("group", name="Sunday", exact=True)
    sunday.get_by_label("Closed all day").check()
    expect(sunday.get_by_label("Opens")).to_have_count(0)
    hours.get_by_role("button", name="Save opening hours").click()
    expect(page.locator("#admin-toasts")).to_contain_text("Opening hours saved.")
    saved = location(server, world)["operatingHours"]
    assert [h for h in saved if h["dayOfWeek"] == 0] == [
        {"dayOfWeek": 0, "openTime": "00:00", "closeTime": "00:00", "isClosed": True}
    ]
    manager.assert_no_errors()
    guest.assert_no_errors()


def test_admin_location_pause_busy_closures_minimums_and_tables(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    open_location_page(page, world, world.manager_email)
    now = page.locator("#location-now")

    # pause online orders in one tap, then take them again
    page.get_by_role("button", name="Pause online orders").click()
    expect(now).to_contain_text("paused until you take them again")
    assert location(server, world)["isPaused"] is True
    expect(page.get_by_role("button", name="Take orders again")).to_be_focused()
    page.get_by_role("button", name="Take orders again").click()
    expect(now).to_contain_text("taking orders")
    assert location(server, world)["isPaused"] is False
    page.get_by_label("Pause", exact=True).select_option("30")
    page.get_by_role("button", name="Pause online orders").click()
    expect(now).to_contain_text(re.compile(r"paused until \d"))
    page.get_by_role("button", name="Take orders again").click()

    # busy mode in one tap
    page.get_by_role("button", name="Turn busy mode on").click()
    expect(now).to_contain_text("Busy mode is on")
    assert location(server, world)["isBusy"] is True
    expect(page.get_by_role("button", name="Turn busy mode off")).to_have_attribute("aria-pressed", "true")

    # per-type minimums and lead times
    orders = page.get_by_role("form", name="Orders: kinds, minimums and times")
    orders.get_by_label("Minimum order for delivery").fill("25.50")
    orders.get_by_label("Pickup ready in (minutes)").fill("25")
    orders.get_by_role("button", name="Save order settings").click()
    expect(page.locator("#admin-toasts")).to_contain_text("Order settings saved.")
    saved = location(server, world)
    assert (saved["minOrderDelivery"], saved["pickupLeadTime"], saved["isBusy"]) == (25.5, 25, True)

    # a dated closure, added and removed
    day = date.today() + timedelta(days=3)
    closures = page.get_by_role("form", name="Add closed dates")
    closures.get_by_label("From").fill(day.isoformat())
    closures.get_by_label("Note for guests").fill("Staff outing")
    closures.get_by_role("button", name="Add closed dates").click()
    listed = page.locator(".admin-closure")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Staff outing")
    listed.get_by_role("button", name=re.compile("^Remove")).click()
    page.get_by_role("dialog").get_by_role("button", name="Remove the closure").click()
    expect(page.locator(".admin-closures")).to_contain_text("No closed dates ahead.")

    # tables: add one, take it out of use
    tables_before = len(saved["tables"])
    add = page.get_by_role("form", name="Add a table")
    add.get_by_label("Table name").fill("Patio 1")
    add.get_by_label("Seats").fill("6")
    add.get_by_role("button", name="Add table").click()
    card = page.get_by_role("form", name="Table Patio 1")
    expect(card).to_be_visible()
    expect(page.locator(".admin-table-card")).to_have_count(tables_before + 1)
    card.get_by_label("In use").uncheck()
    card.get_by_role("button", name="Save table").click()
    expect(page.locator("#admin-toasts")).to_contain_text("Table Patio 1 is no longer in use.")
    expect(page.get_by_role("heading", name="Patio 1 (not in use)")).to_be_visible()
    patio = next(t for t in location(server, world)["tables"] if t["name"] == "Patio 1")
    assert (patio["capacity"], patio["isActive"]) == (6, False)
    # a refused name is said next to its field
    add.get_by_label("Table name").fill("Patio 1")
    add.get_by_role("button", name="Add table").click()
    expect(add.get_by_label("Table name")).to_have_attribute("aria-invalid", "true")
    person.assert_no_errors()


@pytest.mark.parametrize(("size_name", "viewport"), [("tablet", TABLET), ("phone", PHONE)])
def test_admin_location_screens_are_accessible_at_both_sizes(
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
    page.goto("/admin/locations")
    log_in_to_admin(page, world.manager_email)
    name = location_name(page)
    tables = len(location(server, world)["tables"])
    expect(page.locator("tbody tr").first.locator("td").last).to_have_text(str(tables))
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-locations-{size_name}.png"), full_page=True)

    page.get_by_role("link", name=name).click()
    hours = page.get_by_role("form", name="Opening hours")
    hours.get_by_label("No set hours: open around the clock").uncheck()
    expect(page.locator(".admin-table-card").first).to_be_visible()
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-location-{size_name}.png"), full_page=True)
    person.assert_no_errors()
