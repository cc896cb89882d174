"""The kitchen display's own behaviour in a real Chromium: staff-only login on the page, age timers against the
settings' thresholds, the sound switch."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from kitchenasty.core.config import BootSettings
from tests.realtime.helpers import PASSWORD, World, place_with_services, run_sync
from tests.servers import UvicornThread
from tests.web.browsing import log_in_to_kitchen, open_person, ticket
from tests.web.conftest import TABLET

pytestmark = pytest.mark.browser


def test_kitchen_display_admits_staff_only_and_logs_out(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    cook = open_person(browser, contexts, server.base_url, TABLET)
    page = cook.page
    page.goto("/kitchen")
    page.get_by_label("E-mail").fill(world.staff_email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#login-error")).to_have_text("Invalid credentials")
    expect(page.locator("#board")).to_be_hidden()

    # A customer's login cookie does not open the board.
    page.context.add_cookies([{"name": "kitchenasty_token", "value": world.customer_token, "url": server.base_url}])
    page.reload()
    expect(page.locator("#login-note")).to_contain_text("logged in as a customer")
    expect(page.locator("#board")).to_be_hidden()

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("E-mail").fill(world.staff_email)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("#kds-user")).not_to_be_empty()
    expect(page.locator(".column-title")).to_have_text(
        [re.compile("^New"), re.compile("^Confirmed"), re.compile("^Preparing"), re.compile("^Ready")]
    )
    # the login survives a reload (httpOnly cookie)
    page.reload()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Staff login")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Staff login")).to_be_visible()
    cook.assert_no_errors()


def test_kitchen_timer_turns_amber_then_red_at_the_settings_thresholds(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, boot: BootSettings
) -> None:
    response = httpx.put(
        f"{server.base_url}/api/settings/order",
        json={"kitchenWarnMinutes": 3, "kitchenLateMinutes": 7},
        headers={"Authorization": f"Bearer {world.manager_token}"},
    )
    assert response.status_code == 200, response.text
    order = run_sync(place_with_services(boot, world))
    cook = open_person(browser, contexts, server.base_url, TABLET)
    page = cook.page
    page.clock.install()
    log_in_to_kitchen(page, world)
    config = json.loads(page.locator("#page-config").text_content() or "{}")
    assert (config["warnMinutes"], config["lateMinutes"]) == (3, 7)

    timer = ticket(page, order.order_number).locator(".timer")
    expect(timer).to_have_attribute("data-level", "ok")
    expect(timer).to_have_text(re.compile(r"^0:\d\d$"))

    page.clock.run_for("03:01")
    expect(timer).to_have_attribute("data-level", "warn")
    expect(timer).to_have_text(re.compile(r"^3:0\d$"))
    expect(ticket(page, order.order_number)).to_have_attribute("data-age", "warn")

    page.clock.run_for("04:00")
    expect(timer).to_have_attribute("data-level", "late")
    expect(timer).to_have_text(re.compile(r"^7:0\d$"))
    colours = timer.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colours == "rgb(220, 38, 38)"
    cook.assert_no_errors()


def test_kitchen_sound_needs_a_tap_and_is_remembered(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World
) -> None:
    cook = open_person(browser, contexts, server.base_url, TABLET)
    page = cook.page
    log_in_to_kitchen(page, world)
    sound = page.locator("#sound-btn")
    expect(sound).to_have_text("Enable sound")
    expect(sound).to_have_attribute("aria-pressed", "false")
    sound.click()
    expect(sound).to_have_text("Sound on")
    expect(sound).to_have_attribute("data-chimes", "1")  # a test chime on enabling

    # After a reload the browser needs a new gesture: the page says so, and any tap re-arms it.
    page.reload()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("#sound-banner")).to_be_visible()
    page.locator(".kds-title").click()
    expect(page.locator("#sound-banner")).to_be_hidden()
    expect(sound).to_have_text("Sound on")

    sound.click()  # and off again
    expect(sound).to_have_text("Enable sound")
    expect(page.locator("#sound-banner")).to_be_hidden()
    cook.assert_no_errors()
