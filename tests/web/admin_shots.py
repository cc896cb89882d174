"""Checks every back-office screen test makes at both sizes: the page fits the screen, axe-core finds nothing
serious, and the screenshot `admin-<name>-tablet.png` / `admin-<name>-phone.png` is written."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.a11y import serious_violations
from tests.web.conftest import PHONE, TABLET


def fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        wide = page.evaluate(
            "() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > "
            "window.innerWidth + 1 && e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + "
            "Math.round(e.getBoundingClientRect().right))"
        )
        raise AssertionError(f"{page.url} is {overflow}px wider than the screen: {wide}")


def check_and_shoot(page: Page, screenshots: Path, name: str) -> None:
    """At 1280x800 and 390x844: fits, no serious or critical axe violation, a full-page screenshot; then back to
    the tablet size."""
    for size, viewport in (("tablet", TABLET), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.evaluate("window.scrollTo(0, 0)")  # a full-page shot of a scrolled page draws the sticky header midway
        fits(page)
        assert serious_violations(page) == [], f"{name} at {size}"
        page.screenshot(path=str(screenshots / f"admin-{name}-{size}.png"), full_page=True)
    page.set_viewport_size(TABLET)
