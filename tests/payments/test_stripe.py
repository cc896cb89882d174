"""Stripe against the local double: Checkout Sessions and PaymentIntents for the order's exact total, the signed,
idempotent webhook, and who may pay (the original's payment cases, with our stricter rules noted)."""

from __future__ import annotations

import time
from decimal import Decimal

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from kitchenasty.core.audit import AuditEntry
from kitchenasty.core.events import EventRecord
from kitchenasty.orders.models import Order, OrderStatusChange
from kitchenasty.payments.models import Payment, PaymentEvent
from kitchenasty.services import Services
from tests.doubles.stripe_double import StripeDouble
from tests.factories import bearer, customer_headers, make_customer, staff_headers
from tests.orders.fixtures import Menu, burger_line
from tests.payments.conftest import pay_body, place, use_stripe


def cents(amount: float) -> int:
    return int(Decimal(str(amount)) * 100)


async def _order_row(services: Services, order_id: str) -> Order:
    async with services.db.session() as session:
        order = await session.get(Order, order_id)
        assert order is not None
        return order


async def _payments(services: Services, order_id: str) -> list[Payment]:
    async with services.db.session() as session:
        return list(await session.scalars(select(Payment).where(Payment.order_id == order_id)))


async def _checkout(client: AsyncTestClient[Litestar], order: dict) -> dict:
    response = await client.post("/api/payments/create-checkout-session", json=pay_body(order))
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def _deliver(client: AsyncTestClient[Litestar], stripe: StripeDouble, kind: str, obj: dict, **kw: object):
    payload = stripe.event(kind, obj, **kw)  # type: ignore[arg-type]
    return await client.post(
        "/api/payments/webhook",
        content=payload,
        headers={"Content-Type": "application/json", "Stripe-Signature": stripe.signature(payload)},
    )


