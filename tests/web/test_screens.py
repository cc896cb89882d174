"""The three pages at a phone's and a 10" tablet's size: nothing overflows sideways, the kitchen is readable from a
distance, and a screenshot of each is kept in test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.browsing import log_in_to_kitchen, open_person
from tests.web.conftest import PHONE, TABLET

pytestmark = pytest.mark.browser


def busy_kitchen(server: UvicornThread, world: World) -> dict:
    """Orders of every type spread over the four columns; returns the delivery order (for its tracking page)."""
    staff = {"Authorization": f"Bearer {world.staff_token}"}
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        table = http.get(f"/api/locations/{world.location_id}/tables").json()["data"][2]
        bodies = [
            world.order_body("Margherita", "Mango Lassi", comment="Extra napkins please"),
            world.order_body(
                "Margherita",
                "Tiramisu",
                orderType="DELIVERY",
                address={"line1": "12 Mission Street", "city": "San Francisco"},
            ),
            world.order_body("Falafel Bowl", "Flat White", orderType="DINE_IN", tableId=table["id"]),
            world.order_body("Chili Garlic Prawns"),
            world.order_body("Penne Arrabbiata", "Sparkling Water"),
        ]
        bodies[0]["items"][0]["comment"] = "Well done, no basil"
        orders = []
        for body in bodies:
            response = http.post("/api/orders", json=body)
            assert response.status_code == 201, response.text
            orders.append(response.json()["data"])
        for order, steps in zip(
            orders,
            (["CONFIRMED"], ["CONFIRMED", "PREPARING"], ["CONFIRMED", "PREPARING", "READY"], [], []),
            strict=True,
        ):
            for status in steps:
                assert http.patch(
                    f"/api/orders/{order['id']}/status", json={"status": status}, headers=staff
                ).is_success
    return orders[1]


def fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def font_px(page: Page, selector: str) -> float:
    return float(page.locator(selector).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))


@pytest.mark.parametrize(("size_name", "viewport"), [("phone", PHONE), ("tablet", TABLET)])
def test_pages_fit_phone_and_tablet_screens(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    screenshots: Path,
    size_name: str,
    viewport: dict[str, int],
) -> None:
    delivery = busy_kitchen(server, world)
    person = open_person(browser, contexts, server.base_url, viewport)
    page = person.page

    log_in_to_kitchen(page, world)
    expect(page.locator(".ticket")).to_have_count(5)
    for status in ("PENDING", "CONFIRMED", "PREPARING", "READY"):
        expect(page.locator(f'.column[data-status="{status}"] .ticket').first).to_be_visible()
    fits(page)
    # the running order number and the items are readable from two metres
    assert font_px(page, ".ticket-number") >= 26
    assert font_px(page, ".ticket-items") >= 19
    page.screenshot(path=str(screenshots / f"kitchen-{size_name}.png"), full_page=True)

    page.goto("/")
    page.get_by_role("button", name="Add Margherita").click()
    page.get_by_role("dialog", name="Margherita").get_by_role("button", name="Add to order").click()
    page.get_by_role("button", name="Add Mango Lassi").click()
    page.get_by_role("dialog", name="Mango Lassi").get_by_role("button", name="Add to order").click()
    expect(page.locator("#cart .line")).to_have_count(2)
    expect(page.locator("#totals dd.total")).to_have_text("$16.50")
    fits(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots / f"storefront-{size_name}.png"))
    page.locator("#cart").screenshot(path=str(screenshots / f"storefront-cart-{size_name}.png"))

    page.goto(f"/track/{delivery['id']}?t={delivery['trackingToken']}")
    expect(page.locator(".step-current")).to_have_text("Preparing")
    fits(page)
    page.screenshot(path=str(screenshots / f"track-{size_name}.png"), full_page=True)
    person.assert_no_errors()
