"""Voiding an item from the back office's order page, in a real Chromium: a reason is asked, the line is shown
struck through and voided, the totals follow, and the receipt leaves it out."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.browsing import log_in_to_admin, open_person
from tests.web.conftest import TABLET

pytestmark = pytest.mark.browser


def test_staff_void_an_item_with_a_reason_and_the_totals_follow(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    names = sorted(n for n, item in world.items.items() if not any(o["isRequired"] for o in item["options"]))[:2]
    placed = httpx.post(f"{server.base_url}/api/orders", json=world.order_body(*names))
    assert placed.status_code == 201, placed.text
    order = placed.json()["data"]
    gone = order["items"][1]
    label = f"Void {gone['quantity']} \u00d7 {gone['name']}"  # the multiplication sign, as the page writes it
    staff = open_person(browser, contexts, server.base_url, TABLET)
    page = staff.page
    page.goto(f"/admin/orders/{order['id']}")
    log_in_to_admin(page, world.staff_email)
    items = page.get_by_role("region", name="Items and totals")
    items.get_by_role("button", name=label).click()
    dialog = page.get_by_role("dialog", name=f"{label}?")
    dialog.get_by_label("Reason").fill("The guest changed their mind")
    dialog.get_by_role("button", name="Void the item").click()
    expect(page.locator(".admin-toast")).to_contain_text(f"{gone['name']} voided")
    expect(items.locator(".admin-item-voided s")).to_have_text(gone["name"])
    expect(items.get_by_role("button", name="Void…")).to_have_count(0)  # the last live item: cancel instead
    stored = httpx.get(
        f"{server.base_url}/api/orders/{order['id']}", headers={"Authorization": f"Bearer {world.staff_token}"}
    ).json()["data"]
    assert stored["subtotal"] == order["items"][0]["subtotal"]
    page.goto(f"/admin/orders/{order['id']}/receipt")
    expect(page.get_by_text(gone["name"])).to_have_count(0)
    assert staff.errors == []