async def test_checkout_session_charges_the_order_total_in_the_site_currency(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    await use_stripe(services, stripe)
    await services.settings.update_group("general", {"defaultCurrency": "EUR"})
    await services.settings.update_group("orders", {"taxRate": 8, "enableTipping": True})
    order = await place(client, menu, items=[burger_line(menu, quantity=2, extras=("cheese",))], tip=3)
    data = await _checkout(client, order)
    assert data["url"] == f"{stripe.url}/pay/{data['sessionId']}"
    sent = stripe.api_calls("/v1/checkout/sessions")[0].form
    (line,) = sent["line_items"]
    assert int(line["price_data"]["unit_amount"]) * int(line["quantity"]) == cents(order["total"])
    assert line["price_data"]["currency"] == "eur"
    assert line["price_data"]["product_data"]["name"] == f"Order #{order['orderNumber']}"
    assert sent["metadata"] == {
        "orderId": order["id"],
        "orderNumber": order["orderNumber"],
        "paymentId": data["paymentId"],
    }
    assert sent["success_url"].startswith(f"{services.boot.base_url}/track/{order['id']}?t={order['trackingToken']}")
    (payment,) = await _payments(services, order["id"])
    assert (payment.provider, payment.status, payment.provider_ref) == ("STRIPE", "PENDING", data["sessionId"])
    assert (payment.amount_cents, payment.currency) == (cents(order["total"]), "EUR")
    assert (await _order_row(services, order["id"])).payment_status == "PENDING"
    again = await _checkout(client, order)  # the open session is offered again, not a second one
    assert again == data and len(stripe.api_calls("/v1/checkout/sessions")) == 1


async def test_webhook_pays_and_confirms_the_order_once(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    await use_stripe(services, stripe)
    order = await place(client, menu)
    data = await _checkout(client, order)
    session = stripe.session_object(data["sessionId"]) | stripe.complete(data["sessionId"])
    session.pop("line_items", None)
    first = await _deliver(client, stripe, "checkout.session.completed", session, event_id="evt_once")
    assert first.status_code == 200 and first.json() == {"success": True, "data": {"received": True}}
    row = await _order_row(services, order["id"])
    assert (row.payment_status, row.status) == ("PAID", "CONFIRMED")
    (payment,) = await _payments(services, order["id"])
    assert payment.status == "SUCCEEDED" and payment.intent_ref == session["payment_intent"]
    again = await _deliver(client, stripe, "checkout.session.completed", session, event_id="evt_once")
    assert again.status_code == 200
    async with services.db.session() as s:
        confirmations = await s.scalar(
            select(func.count())
            .select_from(OrderStatusChange)
            .where(OrderStatusChange.order_id == order["id"], OrderStatusChange.to_status == "CONFIRMED")
        )
        succeeded = await s.scalar(
            select(func.count()).select_from(EventRecord).where(EventRecord.name == "payment.succeeded")
        )
        seen = await s.scalar(select(func.count()).select_from(PaymentEvent))
    assert (confirmations, succeeded, seen) == (1, 1, 1)
    # Stripe also reports the intent: already recorded, nothing changes
    intent = stripe.intents[session["payment_intent"]]
    assert (await _deliver(client, stripe, "payment_intent.succeeded", intent)).status_code == 200
    assert [p.status for p in await _payments(services, order["id"])] == ["SUCCEEDED"]
    listed = await client.get(f"/api/orders/{order['id']}/payments", params={"t": order["trackingToken"]})
    assert listed.status_code == 200
    (shown,) = listed.json()["data"]
    assert (shown["status"], shown["amount"], shown["providerRef"], shown["flag"]) == (
        "SUCCEEDED",
        order["total"],
        None,
        None,
    )


async def test_webhook_with_a_bad_or_stale_signature_is_refused_and_changes_nothing(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    await use_stripe(services, stripe)
    order = await place(client, menu)
    data = await _checkout(client, order)
    session = stripe.session_object(data["sessionId"]) | stripe.complete(data["sessionId"])
    payload = stripe.event("checkout.session.completed", session)
    cases = {
        "wrong secret": stripe.signature(payload, secret="whsec_someone_else"),
        "stale": stripe.signature(payload, timestamp=int(time.time()) - 301),
        "missing": "",
        "tampered": stripe.signature(payload.replace(b'"paid"', b'"paid" ')),
    }
    for case, header in cases.items():
        response = await client.post(
            "/api/payments/webhook",
            content=payload,
            headers={"Content-Type": "application/json", "Stripe-Signature": header},
        )
        assert response.status_code == 400, case
        body = response.json()
        assert body["success"] is False and body["error"].startswith("Webhook error: ") and body["error"].endswith(".")
    row = await _order_row(services, order["id"])
    assert (row.payment_status, row.status) == ("PENDING", "PENDING")
    async with services.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(PaymentEvent)) == 0


async def test_webhook_amount_mismatch_is_refused_and_flagged(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    await use_stripe(services, stripe)
    order = await place(client, menu)
    data = await _checkout(client, order)
    stripe.complete(data["sessionId"])
    stripe.report_amount = 1  # one cent: not the order's total
    response = await _deliver(client, stripe, "checkout.session.completed", stripe.session_object(data["sessionId"]))
    assert response.status_code == 200  # acknowledged (Stripe would retry forever), but not believed
    row = await _order_row(services, order["id"])
    assert (row.payment_status, row.status) == ("PENDING", "PENDING")
    (payment,) = await _payments(services, order["id"])
    assert payment.status == "PENDING" and "0.01" in (payment.flag or "")
    async with services.db.session() as s:
        failed = list(await s.scalars(select(EventRecord).where(EventRecord.name == "payment.failed")))
        audited = list(await s.scalars(select(AuditEntry).where(AuditEntry.entity == "payment")))
    assert len(failed) == 1 and "0.01" in failed[0].payload["reason"]
    assert audited and audited[0].actor_email == "Stripe webhook"
    staff = await staff_headers(services)
    (shown,) = (await client.get(f"/api/orders/{order['id']}/payments", headers=staff)).json()["data"]
    assert shown["flag"] == payment.flag


async def test_webhook_for_another_order_changes_neither(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    await use_stripe(services, stripe)
    first, second = await place(client, menu), await place(client, menu)
    data = await _checkout(client, first)
    session = stripe.session_object(data["sessionId"]) | stripe.complete(data["sessionId"])
    session["metadata"] = {**session["metadata"], "orderId": second["id"]}
    assert (await _deliver(client, stripe, "checkout.session.completed", session)).status_code == 200
    for order in (first, second):
        assert (await _order_row(services, order["id"])).payment_status in ("PENDING", "UNPAID")
    (payment,) = await _payments(services, first["id"])
    assert payment.status == "PENDING" and payment.flag == "The callback names another order than our payment does."


async def test_create_intent_cases_of_the_original(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    """The original's create-intent cases: creates an intent; orderId required; 404 unknown; 409 already paid.
    Stricter here: paying needs the order's customer or tracking token (the original accepted any orderId)."""
    await use_stripe(services, stripe)
    order = await place(client, menu)
    response = await client.post("/api/payments/create-intent", json=pay_body(order))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["clientSecret"].startswith(data["paymentIntentId"])
    sent = stripe.api_calls("/v1/payment_intents")[0].form
    assert (int(sent["amount"]), sent["currency"], sent["receipt_email"]) == (1000, "usd", "ada@example.com")
    assert (sent["automatic_payment_methods"]["enabled"], sent["metadata"]["orderId"]) == ("true", order["id"])

    missing = await client.post("/api/payments/create-intent", json={})
    assert (missing.status_code, missing.json()["error"]) == (400, "orderId is required")
    unknown = await client.post("/api/payments/create-intent", json={"orderId": "nope", "trackingToken": "x"})
    assert (unknown.status_code, unknown.json()["error"]) == (404, "Order not found")
    no_token = await client.post("/api/payments/create-intent", json={"orderId": order["id"]})
    assert (no_token.status_code, no_token.json()["error"]) == (404, "Order not found")  # stricter than the original
    other = await client.post(
        "/api/payments/create-intent", json={"orderId": order["id"]}, headers=await customer_headers(services)
    )
    assert other.status_code == 403

    intent = stripe.intents[data["paymentIntentId"]]
    intent.update(status="succeeded", amount_received=intent["amount"])
    assert (await _deliver(client, stripe, "payment_intent.succeeded", intent)).status_code == 200
    paid = await client.post("/api/payments/create-intent", json=pay_body(order))
    assert (paid.status_code, paid.json()["error"]) == (409, "Order already paid")


async def test_a_customer_pays_their_own_order_without_a_token(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    await use_stripe(services, stripe)
    customer = await make_customer(services)
    headers = bearer(services.auth.issue("customer", customer))
    response = await client.post(
        "/api/orders",
        json={"orderType": "PICKUP", "items": [burger_line(menu)], "paymentMethod": "STRIPE"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    order = response.json()["data"]
    assert (order["paymentMethod"], order["paymentStatus"]) == ("STRIPE", "UNPAID")
    paid = await client.post("/api/payments/create-checkout-session", json={"orderId": order["id"]}, headers=headers)
    assert paid.status_code == 200, paid.text
    assert stripe.api_calls("/v1/checkout/sessions")[0].form["customer_email"] == customer.email


async def test_payment_refusals_are_sentences(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    order = await place(client, menu)
    off = await client.post("/api/payments/create-checkout-session", json=pay_body(order))
    assert (off.status_code, off.json()["error"]) == (400, "Card payments are not enabled")
    await use_stripe(services, stripe)
    stripe.fail_next = 1
    down = await client.post("/api/payments/create-checkout-session", json=pay_body(order))
    assert down.status_code == 502 and down.json()["error"].endswith(".")
    assert await _payments(services, order["id"]) == []
    staff = await staff_headers(services)
    await client.patch(f"/api/orders/{order['id']}/status", json={"status": "CANCELLED"}, headers=staff)
    cancelled = await client.post("/api/payments/create-checkout-session", json=pay_body(order))
    assert cancelled.status_code == 400 and "cancelled" in cancelled.json()["error"]
    not_set = await client.post("/api/payments/webhook", content=b"{}", headers={"Stripe-Signature": "t=1,v1=x"})
    assert not_set.status_code == 400


async def test_a_failed_card_payment_leaves_the_order_unpaid(
    client: AsyncTestClient[Litestar], services: Services, stripe: StripeDouble, menu: Menu
) -> None:
    await use_stripe(services, stripe)
    order = await place(client, menu)
    data = (await client.post("/api/payments/create-intent", json=pay_body(order))).json()["data"]
    assert (await _order_row(services, order["id"])).payment_status == "PENDING"
    intent = stripe.intents[data["paymentIntentId"]]
    assert (await _deliver(client, stripe, "payment_intent.payment_failed", intent)).status_code == 200
    (payment,) = await _payments(services, order["id"])
    assert payment.status == "FAILED"
    assert (await _order_row(services, order["id"])).payment_status == "UNPAID"
    async with services.db.session() as s:
        (failed,) = list(await s.scalars(select(EventRecord).where(EventRecord.name == "payment.failed")))
    assert failed.payload["reason"] == "The card payment failed"
    unknown = await _deliver(client, stripe, "customer.created", {"id": "cus_1"})
    assert unknown.status_code == 200  # acknowledged and ignored
