"""Ticket printers in the back office, in a real Chromium: a manager adds a printer (a local ESC/POS receiver),
prints a test page that arrives, sees a printer that does not answer, and a failed job shows on the dashboard
until it is printed again from the printers screen."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.printing.receiver import PrinterReceiver
from tests.realtime.helpers import World
from tests.servers import UvicornThread, free_port
from tests.web.admin_shots import check_and_shoot
from tests.web.browsing import log_in_to_admin, open_person
from tests.web.conftest import TABLET

pytestmark = pytest.mark.browser


def test_manager_adds_a_printer_prints_a_test_page_and_retries_a_failed_job(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    screenshots: Path,
    data_dir: Path,
) -> None:
    manager = open_person(browser, contexts, server.base_url, TABLET)
    page = manager.page
    page.goto("/admin/printers")
    log_in_to_admin(page, world.manager_email)
    expect(page.get_by_text("No printers yet")).to_be_visible()
    with PrinterReceiver() as printer:
        add = page.get_by_role("form", name="Add a printer")
        add.get_by_label("Name", exact=True).fill("Pass printer")
        add.get_by_label("Address (IP or host name)").fill("127.0.0.1")
        add.get_by_label("Port").fill(str(printer.port))
        add.get_by_label("Paper width").select_option("58")
        add.get_by_role("button", name="Add printer").click()
        card = page.locator(".admin-station-card", has_text="Pass printer")
        expect(card).to_contain_text("58 mm (32 characters) · Expo")
        expect(card).to_contain_text("Answers on its port")

        card.get_by_role("button", name="Print test page Pass printer").click()
        [ticket] = printer.wait_for(1)
        assert ticket.line("TEST PAGE").invert
        assert all(len(t) <= 32 for t in ticket.texts)
        jobs = page.get_by_role("region", name="Print jobs")
        expect(jobs.get_by_role("row", name=re.compile("Test page"))).to_contain_text("Printed")

    add = page.get_by_role("form", name="Add a printer")
    add.get_by_label("Name", exact=True).fill("Bar printer")
    add.get_by_label("Address (IP or host name)").fill("127.0.0.1")
    add.get_by_label("Port").fill(str(free_port()))
    add.get_by_role("button", name="Add printer").click()
    expect(page.locator(".admin-station-card", has_text="Bar printer")).to_contain_text("Does not answer")

    # A job that failed for good: on the dashboard until it is printed again.
    with sqlite3.connect(data_dir / "kitchenasty.db") as db:
        db.execute("UPDATE print_jobs SET status = 'FAILED', last_error = 'The paper ran out'")
    db.close()
    page.goto("/admin/dashboard")
    banner = page.locator("#dashboard-failed-prints")
    expect(banner).to_contain_text("1 kitchen ticket failed to print.")
    banner.get_by_role("link", name="Print them again or dismiss them").click()
    jobs = page.get_by_role("region", name="Print jobs")
    row = jobs.get_by_role("row", name=re.compile("Test page"))
    expect(row).to_contain_text("The paper ran out")
    check_and_shoot(page, screenshots, "printers")
    with PrinterReceiver() as again:
        with sqlite3.connect(data_dir / "kitchenasty.db") as db:
            db.execute("UPDATE printers SET port = ? WHERE name = 'Pass printer'", (again.port,))
        db.close()
        row.get_by_role("button", name=re.compile("Print again")).click()
        again.wait_for(1)
        expect(row).to_contain_text("Printed")
    page.goto("/admin/dashboard")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.locator("#dashboard-failed-prints")).to_have_count(0)
    assert manager.errors == []
