"""Helpers for the browser tests: one context per person, with the page's JavaScript errors collected."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, expect

from tests.realtime.helpers import PASSWORD, World

EXPECT_TIMEOUT_MS = 15_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@dataclass
class Person:
    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)

    def assert_no_errors(self) -> None:
        assert not self.errors, self.errors


def open_person(browser: Browser, contexts: list[BrowserContext], base_url: str, viewport: dict[str, int]) -> Person:
    context = browser.new_context(viewport=viewport, base_url=base_url)
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    contexts.append(context)
    page = context.new_page()
    person = Person(context, page)

    def on_console(message: ConsoleMessage) -> None:
        # Network failures are logged by the browser itself ("Failed to load resource", a WebSocket refused while
        # the server restarts); the tests assert on what the page does about them.
        if message.type == "error" and not message.text.startswith(("Failed to load resource", "WebSocket connection")):
            person.errors.append(f"console: {message.text}")

    def on_page_error(error: Error) -> None:
        person.errors.append(f"page error: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return person


def log_in_to_kitchen(page: Page, world: World) -> None:
    page.goto("/kitchen")
    expect(page.get_by_role("heading", name="Staff login")).to_be_visible()
    page.get_by_label("E-mail").fill(world.staff_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")


def log_in_to_admin(page: Page, email: str) -> None:
    """Log in on the back office's login form (the page is already at an /admin address); waits for the screen."""
    expect(page.get_by_role("heading", name="Staff login")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("body[data-screen='ready']")).to_be_attached()


def column(page: Page, status: str):  # type: ignore[no-untyped-def]
    return page.locator(f'.column[data-status="{status}"]')


def ticket(page: Page, order_number: str):  # type: ignore[no-untyped-def]
    return page.locator(".ticket").filter(has=page.get_by_role("heading", name=f"#{order_number}", exact=True))
