"""An order's deliveries for the back office: the e-mails, SMS and webhooks its events caused (through the real
outbox worker, a real SMTP server and a real HTTP receiver), never another order's; a webhook shows its host only."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.automation.helpers import configure_mail, create_rule
from tests.factories import staff_headers
from tests.orders.fixtures import guest_order, make_menu
from tests.orders.test_status import place
from tests.servers import HTTPReceiver, SMTPServer, eventually


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    # fast retries; the local receivers listen on 127.0.0.1, which the outbound guard lets through only when named
    return {**env, "KITCHENASTY_OUTBOX_BASE_DELAY_SECONDS": "0.05", "KITCHENASTY_OUTBOUND_ALLOWED_HOSTS": "127.0.0.1"}


async def _deliveries(client: AsyncTestClient[Litestar], order_id: str, headers: dict[str, str]) -> list[dict]:
    response = await client.get(f"/api/orders/{order_id}/deliveries", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["success"] is True
    return response.json()["data"]


async def test_deliveries_list_the_orders_confirmation_email_and_not_another_orders(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    cook = await staff_headers(services, "STAFF")
    menu = await make_menu(services)
    with SMTPServer() as smtp:
        await configure_mail(client, admin, smtp.port)
        first = await place(client, guest_order(menu, guestEmail="first@example.com"))
        second = await place(client, guest_order(menu, guestEmail="second@example.com"))
        smtp.wait_for(2)

        async def both_sent() -> bool:
            listed = [await _deliveries(client, o["id"], cook) for o in (first, second)]
            return all(len(d) == 1 and d[0]["status"] == "SENT" for d in listed)

        await eventually(both_sent)

    [mail] = await _deliveries(client, first["id"], cook)
    [other] = await _deliveries(client, second["id"], cook)
    assert set(mail) == {
        "id",
        "kind",
        "recipient",
        "status",
        "attempts",
        "lastError",
        "nextAttemptAt",
        "createdAt",
        "sentAt",
    }
    assert (mail["kind"], mail["recipient"], mail["status"], mail["attempts"]) == (
        "email",
        "first@example.com",
        "SENT",
        1,
    )
    assert mail["lastError"] is None and mail["nextAttemptAt"] is None
    assert mail["createdAt"] <= mail["sentAt"]
    assert other["recipient"] == "second@example.com"
    assert other["id"] != mail["id"]
    [received] = [m for m in smtp.inbox if m.rcpt_tos == ["first@example.com"]]
    assert first["orderNumber"] in received.subject


async def test_deliveries_show_a_webhooks_host_only_in_its_address_and_its_error(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    menu = await make_menu(services)
    with HTTPReceiver(responses=[500]) as receiver:
        secret_url = f"{receiver.url}/hooks/s3cr3t-path?token=very-secret-token"
        await create_rule(
            client,
            admin,
            name="Tell the POS",
            event="order.statusChanged",
            actions=[{"type": "webhook", "url": secret_url}],
        )
        order = await place(client, guest_order(menu))
        untouched = await place(client, guest_order(menu))
        moved = await client.patch(f"/api/orders/{order['id']}/status", headers=admin, json={"status": "CONFIRMED"})
        assert moved.status_code == 200, moved.text

        async def sent_after_a_failure() -> list[dict]:
            listed = await _deliveries(client, order["id"], admin)
            return listed if listed and listed[0]["status"] == "SENT" else []

        [hook] = await eventually(sent_after_a_failure)
        receiver.wait_for(2)

    assert hook["kind"] == "webhook"
    assert hook["recipient"] == f"127.0.0.1:{receiver.port}"
    assert hook["attempts"] == 2
    assert "HTTP 500" in hook["lastError"]
    assert "s3cr3t" not in str(hook) and "very-secret-token" not in str(hook)
    assert await _deliveries(client, untouched["id"], admin) == []


async def test_deliveries_of_an_unknown_order_is_a_404(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "STAFF")

    response = await client.get("/api/orders/no-such-order/deliveries", headers=headers)

    assert response.status_code == 404
    assert response.json()["error"] == "Order not found"
