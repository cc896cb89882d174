"""Kitchen stations in the back office, in a real Chromium: a manager adds the bar with the drinks, a category
another station holds cannot be picked twice, the station's display link points at `/kitchen?station=<slug>`, and
the menu item form sends one item to a station of its own."""

from __future__ import annotations

import re
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


def test_manager_sets_up_stations_and_an_item_override(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    manager = open_person(browser, contexts, server.base_url, TABLET)
    page = manager.page
    page.goto("/admin/stations")
    log_in_to_admin(page, world.manager_email)
    expect(page.get_by_text("No stations yet")).to_be_visible()

    add = page.get_by_role("form", name="Add a station")
    add.get_by_label("Name", exact=True).fill("Bar")
    expect(add.get_by_label("Address name")).to_have_value("bar")
    add.get_by_label("Drinks", exact=True).check()
    add.get_by_role("button", name="Add station").click()
    expect(page.locator(".admin-toasts")).to_contain_text("Bar added.")
    card = page.locator(".admin-station-card", has_text="Bar")
    expect(card).to_contain_text("Categories: Drinks")
    expect(card.get_by_role("link", name=re.compile("Open this station's display"))).to_have_attribute(
        "href", "/kitchen?station=bar"
    )

    # The drinks now belong to the bar: the next station cannot take them.
    add = page.get_by_role("form", name="Add a station")
    expect(add.get_by_label("Drinks (goes to Bar)")).to_be_disabled()
    add.get_by_label("Name", exact=True).fill("Pass")
    add.get_by_label("Mains", exact=True).check()
    add.get_by_role("button", name="Add station").click()
    expect(page.locator(".admin-station-card", has_text="Pass")).to_contain_text("Categories: Mains")
    check_and_shoot(page, screenshots, "stations")

    # Rename and switch off from the edit panel.
    card.get_by_role("button", name="Edit Bar").click()
    edit = page.get_by_role("form", name="Edit Bar")
    edit.get_by_label("Name", exact=True).fill("Bar & Taps")
    edit.get_by_label("Receives items").uncheck()
    edit.get_by_role("button", name="Save station").click()
    expect(page.locator(".admin-station-card", has_text="Bar & Taps")).to_contain_text("Switched off")

    stations = httpx.get(
        f"{server.base_url}/api/stations", headers={"Authorization": f"Bearer {world.staff_token}"}
    ).json()["data"]
    by_name = {s["name"]: s for s in stations}
    assert by_name["Bar & Taps"]["active"] is False
    assert by_name["Bar & Taps"]["slug"] == "bar"

    # One item goes to the pass whatever its category.
    item_id = world.items[next(iter(world.items))]["id"]
    page.goto(f"/admin/menu/items/{item_id}")
    form = page.locator("form.admin-form").first
    form.get_by_label("Station").select_option(label="Pass")
    form.get_by_role("button", name="Save changes").click()
    expect(page.locator(".admin-toasts")).to_contain_text("Changes saved.")
    item = httpx.get(f"{server.base_url}/api/menu/items/{item_id}").json()["data"]
    assert item["stationId"] == by_name["Pass"]["id"]
    assert manager.errors == []
