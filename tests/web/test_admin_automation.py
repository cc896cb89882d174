"""Automation screens in a real Chromium (issue 13): a rule built in the form (event, a condition row, an e-mail
action with a field inserted into its subject, a preview against the last real event) sends a real e-mail to a local
SMTP server after a status change; a webhook that first answers 500 fails, shows on the dashboard until marked seen,
and is sent again from the outbox screen, then succeeds. One server for the module: deliveries get one attempt and
the outbound guard allows 127.0.0.1 (the test receivers), as in tests/automation."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.realtime.helpers import GUEST, World
from tests.servers import HTTPReceiver, ReceivedMail, SMTPServer, UvicornThread
from tests.web.browsing import Person, log_in_to_admin, open_person
from tests.web.conftest import TABLET
from tests.web.owner_ops import Api, check_both_sizes, module_server

pytestmark = pytest.mark.browser

ENV = {
    "KITCHENASTY_OUTBOX_BASE_DELAY_SECONDS": "0.05",
    "KITCHENASTY_OUTBOX_MAX_ATTEMPTS": "1",
    "KITCHENASTY_OUTBOUND_ALLOWED_HOSTS": "127.0.0.1",
}


@pytest.fixture(scope="module")
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, world_template: tuple[Path, World], smtp: SMTPServer
) -> Iterator[tuple[UvicornThread, World]]:
    with module_server(tmp_path_factory.mktemp("automation"), world_template, ENV) as (server, world):
        with Api(server.base_url, world.admin_token) as owner:
            owner.call(
                "PUT",
                "/api/settings/mail",
                json={
                    "smtpHost": "127.0.0.1",
                    "smtpPort": smtp.port,
                    "encryption": "none",
                    "senderName": "Saffron & Sage",
                    "senderEmail": "kitchen@saffron.example",
                },
            )
        yield server, world


def mail_with_subject(smtp: SMTPServer, subject: str, timeout: float = 10.0) -> ReceivedMail:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in list(smtp.inbox):
            if mail.subject == subject:
                return mail
        time.sleep(0.05)
    raise AssertionError(f"no mail {subject!r}; got {[m.subject for m in smtp.inbox]}")


def manager_at(
    browser: Browser, contexts: list[BrowserContext], server: UvicornThread, world: World, path: str
) -> Person:
    person = open_person(browser, contexts, server.base_url, TABLET)
    person.page.goto(path)
    log_in_to_admin(person.page, world.manager_email)
    return person


def test_rule_built_in_the_form_sends_a_real_email_after_a_status_change(
    browser: Browser,
    contexts: list[BrowserContext],
    site: tuple[UvicornThread, World],
    smtp: SMTPServer,
    screenshots: Path,
) -> None:
    server, world = site
    with Api(server.base_url) as guest, Api(server.base_url, world.staff_token) as staff:
        order = guest.place(world)
        staff.move(order["id"], "CONFIRMED")  # the last real order.statusChanged event, for the preview
    number = order["orderNumber"]

    person = manager_at(browser, contexts, server, world, "/admin/automation")
    page = person.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Automation")
    expect(page.get_by_text("No rule yet.")).to_be_visible()
    page.get_by_role("link", name="New rule").click()
    expect(page).to_have_url(f"{server.base_url}/admin/automation/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("New rule")

    page.get_by_label("Name").fill("Tell the guest the order is ready")
    expect(page.get_by_label("When")).to_have_value("order.statusChanged")
    page.get_by_role("button", name="Add a condition").click()
    condition = page.get_by_role("group", name="Condition 1")
    field = condition.get_by_label("Field")
    expect(field).to_be_focused()
    field.select_option("order.status")
    expect(condition.get_by_label("Test").locator("option")).to_have_text(["is", "is not", "is one of"])
    condition.get_by_label("Value").select_option("READY")

    action = page.get_by_role("group", name="Action 1")
    expect(action.get_by_label("Kind")).to_have_value("email")
    expect(action.get_by_label("To", exact=True)).to_have_value("customer")
    body = action.get_by_label("Message (optional)")
    body.fill("Hello {{order.guestName}}, your order is ready for pickup.")

    # a refusal names its row and field: the subject is required
    page.get_by_role("button", name="Create the rule").click()
    subject = action.get_by_label("Subject")
    expect(subject).to_have_attribute("aria-invalid", "true")
    expect(subject).to_be_focused()
    expect(subject).to_have_accessible_description(re.compile(r"Subject is required\.$"))
    expect(page.locator(".admin-form-error")).to_contain_text("Please correct the marked fields.")

    subject.fill("Order ")
    action.get_by_label("Insert a field at the cursor").select_option("order.orderNumber")
    expect(subject).to_have_value("Order {{order.orderNumber}}")
    expect(subject).to_be_focused()
    subject.press("End")
    subject.press_sequentially(" is ready")

    # the preview: rendered by the server against the last real status change, nothing sent
    action.get_by_role("button", name="Preview with the last real event").click()
    preview = action.locator(".admin-rule-preview")
    expect(preview.locator(".admin-preview-subject")).to_have_text(f"Order {number} is ready")
    expect(preview).to_contain_text(GUEST["guestEmail"])
    expect(preview).to_contain_text("Hello Grace Hopper, your order is ready for pickup.")
    check_both_sizes(page, screenshots, "rule")

    page.get_by_role("button", name="Create the rule").click()
    expect(page).to_have_url(f"{server.base_url}/admin/automation")
    row = page.get_by_role("table", name="Rules").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Tell the guest the order is ready")
    expect(row).to_contain_text("An order's status changes")
    expect(row).to_contain_text("order.status is READY")
    expect(row).to_contain_text("E-mail to customer")
    assert smtp.inbox == [] or all(m.subject != f"Order {number} is ready" for m in smtp.inbox)
    check_both_sizes(page, screenshots, "automation")

    with Api(server.base_url, world.staff_token) as staff:
        staff.move(order["id"], "PREPARING", "READY")
    mail = mail_with_subject(smtp, f"Order {number} is ready")
    assert mail.rcpt_tos == [GUEST["guestEmail"]]
    assert "Hello Grace Hopper, your order is ready for pickup." in mail.text()

    # the rule opens in the same form, with its condition and action as saved
    row.get_by_role("link", name="Tell the guest the order is ready").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rule: Tell the guest the order is ready")
    expect(page.get_by_role("group", name="Condition 1").get_by_label("Value")).to_have_value("READY")
    expect(page.get_by_role("group", name="Action 1").get_by_label("Subject")).to_have_value(
        "Order {{order.orderNumber}} is ready"
    )
    expect(page.get_by_role("button", name="Delete the rule")).to_have_count(0)  # SUPER_ADMIN only
    person.assert_no_errors()


def failed_deliveries(api: Api) -> list[dict]:
    return api.call("GET", "/api/automation/deliveries", params={"status": "FAILED"})


def test_failed_webhook_is_seen_on_the_dashboard_and_retried_from_the_outbox(
    browser: Browser, contexts: list[BrowserContext], site: tuple[UvicornThread, World], screenshots: Path
) -> None:
    server, world = site
    with HTTPReceiver(responses=[500]) as receiver, Api(server.base_url, world.manager_token) as manager:
        hook = f"{receiver.url}/hook"
        manager.call(
            "POST",
            "/api/automation-rules",
            201,
            json={
                "name": "Tell the till",
                "event": "order.statusChanged",
                "conditions": [{"path": "order.status", "op": "eq", "value": "CONFIRMED"}],
                "actions": [{"type": "webhook", "url": hook}],
            },
        )
        with Api(server.base_url) as guest:
            order = guest.place(world)
        manager.move(order["id"], "CONFIRMED")
        deadline = time.monotonic() + 10
        while not failed_deliveries(manager) and time.monotonic() < deadline:
            time.sleep(0.05)
        [failed] = failed_deliveries(manager)
        assert failed["recipient"] == hook and "500" in (failed["lastError"] or "")

        # the dashboard shows it until someone marks it seen
        person = manager_at(browser, contexts, server, world, "/admin/dashboard")
        page = person.page
        banner = page.locator("#dashboard-failed")
        expect(banner).to_contain_text("1 delivery failed")
        banner.get_by_role("link", name="See them in the outbox").click()
        expect(page).to_have_url(f"{server.base_url}/admin/outbox?status=FAILED")
        page.go_back()
        page.locator("#dashboard-failed").get_by_role("button", name="Mark as seen").click()
        expect(page.locator("#dashboard-failed")).to_have_count(0)
        expect(page.get_by_role("status").filter(has_text="Marked as seen")).to_be_visible()

        # the outbox: status, attempts, the error; sent again, then delivered
        page.goto("/admin/outbox?status=FAILED")
        expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
        expect(page.locator("#outbox-failed")).to_have_text("1 delivery has failed.")
        deliveries = page.get_by_role("table", name="Deliveries")
        row = deliveries.locator("tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Webhook")
        expect(row).to_contain_text(hook)
        expect(row).to_contain_text("Failed")
        expect(row).to_contain_text("1 of 1")
        expect(row).to_contain_text("HTTP 500")
        row.get_by_role("button", name=f"Send again: Webhook to {hook}").click()
        expect(page.get_by_text("No delivery matches these filters.")).to_be_visible()
        expect(page.locator("#outbox-failed")).to_have_text("No delivery has failed.")
        page.get_by_label("Status").select_option(label="Sent")
        expect(page).to_have_url(f"{server.base_url}/admin/outbox?status=SENT")
        sent = deliveries.locator("tbody tr").filter(has_text=hook)
        expect(sent).to_have_count(1)
        expect(sent).to_contain_text("Sent")
        expect(sent).to_contain_text("Answered: HTTP 200")
        assert [r.path for r in receiver.requests] == ["/hook", "/hook"]
        assert receiver.requests[0].headers["x-kitchenasty-delivery"] == failed["id"]
        assert receiver.requests[1].headers["x-kitchenasty-delivery"] == failed["id"]

        page.get_by_label("Status").select_option(label="Any status")
        expect(deliveries.locator("tbody tr").filter(has_text=hook)).to_have_count(1)
        check_both_sizes(page, screenshots, "outbox")
        person.assert_no_errors()
    assert _no_failures(server, world)


def _no_failures(server: UvicornThread, world: World) -> bool:
    with Api(server.base_url, world.manager_token) as manager:
        return manager.call("GET", "/api/dashboard/stats")["failedDeliveries"] == 0
