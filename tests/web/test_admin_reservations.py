"""Table booking in a real Chromium (issue 14): a guest books on the storefront's /book page, the booking appears in
the staff member's day view without a reload, staff confirm, seat and complete it and move another booking to a
different table; a walk-in is seated; the guest cancels another booking from its manage link, and after the cut-off
the manage page says to call the restaurant; the trends view. axe-core and the screenshots (book-*, reservation-
manage-*, admin-reservations-*, admin-reservation-trends-*)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.a11y import serious_violations
from tests.web.browsing import log_in_to_admin, open_person
from tests.web.conftest import PHONE, TABLET

pytestmark = pytest.mark.browser

RESTAURANT_PHONE = "+1 555 0100"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def call(server: UvicornThread, method: str, path: str, token: str | None = None, json: object = None) -> dict:
    headers = bearer(token) if token else {}
    response = httpx.request(method, f"{server.base_url}{path}", headers=headers, json=json, timeout=10)
    assert response.status_code < 300, response.text
    return response.json()["data"]


def book(server: UvicornThread, world: World, day: str, time: str, name: str, party: int = 2) -> dict:
    body = {
        "locationId": world.location_id,
        "date": day,
        "time": time,
        "partySize": party,
        "guestName": name,
        "guestEmail": f"{name.split()[0].lower()}@example.com",
        "guestPhone": "+1 555 0123",
    }
    return call(server, "POST", "/api/reservations", json=body)


def block(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(".admin-rv-block").filter(has_text=name)


def fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def shoot(page: Page, folder: Path, name: str) -> None:
    assert serious_violations(page) == [], name
    fits(page)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_guest_books_staff_run_it_live_and_the_guest_cancels_another_from_the_manage_link(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    call(server, "PUT", "/api/settings/general", world.manager_token, json={"contactPhone": RESTAURANT_PHONE})
    guest = open_person(browser, contexts, server.base_url, PHONE)
    g = guest.page
    g.goto("/")
    g.get_by_role("link", name="Book a table").click()
    expect(g.get_by_role("heading", name="Book a table")).to_be_visible()
    expect(g.locator("#book-date")).to_have_attribute("min", re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    today = g.locator("#book-date").get_attribute("min")
    assert today is not None
    day = (date.fromisoformat(today) + timedelta(days=1)).isoformat()

    staff = open_person(browser, contexts, server.base_url, TABLET)
    s = staff.page
    s.goto(f"/admin/reservations?date={day}")
    log_in_to_admin(s, world.staff_email)
    expect(s.locator("#rv-live")).to_have_attribute("data-state", "live")
    expect(s.locator("#rv-summary")).to_have_text("No bookings on this day yet.")

    # the guest books: date, party, a free time, details
    g.get_by_label("Date").fill(day)
    g.get_by_label("Guests").select_option("4")
    slot = g.get_by_role("button", name="19:00", exact=True)
    expect(slot).to_be_visible()
    expect(g.locator("#book-slots-note")).to_contain_text("free for 4 guests")
    g.get_by_role("button", name="Book the table").click()
    expect(g.locator("#book-form-error")).to_have_text("Choose a time for your table.")
    slot.click()
    expect(slot).to_have_attribute("aria-pressed", "true")
    g.get_by_label("Name").fill("Grace Booker")
    g.get_by_label("E-mail").fill("grace@example.com")
    g.get_by_label("Phone").fill("+1 555 0199")
    g.get_by_label("Note for the restaurant (optional)").fill("A high chair, please")
    shoot(g, screenshots, "book-form-phone")
    g.get_by_role("button", name="Book the table").click()
    expect(g.locator("#book-done-title")).to_have_text(
        "Your booking request is in: the restaurant will confirm it shortly."
    )
    expect(g.locator("#book-done-facts")).to_contain_text("19:00")
    manage_href = g.get_by_role("link", name="Manage your booking").get_attribute("href")
    assert manage_href and re.fullmatch(r"/reservations/manage/[^?]+\?t=[\w-]+", manage_href)
    shoot(g, screenshots, "book-confirmation-phone")

    # it appears in the staff member's day view without a reload; confirm, seat, complete
    grace = block(s, "Grace Booker")
    expect(grace).to_be_visible()
    assert s.evaluate("performance.getEntriesByType('navigation').length") == 1
    expect(s.locator("#rv-summary")).to_contain_text("1 booking, 4 guests")
    grace.click()
    detail = s.locator("#rv-detail")
    expect(detail.get_by_role("heading", name="Grace Booker at 19:00")).to_be_focused()
    expect(detail).to_contain_text("A high chair, please")
    expect(detail).not_to_contain_text("null")
    expect(detail.get_by_role("button", name="Seat")).to_have_count(0)  # not offered from PENDING
    detail.get_by_role("button", name="Confirm").click()
    expect(s.locator(".admin-toast")).to_contain_text("The booking of Grace Booker at 19:00 is confirmed.")
    detail.get_by_role("button", name="Seat").click()
    expect(detail.locator(".admin-status")).to_have_text("Seated")
    expect(detail.get_by_role("button", name="Cancel booking")).to_have_count(0)  # not once seated
    detail.get_by_role("button", name="Complete").click()
    expect(detail.locator(".admin-status")).to_have_text("Completed")
    expect(detail).to_contain_text("its status cannot change any more")
    booking_id = manage_href.split("/")[3].split("?")[0]
    completed = call(server, "GET", f"/api/reservations/{booking_id}", world.staff_token)
    assert completed["status"] == "COMPLETED"
    booking_table = completed["tableId"]

    # two more bookings arrive live; one is moved to another table with the dropdown
    tom = book(server, world, day, "20:00", "Tom Mover")
    kept = book(server, world, day, "21:00", "Ada Cancel")
    expect(block(s, "Tom Mover")).to_be_visible()
    expect(block(s, "Ada Cancel")).to_be_visible()
    block(s, "Tom Mover").click()
    tables = call(server, "GET", f"/api/locations/{world.location_id}")["tables"]
    taken = {tom["tableId"], kept["tableId"], booking_table}
    target = next(t for t in tables if t["isActive"] and t["id"] not in taken and t["capacity"] >= 2)
    detail.get_by_label("Table").select_option(target["id"])
    detail.get_by_role("button", name="Move to this table").click()
    expect(s.locator(f'.admin-rv-row[data-table="{target["id"]}"]').locator(".admin-rv-block")).to_have_text(
        re.compile("Tom Mover")
    )
    assert call(server, "GET", f"/api/reservations/{tom['id']}", world.staff_token)["tableId"] == target["id"]
    shoot(s, screenshots, "admin-reservations-tablet")

    # the guest cancels another booking from its manage link; the day view follows
    g.goto(kept["manageUrl"])
    expect(g.locator("#manage-headline")).to_have_text(
        "Your booking request is in: the restaurant will confirm it shortly."
    )
    expect(g.locator("#manage-facts")).to_contain_text("Ada Cancel")
    expect(g.locator("#manage-cancel-note")).to_contain_text("You can cancel online until")
    shoot(g, screenshots, "reservation-manage-phone")
    g.get_by_role("button", name="Cancel this booking").click()
    g.get_by_role("button", name="Yes, cancel it").click()
    expect(g.locator("#manage-headline")).to_have_text("This booking is cancelled.")
    expect(g.get_by_role("button", name="Cancel this booking")).to_be_hidden()
    shoot(g, screenshots, "reservation-manage-cancelled-phone")
    expect(block(s, "Ada Cancel")).to_have_count(0)
    expect(s.locator("#rv-cancelled-note")).to_contain_text("21:00 Ada Cancel")

    # after the cut-off the manage page says to call, with the restaurant's phone
    call(server, "PUT", "/api/settings/reservation", world.manager_token, json={"minCancellationNoticeHours": 72})
    g.goto(tom["manageUrl"])
    expect(g.locator("#manage-cancel-note")).to_have_text(
        f"It is too late to cancel online; please call the restaurant on {RESTAURANT_PHONE} to cancel or change it."
    )
    expect(g.get_by_role("button", name="Cancel this booking")).to_be_hidden()
    shoot(g, screenshots, "reservation-manage-too-late-phone")

    # a walk-in, seated now, on today's view
    s.get_by_role("button", name="Today").click()
    expect(s).to_have_url(re.compile(rf"date={today}"))
    s.get_by_role("button", name="Add a walk-in").click()
    walk_in = s.locator("#rv-walk-in")
    expect(walk_in.get_by_label("Guests")).to_be_focused()
    walk_in.get_by_label("Guests").fill("3")
    walk_in.get_by_label("Name (optional)").fill("Walter Walkin")
    walk_in.get_by_role("button", name="Seat them now").click()
    expect(s.locator(".admin-toast").last).to_contain_text("A walk-in of 3 guests is seated at")
    expect(block(s, "Walter Walkin")).to_have_class(re.compile(r"admin-rv-block-seated"))

    guest.assert_no_errors()
    staff.assert_no_errors()


def test_admin_reservations_phone_flagged_list_and_trends(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    person = open_person(browser, contexts, server.base_url, PHONE)
    page = person.page
    page.goto("/book")
    expect(page.get_by_role("heading", name="Book a table")).to_be_visible()
    expect(page.locator("#book-date")).to_have_attribute("min", re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    first = page.locator("#book-date").get_attribute("min")
    assert first is not None
    day = (date.fromisoformat(first) + timedelta(days=2)).isoformat()
    expect(page.locator(".book-slot").first).to_be_visible()
    shoot(page, screenshots, "book-phone")
    page.set_viewport_size(TABLET)
    shoot(page, screenshots, "book-tablet")

    flagged = book(server, world, day, "19:30", "Flo Flagged", party=2)
    call(
        server,
        "PATCH",
        f"/api/locations/{world.location_id}/tables/{flagged['tableId']}",
        world.manager_token,
        json={"isActive": False},
    )
    book(server, world, day, "18:00", "Pat Party", party=6)

    page.set_viewport_size(PHONE)
    page.goto(f"/admin/reservations?date={day}")
    log_in_to_admin(page, world.staff_email)
    expect(page.locator("#rv-live")).to_have_attribute("data-state", "live")
    expect(block(page, "Pat Party")).to_be_visible()
    card = page.locator("#rv-flagged li").filter(has_text="Flo Flagged")
    expect(card).to_contain_text("19:30")
    expect(block(page, "Flo Flagged")).to_have_class(re.compile(r"\bis-flagged\b"))
    shoot(page, screenshots, "admin-reservations-phone")
    choice = card.get_by_label("New table")
    options = choice.locator("option").all()
    assert len(options) > 1
    choice.select_option(index=1)
    card.get_by_role("button", name="Move").click()
    expect(page.locator("#rv-flagged")).to_contain_text("None: every upcoming booking has a table that seats it.")
    assert call(server, "GET", f"/api/reservations/{flagged['id']}", world.staff_token)["needsReassignment"] is False

    page.get_by_role("link", name="Trends").click()
    expect(page.get_by_role("heading", name="Reservation trends")).to_be_visible()
    expect(page.locator("#rv-trends .admin-rv-stat-value").first).to_have_text("2")
    expect(page.get_by_role("heading", name="By party size")).to_be_visible()
    expect(page.locator("#rv-trend-range")).to_have_text(re.compile(r"^Bookings dated \w+, \w+ \d+ to \w+, \w+ \d+\.$"))
    page.get_by_label("Range").select_option("7")
    expect(page).to_have_url(re.compile(r"/admin/reservations/trends\?days=7"))
    shoot(page, screenshots, "admin-reservation-trends-phone")
    page.set_viewport_size(TABLET)
    shoot(page, screenshots, "admin-reservation-trends-tablet")
    person.assert_no_errors()
