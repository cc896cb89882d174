"""Events -> rules -> outbox -> a real SMTP server / HTTP receiver, with retries, restarts and settings changes."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core import http_out
from kitchenasty.core.outbox import OutboxMessage
from kitchenasty.services import Services
from tests.automation.helpers import (
    GUEST_EMAIL,
    GUEST_PHONE,
    all_events_processed,
    configure_mail,
    create_rule,
    deliveries,
    sent,
    status_changed,
)
from tests.factories import make_customer, make_staff, staff_headers
from tests.servers import HTTPReceiver, SMTPServer, eventually, free_port

SIGNING_SECRET = "whsec-test-0123456789abcdef"
CONFIRMED_RULE = {
    "name": "E-mail the guest when confirmed",
    "event": "order.statusChanged",
    "conditions": [{"path": "order.status", "op": "eq", "value": "CONFIRMED"}],
    "actions": [
        {
            "type": "email",
            "to": "customer",
            "subject": "Order {{ order.orderNumber }} is confirmed",
            "body": "<p>Hello {{order.guestName}}, your order <b>{{order.orderNumber}}</b> is confirmed.</p>",
        }
    ],
}


async def test_confirmed_order_rule_emails_the_guest_with_the_order_number(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    rule = await create_rule(client, await staff_headers(services, "MANAGER"), **CONFIRMED_RULE)

    await status_changed(services, "CONFIRMED", guestName="Ana <Guest>")

    [mail] = smtp.wait_for(1)
    assert mail.rcpt_tos == [GUEST_EMAIL]
    assert mail.subject == "Order KA-0042 is confirmed"
    assert mail.message["From"] == "Pizzeria Uno <kitchen@pizzeria.example>"
    html = next(p for p in mail.message.walk() if p.get_content_type() == "text/html").get_payload(decode=True).decode()
    assert "your order <b>KA-0042</b> is confirmed" in html
    assert "Hello Ana &lt;Guest&gt;," in html  # interpolated values are escaped in HTML bodies
    [delivery] = await sent(services)
    assert (delivery.rule_id, delivery.status, delivery.attempts) == (rule["id"], "SENT", 1)
    assert mail.message["X-KitchenAsty-Delivery"] == delivery.id


async def test_cancelled_order_does_not_trigger_a_confirmed_rule(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    await create_rule(client, admin, **CONFIRMED_RULE)

    await status_changed(services, "CANCELLED", orderNumber="KA-0001")
    await eventually(lambda: all_events_processed(services))
    assert await deliveries(services) == []

    await status_changed(services, "CONFIRMED", orderNumber="KA-0002")
    [mail] = smtp.wait_for(1)
    assert "KA-0002" in mail.subject
    await asyncio.sleep(0.2)
    assert len(smtp.inbox) == 1
    assert [m.subject for m in await deliveries(services)] == ["Order KA-0002 is confirmed"]


async def test_webhook_arrives_signed_and_the_signature_verifies(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    saved = await client.put("/api/settings/advanced", headers=admin, json={"webhookSigningSecret": SIGNING_SECRET})
    assert saved.status_code == 200
    with HTTPReceiver() as receiver:
        await create_rule(
            client,
            admin,
            name="Tell the POS",
            event="order.statusChanged",
            conditions={"order.status": "READY"},
            actions=[{"type": "webhook", "url": f"{receiver.url}/hooks/orders", "headers": {"X-Api-Key": "k-1"}}],
        )
        await status_changed(services, "READY", previous="PREPARING")
        [request] = receiver.wait_for(1)
        [delivery] = await sent(services)

    assert (request.method, request.path) == ("POST", "/hooks/orders")
    expected = "sha256=" + hmac.new(SIGNING_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["x-kitchenasty-signature"], expected)
    assert request.headers["x-kitchenasty-event"] == "order.statusChanged"
    assert request.headers["x-kitchenasty-delivery"] == delivery.id
    assert request.headers["x-api-key"] == "k-1"
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.body)
    assert body["event"] == "order.statusChanged"
    assert body["deliveryId"] == delivery.id
    assert body["data"]["previousStatus"] == "PREPARING"
    assert body["data"]["order"]["orderNumber"] == "KA-0042"
    assert body["data"]["order"]["total"] == 23.76


async def test_smtp_down_at_event_time_then_up_delivers_the_mail_once(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    port = free_port()  # nothing listens here yet
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, port)
    await create_rule(client, admin, **CONFIRMED_RULE)

    await status_changed(services, "CONFIRMED")

    async def failed_once() -> OutboxMessage | None:
        rows = await deliveries(services)
        return rows[0] if rows and rows[0].attempts >= 1 and rows[0].last_error else None

    first = await eventually(failed_once)
    assert first.status in ("PENDING", "SENDING")
    assert "cannot connect to SMTP server 127.0.0.1" in (first.last_error or "")

    with SMTPServer(port=port) as smtp:
        [mail] = smtp.wait_for(1)
        [delivery] = await sent(services)
        await asyncio.sleep(0.3)
        assert len(smtp.inbox) == 1
    assert mail.rcpt_tos == [GUEST_EMAIL]
    assert delivery.attempts >= 2


async def test_webhook_failing_twice_is_delivered_once_with_three_attempts(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    with HTTPReceiver(responses=[500, 500]) as receiver:
        await create_rule(
            client,
            admin,
            event="order.statusChanged",
            actions=[{"type": "webhook", "url": f"{receiver.url}/hook"}],
        )
        await status_changed(services, "PREPARING")
        [delivery] = await sent(services)
        await asyncio.sleep(0.3)
        requests = list(receiver.requests)

    assert len(requests) == 3
    assert {r.headers["x-kitchenasty-delivery"] for r in requests} == {delivery.id}
    assert len({r.body for r in requests}) == 1  # the same signed body on every attempt
    assert (delivery.status, delivery.attempts) == ("SENT", 3)
    assert delivery.last_error is not None
    assert "HTTP 500" in delivery.last_error
    listed = await client.get("/api/automation/deliveries", headers=admin, params={"status": "SENT"})
    assert [(d["id"], d["attempts"], d["status"]) for d in listed.json()["data"]] == [(delivery.id, 3, "SENT")]


async def test_restart_delivers_pending_deliveries_after_the_restart_none_twice(app_factory) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    slow_retries = {"KITCHENASTY_OUTBOX_BASE_DELAY_SECONDS": "0.3"}
    first_app: Litestar = app_factory(slow_retries)
    first = first_app.state.services
    async with AsyncTestClient(app=first_app) as client:
        admin = await staff_headers(first, "SUPER_ADMIN")
        await configure_mail(client, admin, port)
        await create_rule(client, admin, **CONFIRMED_RULE)
        await status_changed(first, "CONFIRMED")
        await eventually(lambda: _attempted(first))
    # the app is stopped with the delivery still waiting for its next attempt
    [waiting] = await deliveries(first)
    assert waiting.status == "PENDING"
    await first.db.dispose()

    second_app: Litestar = app_factory()
    second = second_app.state.services
    async with second.db.transaction() as session:  # a send interrupted by a crash: SENDING, lease run out
        crashed = OutboxMessage(
            channel="email",
            source="builtin:test",
            recipient="crashed@example.com",
            subject="Interrupted",
            body="<p>Interrupted</p>",
            status="SENDING",
            attempts=1,
            lease_until=waiting.created_at,
        )
        session.add(crashed)
    with SMTPServer(port=port) as smtp:
        async with AsyncTestClient(app=second_app):
            mails = smtp.wait_for(2)
            rows = await sent(second, 2)
            await asyncio.sleep(0.3)
            assert len(smtp.inbox) == 2
    assert sorted(m.rcpt_tos[0] for m in mails) == sorted([GUEST_EMAIL, "crashed@example.com"])
    assert {r.id for r in rows} == {waiting.id, crashed.id}


async def _attempted(services: Services) -> bool:
    rows = await deliveries(services)
    return bool(rows) and rows[0].attempts >= 1 and rows[0].status == "PENDING"


async def test_mail_settings_changed_through_the_api_apply_to_the_next_mail(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    await create_rule(client, admin, **CONFIRMED_RULE)
    await status_changed(services, "CONFIRMED", orderNumber="KA-0100")
    smtp.wait_for(1)

    with SMTPServer() as other:
        changed = await client.put(
            "/api/settings/mail", headers=admin, json={"smtpPort": other.port, "senderName": "Pizzeria Due"}
        )
        assert changed.status_code == 200
        await status_changed(services, "CONFIRMED", orderNumber="KA-0101")
        [mail] = other.wait_for(1)
    assert "KA-0101" in mail.subject
    assert mail.message["From"] == "Pizzeria Due <kitchen@pizzeria.example>"
    assert [m.subject for m in smtp.inbox] == ["Order KA-0100 is confirmed"]


async def test_mail_test_goes_through_the_outbox_and_answers_with_the_outcome(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)

    response = await client.post("/api/settings/mail/test", headers=admin, json={"to": "owner@example.com"})

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["status"], data["attempts"], data["serverAnswer"]) == ("SENT", 1, "250 OK")
    assert data["message"] == "Test email sent successfully; the server answered 250 OK"
    [mail] = smtp.inbox
    assert mail.rcpt_tos == ["owner@example.com"]
    assert "Test Email" in mail.subject
    [delivery] = await deliveries(services)
    assert (delivery.id, delivery.source) == (data["deliveryId"], "builtin:mail_test")


async def test_mail_test_reports_the_smtp_error_and_does_not_retry(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, free_port())

    response = await client.post("/api/settings/mail/test", headers=admin, json={"to": "owner@example.com"})

    assert response.status_code == 502
    body = response.json()
    assert body["code"] == "MAIL_SEND_FAILED"
    assert "cannot connect to SMTP server 127.0.0.1" in body["error"]
    [delivery] = await deliveries(services)
    assert (delivery.status, delivery.attempts) == ("FAILED", 1)


async def test_mail_test_answers_the_servers_own_words(client: AsyncTestClient[Litestar], services: Services) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    with SMTPServer(answer="250 2.0.0 Ok: queued as 4XkT2") as server:
        await configure_mail(client, admin, server.port)
        accepted = await client.post("/api/settings/mail/test", headers=admin, json={"to": "owner@example.com"})
    assert accepted.json()["data"]["serverAnswer"] == "250 2.0.0 Ok: queued as 4XkT2"
    listed = await client.get("/api/automation/deliveries", headers=admin, params={"status": "SENT"})
    assert [d["lastResponse"] for d in listed.json()["data"]] == ["250 2.0.0 Ok: queued as 4XkT2"]

    with SMTPServer(answer="554 5.7.1 Relay access denied") as refusing:
        await configure_mail(client, admin, refusing.port)
        refused = await client.post("/api/settings/mail/test", headers=admin, json={"to": "owner@example.com"})
    assert refused.status_code == 502
    body = refused.json()
    assert body["code"] == "MAIL_SEND_FAILED"
    assert (
        body["error"]
        == f"Test email failed: SMTP server 127.0.0.1:{refusing.port} answered 554 5.7.1 Relay access denied"
    )
    assert body["details"] == [{"deliveryId": body["details"][0]["deliveryId"]}]
    failed = await client.get("/api/automation/deliveries", headers=admin, params={"status": "FAILED"})
    assert [(d["lastResponse"], d["attempts"]) for d in failed.json()["data"]] == [(None, 1)]


async def test_mail_test_without_an_smtp_host_is_refused(client: AsyncTestClient[Litestar], services: Services) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    response = await client.post("/api/settings/mail/test", headers=admin, json={"to": "owner@example.com"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("mail is not configured")
    missing = await client.post("/api/settings/mail/test", headers=admin, json={})
    assert (missing.status_code, missing.json()["error"]) == (400, "Recipient email (to) is required")
    assert await deliveries(services) == []


async def test_sms_action_posts_to_the_twilio_compatible_api(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    with HTTPReceiver() as twilio:
        saved = await client.put(
            "/api/settings/advanced",
            headers=admin,
            json={
                "smsBaseUrl": twilio.url,
                "smsAccountSid": "AC0123456789",
                "smsAuthToken": "sms-token-secret-42",
                "smsFromNumber": "+15550000",
            },
        )
        assert saved.status_code == 200
        await create_rule(
            client,
            admin,
            event="order.statusChanged",
            conditions=[{"path": "order.status", "op": "in", "value": ["READY"]}],
            actions=[{"type": "sms", "to": "customer", "body": "Order {{order.orderNumber}} is ready for pickup"}],
        )
        await status_changed(services, "READY")
        [request] = twilio.wait_for(1)
        [delivery] = await sent(services)

    assert (request.method, request.path) == ("POST", "/2010-04-01/Accounts/AC0123456789/Messages.json")
    form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
    assert form == {"To": GUEST_PHONE, "From": "+15550000", "Body": "Order KA-0042 is ready for pickup"}
    expected_auth = base64.b64encode(b"AC0123456789:sms-token-secret-42").decode()
    assert request.headers["authorization"] == f"Basic {expected_auth}"
    assert (delivery.channel, delivery.recipient) == ("sms", GUEST_PHONE)
    assert request.headers["x-kitchenasty-delivery"] == delivery.id


async def test_customer_registered_rule_mails_the_managers_and_the_customer(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    manager = await make_staff(services, "MANAGER", email="boss@pizzeria.example")
    gone = await make_staff(services, "MANAGER", email="former@pizzeria.example")
    await services.staff.deactivate(await _principal(services, admin), gone.id)
    await create_rule(
        client,
        admin,
        event="customer.registered",
        actions=[
            {
                "type": "email",
                "to": "staff:MANAGER, customer",
                "subject": "Welcome {{customer.name}}",
                "body": "New guest: {{customer.email}}",
            }
        ],
    )

    customer = await make_customer(services, name="Bea", email="bea@example.com")

    [mail] = smtp.wait_for(1)
    assert sorted(mail.rcpt_tos) == sorted([manager.email, customer.email])
    assert mail.subject == "Welcome Bea"
    assert "New guest: bea@example.com" in mail.text()


async def _principal(services: Services, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    from kitchenasty.core.security import Principal

    claims = services.tokens.decode(headers["Authorization"].split(" ", 1)[1])
    return Principal(id=claims.id, email=claims.email, type="staff", role=claims.role)


async def test_staff_invitation_mail_is_sent_by_the_worker(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)

    invited = await client.post("/api/staff/invite", headers=admin, json={"email": "cook@example.com", "role": "STAFF"})

    assert invited.status_code == 201
    [mail] = smtp.wait_for(1)
    assert mail.rcpt_tos == ["cook@example.com"]
    assert invited.json()["data"]["acceptUrl"] in mail.text()


async def test_failed_delivery_can_be_retried_through_the_api(app_factory) -> None:  # type: ignore[no-untyped-def]
    app: Litestar = app_factory({"KITCHENASTY_OUTBOX_MAX_ATTEMPTS": "2"})
    services = app.state.services
    with HTTPReceiver(responses=[500, 503]) as receiver:
        async with AsyncTestClient(app=app) as client:
            admin = await staff_headers(services, "MANAGER")
            await create_rule(
                client, admin, event="order.statusChanged", actions=[{"type": "webhook", "url": receiver.url}]
            )
            await status_changed(services, "DELIVERED")

            async def failed() -> OutboxMessage | None:
                rows = await deliveries(services)
                return rows[0] if rows and rows[0].status == "FAILED" else None

            delivery = await eventually(failed)
            assert (delivery.attempts, delivery.last_error) == (2, "HTTP 503 from 127.0.0.1: server error")
            listed = await client.get("/api/automation/deliveries", headers=admin, params={"status": "FAILED"})
            assert listed.json()["pagination"]["total"] == 1

            retried = await client.post(f"/api/automation/deliveries/{delivery.id}/retry", headers=admin)
            assert retried.status_code == 200
            assert (retried.json()["data"]["status"], retried.json()["data"]["attempts"]) == ("PENDING", 0)
            [done] = await sent(services)
            assert (done.id, done.attempts) == (delivery.id, 1)

            again = await client.post(f"/api/automation/deliveries/{delivery.id}/retry", headers=admin)
            assert (again.status_code, again.json()["code"]) == (409, "ALREADY_SENT")
            missing = await client.post("/api/automation/deliveries/nope/retry", headers=admin)
            assert missing.status_code == 404
        assert len(receiver.requests) == 3


async def test_two_workers_on_one_database_send_each_delivery_once(app_factory) -> None:  # type: ignore[no-untyped-def]
    secret = {"KITCHENASTY_ADVANCED__WEBHOOK_SIGNING_SECRET": SIGNING_SECRET}
    first_app: Litestar = app_factory(secret)
    second_app: Litestar = app_factory(secret)
    first, second = first_app.state.services, second_app.state.services
    with HTTPReceiver() as receiver:
        async with AsyncTestClient(app=first_app) as client, AsyncTestClient(app=second_app):
            admin = await staff_headers(first, "MANAGER")
            await create_rule(
                client,
                admin,
                event="order.statusChanged",
                actions=[
                    {"type": "webhook", "url": f"{receiver.url}/a"},
                    {"type": "webhook", "url": f"{receiver.url}/b"},
                ],
            )
            for n in range(6):
                await status_changed(first if n % 2 else second, "PREPARING", orderNumber=f"KA-{n:04d}")
            rows = await sent(first, 12)
            await asyncio.sleep(0.3)
        requests = list(receiver.requests)
    delivered = [r.headers["x-kitchenasty-delivery"] for r in requests]
    assert sorted(delivered) == sorted(r.id for r in rows)
    assert len(delivered) == len(set(delivered)) == 12
    for request in requests:
        signature = request.headers["x-kitchenasty-signature"]
        assert http_out.verify_signature(SIGNING_SECRET, request.body, signature)
