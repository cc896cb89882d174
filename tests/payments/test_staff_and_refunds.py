"""Staff marking orders paid (cash with change, card on site), the original's `cash` endpoint, refunds (MANAGER,
full or partial, never more than is left, concurrent refunds counted once), and the receipt e-mail."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.core.audit import AuditEntry
from kitchenasty.core.outbox import OutboxMessage
from kitchenasty.orders.models import Order
from kitchenasty.payments.models import Payment, PaymentRefund
from kitchenasty.services import Services
from tests.doubles.stripe_double import StripeDouble
from tests.factories import customer_headers, staff_headers
from tests.orders.fixtures import Menu, burger_line
from tests.payments.conftest import pay_body, place, use_stripe


async def _order(services: Services, order_id: str) -> Order:
    async with services.db.session() as session:
        found = await session.get(Order, order_id)
        assert found is not None
        return found


async def test_staff_mark_cash_paid_with_change_given(
    client: AsyncTestClient[Litestar], services: Services, menu: Menu
) -> None:
    order = await place(client, menu)  # 10.00, cash: stays UNPAID until marked
    assert order["paymentStatus"] == "UNPAID"
    staff = await staff_headers(services)
    short = await client.post(
        f"/api/orders/{order['id']}/payments/mark-paid", json={"amountReceived": 5}, headers=staff
    )
    assert short.status_code == 400 and short.json()["details"][0]["key"] == "amountReceived"
    response = await client.post(
        f"/api/orders/{order['id']}/payments/mark-paid", json={"method": "CASH", "amountReceived": 20}, headers=staff
    )
    assert response.status_code == 201, response.text
    payment = response.json()["data"]
    assert (payment["provider"], payment["status"], payment["amount"], payment["received"], payment["change"]) == (
        "CASH",
        "SUCCEEDED",
        10.0,
        20.0,
        10.0,
    )
    assert payment["by"]["name"].startswith("Staff")
    row = await _order(services, order["id"])
    assert (row.payment_status, row.status) == ("PAID", "PENDING")  # paying on site does not move the order
    again = await client.post(
        f"/api/orders/{order['id']}/payments/mark-paid", json={"method": "CARD_ON_SITE"}, headers=staff
    )
    assert (again.status_code, again.json()["error"]) == (409, "Order already paid")
    async with services.db.session() as session:
        audited = list(await session.scalars(select(AuditEntry).where(AuditEntry.entity == "payment")))
    assert audited and audited[0].changes["changeCents"] == [None, 1000]
    seen = await client.get(f"/api/orders/{order['id']}", params={"t": order["trackingToken"]})
    assert seen.json()["data"]["paymentStatus"] == "PAID"


async def test_original_cash_endpoint_records_a_completed_cash_payment(
    client: AsyncTestClient[Litestar], services: Services, menu: Menu
) -> None:
    """The original's cash cases: staff only (customers refused), orderId required, 404 unknown, creates the record.
    Changed here: the payment is SUCCEEDED (the original left it PENDING for ever) and a second one is a 409."""
    order = await place(client, menu)
    assert (await client.post("/api/payments/cash", json={"orderId": order["id"]})).status_code == 401
    customer = await client.post(
        "/api/payments/cash", json={"orderId": order["id"]}, headers=await customer_headers(services)
    )
    assert customer.status_code == 403
    staff = await staff_headers(services)
    missing = await client.post("/api/payments/cash", json={}, headers=staff)
    assert (missing.status_code, missing.json()["error"]) == (400, "orderId is required")
    unknown = await client.post("/api/payments/cash", json={"orderId": "nope"}, headers=staff)
    assert (unknown.status_code, unknown.json()["error"]) == (404, "Order not found")
    made = await client.post("/api/payments/cash", json={"orderId": order["id"]}, headers=staff)
    assert made.status_code == 201
    assert (made.json()["data"]["provider"], made.json()["data"]["status"]) == ("CASH", "SUCCEEDED")
    assert (await client.post("/api/payments/cash", json={"orderId": order["id"]}, headers=staff)).status_code == 409


async def test_refunds_full_partial_and_never_above_what_is_left(
    client: AsyncTestClient[Litestar], services: Services, menu: Menu
) -> None:
    order = await place(client, menu)
    staff, manager = await staff_headers(services), await staff_headers(services, "MANAGER")
    payment = (
        await client.post(
            f"/api/orders/{order['id']}/payments/mark-paid", json={"method": "CARD_ON_SITE"}, headers=staff
        )
    ).json()["data"]
    url = f"/api/payments/{payment['id']}/refund"
    assert (await client.post(url, json={"amount": 1}, headers=staff)).status_code == 403
    too_much = await client.post(url, json={"amount": "10.01"}, headers=manager)
    assert (
        too_much.status_code == 400
        and too_much.json()["error"] == "At most 10.00 can still be refunded on this payment"
    )
    part = await client.post(url, json={"amount": "2.50", "reason": "Cold fries"}, headers=manager)
    assert part.status_code == 200, part.text
    shown = part.json()["data"]
    assert (shown["status"], shown["refunded"], shown["refunds"][0]["reason"]) == (
        "PARTIALLY_REFUNDED",
        2.5,
        "Cold fries",
    )
    assert (await _order(services, order["id"])).payment_status == "PARTIALLY_REFUNDED"
    rest = await client.post(url, json={"reason": "Order never collected"}, headers=manager)
    assert rest.status_code == 200 and rest.json()["data"]["refunded"] == 10.0
    assert (await _order(services, order["id"])).payment_status == "REFUNDED"
    done = await client.post(url, json={"amount": 1}, headers=manager)
    assert done.status_code == 400 and "already been refunded" in done.json()["error"]
    unknown = await client.post("/api/payments/nope/refund", json={}, headers=manager)
    assert (unknown.status_code, unknown.json()["error"]) == (404, "Payment not found")


async def test_stripe_refunds_go_to_stripe_and_concurrent_ones_count_once(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    await use_stripe(services, stripe)
    order = await place(client, menu, items=[burger_line(menu, quantity=2)])  # 20.00
    data = (await client.post("/api/payments/create-checkout-session", json=pay_body(order))).json()["data"]
    session = stripe.session_object(data["sessionId"]) | stripe.complete(data["sessionId"])
    payload = stripe.event("checkout.session.completed", session)
    headers = {"Content-Type": "application/json", "Stripe-Signature": stripe.signature(payload)}
    assert (await client.post("/api/payments/webhook", content=payload, headers=headers)).status_code == 200
    manager = await staff_headers(services, "MANAGER")
    url = f"/api/payments/{data['paymentId']}/refund"
    answers = await asyncio.gather(*(client.post(url, json={"amount": 15}, headers=manager) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [200, 400]
    sent = stripe.api_calls("/v1/refunds")
    assert [(int(r.form["amount"]), r.form["payment_intent"]) for r in sent] == [(1500, session["payment_intent"])]
    async with services.db.session() as s:
        payment = await s.get(Payment, data["paymentId"])
        refunds = list(await s.scalars(select(PaymentRefund)))
    assert payment is not None and (payment.refunded_cents, payment.status) == (1500, "PARTIALLY_REFUNDED")
    assert [(r.amount_cents, r.status, r.provider_ref is not None) for r in refunds] == [(1500, "SUCCEEDED", True)]
    # Stripe then reports the charge refunded: what we asked for is already counted
    charge = {"id": "ch_1", "object": "charge", "payment_intent": session["payment_intent"], "amount_refunded": 1500}
    charge |= {"currency": "usd"}
    payload = stripe.event("charge.refunded", charge)
    headers = {"Content-Type": "application/json", "Stripe-Signature": stripe.signature(payload)}
    assert (await client.post("/api/payments/webhook", content=payload, headers=headers)).status_code == 200
    async with services.db.session() as s:
        assert len(list(await s.scalars(select(PaymentRefund)))) == 1
    # a refund made in Stripe's dashboard is recorded when Stripe reports it
    charge["amount_refunded"] = 2000
    payload = stripe.event("charge.refunded", charge)
    headers = {"Content-Type": "application/json", "Stripe-Signature": stripe.signature(payload)}
    assert (await client.post("/api/payments/webhook", content=payload, headers=headers)).status_code == 200
    assert (await _order(services, order["id"])).payment_status == "REFUNDED"


async def test_a_refused_stripe_refund_frees_its_amount(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    await use_stripe(services, stripe)
    order = await place(client, menu)
    data = (await client.post("/api/payments/create-checkout-session", json=pay_body(order))).json()["data"]
    session = stripe.session_object(data["sessionId"]) | stripe.complete(data["sessionId"])
    payload = stripe.event("checkout.session.completed", session)
    headers = {"Content-Type": "application/json", "Stripe-Signature": stripe.signature(payload)}
    await client.post("/api/payments/webhook", content=payload, headers=headers)
    manager = await staff_headers(services, "MANAGER")
    stripe.fail_next = 1
    failed = await client.post(f"/api/payments/{data['paymentId']}/refund", json={}, headers=manager)
    assert failed.status_code == 502
    async with services.db.session() as s:
        payment = await s.get(Payment, data["paymentId"])
        assert payment is not None and (payment.refunded_cents, payment.status) == (0, "SUCCEEDED")
    ok = await client.post(f"/api/payments/{data['paymentId']}/refund", json={}, headers=manager)
    assert ok.status_code == 200 and ok.json()["data"]["status"] == "REFUNDED"


async def test_a_paid_order_sends_a_receipt_through_the_outbox(
    client: AsyncTestClient[Litestar], services: Services, menu: Menu
) -> None:
    await services.settings.update_group("mail", {"smtpHost": "127.0.0.1"})
    await services.settings.update_group("orders", {"enableTipping": True, "sendConfirmationEmail": False})
    order = await place(client, menu, tip=Decimal("1.50").__str__())
    staff = await staff_headers(services)
    await client.post(f"/api/orders/{order['id']}/payments/mark-paid", json={"amountReceived": "20"}, headers=staff)
    async with services.db.session() as s:
        (mail,) = list(await s.scalars(select(OutboxMessage).where(OutboxMessage.source == "builtin:payment_receipt")))
    assert mail.recipient == "ada@example.com" and order["orderNumber"] in mail.subject
    assert "Tip  $1.50" in (mail.text_body or "") and "Change given  $8.50" in (mail.text_body or "")
