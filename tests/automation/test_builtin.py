"""Built-in notifications through the outbox: the order confirmation on order.created."""

from __future__ import annotations

import asyncio

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.automation.helpers import (
    GUEST_EMAIL,
    all_events_processed,
    configure_mail,
    deliveries,
    order_created,
    sent,
)
from tests.factories import staff_headers
from tests.servers import SMTPServer, eventually


async def test_order_created_sends_the_confirmation_to_the_guest(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    await client.put("/api/settings/general", headers=admin, json={"restaurantName": "Pizzeria Uno"})

    await order_created(services, orderNumber="KA-0777")

    [mail] = smtp.wait_for(1)
    assert mail.rcpt_tos == [GUEST_EMAIL]
    assert mail.subject == "Your order KA-0777 at Pizzeria Uno"
    text = mail.text()
    assert "Your order number is KA-0777" in text
    assert "2 x Margherita (Size: Large)" in text
    assert "$23.76" in text
    [delivery] = await sent(services)
    assert (delivery.source, delivery.status) == ("builtin:order_confirmation", "SENT")


async def test_order_confirmation_goes_to_the_registered_customer_first(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    member = {"id": "ccust", "name": "Carla", "email": "carla@example.com", "phone": None}

    await order_created(services, customer=member, customerId="ccust", guestEmail=None)

    [mail] = smtp.wait_for(1)
    assert mail.rcpt_tos == ["carla@example.com"]
    assert "Hello Carla," in mail.text()


async def test_order_confirmation_is_not_sent_when_turned_off_or_mail_is_not_configured(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await order_created(services, orderNumber="KA-0001")  # mail not configured yet
    await eventually(lambda: all_events_processed(services))

    await configure_mail(client, admin, smtp.port)
    off = await client.put("/api/settings/order", headers=admin, json={"sendConfirmationEmail": False})
    assert off.status_code == 200
    await order_created(services, orderNumber="KA-0002")
    await eventually(lambda: all_events_processed(services))
    await asyncio.sleep(0.1)

    assert await deliveries(services) == []
    assert smtp.inbox == []


async def test_order_confirmation_says_how_the_order_reaches_the_guest_and_links_the_tracking_page(
    client: AsyncTestClient[Litestar], services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    await order_created(services, orderNumber="KA-0001", orderType="PICKUP")
    await order_created(
        services,
        orderNumber="KA-0002",
        orderType="DELIVERY",
        deliveryAddress={
            "line1": "1 Elm Street",
            "line2": None,
            "city": "Springfield",
            "postalCode": None,
            "state": None,
            "notes": None,
        },
        deliveryFee=3.5,
    )
    await order_created(services, orderNumber="KA-0003", orderType="DINE_IN", tableName="Table 4")
    mails = {mail.subject.split()[2]: mail for mail in smtp.wait_for(3)}

    pickup = mails["KA-0001"].text()
    assert "Collect it at Main Street; give the order number at the counter." in pickup
    assert "on its way" not in pickup and "We will let you know" not in pickup
    base = services.boot.base_url
    assert f"{base}/track/" in pickup and "?t=" in pickup
    assert "Follow your order live" in pickup

    delivery = mails["KA-0002"].text()
    assert "We will deliver it to 1 Elm Street, Springfield." in delivery
    assert "Delivery  $3.50" in delivery
    assert "We will bring it to Table 4." in mails["KA-0003"].text()
    for mail in mails.values():
        assert "You pay when you receive it (cash)." in mail.text()
