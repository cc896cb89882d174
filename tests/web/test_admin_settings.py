"""Settings in the back office, in a real Chromium: a manager changes the tax rate and the storefront's totals follow;
every field says where its value comes from (database, the TOML file, an environment variable, the default) and a
saved value can be handed back; the mail page keeps the masked secret and sends a test e-mail to a real local SMTP
server, showing its answer."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from kitchenasty.core.config import BootSettings
from kitchenasty.services import build_services
from tests.realtime.helpers import World, run_sync
from tests.servers import SMTPServer, UvicornThread
from tests.web.a11y import serious_violations
from tests.web.admin_shots import check_and_shoot
from tests.web.browsing import log_in_to_admin, open_person
from tests.web.conftest import TABLET

pytestmark = pytest.mark.browser

MANAGER_GROUPS = ["General", "Orders", "Reservations", "Reviews"]
ALL_GROUPS = [*MANAGER_GROUPS, "Mail", "Payments", "Advanced"]
API_GROUPS = ["general", "order", "reservation", "review", "mail", "payment", "advanced"]
SMTP_PASS = "mail-password-1234"


@pytest.fixture
def data_dir(data_dir: Path) -> Path:
    (data_dir / "kitchenasty.toml").write_text('[settings.general]\ncontact_phone = "+1 555 0199"\n')
    return data_dir


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {
        **env,
        "KITCHENASTY_GENERAL__CONTACT_EMAIL": "hello@env.example",
        # the local SMTP server listens on 127.0.0.1, which only the owner's allowlist lets outbound traffic reach
        "KITCHENASTY_OUTBOUND_ALLOWED_HOSTS": "127.0.0.1",
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def field(page: Page, label: str) -> Locator:
    """A settings field's wrapper (label, control, help with the source badge, error)."""
    return page.locator(".admin-field").filter(has=page.get_by_label(label, exact=True))


def amount(text: str) -> Decimal:
    return Decimal(re.sub(r"[^0-9.]", "", text))


def add_margherita(store: Page) -> None:
    store.get_by_role("button", name="Add Margherita").click()
    dialog = store.get_by_role("dialog", name="Margherita")
    dialog.get_by_label(re.compile("^Large")).check()
    dialog.get_by_role("button", name="Add to order").click()
    expect(dialog).to_be_hidden()


def test_manager_changes_the_tax_rate_and_the_storefront_totals_follow(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    guest = open_person(browser, contexts, server.base_url, TABLET)
    store = guest.page
    store.goto("/")
    add_margherita(store)
    totals = store.locator("#totals")
    expect(totals.locator("dd.total")).not_to_be_empty()
    expect(totals).not_to_contain_text("Tax")
    before = amount(totals.locator("dd.total").inner_text())

    manager = open_person(browser, contexts, server.base_url, TABLET)
    page = manager.page
    page.goto("/admin/settings/orders")
    log_in_to_admin(page, world.manager_email)
    expect(page.get_by_role("heading", name="Orders settings", level=1)).to_be_visible()
    pages = page.get_by_role("navigation", name="Settings pages")
    assert pages.get_by_role("link").all_inner_texts() == MANAGER_GROUPS
    expect(pages.get_by_role("link", name="Orders")).to_have_attribute("aria-current", "page")
    tax = field(page, "Tax rate (%)")
    expect(tax).to_contain_text("Tax rate in percent")  # the registry's help
    expect(tax.locator(".admin-source")).to_have_text("Default")

    # out of bounds: the API's sentence next to the field, with the focus
    page.get_by_label("Tax rate (%)", exact=True).fill("101")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(tax.locator(".admin-field-error")).to_have_text("Tax rate (%) must be at most 100.")
    expect(page.get_by_label("Tax rate (%)", exact=True)).to_be_focused()

    page.get_by_label("Tax rate (%)", exact=True).fill("8.25")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".admin-toasts")).to_contain_text("Orders settings saved.")
    expect(tax.locator(".admin-source")).to_have_text("Database")
    expect(tax).to_contain_text("the default is 0%")
    # only the changed field was saved: the others still come from their defaults
    expect(field(page, "Delivery fee").locator(".admin-source")).to_have_text("Default")
    check_and_shoot(page, screenshots, "settings-orders")

    store.reload()
    expect(totals).to_contain_text("Tax (8.25%)")
    subtotal = amount(totals.locator("dt:text-is('Subtotal') + dd").inner_text())
    tax_amount = amount(totals.locator("dt:has-text('Tax') + dd").inner_text())
    assert subtotal == before
    assert abs(tax_amount - subtotal * Decimal("0.0825")) < Decimal("0.01")
    expect(totals.locator("dd.total")).to_have_text(f"${subtotal + tax_amount:,.2f}")

    # the mail page is an administrator's
    page.goto("/admin/settings/mail")
    expect(page.get_by_role("alert")).to_have_text("Only an administrator can open the mail settings.")
    guest.assert_no_errors()
    manager.assert_no_errors()


