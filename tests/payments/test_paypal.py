"""PayPal Orders v2 against the local double: the exact total, the token cached, a capture checked against our
order and amount (a mismatch is refused and flagged), a capture of another order's PayPal payment refused."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.orders.models import Order
from kitchenasty.payments.models import Payment
from kitchenasty.services import Services
from tests.doubles.paypal_double import PayPalDouble
from tests.factories import staff_headers
from tests.orders.fixtures import Menu, burger_line
from tests.payments.conftest import pay_body, place, use_paypal


async def _state(services: Services, order_id: str) -> tuple[str, str, list[tuple[str, str | None]]]:
    async with services.db.session() as session:
        order = await session.get(Order, order_id)
        payments = list(await session.scalars(select(Payment).where(Payment.order_id == order_id)))
    assert order is not None
    return order.payment_status, order.status, [(p.status, p.flag) for p in payments]


async def test_paypal_create_and_capture_pays_the_order(
    client: AsyncTestClient[Litestar], services: Services, paypal: PayPalDouble, menu: Menu
) -> None:
    await use_paypal(services, paypal)
    await services.settings.update_group("general", {"defaultCurrency": "GBP"})
    await services.settings.update_group("orders", {"taxRate": "7.5"})
    order = await place(client, menu, items=[burger_line(menu, extras=("bacon", "egg"))])
    created = await client.post("/api/payments/paypal/create", json=pay_body(order))
    assert created.status_code == 200, created.text
    data = created.json()["data"]
    assert data["approvalUrl"] == f"{paypal.url}/checkoutnow?token={data['paypalOrderId']}"
    unit = paypal.requests[0][2]["purchase_units"][0]
    assert unit["amount"] == {"currency_code": "GBP", "value": f"{order['total']:.2f}"}
    assert (unit["reference_id"], unit["custom_id"]) == (order["orderNumber"], data["paymentId"])
    capture_body = {"paypalOrderId": data["paypalOrderId"], **pay_body(order)}
    early = await client.post("/api/payments/paypal/capture", json=capture_body)
    assert (early.status_code, early.json()["error"]) == (400, "PayPal capture failed")
    paypal.approve(data["paypalOrderId"])
    second = await client.post("/api/payments/paypal/create", json=pay_body(order))  # a fresh attempt after the failure
    paypal.approve(second.json()["data"]["paypalOrderId"])
    captured = await client.post(
        "/api/payments/paypal/capture",
        json={"paypalOrderId": second.json()["data"]["paypalOrderId"], **pay_body(order)},
    )
    assert captured.status_code == 200, captured.text
    assert captured.json()["data"]["status"] == "COMPLETED" and captured.json()["data"]["paymentStatus"] == "PAID"
    payment_status, status, payments = await _state(services, order["id"])
    assert (payment_status, status) == ("PAID", "CONFIRMED")
    assert sorted(p[0] for p in payments) == ["FAILED", "SUCCEEDED"]
    assert paypal.tokens_issued == 1  # the OAuth token is cached until it expires
    manager = await staff_headers(services, "MANAGER")
    refund = await client.post(
        f"/api/payments/{captured.json()['data']['paymentId']}/refund", json={"amount": 1}, headers=manager
    )
    assert refund.status_code == 200 and refund.json()["data"]["status"] == "PARTIALLY_REFUNDED"
    assert paypal.requests[-1][1].endswith("/refund") and paypal.requests[-1][2]["amount"]["value"] == "1.00"


async def test_paypal_capture_amount_mismatch_is_refused_and_flagged(
    client: AsyncTestClient[Litestar], services: Services, paypal: PayPalDouble, menu: Menu
) -> None:
    await use_paypal(services, paypal)
    order = await place(client, menu)
    data = (await client.post("/api/payments/paypal/create", json=pay_body(order))).json()["data"]
    paypal.approve(data["paypalOrderId"])
    paypal.capture_amount = "0.01"
    response = await client.post(
        "/api/payments/paypal/capture", json={"paypalOrderId": data["paypalOrderId"], **pay_body(order)}
    )
    assert (response.status_code, response.json()["error"]) == (400, "PayPal capture failed")
    assert "0.01" in response.json()["details"][0]["message"]
    payment_status, status, payments = await _state(services, order["id"])
    assert (payment_status, status) == ("PENDING", "PENDING")
    ((state, flag),) = payments
    assert state == "PENDING" and flag is not None and "0.01" in flag


async def test_paypal_capture_of_another_orders_payment_is_refused(
    client: AsyncTestClient[Litestar], services: Services, paypal: PayPalDouble, menu: Menu
) -> None:
    """The original captured any PayPal order for any orderId; here it must be this order's own payment."""
    await use_paypal(services, paypal)
    mine, theirs = await place(client, menu), await place(client, menu)
    data = (await client.post("/api/payments/paypal/create", json=pay_body(theirs))).json()["data"]
    paypal.approve(data["paypalOrderId"])
    response = await client.post(
        "/api/payments/paypal/capture", json={"paypalOrderId": data["paypalOrderId"], **pay_body(mine)}
    )
    assert (response.status_code, response.json()["error"]) == (
        400,
        "This PayPal payment does not belong to this order",
    )
    assert not [r for r in paypal.requests if r[1].endswith("/capture")]
    missing = await client.post("/api/payments/paypal/capture", json={"orderId": mine["id"]})
    assert (missing.status_code, missing.json()["error"]) == (400, "paypalOrderId and orderId are required")
