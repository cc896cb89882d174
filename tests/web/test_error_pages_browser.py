"""The error pages in a real Chromium at a phone's and a tablet's size: in the site's style, a way back to the
storefront, no serious or critical axe-core violation, and a screenshot of the 404 page kept in
test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from playwright.sync_api import Browser, BrowserContext, expect

from kitchenasty.app import create_app
from kitchenasty.core.config import BootSettings
from tests.realtime.helpers import World
from tests.servers import UvicornThread
from tests.web.a11y import serious_violations
from tests.web.browsing import open_person
from tests.web.conftest import PHONE, TABLET
from tests.web.error_routes import BROKEN_PAGE, MANAGERS_PAGE, with_test_routes

pytestmark = pytest.mark.browser


@pytest.fixture
def app(boot: BootSettings) -> Litestar:
    return with_test_routes(create_app(boot))


@pytest.mark.parametrize(("size_name", "viewport"), [("phone", PHONE), ("tablet", TABLET)])
def test_error_pages_are_in_the_site_style_and_lead_back_to_the_menu(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    screenshots: Path,
    size_name: str,
    viewport: dict[str, int],
) -> None:
    renamed = httpx.put(
        f"{server.base_url}/api/settings/general",
        json={"restaurantName": "Saffron & Sage"},
        headers={"Authorization": f"Bearer {world.manager_token}"},
    )
    assert renamed.status_code == 200, renamed.text
    person = open_person(browser, contexts, server.base_url, viewport)
    page = person.page
    for path, status, heading in (
        ("/no-such-page", 404, "Page not found"),
        ("/orders", 404, "Page not found"),
        (BROKEN_PAGE, 500, "Something went wrong"),
        (MANAGERS_PAGE, 403, "You are not allowed here"),
    ):
        response = page.goto(path)
        assert response is not None
        assert response.status == status
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page).to_have_title(f"{heading} · Saffron & Sage")
        expect(page.get_by_role("banner").get_by_role("link", name="Saffron & Sage")).to_have_attribute("href", "/")
        # the one stylesheet applies: the brand link and the button are styled like the rest of the site
        brand = page.locator(".brand")
        assert brand.evaluate("el => getComputedStyle(el).fontWeight") == "800"
        button = page.get_by_role("link", name="Go to the menu")
        assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(180, 64, 11)"
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert serious_violations(page) == [], path
        if path == "/no-such-page":
            page.screenshot(path=str(screenshots / f"error-404-{size_name}.png"), full_page=True)
    page.get_by_role("link", name="Go to the menu").click()
    expect(page.get_by_role("heading", name="Saffron & Sage", level=1)).to_be_visible()
    assert serious_violations(page) == []
    person.assert_no_errors()
