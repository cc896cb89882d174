"""End to end in a real Chromium: a guest orders on the storefront, the order appears on an open kitchen display, a
cook moves it along, and the guest's open tracking page follows every step; the kitchen display survives a server
restart."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from playwright.sync_api import Browser, BrowserContext, expect

from kitchenasty.core.config import BootSettings
from tests.realtime.helpers import SALAD, World, place_with_services, run_sync
from tests.servers import UvicornThread, serve
from tests.web.browsing import column, log_in_to_kitchen, open_person, ticket
from tests.web.conftest import PHONE, TABLET

pytestmark = pytest.mark.browser


def test_guest_order_travels_from_storefront_to_kitchen_to_tracking(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    cook = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(cook.page, world)
    kitchen = cook.page
    kitchen.get_by_role("button", name="Enable sound").click()
    expect(kitchen.get_by_role("button", name="Sound on")).to_have_attribute("aria-pressed", "true")
    chimes_before = int(kitchen.locator("#sound-btn").get_attribute("data-chimes") or "0")

    guest = open_person(browser, contexts, server.base_url, PHONE)
    store = guest.page
    store.goto("/")
    expect(store.get_by_role("heading", name="Saffron & Sage", level=1)).to_be_visible()

    # An item whose options need two or three choices: the dialog refuses until they are made.
    store.get_by_role("button", name=f"Add {SALAD}").click()
    dialog = store.get_by_role("dialog", name=SALAD)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Add to order").click()
    expect(dialog.locator("#item-error")).to_contain_text("Choose at least 2 for Toppings")
    dialog.get_by_label(re.compile("^Feta")).check()
    dialog.get_by_label(re.compile("^Olives")).check()
    dialog.get_by_label(re.compile("^Avocado")).check()
    expect(dialog.get_by_label(re.compile("^Walnuts"))).to_be_disabled()  # at most three
    dialog.get_by_role("button", name="One more").click()
    dialog.get_by_label("Special request (optional)").fill("Dressing on the side")
    dialog.get_by_role("button", name="Add to order").click()
    expect(dialog).to_be_hidden()

    # A pizza: its required size comes preselected; pick a large one.
    store.get_by_role("button", name="Add Margherita").click()
    pizza = store.get_by_role("dialog", name="Margherita")
    pizza.get_by_label(re.compile("^Large")).check()
    pizza.get_by_role("button", name="Add to order").click()
    expect(pizza).to_be_hidden()

    cart = store.locator("#cart")
    expect(cart.locator(".line")).to_have_count(2)
    total = cart.locator("dd.total")
    expect(total).to_have_text(re.compile(r"\d+\.\d\d"))

    # The cart survives a reload.
    store.reload()
    expect(cart.locator(".line")).to_have_count(2)
    expect(cart.get_by_text("Dressing on the side")).to_be_visible()

    details = store.get_by_role("group", name="Your details")
    details.get_by_label("Name").fill("Grace Hopper")
    details.get_by_label("E-mail").fill("grace@example.com")
    details.get_by_label("Phone").fill("+1 555 0100")
    store.get_by_label("Note for the kitchen (optional)").fill("Ring the bell")
    store.get_by_role("button", name="Place order").click()

    expect(store).to_have_url(re.compile(r"/track/[^/?]+\?t=.+"))
    expect(store.locator("#status-headline")).to_have_text("We have your order and will confirm it shortly.")
    order_number = store.locator("#order-number").inner_text().lstrip("#")
    expect(store.locator(".step-current")).to_have_text("Placed")

    # The kitchen display shows it without a reload, highlighted, with a chime.
    card = ticket(kitchen, order_number)
    expect(column(kitchen, "PENDING").locator(".ticket")).to_have_count(1)
    expect(card).to_have_class(re.compile("is-new"))
    expect(card.locator(".badge")).to_have_text("Pickup")
    expect(card.locator(".ticket-customer")).to_have_text("Grace Hopper")
    expect(card.locator(".ticket-items")).to_contain_text("2\u00d7 Build-your-own Salad")
    expect(card.locator(".ticket-items")).to_contain_text("Toppings: Feta, Olives, Avocado")
    expect(card.locator(".ticket-items")).to_contain_text("Dressing on the side")
    expect(card.locator(".ticket-items")).to_contain_text('Size: Large 14"')
    expect(card.locator(".ticket-comment")).to_have_text("Ring the bell")
    expect(card.locator(".timer")).to_have_text(re.compile(r"^0:0\d$"))
    expect(kitchen.locator("#sound-btn")).to_have_attribute("data-chimes", str(chimes_before + 1))

    # One tap per step; the guest's page follows each one without a reload.
    steps = [
        ("Confirm", "CONFIRMED", "Confirmed", "Your order is confirmed."),
        ("Start preparing", "PREPARING", "Preparing", "Your order is being prepared."),
        ("Mark ready", "READY", "Ready for pickup", "Your order is ready for pickup!"),
    ]
    for button, status, step, headline in steps:
        ticket(kitchen, order_number).get_by_role("button", name=re.compile(f"^{button}")).click()
        expect(column(kitchen, status).locator(".ticket")).to_have_count(1)
        expect(store.locator(".step-current")).to_have_text(step)
        expect(store.locator("#status-headline")).to_have_text(headline)
    # The last step by keyboard: focus the button and press Enter.
    ticket(kitchen, order_number).get_by_role("button", name=re.compile("^Picked up")).focus()
    kitchen.keyboard.press("Enter")
    expect(kitchen.locator(".ticket")).to_have_count(0)
    expect(store.locator(".step-current")).to_have_text("Picked up")
    expect(store.locator(".step-done")).to_have_count(4)

    cook.assert_no_errors()
    guest.assert_no_errors()


def test_kitchen_display_cancels_only_after_confirmation(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, boot: BootSettings
) -> None:
    order = run_sync(place_with_services(boot, world))  # placed before the display opens: in its snapshot
    cook = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(cook.page, world)
    kitchen = cook.page
    guest = open_person(browser, contexts, server.base_url, PHONE)
    guest.page.goto(f"/track/{order.id}?t={order.tracking_token}")
    expect(guest.page.locator(".step-current")).to_have_text("Placed")

    card = ticket(kitchen, order.order_number)
    card.get_by_role("button", name=f"Cancel order #{order.order_number}").click()
    dialog = kitchen.get_by_role("dialog", name=f"Cancel order #{order.order_number}?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Keep order").click()
    expect(dialog).to_be_hidden()
    expect(card).to_be_visible()

    card.get_by_role("button", name=f"Cancel order #{order.order_number}").click()
    dialog.get_by_role("button", name="Cancel order").click()
    expect(kitchen.locator(".ticket")).to_have_count(0)
    expect(guest.page.locator(".step-cancelled")).to_have_text("Cancelled")
    expect(guest.page.locator("#status-headline")).to_have_text("This order was cancelled.")
    cook.assert_no_errors()
    guest.assert_no_errors()


def test_kitchen_display_reverts_a_refused_change_and_says_why(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, boot: BootSettings
) -> None:
    order = run_sync(place_with_services(boot, world))
    cook = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(cook.page, world)
    kitchen = cook.page
    card = ticket(kitchen, order.order_number)
    expect(card).to_be_visible()

    # Another process (the CLI, a second server) cancels it: this display hears nothing and still offers "Confirm".
    run_sync(cancel_with_services(boot, world, order.id))
    card.get_by_role("button", name=re.compile("^Confirm")).click()
    toast = kitchen.locator("#toast")
    expect(toast).to_be_visible()
    expect(toast).to_contain_text(f"Order #{order.order_number} was not changed")
    expect(toast).to_contain_text("CANCELLED")
    # ...and it resyncs from a fresh snapshot: the cancelled order leaves the board.
    expect(kitchen.locator(".ticket")).to_have_count(0)
    expect(kitchen.locator("#conn")).to_have_attribute("data-state", "live")
    cook.assert_no_errors()


async def cancel_with_services(boot: BootSettings, world: World, order_id: str) -> None:
    from kitchenasty.core.security import Principal
    from kitchenasty.services import build_services

    services = build_services(boot)
    try:
        staff = Principal(id="cli", email="cli@example.com", type="staff", role="SUPER_ADMIN")
        await services.orders.change_status(order_id, "CANCELLED", staff)
    finally:
        await services.db.dispose()


def test_kitchen_display_recovers_after_a_server_restart(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    boot: BootSettings,
    app_factory,  # type: ignore[no-untyped-def]
) -> None:
    before = run_sync(place_with_services(boot, world))
    cook = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(cook.page, world)
    kitchen = cook.page
    expect(ticket(kitchen, before.order_number)).to_be_visible()
    guest = open_person(browser, contexts, server.base_url, PHONE)
    tracking = guest.page
    tracking.goto(f"/track/{before.id}?t={before.tracking_token}")
    expect(tracking.locator("#conn")).to_have_attribute("data-state", "live")

    server.stop()
    expect(kitchen.locator("#offline-banner")).to_be_visible()
    expect(kitchen.locator("#conn")).to_have_attribute("data-state", "offline")
    expect(kitchen.locator("#offline-banner")).to_contain_text("Offline")
    expect(tracking.locator("#offline-banner")).to_be_visible()

    # Orders placed while the web server is down (through the services, on the same database file).
    during = [run_sync(place_with_services(boot, world)) for _ in range(2)]

    restarted: Litestar = app_factory()
    with serve(restarted, port=server.port):
        expect(kitchen.locator("#conn")).to_have_attribute("data-state", "live", timeout=20_000)
        expect(kitchen.locator("#offline-banner")).to_be_hidden()
        for order in during:
            expect(ticket(kitchen, order.order_number)).to_be_visible()
            expect(ticket(kitchen, order.order_number)).to_have_class(re.compile("is-new"))
        expect(column(kitchen, "PENDING").locator(".ticket")).to_have_count(3)
        expect(ticket(kitchen, before.order_number)).not_to_have_class(re.compile("is-new"))
        # and it is live again: a change made now arrives at once, on the board and on the guest's open page
        ticket(kitchen, before.order_number).get_by_role("button", name=re.compile("^Confirm")).click()
        expect(column(kitchen, "CONFIRMED").locator(".ticket")).to_have_count(1)
        expect(tracking.locator("#offline-banner")).to_be_hidden()
        expect(tracking.locator(".step-current")).to_have_text("Confirmed")
    cook.assert_no_errors()
    guest.assert_no_errors()
