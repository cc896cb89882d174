"""Payments in a real Chromium: a guest chooses card at checkout, is sent to the Stripe test double's hosted page
(a top-level navigation: no script of another origin on our pages), pays, comes back, and the tracking page and an
open kitchen card turn "Paid" once the double's signed webhook arrives. A cook marks a cash order paid from the
kitchen card (the change to give is shown). The admin order page shows the payments, marks one paid and refunds
part of it; axe-core on each page, and the admin screenshots."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from playwright.sync_api import Browser, BrowserContext, expect

from tests.doubles.stripe_double import SECRET_KEY, WEBHOOK_SECRET, StripeDouble
from tests.realtime.helpers import World
from tests.servers import UvicornThread, free_port, serve
from tests.web.a11y import serious_violations
from tests.web.admin_shots import check_and_shoot
from tests.web.browsing import log_in_to_admin, log_in_to_kitchen, open_person, ticket
from tests.web.conftest import PHONE, TABLET

pytestmark = pytest.mark.browser


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def env(env: dict[str, str], port: int) -> dict[str, str]:
    # the double runs on this box; Stripe sends the guest back to the public URL: this test server's
    return {
        **env,
        "KITCHENASTY_OUTBOUND_ALLOWED_HOSTS": "127.0.0.1",
        "KITCHENASTY_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }


@pytest.fixture
def server(world: World, app: Litestar, port: int) -> Iterator[UvicornThread]:
    with serve(app, port) as running:
        yield running


@pytest.fixture
def stripe(server: UvicornThread, world: World) -> Iterator[StripeDouble]:
    with StripeDouble(webhook_url=f"{server.base_url}/api/payments/webhook") as double:
        settings = {
            "stripeEnabled": True,
            "stripeSecretKey": SECRET_KEY,
            "stripeWebhookSecret": WEBHOOK_SECRET,
            "stripeApiBase": double.url,
        }
        response = httpx.put(
            f"{server.base_url}/api/settings/payment",
            json=settings,
            headers={"Authorization": f"Bearer {world.admin_token}"},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        yield double


def place(server: UvicornThread, world: World, **fields: object) -> dict:
    response = httpx.post(f"{server.base_url}/api/orders", json=world.order_body(**fields), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_guest_pays_by_card_and_tracking_and_kitchen_show_paid(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, stripe: StripeDouble
) -> None:
    cook = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(cook.page, world)

    guest = open_person(browser, contexts, server.base_url, PHONE)
    store = guest.page
    store.goto("/")
    store.get_by_role("button", name=f"Add {world.simple_item}").click()
    dialog = store.get_by_role("dialog", name=world.simple_item)
    if dialog.count():
        dialog.get_by_role("button", name="Add to order").click()
    details = store.get_by_role("group", name="Your details")
    details.get_by_label("Name").fill("Grace Hopper")
    details.get_by_label("E-mail").fill("grace@example.com")
    details.get_by_label("Phone").fill("+1 555 0100")
    paying = store.get_by_role("group", name="How will you pay?")
    expect(paying).to_be_visible()
    paying.get_by_label("Card (on Stripe's secure page)").check()
    assert serious_violations(store) == []
    total = store.locator("#totals dd.total").inner_text()
    store.get_by_role("button", name="Place order").click()

    # Stripe's hosted page (the double's): the exact total, then "Pay"
    expect(store).to_have_url(re.compile(rf"^{re.escape(stripe.url)}/pay/cs_test_"))
    (sent,) = stripe.api_calls("/v1/checkout/sessions")
    charged = int(sent.form["line_items"][0]["price_data"]["unit_amount"])
    assert total.replace(",", "").endswith(f"{charged // 100}.{charged % 100:02d}")
    order_number = sent.form["metadata"]["orderNumber"]
    kitchen_card = ticket(cook.page, order_number)
    expect(kitchen_card.locator(".pay-badge")).to_have_text("Payment pending")
    store.get_by_role("button", name=re.compile("^Pay ")).click()

    # back on the tracking page: waiting, then paid (the double's signed webhook), the order confirmed
    expect(store).to_have_url(re.compile(r"/track/[^/?]+\?t=.+&paid=card"))
    expect(store.locator("#pay-state")).to_have_text("Paid")
    expect(store.locator("#status-headline")).to_have_text("Your order is confirmed.")
    expect(store.locator("#facts")).to_contain_text("Paid")
    expect(store.get_by_role("button", name="Pay now by card")).to_have_count(0)
    assert serious_violations(store) == []
    expect(kitchen_card.locator(".pay-badge")).to_have_text("Paid")
    expect(kitchen_card.get_by_role("button", name=re.compile("^Mark order .* paid$"))).to_have_count(0)
    assert [status for status, _ in stripe.sent_webhooks] == [200]
    guest.assert_no_errors()
    cook.assert_no_errors()


def test_tracking_page_offers_pay_now_while_unpaid(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, stripe: StripeDouble
) -> None:
    order = place(server, world, paymentMethod="STRIPE")
    guest = open_person(browser, contexts, server.base_url, PHONE)
    page = guest.page
    page.goto(f"/track/{order['id']}?t={order['trackingToken']}")
    expect(page.locator("#pay-state")).to_have_text("Not paid yet")
    expect(page.locator("#facts")).to_contain_text("Not paid yet (card, online)")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Pay now by card").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(stripe.url)}/pay/"))
    guest.assert_no_errors()


def test_cook_marks_a_cash_order_paid_from_the_kitchen_card(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    order = place(server, world)
    cook = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(cook.page, world)
    card = ticket(cook.page, order["orderNumber"])
    expect(card.locator(".pay-badge")).to_have_text("Not paid")
    card.get_by_role("button", name=f"Mark paid: order #{order['orderNumber']}").click()
    dialog = cook.page.get_by_role("dialog", name=f"Mark order #{order['orderNumber']} paid")
    expect(dialog).to_be_visible()
    assert serious_violations(cook.page) == []
    total_cents = round(order["total"] * 100)
    received = (total_cents // 1000 + 1) * 10  # the next ten up
    dialog.get_by_label("Amount received").fill(str(received))
    change = received * 100 - total_cents
    expect(dialog.locator("#pay-change")).to_contain_text(f"{change // 100}.{change % 100:02d}")
    dialog.get_by_role("button", name="Mark paid").click()
    expect(dialog).to_be_hidden()
    expect(card.locator(".pay-badge")).to_have_text("Paid")
    expect(cook.page.locator("#toast")).to_contain_text("Change to give")
    cook.assert_no_errors()


def test_admin_order_page_lists_payments_marks_paid_and_refunds(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    order = place(server, world)
    manager = open_person(browser, contexts, server.base_url, TABLET)
    page = manager.page
    page.goto(f"/admin/orders/{order['id']}")
    log_in_to_admin(page, world.manager_email)
    panel = page.get_by_role("region", name="Payment", exact=True)
    expect(panel.locator("#order-payment-state")).to_contain_text("Not paid")
    expect(panel).to_contain_text("No payment recorded yet.")
    panel.get_by_role("button", name="Mark paid…").click()
    dialog = page.get_by_role("dialog", name=f"Mark order #{order['orderNumber']} paid")
    dialog.get_by_label("Amount received (cash)").fill("100")
    expect(dialog).to_contain_text("Change to give")
    dialog.get_by_role("button", name="Mark paid").click()
    expect(panel.locator("#order-payment-state")).to_contain_text("Paid")
    expect(panel.locator("tbody tr")).to_have_count(1)
    expect(panel.locator("tbody tr")).to_contain_text("Cash")
    panel.get_by_role("button", name=re.compile("^Refund the")).click()
    refund = page.get_by_role("dialog", name=re.compile("^Refund the"))
    refund.get_by_label("Amount to refund").fill("1")
    refund.get_by_role("button", name="Refund").click()
    expect(refund.locator(".form-error")).to_have_text("Write why the money goes back.")
    refund.get_by_label("Reason").fill("A drink was missing")
    refund.get_by_role("button", name="Refund").click()
    expect(panel.locator("tbody tr")).to_contain_text("A drink was missing")
    expect(panel.locator("#order-payment-state")).to_contain_text("Partly refunded")
    expect(panel.get_by_role("button", name="Mark paid…")).to_have_count(0)
    assert "null" not in panel.inner_text()
    toasts = page.locator("#admin-toasts").get_by_role("button", name="Dismiss")
    while toasts.count():
        toasts.first.click()
    check_and_shoot(page, screenshots, "order-payments")
    manager.assert_no_errors()