def test_general_settings_show_where_each_value_comes_from_and_a_saved_value_can_be_forgotten(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, screenshots: Path
) -> None:
    saved = httpx.put(
        f"{server.base_url}/api/settings/general",
        json={"restaurantName": "Trattoria Uno"},
        headers=bearer(world.admin_token),
    )
    assert saved.status_code == 200, saved.text
    owner = open_person(browser, contexts, server.base_url, TABLET)
    page = owner.page
    page.goto("/admin/settings")
    log_in_to_admin(page, world.admin_email)
    expect(page.get_by_role("heading", name="General settings", level=1)).to_be_visible()
    assert page.get_by_role("navigation", name="Settings pages").get_by_role("link").all_inner_texts() == ALL_GROUPS

    name = field(page, "Restaurant name")
    expect(page.get_by_label("Restaurant name", exact=True)).to_have_value("Trattoria Uno")
    expect(name.locator(".admin-source")).to_have_text("Database")
    phone = field(page, "Contact phone")
    expect(page.get_by_label("Contact phone", exact=True)).to_have_value("+1 555 0199")
    expect(phone.locator(".admin-source")).to_have_text("TOML")
    expect(phone).to_contain_text("settings.general.contact_phone in the config file")
    email = field(page, "Contact e-mail")
    expect(page.get_by_label("Contact e-mail", exact=True)).to_have_value("hello@env.example")
    expect(email.locator(".admin-source")).to_have_text("Environment")
    expect(email).to_contain_text("KITCHENASTY_GENERAL__CONTACT_EMAIL")
    expect(field(page, "Timezone").locator(".admin-source")).to_have_text("Default")
    # the badge is part of the control's description, so a screen reader hears it with the field
    described = page.get_by_label("Contact phone", exact=True).get_attribute("aria-describedby") or ""
    assert "TOML" in page.locator(f"#{described.split()[0]}").inner_text()
    check_and_shoot(page, screenshots, "settings-general")

    name.get_by_role("button", name="Forget the saved value of Restaurant name").click()
    expect(page.locator(".admin-toasts")).to_contain_text("Restaurant name now comes from default.")
    expect(page.get_by_label("Restaurant name", exact=True)).to_have_value("KitchenAsty")
    expect(name.locator(".admin-source")).to_have_text("Default")
    expect(name.get_by_role("button", name=re.compile("Forget the saved value"))).to_have_count(0)

    # every group's page shows every field of the registry, each with its source
    for group, path in zip(ALL_GROUPS, API_GROUPS, strict=True):
        page.get_by_role("navigation", name="Settings pages").get_by_role("link", name=group).click()
        expect(page.get_by_role("heading", name=f"{group} settings", level=1)).to_be_visible()
        registry = httpx.get(f"{server.base_url}/api/settings/{path}", headers=bearer(world.admin_token))
        fields = registry.json()["fields"]
        form = page.get_by_role("form", name=f"{group} settings")
        expect(form.locator(".admin-field")).to_have_count(len(fields))
        expect(form.locator(".admin-source")).to_have_count(len(fields))
        assert serious_violations(page) == [], group
    owner.assert_no_errors()


def stored_secret(boot: BootSettings) -> str:
    async def read() -> str:
        services = build_services(boot)
        try:
            return str((await services.settings.resolved()).get("mail.smtpPass"))
        finally:
            await services.db.dispose()

    return run_sync(read())


def test_admin_sets_up_mail_keeps_the_masked_secret_and_sends_a_test_email(
    browser: Browser,
    contexts: list[BrowserContext],
    server: UvicornThread,
    world: World,
    screenshots: Path,
    boot: BootSettings,
) -> None:
    saved = httpx.put(
        f"{server.base_url}/api/settings/mail", json={"smtpPass": SMTP_PASS}, headers=bearer(world.admin_token)
    )
    assert saved.status_code == 200, saved.text
    with SMTPServer(answer="250 2.0.0 Ok: queued as 4XkT2") as smtp:
        owner = open_person(browser, contexts, server.base_url, TABLET)
        page = owner.page
        page.goto("/admin/settings/mail")
        log_in_to_admin(page, world.admin_email)
        secret = page.get_by_label("SMTP password", exact=True)
        expect(secret).to_have_value(re.compile(r"^\*+1234$"))
        expect(field(page, "SMTP password")).to_contain_text("Shown masked")

        page.get_by_label("SMTP server", exact=True).fill("127.0.0.1")
        page.get_by_label("SMTP port", exact=True).fill(str(smtp.port))
        page.get_by_label("Encryption", exact=True).select_option("none")
        page.get_by_label("Sender e-mail", exact=True).fill("kitchen@trattoria.example")
        # the test uses the saved settings: it waits until they are saved
        test = page.get_by_role("form", name="Send a test e-mail")
        test.get_by_role("button", name="Send a test e-mail").click()
        expect(test).to_contain_text("Save the changes above first")
        page.get_by_role("form", name="Mail settings").get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".admin-toasts")).to_contain_text("Mail settings saved.")
        expect(secret).to_have_value(re.compile(r"^\*+1234$"))
        assert stored_secret(boot) == SMTP_PASS

        test.get_by_label("Send to").fill("owner@trattoria.example")
        test.get_by_role("button", name="Send a test e-mail").click()
        answer = page.locator(".admin-mail-result")
        expect(answer).to_contain_text("Sent to owner@trattoria.example.")
        expect(answer.locator("code")).to_have_text("250 2.0.0 Ok: queued as 4XkT2")
        [mail] = smtp.wait_for(1)
        assert mail.rcpt_tos == ["owner@trattoria.example"]
        check_and_shoot(page, screenshots, "settings-mail")

    # the server is gone: the failure is the page's sentence, not a silent nothing
    test.get_by_role("button", name="Send a test e-mail").click()
    expect(test.get_by_role("alert")).to_contain_text("Test email failed")
    owner.assert_no_errors()
