"""The storefront in a real Chromium: customer accounts, delivery with coupon, tip and a scheduled time, several
locations, and an order submission that is never placed twice."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from sqlalchemy import func, select

from kitchenasty.core.config import BootSettings
from kitchenasty.orders.models import Order
from kitchenasty.services import build_services
from tests.realtime.helpers import World, run_sync
from tests.servers import UvicornThread
from tests.web.browsing import open_person
from tests.web.conftest import PHONE, TABLET

pytestmark = pytest.mark.browser


def as_manager(world: World) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.manager_token}"}


def add_margherita(store: Page, *, size: str = "Large", quantity: int = 1) -> None:
    store.get_by_role("button", name="Add Margherita").click()
    dialog = store.get_by_role("dialog", name="Margherita")
    dialog.get_by_label(re.compile(f"^{size}")).check()
    for _ in range(quantity - 1):
        dialog.get_by_role("button", name="One more").click()
    dialog.get_by_role("button", name="Add to order").click()
    expect(dialog).to_be_hidden()


def test_customer_registers_and_orders_a_scheduled_delivery_with_coupon_and_tip(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    response = httpx.put(
        f"{server.base_url}/api/settings/order",
        json={"enableTipping": True, "tipOptions": [10, 15, 20], "enableFutureOrdering": True},
        headers=as_manager(world),
    )
    assert response.status_code == 200, response.text
    guest = open_person(browser, contexts, server.base_url, TABLET)
    store = guest.page
    store.goto("/")

    store.get_by_role("button", name="Log in", exact=True).click()
    auth = store.get_by_role("dialog")
    auth.get_by_role("button", name="Register").click()
    expect(auth.get_by_role("heading", name="Create an account")).to_be_visible()
    auth.get_by_label("Name").fill("Katherine Johnson")
    auth.get_by_label("E-mail").fill("katherine@example.com")
    auth.get_by_label("Password").fill("orbital-mechanics-1")
    auth.locator("#auth-submit").click()
    expect(auth).to_be_hidden()
    expect(store.locator("#account-name")).to_have_text("Katherine Johnson")
    expect(store.locator("#contact-customer")).to_have_text("Ordering as Katherine Johnson (katherine@example.com).")

    add_margherita(store, quantity=2)
    checkout = store.locator("#checkout")
    checkout.get_by_label("Delivery").check()
    checkout.get_by_label("Street and number").fill("1 Infinite Loop")
    checkout.get_by_label("City").fill("Hampton")
    checkout.get_by_label("City").press("Tab")
    totals = store.locator("#totals")
    expect(totals).to_contain_text("Delivery fee")
    expect(totals.locator("dd.total")).to_have_text("$32.00")

    checkout.get_by_label("Coupon code").fill("WELCOME10")
    checkout.get_by_role("button", name="Apply").click()
    expect(store.locator("#coupon-status")).to_have_text("Coupon WELCOME10 applied.")
    expect(totals).to_contain_text("Discount (WELCOME10)")
    expect(totals.locator("dd.total")).to_have_text("$28.80")

    checkout.get_by_role("group", name="Tip").get_by_label("10%").check()
    expect(totals).to_contain_text("Tip")
    expect(totals.locator("dd.total")).to_have_text("$32.00")  # 10% of the 32.00 subtotal, as quoted

    checkout.get_by_role("group", name="When?").get_by_label("Later").check()
    expect(checkout.get_by_label("Date and time")).not_to_have_value("")
    quoted_total = totals.locator("dd.total").inner_text()

    store.get_by_role("button", name="Place order").click()
    expect(store).to_have_url(re.compile(r"/track/"))
    facts = store.locator("#facts")
    expect(facts).to_contain_text("Delivery")
    expect(facts).to_contain_text("Scheduled for")
    expect(facts).to_contain_text("1 Infinite Loop, Hampton")
    expect(store.locator("#totals")).to_contain_text("Discount (WELCOME10)")
    expect(store.locator("#totals dd.total")).to_have_text(quoted_total)
    expect(store.locator(".step")).to_have_count(6)  # Placed … Out for delivery, Delivered
    guest.assert_no_errors()


def test_storefront_asks_which_restaurant_when_there_are_several(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    created = httpx.post(
        f"{server.base_url}/api/locations",
        json={
            "name": "Harbour Branch",
            "slug": "harbour-branch",
            "address": "2 Quay Street",
            "city": "Portsmouth",
            "postalCode": "PO1 2AA",
        },
        headers=as_manager(world),
    )
    assert created.status_code == 201, created.text
    guest = open_person(browser, contexts, server.base_url, PHONE)
    store = guest.page
    store.goto("/")
    expect(store.get_by_role("heading", name="Choose a restaurant")).to_be_visible()
    choices = store.locator("#location-list button")
    expect(choices).to_have_count(2)
    store.get_by_role("button", name=re.compile("^Saffron & Sage")).click()
    expect(store.get_by_role("heading", name="Saffron & Sage", level=1)).to_be_visible()
    expect(store.get_by_role("navigation", name="Menu categories").get_by_role("link")).to_have_count(4)
    # the choice is remembered, and can be changed
    store.reload()
    expect(store.get_by_role("heading", name="Saffron & Sage", level=1)).to_be_visible()
    store.get_by_role("button", name="Change restaurant").click()
    expect(store.get_by_role("heading", name="Choose a restaurant")).to_be_visible()
    guest.assert_no_errors()


def count_orders(boot: BootSettings) -> int:
    async def count() -> int:
        services = build_services(boot)
        try:
            async with services.db.session() as session:
                return await session.scalar(select(func.count()).select_from(Order)) or 0
        finally:
            await services.db.dispose()

    return run_sync(count())


def test_order_whose_answer_was_lost_is_not_placed_twice(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, boot: BootSettings
) -> None:
    guest = open_person(browser, contexts, server.base_url, PHONE)
    store = guest.page
    store.goto("/")
    add_margherita(store)
    details = store.get_by_role("group", name="Your details")
    details.get_by_label("Name").fill("Grace Hopper")
    details.get_by_label("E-mail").fill("grace@example.com")
    details.get_by_label("Phone").fill("+1 555 0100")
    expect(store.locator("#totals dd.total")).to_have_text(re.compile(r"\d"))

    keys: list[str] = []

    def lose_the_answer(route: Route) -> None:
        keys.append(route.request.headers.get("idempotency-key", ""))
        route.fetch()  # the server really receives and places the order...
        route.abort("connectionreset")  # ...but the answer never reaches the phone

    store.route("**/api/orders", lose_the_answer)
    store.get_by_role("button", name="Place order").click()
    expect(store.locator("#checkout-error")).to_contain_text("it will not be placed twice")
    assert count_orders(boot) == 1

    store.unroute("**/api/orders")
    with store.expect_request("**/api/orders") as retry:
        store.get_by_role("button", name="Place order").click()
    expect(store).to_have_url(re.compile(r"/track/"))
    assert retry.value.headers["idempotency-key"] == keys[0]
    assert len(keys[0]) == 32
    assert count_orders(boot) == 1
    expect(store.locator("#order-number")).not_to_be_empty()
    # the cart is emptied once the order is acknowledged
    store.goto("/")
    expect(store.locator("#cart-empty")).to_be_visible()
