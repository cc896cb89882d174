"""The storefront speaks in words: when the restaurant opens and why an item cannot be ordered (a location closed now
shows when it opens, keeps the guest's cart, and lets nothing be added or placed; an item outside its mealtime
shows when it is served, a sold-out one says so), what became of a cart line whose item left the menu, and a
failure the server did not explain. Screenshots of the closed storefront go to
test-artifacts/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.locations.builders import zone_at_midday
from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.browsing import open_person
from tests.web.conftest import PHONE, TABLET
from tests.web.test_storefront import add_margherita

pytestmark = pytest.mark.browser

MACHINE_WORDS = re.compile(r"NOT_NOW|OUT_OF_STOCK|LOCATION_CLOSED|[A-Z]{3,}_[A-Z_]{3,}")


def manage(server: UvicornThread, world: World, method: str, path: str, body: dict[str, Any]) -> None:
    response = httpx.request(
        method, f"{server.base_url}{path}", json=body, headers={"Authorization": f"Bearer {world.manager_token}"}
    )
    assert response.is_success, response.text


def set_hours(server: UvicornThread, world: World, open_time: str, close_time: str) -> None:
    """Every day `open_time`-`close_time`, in a time zone where it is now about midday."""
    zone, _ = zone_at_midday()
    manage(server, world, "PUT", "/api/settings/general", {"timezone": zone})
    hours = [{"dayOfWeek": day, "openTime": open_time, "closeTime": close_time} for day in range(7)]
    manage(server, world, "PATCH", f"/api/locations/{world.location_id}", {"operatingHours": hours})


def add_buttons(store: Page):  # type: ignore[no-untyped-def]
    return store.get_by_role("button", name=re.compile(r"^Add "))


@pytest.mark.parametrize(("size_name", "viewport"), [("phone", PHONE), ("tablet", TABLET)])
def test_closed_storefront_says_when_it_opens_keeps_the_cart_and_takes_no_order(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    screenshots: Path,
    size_name: str,
    viewport: dict[str, int],
) -> None:
    guest = open_person(browser, contexts, server.base_url, viewport)
    store = guest.page
    store.goto("/")
    expect(store.locator("#opening-note")).to_have_text("Open now")  # the demo has no hours: open around the clock
    add_margherita(store)
    expect(store.locator("#cart .line")).to_have_count(1)

    set_hours(server, world, "17:00", "22:00")  # it is about midday there: closed until five
    store.reload()
    expect(store.locator("#opening-note")).to_have_text("Closed now · opens at 17:00")
    expect(store.locator("#hours-today")).to_have_text("Today: 17:00–22:00")
    reason = store.locator("#location-note")
    expect(reason).to_have_text(re.compile("Ordering is paused while we are closed"))
    buttons = add_buttons(store)
    expect(buttons.first).to_be_disabled()
    assert buttons.count() > 10
    for index in range(buttons.count()):
        expect(buttons.nth(index)).to_be_disabled()
        expect(buttons.nth(index)).to_have_accessible_description(re.compile("Ordering is paused"))
    # the cart is kept, but cannot be placed
    expect(store.locator("#cart .line")).to_have_count(1)
    expect(store.locator("#cart .line-name")).to_have_text("Margherita")
    place = store.get_by_role("button", name="Place order")
    expect(place).to_be_disabled()
    expect(store.locator("#checkout-closed")).to_be_visible()
    expect(place).to_have_accessible_description(re.compile("We are closed now"))
    expect(store.locator("#checkout-error")).to_be_empty()
    assert not MACHINE_WORDS.search(store.locator("body").inner_text())
    assert store.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    store.evaluate("window.scrollTo(0, 0)")
    store.screenshot(path=str(screenshots / f"storefront-closed-{size_name}.png"))

    set_hours(server, world, "08:00", "23:00")
    store.reload()
    expect(store.locator("#opening-note")).to_have_text("Open now · until 23:00")
    expect(store.locator("#hours-today")).to_have_text("Today: 08:00–23:00")
    expect(store.locator("#location-note")).to_be_hidden()
    expect(store.get_by_role("button", name="Add Margherita")).to_be_enabled()
    expect(store.locator("#cart .line-name")).to_have_text("Margherita")
    expect(store.get_by_role("button", name="Place order")).to_be_enabled()
    expect(store.locator("#checkout-closed")).to_be_hidden()
    guest.assert_no_errors()


def test_items_say_when_they_are_served_or_that_they_are_sold_out(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    set_hours(server, world, "00:00", "00:00")  # open all day, at midday: the demo's Dinner (17:00-22:00) is later
    panna_cotta = world.items["Saffron Panna Cotta"]["id"]
    manage(server, world, "PATCH", f"/api/menu/items/{panna_cotta}", {"stockQty": 0})
    guest = open_person(browser, contexts, server.base_url, TABLET)
    store = guest.page
    store.goto("/")
    mezze = store.locator(".item", has=store.get_by_role("heading", name="Sharing Mezze Platter"))
    expect(mezze.locator(".availability")).to_have_text("Served 17:00–22:00 (Dinner)")
    expect(mezze.get_by_role("button")).to_have_count(0)
    sold_out = store.locator(".item", has=store.get_by_role("heading", name="Saffron Panna Cotta"))
    expect(sold_out.locator(".availability")).to_have_text("Sold out")
    expect(sold_out.get_by_role("button")).to_have_count(0)
    expect(store.get_by_role("button", name="Add Margherita")).to_be_enabled()
    assert not MACHINE_WORDS.search(store.locator("body").inner_text())
    guest.assert_no_errors()


def test_closed_storefront_with_ordering_for_later_schedules_only(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    manage(server, world, "PUT", "/api/settings/order", {"enableFutureOrdering": True})
    set_hours(server, world, "17:00", "22:00")
    guest = open_person(browser, contexts, server.base_url, PHONE)
    store = guest.page
    store.goto("/")
    expect(store.locator("#opening-note")).to_have_text("Closed now · opens at 17:00")
    expect(store.locator("#location-note")).to_have_text("We are closed now: you can schedule an order for later.")
    add_margherita(store)
    when = store.get_by_role("group", name="When?")
    expect(when.get_by_label("As soon as possible")).to_be_disabled()
    expect(when.get_by_label("Later")).to_be_checked()
    # the earliest time offered is the opening (the field is in the phone's own time zone)
    opens_at = httpx.get(f"{server.base_url}/api/menu").json()["data"]["location"]["opensAt"]
    offered = store.get_by_label("Date and time").input_value()
    assert store.evaluate("([a, b]) => new Date(a).getTime() === new Date(b).getTime()", [offered, opens_at])
    expect(store.get_by_role("button", name="Place order")).to_be_enabled()
    guest.assert_no_errors()


def test_cart_lines_whose_item_left_the_menu_are_taken_out_by_name(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    guest = open_person(browser, contexts, server.base_url, TABLET)
    store = guest.page
    store.goto("/")
    add_margherita(store)
    store.get_by_role("button", name="Add Mango Lassi").click()
    store.get_by_role("dialog", name="Mango Lassi").get_by_role("button", name="Add to order").click()
    expect(store.locator("#cart .line")).to_have_count(2)
    lassi = world.items["Mango Lassi"]["id"]
    manage(server, world, "PATCH", f"/api/menu/items/{lassi}", {"isActive": False})
    store.reload()
    expect(store.locator("#cart-notice")).to_have_text(
        "Mango Lassi is no longer on the menu, so it was taken out of your order."
    )
    expect(store.locator("#cart .line-name")).to_have_text(["Margherita"])
    expect(store.locator("#totals dd.total")).to_have_text(re.compile(r"\d"))
    expect(store.locator("#checkout-error")).to_be_empty()
    store.reload()  # said once: the cart saved without the line
    expect(store.locator("#cart-notice")).to_be_hidden()
    guest.assert_no_errors()


def test_a_failure_without_an_explanation_is_still_a_sentence(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    guest = open_person(browser, contexts, server.base_url, PHONE)
    store = guest.page
    store.route("**/api/menu?*", lambda route: route.fulfill(status=502, body="Bad gateway", content_type="text/plain"))
    store.goto("/")
    expect(store.locator("#store-error")).to_have_text(
        "Something went wrong at the restaurant. Please try again in a moment."
    )
