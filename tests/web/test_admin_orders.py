"""The back office's orders screens in a real Chromium: the live list (a guest's order appears without a reload),
filters and search in the address, the CSV export for managers; an order's page with the status history after a
cook advances it on /kitchen, cancelling with a reason; the printable receipt; axe-core and the screenshots."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.realtime.helpers import World
from tests.servers import SMTPServer, UvicornThread
from tests.web.a11y import serious_violations
from tests.web.admin_shots import fits
from tests.web.browsing import log_in_to_admin, log_in_to_kitchen, open_person, ticket
from tests.web.conftest import PHONE, TABLET

pytestmark = pytest.mark.browser


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def eventually_sync(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.1)


def place(server: UvicornThread, world: World, *names: str, **fields: object) -> dict:
    response = httpx.post(f"{server.base_url}/api/orders", json=world.order_body(*names, **fields), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def staff_name(server: UvicornThread, token: str) -> str:
    me = httpx.get(f"{server.base_url}/api/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    return str(me.json()["data"]["user"]["name"])


def row(page: Page, order: dict):  # type: ignore[no-untyped-def]
    return page.locator(".admin-table tbody tr").filter(has=page.get_by_role("link", name=f"#{order['orderNumber']}"))


def test_admin_orders_list_is_live_filtered_in_the_address_and_exported(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    earlier = place(server, world, "Margherita", guestName="Linus Pauling", guestEmail="linus@lab.example")
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    page.goto("/admin/orders")
    log_in_to_admin(page, world.manager_email)
    expect(page.locator("#orders-live")).to_have_attribute("data-state", "live")
    expect(row(page, earlier)).to_be_visible()
    loads = int(page.locator(".admin-list").get_attribute("data-loaded") or "0")

    # a guest orders: the open list shows it without a reload
    page.get_by_label("Status").select_option(label="Open (not finished)")
    expect(page).to_have_url(re.compile(r"status=PENDING%2CCONFIRMED"))
    guest = place(server, world, "Margherita", orderType="DELIVERY", address={"line1": "1 Harbour Way", "city": "Bay"})
    expect(row(page, guest)).to_be_visible()
    expect(row(page, guest)).to_have_class(re.compile(r"\bis-new\b"))
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert int(page.locator(".admin-list").get_attribute("data-loaded") or "0") > loads

    # filters and search live in the address; back restores the view
    page.get_by_label("Type").select_option(label="Delivery")
    expect(row(page, earlier)).to_have_count(0)
    expect(row(page, guest)).to_be_visible()
    page.get_by_label("Type").select_option(label="Any type")
    page.get_by_label("Search").fill("linus@lab")
    expect(page).to_have_url(re.compile(r"q=linus%40lab"))
    expect(row(page, guest)).to_have_count(0)
    expect(row(page, earlier)).to_be_visible()
    page.get_by_label("Search").fill("nobody-by-this-name")
    expect(page.get_by_text("No orders match these filters.")).to_be_visible()
    page.go_back()
    expect(page.get_by_label("Search")).to_have_value("linus@lab")
    expect(row(page, earlier)).to_be_visible()
    bookmarked = page.url
    page.goto(bookmarked)
    expect(page.get_by_label("Search")).to_have_value("linus@lab")
    expect(page.get_by_label("Status")).to_have_value("PENDING,CONFIRMED,PREPARING,READY,OUT_FOR_DELIVERY")
    expect(row(page, earlier)).to_be_visible()

    # the CSV export carries the same filters; the browser's own cookie is enough for a manager
    export = page.get_by_role("link", name="Download CSV")
    href = export.get_attribute("href") or ""
    assert href.startswith("/api/orders/export.csv?") and "search=linus%40lab" in href and "page=" not in href
    csv = page.evaluate("url => fetch(url).then(async r => [r.status, await r.text()])", href)
    assert csv[0] == 200
    assert earlier["orderNumber"] in csv[1] and guest["orderNumber"] not in csv[1]

    # a row leads to the order
    row(page, earlier).get_by_role("link").click()
    expect(page).to_have_url(f"{server.base_url}/admin/orders/{earlier['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order #{earlier['orderNumber']}")
    person.assert_no_errors()


def test_admin_orders_list_has_no_export_for_staff(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    page.goto("/admin/orders")
    log_in_to_admin(page, world.staff_email)
    expect(page.locator("#orders-live")).to_have_attribute("data-state", "live")
    expect(page.get_by_text("No orders match these filters.")).to_be_visible()
    expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)
    person.assert_no_errors()


def test_admin_order_page_follows_the_kitchen_and_cancels_with_a_reason(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    order = place(server, world, "Margherita", "Mango Lassi", comment="Ring twice")
    cook = staff_name(server, world.staff_token)
    manager = staff_name(server, world.manager_token)
    office = open_person(browser, contexts, server.base_url, TABLET)
    page = office.page
    page.goto(f"/admin/orders/{order['id']}")
    log_in_to_admin(page, world.manager_email)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order #{order['orderNumber']}")
    expect(page.locator("body[data-order-live='started']")).to_be_attached()
    items = page.get_by_role("region", name="Items and totals")
    expect(items).to_contain_text("Margherita")
    expect(items).to_contain_text("Mango Lassi")
    expect(items.locator(".admin-total-row")).to_contain_text(re.compile(r"\d"))
    expect(page.locator(".admin-order-comment")).to_have_text("Order note: Ring twice")
    guest = page.locator("section[aria-labelledby='order-guest']")
    expect(guest.get_by_role("link", name="grace@example.com")).to_have_attribute("href", "mailto:grace@example.com")
    expect(guest).to_contain_text("+1 555 0100")
    history = page.locator(".admin-history li")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Placed")
    expect(history.first).to_contain_text("The guest")
    # the server's table decides the buttons: a new pickup order can be confirmed or cancelled
    actions = page.get_by_role("group", name="Change the status")
    expect(actions.get_by_role("button")).to_have_text(["Confirm", "Cancel order…"])

    # a cook advances it on the kitchen display: the order page follows without a reload
    kitchen = open_person(browser, contexts, server.base_url, TABLET)
    log_in_to_kitchen(kitchen.page, world)
    ticket(kitchen.page, order["orderNumber"]).get_by_role("button", name=re.compile("^Confirm")).click()
    expect(page.locator(".admin-order-head .admin-status")).to_have_text("Confirmed")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("Confirmed")
    expect(history.nth(1)).to_contain_text(f"{cook} (Staff)")
    expect(history.nth(1).locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d{2}-\d{2}T"))
    expect(actions.get_by_role("button")).to_have_text(["Start preparing", "Cancel order…"])
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1

    # here: one move on, then cancel with a reason (asked in a dialog; a reason is required)
    actions.get_by_role("button", name="Start preparing").click()
    expect(page.locator(".admin-toast")).to_contain_text("is now preparing")
    expect(history).to_have_count(3)
    actions.get_by_role("button", name="Cancel order…").click()
    dialog = page.get_by_role("dialog", name=f"Cancel order #{order['orderNumber']}?")
    expect(dialog.get_by_label("Reason")).to_be_focused()
    dialog.get_by_role("button", name="Cancel the order").click()
    expect(dialog.locator(".form-error")).to_have_text("Write why the order is cancelled.")
    dialog.get_by_label("Reason").fill("Out of mozzarella")
    dialog.get_by_role("button", name="Cancel the order").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(".admin-order-head .admin-status")).to_have_text("Cancelled")
    expect(history).to_have_count(4)
    expect(history.nth(3)).to_contain_text(f"{manager} (Manager)")
    expect(history.nth(3)).to_contain_text("Reason: Out of mozzarella")
    expect(actions.get_by_role("button")).to_have_count(0)
    expect(actions).to_contain_text("no longer changes")
    expect(ticket(kitchen.page, order["orderNumber"])).to_have_count(0)
    stored = httpx.get(
        f"{server.base_url}/api/orders/{order['id']}/history",
        headers={"Authorization": f"Bearer {world.staff_token}"},
        timeout=10,
    ).json()["data"]
    assert [(c["status"], c["reason"]) for c in stored][-1] == ("CANCELLED", "Out of mozzarella")
    office.assert_no_errors()
    kitchen.assert_no_errors()


@pytest.mark.parametrize(("size_name", "viewport"), [("tablet", TABLET), ("phone", PHONE)])
def test_admin_orders_screens_fit_pass_axe_and_are_captured(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    screenshots: Path,
    size_name: str,
    viewport: dict[str, int],
) -> None:
    tables = httpx.get(f"{server.base_url}/api/locations/{world.location_id}/tables", timeout=10).json()["data"]
    with SMTPServer() as smtp:  # each order mails its confirmation: the order page lists that message
        mail = {"smtpHost": "127.0.0.1", "smtpPort": smtp.port, "encryption": "none", "senderEmail": "shop@example.com"}
        configured = httpx.put(f"{server.base_url}/api/settings/mail", json=mail, headers=bearer(world.admin_token))
        assert configured.status_code == 200, configured.text
        place(server, world, "Margherita", "Tiramisu", orderType="DINE_IN", tableId=tables[0]["id"])
        place(server, world, "Falafel Bowl", guestName="Linus Pauling")
        delivery = place(
            server,
            world,
            "Margherita",
            "Mango Lassi",
            orderType="DELIVERY",
            address={"line1": "12 Mission Street", "line2": "Flat 3", "city": "San Francisco", "postalCode": "94105"},
            comment="Leave it with the doorman",
        )
        smtp.wait_for(3)
        deliveries = f"{server.base_url}/api/orders/{delivery['id']}/deliveries"
        eventually_sync(
            lambda: (
                [d["status"] for d in httpx.get(deliveries, headers=bearer(world.staff_token)).json()["data"]]
                == ["SENT"]
            )
        )
    person = open_person(browser, contexts, server.base_url, viewport)
    page = person.page
    page.goto("/admin/orders")
    log_in_to_admin(page, world.manager_email)
    expect(page.locator("#orders-live")).to_have_attribute("data-state", "live")
    expect(page.locator(".admin-table tbody tr")).to_have_count(3)
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-orders-{size_name}.png"), full_page=True)

    page.goto(f"/admin/orders/{delivery['id']}")
    expect(page.locator(".admin-history li")).to_have_count(1)
    expect(page.locator("section[aria-labelledby='order-guest'] address")).to_contain_text("12 Mission Street")
    messages = page.get_by_role("region", name="Messages sent about this order")
    expect(messages.locator("tbody tr")).to_have_count(1)
    expect(messages.locator("tbody tr td").nth(0)).to_have_text("E-mail")
    expect(messages.locator("tbody tr td").nth(1)).to_have_text("grace@example.com")
    expect(messages.locator("tbody tr td").nth(2)).to_have_text("Sent")
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-order-{size_name}.png"), full_page=True)

    page.get_by_role("link", name="Receipt").click()
    expect(page).to_have_url(f"{server.base_url}/admin/orders/{delivery['id']}/receipt")
    receipt = page.get_by_role("article", name=f"Receipt for order #{delivery['orderNumber']}")
    expect(receipt).to_contain_text("1 \u00d7 Margherita")
    expect(receipt).to_contain_text("Delivery fee")
    expect(receipt.locator(".admin-receipt-total")).to_contain_text(re.compile(r"\d"))
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-receipt-{size_name}.png"), full_page=True)
    # on paper only the receipt: no header, navigation, buttons or screen title
    page.emulate_media(media="print")
    expect(page.locator(".admin-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator("#admin-title")).to_be_hidden()
    expect(receipt).to_be_visible()
    page.emulate_media(media="screen")
    person.assert_no_errors()
