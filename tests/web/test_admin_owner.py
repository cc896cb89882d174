"""The owner's screens in a real Chromium (issue 13): the dashboard shows the figures and the revenue-by-hour chart
after a few orders (uPlot under the pages' CSP), the Z report on screen, printable and as CSV, request metrics per
endpoint and hour, and the audit log with a price change before -> after and secrets masked. One server for the
module; the orders are placed once, before the first test."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.browsing import Person, log_in_to_admin, open_person
from tests.web.conftest import TABLET
from tests.web.owner_ops import Api, check_both_sizes, module_server

pytestmark = pytest.mark.browser


@dataclass
class Site:
    server: UvicornThread
    world: World
    orders: list[dict[str, Any]]
    cancelled: dict[str, Any]

    @property
    def base_url(self) -> str:
        return self.server.base_url


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, world_template: tuple[Path, World]) -> Iterator[Site]:
    with module_server(tmp_path_factory.mktemp("owner"), world_template) as (server, world):
        with Api(server.base_url) as guest, Api(server.base_url, world.staff_token) as staff:
            names = sorted(n for n, item in world.items.items() if not any(o["isRequired"] for o in item["options"]))
            first = guest.place(world, names[0], names[1])
            second = guest.place(world, names[0])
            third = guest.place(world, names[2])
            staff.move(first["id"], "CONFIRMED", "PREPARING")
            cancelled = staff.move(third["id"], "CANCELLED")
        yield Site(server, world, [first, second], cancelled)


def staff_page(browser: Browser, contexts: list[BrowserContext], site: Site, path: str, email: str) -> Person:
    person = open_person(browser, contexts, site.base_url, TABLET)
    person.page.goto(path)
    log_in_to_admin(person.page, email)
    return person


def cents(amount: float) -> int:
    return round(amount * 100)


def money_text(total_cents: int) -> str:
    return f"${total_cents // 100:,}.{total_cents % 100:02d}"


def figure(page: Page, name: str) -> str:
    return page.locator(f"[data-figure='{name}'] .admin-figure-value").inner_text()


# ---------------------------------------------------------------- dashboard


def test_dashboard_shows_the_figures_and_the_revenue_chart_after_a_few_orders(
    browser: Browser, contexts: list[BrowserContext], site: Site, screenshots: Path
) -> None:
    csp: list[str] = []
    person = open_person(browser, contexts, site.base_url, TABLET)
    page = person.page
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/admin/dashboard")
    log_in_to_admin(page, site.world.staff_email)  # staff may read the numbers
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    revenue = sum(cents(o["total"]) for o in site.orders)  # the cancelled order does not count
    expect(page.locator("[data-figure='orders'] .admin-figure-value")).to_have_text("3")
    expect(page.locator("[data-figure='orders'] .admin-figure-note")).to_have_text("1 cancelled")
    assert figure(page, "revenue") == money_text(revenue)
    assert figure(page, "average") == money_text((revenue + 1) // 2)
    expect(page.locator("#dashboard-range")).to_contain_text("Today:")

    # the chart: uPlot drew its canvas (with the pages' CSP in force) and names its figures in words
    chart = page.get_by_role("img", name="Revenue by hour, today")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute(
        "aria-label",
        f"Revenue by hour, today: {money_text(revenue)} in all; "
        "the busiest hour was " + _hour_range() + f" with {money_text(revenue)}.",
    )
    canvas = chart.locator("canvas")
    expect(canvas).to_have_count(1)
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    assert page.evaluate(
        """() => {
      const c = document.querySelector('.admin-chart canvas');
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] === 0xb4 && data[i + 1] === 0x40 && data[i + 2] === 0x0b) return true;
      }
      return false;
    }"""
    ), "no bar drawn in the brand colour"
    page.get_by_text("Revenue by hour as a table").click()
    hour = datetime.now(UTC).strftime("%H:00")
    expect(page.get_by_role("table", name="Revenue by hour, today").get_by_role("row", name=hour)).to_contain_text(
        money_text(revenue)
    )
    by_type = page.get_by_role("table", name="Orders by type, today")
    expect(by_type.get_by_role("row", name="Pickup")).to_contain_text("3")
    by_status = page.get_by_role("table", name="Orders by status, today")
    expect(by_status.get_by_role("row", name="Cancelled")).to_contain_text("1")
    expect(by_status.get_by_role("row", name="Preparing")).to_contain_text("1")
    expect(page.get_by_role("table", name="Top items, today").locator("tbody tr")).not_to_have_count(0)
    page.get_by_text("Revenue by hour as a table").click()  # closed again

    # the 30 days include today; the choice is kept in the address
    page.get_by_role("radio", name="Last 30 days").check()
    expect(page).to_have_url(f"{site.base_url}/admin/dashboard?period=last30Days")
    expect(page.get_by_role("img", name="Revenue by hour, last 30 days")).to_be_visible()
    expect(page.locator("[data-figure='orders'] .admin-figure-value")).to_have_text("3")
    page.get_by_role("radio", name="Today").check()
    check_both_sizes(page, screenshots, "dashboard")
    assert csp == []
    person.assert_no_errors()


def _hour_range() -> str:
    now = datetime.now(UTC)
    return f"{now:%H}:00–{(now.hour + 1) % 24:02d}:00"


# ---------------------------------------------------------------- reports


def test_reports_show_the_z_report_print_it_and_download_it_as_csv(
    browser: Browser, contexts: list[BrowserContext], site: Site, screenshots: Path
) -> None:
    person = staff_page(browser, contexts, site, "/admin/reports", site.world.manager_email)
    page = person.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    today = datetime.now(UTC).date().isoformat()  # the demo restaurant keeps UTC
    expect(page.get_by_label("Day")).to_have_value(today)
    report = page.get_by_role("article")
    expect(report.get_by_role("heading", level=2)).to_contain_text("Z report: ")
    expect(page).to_have_url(f"{site.base_url}/admin/reports?location={site.world.location_id}&date={today}")

    total = sum(cents(o["total"]) for o in site.orders)
    gross = sum(cents(o["subtotal"]) for o in site.orders)
    totals = page.get_by_role("table", name="Totals")
    expect(totals.get_by_role("row", name="Orders")).to_contain_text("2")
    expect(totals.get_by_role("row", name="Gross (items)")).to_contain_text(money_text(gross))
    expect(totals.get_by_role("row", name="Total charged")).to_contain_text(money_text(total))
    expect(page.get_by_role("table", name="By order type").get_by_role("row", name="Pickup")).to_contain_text(
        money_text(total)
    )
    expect(page.get_by_role("table", name="By payment method").get_by_role("row", name="Cash")).to_be_visible()
    expect(page.locator("#report-cancellations")).to_have_text(
        f"1 order was cancelled; it would have come to {money_text(cents(site.cancelled['total']))}."
    )

    # printable: only the report is left on paper
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Back office")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_label("Location")).to_be_hidden()
    expect(report).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == f"z-report-{today}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    first = rows[0]
    assert (first["section"], first["orders"], first["total"]) == ("totals", "2", f"{total / 100:.2f}")
    assert rows[-1]["section"] == "cancellations"

    # another day: nothing sold, and the address follows
    page.get_by_label("Day").fill("2025-01-15")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("article").get_by_role("heading", level=2)).to_contain_text("2025")
    expect(page.get_by_role("table", name="Totals").get_by_role("row", name="Orders")).to_contain_text("0")
    expect(page.locator("#report-cancellations")).to_have_text("No order was cancelled.")
    page.go_back()
    expect(page.get_by_label("Day")).to_have_value(today)
    expect(page.get_by_role("table", name="Totals").get_by_role("row", name="Orders")).to_contain_text("2")
    check_both_sizes(page, screenshots, "reports")
    person.assert_no_errors()


# ---------------------------------------------------------------- request metrics


def test_metrics_show_requests_errors_and_latency_per_endpoint_and_hour(
    browser: Browser, contexts: list[BrowserContext], site: Site, screenshots: Path
) -> None:
    person = staff_page(browser, contexts, site, "/admin/metrics", site.world.manager_email)
    page = person.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Request metrics")
    endpoints = page.get_by_role("table", name="Endpoints")
    placing = endpoints.get_by_role("row").filter(has_text="/api/orders").filter(has_text="POST")
    expect(placing).to_have_count(1)
    cells = placing.locator("td")
    assert int(cells.nth(0).inner_text()) >= 3  # the three orders of this module, at least
    assert cells.nth(2).inner_text().endswith(" ms")
    assert cells.nth(3).inner_text().startswith("≤ ")
    assert int(figure(page, "requests").replace(",", "")) >= 3
    expect(page.get_by_role("img", name="Requests per hour, last 24 hours")).to_be_visible()
    page.get_by_text("Requests per hour as a table").click()
    hour_rows = page.get_by_role("table", name="Requests per hour, last 24 hours").locator("tbody tr")
    expect(hour_rows).not_to_have_count(0)
    page.get_by_text("Requests per hour as a table").click()

    # sorted by requests, most first; a click on a heading sorts by it
    counts = [int(t) for t in endpoints.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    page.get_by_role("button", name="95th percentile").click()
    expect(endpoints.locator("th[aria-sort]")).to_have_attribute("aria-sort", "ascending")

    page.get_by_label("Period").select_option(label="Last hour")
    expect(page).to_have_url(f"{site.base_url}/admin/metrics?sort=p95ResponseTime&dir=asc&hours=1")
    expect(page.get_by_role("img", name="Requests per hour, last hour")).to_be_visible()
    expect(placing).to_have_count(1)
    page.goto("/admin/metrics")
    check_both_sizes(page, screenshots, "metrics")
    person.assert_no_errors()


# ---------------------------------------------------------------- audit log


def test_audit_log_shows_a_price_change_before_and_after_and_masks_secrets(
    browser: Browser, contexts: list[BrowserContext], site: Site, screenshots: Path
) -> None:
    world = site.world
    name = sorted(world.items)[0]
    item = world.items[name]
    before = cents(item["price"])
    after = before + 275
    secret = "correct-horse-battery-staple"
    with Api(site.base_url, world.admin_token) as owner:
        owner.call("PATCH", f"/api/menu/items/{item['id']}", json={"price": f"{after / 100:.2f}"})
        owner.call("PUT", "/api/settings/mail", json={"smtpHost": "mail.example", "smtpPass": secret})
    with Api(site.base_url, world.manager_token) as manager:
        assert manager.client.get("/admin/audit").status_code == 403  # SUPER_ADMIN only

    person = staff_page(browser, contexts, site, "/admin/audit", world.admin_email)
    page = person.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    log = page.get_by_role("table", name="Audit log")
    expect(log.locator("tbody tr").first).to_be_visible()

    page.get_by_label("Kind of record").select_option(label="Menu item")
    expect(page).to_have_url(f"{site.base_url}/admin/audit?entity=menu_item")
    row = log.locator("tbody tr").filter(has_text="Price:")
    expect(row).to_have_count(1)
    expect(row.locator(".admin-before")).to_have_text(money_text(before))
    expect(row.locator(".admin-after")).to_have_text(money_text(after))
    expect(row).to_contain_text(f"Price: {money_text(before)} → {money_text(after)}")
    expect(row).to_contain_text(world.admin_email)
    expect(row).to_contain_text("Administrator")
    expect(row).to_contain_text("Changed")
    expect(row).to_contain_text(f"PATCH /api/menu/items/{item['id']}")

    # who and which days: the same change, then nothing from tomorrow on
    page.get_by_label("Who").select_option(label=world.admin_email)
    expect(row).to_have_count(1)
    today = datetime.now(UTC).date()
    page.get_by_label("From (day)").fill(today.isoformat())
    expect(row).to_have_count(1)
    page.get_by_label("From (day)").fill(today.replace(year=today.year + 1).isoformat())
    expect(page.get_by_text("No change matches these filters.")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    expect(page).to_have_url(f"{site.base_url}/admin/audit")

    # the mail password is never shown, only its mask
    page.get_by_label("Search").fill("default")
    page.get_by_label("Kind of record").select_option(label="Site settings")
    settings = log.locator("tbody tr").filter(has_text="Smtp pass")
    expect(settings).to_have_count(1)
    expect(settings).to_contain_text("Mail: Smtp host: mail.example")
    assert secret not in page.content()
    assert "****" in settings.inner_text() or "..." in settings.inner_text()

    page.get_by_role("button", name="Clear filters").click()
    expect(log.locator("tbody tr").first).to_be_visible()
    check_both_sizes(page, screenshots, "audit")
    person.assert_no_errors()
