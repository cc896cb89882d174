"""The kitchen line on the display in a real Chromium (issue 15): the new-order alert repeats until someone
acknowledges the order and stops on every screen; the bar station sees only its drinks; compact mode fits three
tickets a column on a 10" tablet; items tap through their states and a recall undoes it; "done today" brings an
order back. Screenshots: kitchen-{compact,station,expo}-tablet.png and kitchen-phone.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.realtime.fixtures import data_dir, server, world, world_template
from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.a11y import serious_violations
from tests.web.browsing import column, log_in_to_kitchen, open_person, ticket
from tests.web.conftest import PHONE, TABLET, browser, contexts, playwright, screenshots

__all__ = ["browser", "contexts", "data_dir", "playwright", "screenshots", "server", "world", "world_template"]

pytestmark = pytest.mark.browser

DRINKS = ("Sparkling Water", "Fresh Mint Tea")
FOOD = "Margherita"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def place(server: UvicornThread, world: World, *names: str, **fields: Any) -> dict[str, Any]:
    response = httpx.post(f"{server.base_url}/api/orders", json=world.order_body(*names, **fields))
    assert response.status_code == 201, response.text
    return response.json()["data"]


def move(server: UvicornThread, world: World, order_id: str, *statuses: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for status in statuses:
        response = httpx.patch(
            f"{server.base_url}/api/orders/{order_id}/status",
            json={"status": status},
            headers=bearer(world.staff_token),
        )
        assert response.status_code == 200, response.text
        data = response.json()["data"]
    return data


def settings(server: UvicornThread, world: World, **values: Any) -> None:
    response = httpx.put(f"{server.base_url}/api/settings/order", json=values, headers=bearer(world.manager_token))
    assert response.status_code == 200, response.text


def alerts(page: Page) -> int:
    return int(page.locator("body").get_attribute("data-alerts") or "0")


def test_the_new_order_alert_repeats_until_acknowledged_and_stops_on_every_screen(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    settings(server, world, kitchenAlertRepeatSeconds=1)
    cook = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(cook.page, world)
    page = cook.page
    page.get_by_role("button", name="Enable sound").click()
    expect(page.get_by_role("button", name="Sound on")).to_have_attribute("aria-pressed", "true")
    other = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(other.page, world)
    title = page.title()
    assert alerts(page) == 0

    order = place(server, world)
    card = ticket(page, order["orderNumber"])
    expect(card).to_have_class(re.compile("is-unacked"))
    expect(page.locator("body")).to_have_attribute("data-unacknowledged", "1")
    expect(page).to_have_title(f"(1) {title}")
    assert (page.locator('link[rel="icon"]').get_attribute("href") or "").startswith("data:image/png")
    # one ring on arrival, then one a second (the setting) while nobody acknowledges it: on both screens
    expect(page.locator("body")).to_have_attribute("data-alerts", re.compile(r"^([3-9]|\d\d+)$"), timeout=8000)
    expect(other.page.locator("body")).to_have_attribute("data-alerts", re.compile(r"^([3-9]|\d\d+)$"), timeout=8000)
    chimes = int(page.locator("#sound-btn").get_attribute("data-chimes") or "0")
    assert chimes >= 4  # the test chime on enabling, then each alert round with the sound on

    # a tap on "Acknowledge" on one screen stops the alert on both
    card.get_by_role("button", name=f"Seen: acknowledge order #{order['orderNumber']}").click()
    for screen in (page, other.page):
        expect(screen.locator("body")).to_have_attribute("data-unacknowledged", "0")
        expect(ticket(screen, order["orderNumber"])).not_to_have_class(re.compile("is-unacked"))
        expect(screen).to_have_title(title)
    stopped = (alerts(page), alerts(other.page))
    page.wait_for_timeout(2500)
    assert (alerts(page), alerts(other.page)) == stopped
    assert page.locator('link[rel="icon"]').get_attribute("href") == "data:,"

    # after a reconnect (a reload here) the alert resumes for an order that arrived meanwhile, unacknowledged
    second = place(server, world)
    other.page.reload()
    expect(other.page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(other.page.locator("body")).to_have_attribute("data-unacknowledged", "1")
    expect(other.page.locator("body")).to_have_attribute("data-alerts", re.compile(r"^([2-9]|\d\d+)$"), timeout=8000)
    ticket(other.page, second["orderNumber"]).locator(".ticket-customer").click()  # a tap on the card will do
    expect(page.locator("body")).to_have_attribute("data-unacknowledged", "0")
    assert serious_violations(page) == []
    cook.assert_no_errors()
    other.assert_no_errors()


def _bar(server: UvicornThread, world: World) -> dict[str, Any]:
    categories = sorted({world.items[name]["categoryId"] for name in DRINKS})
    response = httpx.post(
        f"{server.base_url}/api/stations",
        json={"name": "Bar", "slug": "bar", "categoryIds": categories},
        headers=bearer(world.manager_token),
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_the_bar_station_sees_only_drinks_and_expo_sees_whole_orders(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    bar = _bar(server, world)
    mixed = place(server, world, FOOD, DRINKS[0], comment="Table by the window")
    food_only = place(server, world, FOOD)
    drinks_only = place(server, world, *DRINKS)
    assert {i["name"]: i["stationId"] for i in mixed["items"]} == {FOOD: None, DRINKS[0]: bar["id"]}
    cook = open_person(browser, contexts, server.base_url, TABLET)
    page = cook.page
    page.goto("/kitchen?station=bar")
    log_in_to_kitchen(page, world)
    page.goto("/kitchen?station=bar")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("#kds-station")).to_have_text("Bar")
    expect(page.get_by_label("Station")).to_have_value("bar")

    expect(page.locator(".ticket")).to_have_count(2)  # the food-only order is not the bar's
    expect(ticket(page, food_only["orderNumber"])).to_have_count(0)
    card = ticket(page, mixed["orderNumber"])
    expect(card.locator(".item-name")).to_have_text([DRINKS[0]])
    expect(card.locator(".item-elsewhere")).to_have_text("+ 1 item at other stations")
    expect(ticket(page, drinks_only["orderNumber"]).locator(".item-name")).to_have_text(list(DRINKS))
    expect(ticket(page, drinks_only["orderNumber"]).locator(".item-elsewhere")).to_have_count(0)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / "kitchen-station-tablet.png"))

    # the picker switches this screen to expo without a reload: whole orders
    page.get_by_label("Station").select_option("")
    expect(page.locator(".ticket")).to_have_count(3)
    expect(ticket(page, mixed["orderNumber"]).locator(".item-name")).to_have_text([FOOD, DRINKS[0]])
    expect(page.locator(".item-elsewhere")).to_have_count(0)
    assert "station=" not in page.url
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / "kitchen-expo-tablet.png"))
    cook.assert_no_errors()


def test_compact_mode_fits_three_tickets_a_column_on_a_tablet_with_big_item_text(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    orders = [place(server, world, FOOD, DRINKS[0]) for _ in range(4)]
    for order in orders:
        move(server, world, order["id"], "CONFIRMED")
    allergic = place(server, world, FOOD, comment="Severe nut allergy, please!")
    cook = open_person(browser, contexts, server.base_url, TABLET)
    page = cook.page
    log_in_to_kitchen(page, world)
    confirmed = column(page, "CONFIRMED")
    expect(confirmed.locator(".ticket")).to_have_count(4)
    size = page.locator(".item-name").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 22
    comment = ticket(page, allergic["orderNumber"]).locator(".ticket-comment")
    expect(comment).to_have_class(re.compile("is-allergy"))
    expect(comment).to_contain_text("Allergy:")

    def fully_visible() -> int:
        box = confirmed.locator("[data-cards]").bounding_box()
        assert box is not None
        bottom = min(box["y"] + box["height"], TABLET["height"])
        boxes = [t.bounding_box() for t in confirmed.locator(".ticket").all()]
        return sum(1 for b in boxes if b is not None and b["y"] >= box["y"] - 1 and b["y"] + b["height"] <= bottom)

    normal = fully_visible()
    page.get_by_role("button", name="Compact").click()
    expect(page.get_by_role("button", name="Compact")).to_have_attribute("aria-pressed", "true")
    assert fully_visible() >= 3 > normal
    assert page.locator(".item-name").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 22
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / "kitchen-compact-tablet.png"))
    # the payment row folds into a chip in the header; while unpaid the chip opens the "Mark paid" dialog
    first = orders[0]["orderNumber"]
    card = page.locator(f'.ticket[data-id="{orders[0]["id"]}"]')  # compact headings drop the date prefix
    expect(card.locator(".ticket-payment")).to_be_hidden()
    card.get_by_role("button", name=f"Not paid: mark order #{first} paid").click()
    expect(page.get_by_role("dialog", name=f"Mark order #{first} paid")).to_be_visible()
    page.keyboard.press("Escape")

    page.reload()  # remembered on this device
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.get_by_role("button", name="Compact")).to_have_attribute("aria-pressed", "true")
    assert fully_visible() >= 3

    phone = open_person(browser, contexts, server.base_url, PHONE)
    log_in_to_kitchen(phone.page, world)
    expect(phone.page.locator(".ticket")).to_have_count(5)
    assert phone.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(phone.page) == []
    phone.page.screenshot(path=str(screenshots / "kitchen-phone.png"))
    cook.assert_no_errors()
    phone.assert_no_errors()


def test_items_tap_through_their_states_and_undo_and_done_today_recall_bring_them_back(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    order = place(server, world, FOOD, DRINKS[0])
    move(server, world, order["id"], "CONFIRMED")
    cook = open_person(browser, contexts, server.base_url, TABLET)
    page = cook.page
    log_in_to_kitchen(page, world)
    other = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(other.page, world)
    card = ticket(page, order["orderNumber"])
    pizza = card.locator(".item").filter(has_text=FOOD)
    pizza.get_by_role("button").click()  # started: the order moves to PREPARING by itself
    expect(column(page, "PREPARING").locator(".ticket")).to_have_count(1)
    expect(pizza).to_have_attribute("data-prep", "PREPARING")
    other_pizza = ticket(other.page, order["orderNumber"]).locator(".item").filter(has_text=FOOD)
    expect(other_pizza).to_have_attribute("data-prep", "PREPARING")
    expect(column(other.page, "PREPARING").locator(".ticket")).to_have_count(1)

    pizza.get_by_role("button").click()
    expect(pizza).to_have_attribute("data-prep", "DONE")
    drink = card.locator(".item").filter(has_text=DRINKS[0])
    drink.get_by_role("button").click()
    drink.get_by_role("button").click()  # the last item done: READY by itself, on both screens
    expect(column(page, "READY").locator(".ticket")).to_have_count(1)
    expect(column(other.page, "READY").locator(".ticket")).to_have_count(1)

    # Undo: the last item back to PREPARING and the order with it, on both screens
    ticket(page, order["orderNumber"]).get_by_role("button", name=re.compile("^Undo: recall the last change")).click()
    expect(column(page, "PREPARING").locator(".ticket")).to_have_count(1)
    expect(column(other.page, "PREPARING").locator(".ticket")).to_have_count(1)
    expect(ticket(other.page, order["orderNumber"]).locator(".item").filter(has_text=DRINKS[0])).to_have_attribute(
        "data-prep", "PREPARING"
    )

    # handed over, then found in "Done today" and recalled to the board
    move(server, world, order["id"], "READY", "PICKED_UP")
    expect(page.locator(".ticket")).to_have_count(0)
    page.get_by_role("button", name="Done today").click()
    expect(page.get_by_role("heading", name="Done today")).to_be_visible()
    row = page.locator(".done-row").filter(has_text=order["orderNumber"])
    expect(row.locator(".done-status")).to_have_text("Picked up")
    assert serious_violations(page) == []
    row.get_by_role("button", name=f"Recall order #{order['orderNumber']}").click()
    expect(page.locator("#done-note")).to_have_text(f"Order #{order['orderNumber']} is back on the board (Ready).")
    expect(column(other.page, "READY").locator(".ticket")).to_have_count(1)
    page.get_by_role("button", name="Done today").click()
    expect(column(page, "READY").locator(".ticket")).to_have_count(1)
    cook.assert_no_errors()
    other.assert_no_errors()
