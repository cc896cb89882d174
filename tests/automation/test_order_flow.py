"""End to end with the real order API: placing and confirming orders e-mails the guest through the outbox."""

from __future__ import annotations

import asyncio

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.automation.helpers import all_events_processed, configure_mail, create_rule, deliveries, sent
from tests.factories import staff_headers
from tests.orders.fixtures import GUEST, guest_order, make_menu
from tests.servers import SMTPServer, eventually

CONFIRMED_RULE = {
    "name": "Confirmed",
    "event": "order.statusChanged",
    "conditions": [{"path": "order.status", "op": "eq", "value": "CONFIRMED"}],
    "actions": [{"type": "email", "to": "customer", "subject": "{{order.orderNumber}} confirmed", "body": "Thanks!"}],
}


async def test_order_flow_placing_then_confirming_emails_the_guest_twice_and_cancelling_not_at_all(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    await create_rule(client, admin, **CONFIRMED_RULE)
    menu = await make_menu(services)

    placed = await client.post("/api/orders", json=guest_order(menu))
    assert placed.status_code == 201, placed.text
    number = placed.json()["data"]["orderNumber"]
    [confirmation] = smtp.wait_for(1)
    assert confirmation.rcpt_tos == [GUEST["guestEmail"]]
    assert number in confirmation.subject

    confirmed = await client.patch(
        f"/api/orders/{placed.json()['data']['id']}/status", headers=admin, json={"status": "CONFIRMED"}
    )
    assert confirmed.status_code == 200, confirmed.text
    mails = smtp.wait_for(2)
    assert mails[1].subject == f"{number} confirmed"
    assert mails[1].rcpt_tos == [GUEST["guestEmail"]]

    other = await client.post("/api/orders", json=guest_order(menu))
    smtp.wait_for(3)  # its confirmation
    cancelled = await client.patch(
        f"/api/orders/{other.json()['data']['id']}/status", headers=admin, json={"status": "CANCELLED"}
    )
    assert cancelled.status_code == 200, cancelled.text
    await eventually(lambda: all_events_processed(services))
    await sent(services, 3)
    await asyncio.sleep(0.2)
    assert len(smtp.inbox) == 3
    assert sorted(d.source for d in await deliveries(services)) == [
        "builtin:order_confirmation",
        "builtin:order_confirmation",
        "rule",
    ]
