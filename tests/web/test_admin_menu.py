"""The back office's menu screens in a real Chromium, driven as their users would: a manager builds a category and
an item with a required option group that a guest then orders with the option; an owner marks an item sold out in
one tap and an open storefront follows without a reload; categories are renamed, nested, reordered and hidden;
prices of a category change by a percentage; an item is duplicated; unsaved changes ask before leaving; a STAFF
member sees none of it and gets the 403 page; axe-core and the screenshots at both sizes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.a11y import serious_violations
from tests.web.admin_shots import fits
from tests.web.browsing import log_in_to_admin, open_person
from tests.web.conftest import PHONE, TABLET

pytestmark = pytest.mark.browser


def api_get(server: UvicornThread, world: World, path: str) -> Any:
    response = httpx.get(
        f"{server.base_url}{path}", headers={"Authorization": f"Bearer {world.manager_token}"}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def store_item(store: Page, name: str) -> Locator:
    return store.locator("#menu li.item").filter(has=store.get_by_role("heading", name=name, exact=True))


def test_admin_manager_builds_an_item_with_a_required_option_and_a_guest_orders_it(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    manager = open_person(browser, contexts, server.base_url, TABLET)
    page = manager.page
    page.goto("/admin/categories")
    log_in_to_admin(page, world.manager_email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Categories")
    add = page.get_by_role("form", name="Add a category")
    add.get_by_label("Name", exact=True).fill("Chef's Specials")
    expect(add.get_by_label("Address name")).to_have_value("chef-s-specials")
    add.get_by_role("button", name="Add category").click()
    node = page.locator(".admin-tree-node").filter(has=page.get_by_text("Chef's Specials", exact=True))
    expect(node).to_be_visible()
    expect(node.get_by_role("link", name="0 items")).to_be_visible()

    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Menu items").click()
    page.get_by_role("link", name="New item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New menu item")
    form = page.get_by_role("form", name="New menu item")
    form.get_by_label("Name", exact=True).fill("Lamb Curry")
    form.get_by_label("Description").fill("Slow-cooked, with rice.")
    form.get_by_label("Price", exact=True).fill("13.50")
    form.get_by_label("Category", exact=True).select_option(label="Chef's Specials")
    form.get_by_role("group", name="Allergens").get_by_label(re.compile("Dairy|Milk|Gluten")).first.check()
    form.get_by_role("button", name="Add an option group").click()
    group = form.get_by_role("group", name=re.compile("^Option group 1"))
    expect(group.get_by_label("Group name")).to_be_focused()
    group.get_by_label("Group name").fill("Spice")
    group.get_by_label("How guests choose").select_option("RADIO")
    group.get_by_label("Guests must choose").check()
    group.get_by_label("Choice 1").fill("Mild")
    group.get_by_role("button", name=re.compile("^Add a choice")).click()
    expect(group.get_by_label("Choice 2")).to_be_focused()
    group.get_by_label("Choice 2").fill("Fiery")
    group.get_by_label("Extra price").nth(1).fill("1.25")
    form.get_by_role("button", name="Create item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lamb Curry")
    expect(page).to_have_url(re.compile(r"/admin/menu/items/[\w-]+$"))
    item_id = page.url.rsplit("/", 1)[1]
    saved = api_get(server, world, f"/api/menu/items/{item_id}")
    assert saved["price"] == 13.5 and saved["category"]["name"] == "Chef's Specials"
    assert [(o["name"], o["displayType"], o["isRequired"]) for o in saved["options"]] == [("Spice", "RADIO", True)]
    assert [(v["name"], v["priceModifier"]) for v in saved["options"][0]["values"]] == [("Mild", 0), ("Fiery", 1.25)]
    assert len(saved["allergens"]) == 1
    # saving again keeps the same option rows (their ids came back into the form)
    edit = page.get_by_role("form", name="Edit Lamb Curry")
    edit.get_by_label("Price", exact=True).fill("14.00")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.locator("#admin-toasts")).to_contain_text("Changes saved.")
    again = api_get(server, world, f"/api/menu/items/{item_id}")
    assert again["price"] == 14.0
    assert [v["id"] for v in again["options"][0]["values"]] == [v["id"] for v in saved["options"][0]["values"]]
    manager.assert_no_errors()

    guest = open_person(browser, contexts, server.base_url, PHONE)
    store = guest.page
    store.goto("/")
    expect(store.get_by_role("heading", name="Chef's Specials")).to_be_visible()
    store.get_by_role("button", name="Add Lamb Curry").click()
    dialog = store.get_by_role("dialog", name="Lamb Curry")
    dialog.get_by_label(re.compile("^Fiery")).check()
    dialog.get_by_role("button", name="Add to order").click()
    details = store.get_by_role("group", name="Your details")
    details.get_by_label("Name").fill("Grace Hopper")
    details.get_by_label("E-mail").fill("grace@example.com")
    details.get_by_label("Phone").fill("+1 555 0100")
    expect(store.locator("#totals dd.total")).to_have_text(re.compile(r"15\.25"))
    store.get_by_role("button", name="Place order").click()
    expect(store).to_have_url(re.compile(r"/track/"))
    order_id = store.url.split("/track/")[1].split("?")[0]
    order = api_get(server, world, f"/api/orders/{order_id}")
    line = order["items"][0]
    assert line["name"] == "Lamb Curry"
    assert [(o["name"], o["value"]) for o in line["options"]] == [("Spice", "Fiery")]
    guest.assert_no_errors()


def test_admin_owner_marks_an_item_sold_out_and_the_open_storefront_follows_without_reload(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    name = world.simple_item
    guest = open_person(browser, contexts, server.base_url, PHONE)
    store = guest.page
    store.goto("/")
    expect(store.get_by_role("button", name=f"Add {name}")).to_be_enabled()
    store.evaluate("window.stillTheSamePage = true")

    owner = open_person(browser, contexts, server.base_url, TABLET)
    page = owner.page
    page.goto(f"/admin/menu?q={name}")
    log_in_to_admin(page, world.admin_email)
    row = page.locator("tbody tr").filter(has=page.get_by_role("link", name=name, exact=True))
    expect(row.get_by_text("Available")).to_be_visible()
    row.get_by_role("button", name=f"Mark sold out {name}").click()
    expect(row.get_by_text("Sold out", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name=f"Back on sale {name}")).to_be_focused()

    expect(store_item(store, name).locator(".availability")).to_have_text("Sold out", timeout=5000)
    expect(store.get_by_role("button", name=f"Add {name}")).to_have_count(0)
    assert store.evaluate("window.stillTheSamePage") is True

    row.get_by_role("button", name=f"Back on sale {name}").click()
    expect(row.get_by_text("Available")).to_be_visible()
    expect(store.get_by_role("button", name=f"Add {name}")).to_be_enabled(timeout=5000)
    assert store.evaluate("window.stillTheSamePage") is True
    owner.assert_no_errors()
    guest.assert_no_errors()


def test_admin_categories_are_renamed_nested_reordered_and_hidden(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    page.goto("/admin/categories")
    log_in_to_admin(page, world.manager_email)
    roots = api_get(server, world, "/api/menu/categories")
    first, second = roots[0], roots[1]
    tree_names = page.locator(".admin-tree-root > .admin-tree-node > .admin-tree-row strong")
    expect(tree_names.first).to_have_text(first["name"])
    count = first["_count"]["menuItems"]
    assert count > 0
    counted = page.locator(f".admin-tree-node[data-category='{first['id']}'] > .admin-tree-row .admin-tree-count")
    expect(counted).to_have_text(f"{count} item{'' if count == 1 else 's'}")

    page.get_by_role("button", name=f"Move down {first['name']}", exact=True).click()
    expect(tree_names.nth(0)).to_have_text(second["name"])
    expect(tree_names.nth(1)).to_have_text(first["name"])
    expect(page.get_by_role("button", name=f"Move down {first['name']}", exact=True)).to_be_focused()
    assert [c["id"] for c in api_get(server, world, "/api/menu/categories")[:2]] == [second["id"], first["id"]]

    page.get_by_role("button", name=f"Edit {second['name']}", exact=True).click()
    edit = page.get_by_role("form", name=f"Edit {second['name']}")
    edit.get_by_label("Name").fill("Starters & Salads")
    edit.get_by_label("Inside").select_option(label=first["name"])
    edit.get_by_role("button", name="Save category").click()
    expect(page.locator("#admin-toasts")).to_contain_text("Starters & Salads saved.")
    moved = page.locator(f".admin-tree-node[data-category='{first['id']}'] .admin-tree .admin-tree-row strong")
    expect(moved.filter(has_text="Starters & Salads")).to_be_visible()
    tree = api_get(server, world, "/api/menu/categories")
    parent = next(c for c in tree if c["id"] == first["id"])
    assert "Starters & Salads" in [c["name"] for c in parent["children"]]

    page.get_by_role("button", name=f"Hide {first['name']}", exact=True).click()
    node = page.locator(f".admin-tree-node[data-category='{first['id']}']")
    expect(node.locator("> .admin-tree-row").get_by_text("Hidden", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=f"Show {first['name']}", exact=True)).to_be_focused()
    assert (
        next(c for c in api_get(server, world, "/api/menu/categories") if c["id"] == first["id"])["isActive"] is False
    )
    person.assert_no_errors()


def test_admin_reprices_a_category_duplicates_an_item_and_warns_before_losing_changes(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    page.goto("/admin/menu")
    log_in_to_admin(page, world.manager_email)
    category = api_get(server, world, "/api/menu/categories")[0]
    before = {i["id"]: i["price"] for i in api_get(server, world, f"/api/menu/items?categoryId={category['id']}")}

    # the list filtered by category, kept in the address
    page.get_by_label("Category").first.select_option(category["id"])
    expect(page).to_have_url(re.compile(f"category={category['id']}"))
    expect(page.locator("tbody tr")).to_have_count(len(before))

    page.get_by_text("Change a category's prices by a percentage").click()
    reprice = page.get_by_role("form", name="Change prices")
    reprice.get_by_label("Category", exact=True).select_option(category["id"])
    reprice.get_by_label("Change by (%)").fill("10")
    reprice.get_by_label("Include the categories below it").uncheck()
    reprice.get_by_role("button", name="Change prices").click()
    page.get_by_role("dialog").get_by_role("button", name="Change prices").click()
    expect(page.locator(".admin-reprice-result")).to_contain_text(f"{len(before)} price")
    after = {i["id"]: i["price"] for i in api_get(server, world, f"/api/menu/items?categoryId={category['id']}")}
    for item_id, price in before.items():
        assert after[item_id] == pytest.approx(round(price * 1.1 + 1e-9, 2)), item_id

    # duplicate from the list: the copy opens, hidden from guests
    first_row = page.locator("tbody tr").first
    original = first_row.locator("th").inner_text()
    first_row.get_by_role("button", name=f"Duplicate {original}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{original} (copy)")
    expect(page.get_by_label("Shown to guests")).not_to_be_checked()

    # unsaved changes: leaving through the navigation asks first; staying keeps the edit
    page.get_by_label("Name", exact=True).fill("Changed but not saved")
    page.get_by_role("link", name="← All menu items").click()
    leave = page.get_by_role("dialog", name="Leave without saving?")
    expect(leave).to_be_visible()
    leave.get_by_role("button", name="Stay on this page").click()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Changed but not saved")
    page.get_by_role("link", name="← All menu items").click()
    page.get_by_role("dialog", name="Leave without saving?").get_by_role("button", name="Leave without saving").click()
    expect(page).to_have_url(f"{server.base_url}/admin/menu")
    person.assert_no_errors()


def test_admin_staff_sees_no_menu_or_locations_and_gets_the_403_page(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    person = open_person(browser, contexts, server.base_url, TABLET)
    page = person.page
    page.goto("/admin")
    log_in_to_admin(page, world.staff_email)
    nav = page.get_by_role("navigation", name="Back office")
    expect(nav.get_by_role("link", name="Orders")).to_be_visible()
    for title in ("Menu items", "Categories", "Locations"):
        expect(nav.get_by_role("link", name=title)).to_have_count(0)
        expect(page.locator(".admin-cards").get_by_role("link", name=title)).to_have_count(0)
    for path in ("/admin/menu", "/admin/menu/items/new", "/admin/categories", "/admin/locations"):
        response = page.goto(path)
        assert response is not None and response.status == 403, path
        assert response.headers["content-type"].startswith("text/html")
        expect(page.get_by_role("heading", level=1)).to_have_text("You are not allowed here")
    person.assert_no_errors()


@pytest.mark.parametrize(("size_name", "viewport"), [("tablet", TABLET), ("phone", PHONE)])
def test_admin_menu_screens_are_accessible_at_both_sizes(
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
    page.goto("/admin/menu")
    log_in_to_admin(page, world.manager_email)
    expect(page.locator("tbody tr").first).to_be_visible()
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-menu-{size_name}.png"), full_page=True)

    item = world.items["Margherita"] if "Margherita" in world.items else world.items[world.simple_item]
    page.goto(f"/admin/menu/items/{item['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(item["name"])
    expect(page.get_by_role("group", name=re.compile("^Option group 1"))).to_be_visible()
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-menu-item-{size_name}.png"), full_page=True)

    page.goto("/admin/categories")
    expect(page.locator(".admin-tree-node").first).to_be_visible()
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-categories-{size_name}.png"), full_page=True)
    person.assert_no_errors()
