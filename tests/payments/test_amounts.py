"""The provider is charged the order's total exactly (items, options, tax, delivery, discount, tip), whatever the
cart: Hypothesis builds carts, coupons, tips and tax rates; the amount the Stripe double received must equal the
order's `total_cents`. And the pure rules: minor units, the order's payment state, refunds, change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient

from kitchenasty.app import create_app
from kitchenasty.core.config import load_boot_settings
from kitchenasty.core.errors import ValidationFailed
from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.orders.models import Order
from kitchenasty.payments import checks
from tests.conftest import TEST_ENV, TEST_ORIGIN, make_data_dir
from tests.doubles.stripe_double import StripeDouble
from tests.orders.fixtures import burger_line, guest_order, make_menu
from tests.payments.conftest import pay_body, use_stripe

carts = st.fixed_dictionaries(
    {
        "burgers": st.integers(0, 4),
        "large": st.booleans(),
        "extras": st.sampled_from([(), ("cheese",), ("bacon", "egg")]),
        "fries": st.integers(0, 5),
        "tip": st.sampled_from([None, "0.99", "2.50", "7.33"]),
        "tax": st.sampled_from(["0", "7.5", "8.88", "19", "21"]),
        "coupon": st.sampled_from([None, ("PERCENTAGE", "15"), ("FIXED", "3.00")]),
    }
).filter(lambda c: c["burgers"] + c["fries"] > 0)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cart=carts)
def test_the_amount_sent_to_stripe_is_the_order_total(
    cart: dict, tmp_path_factory: pytest.TempPathFactory, template_db
) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    asyncio.run(_one_cart(cart, tmp_path_factory.mktemp("cart"), template_db))


async def _one_cart(cart: dict, root, template_db) -> None:  # type: ignore[no-untyped-def]
    env = {**TEST_ENV, "KITCHENASTY_OUTBOUND_ALLOWED_HOSTS": "127.0.0.1"}
    app = create_app(load_boot_settings(make_data_dir(root, template_db), env=env))
    services = app.state.services
    with StripeDouble() as stripe:
        async with AsyncTestClient(app=app) as client:
            client.headers["Origin"] = TEST_ORIGIN
            await use_stripe(services, stripe)
            await services.settings.update_group("orders", {"taxRate": cart["tax"], "enableTipping": True})
            menu = await make_menu(services)
            items = []
            if cart["burgers"]:
                size = "large" if cart["large"] else "regular"
                items.append(burger_line(menu, quantity=cart["burgers"], size=size, extras=cart["extras"]))
            if cart["fries"]:
                items.append({"menuItemId": menu.fries, "quantity": cart["fries"]})
            fields: dict = {}
            if cart["tip"]:
                fields["tip"] = cart["tip"]
            if cart["coupon"]:
                kind, value = cart["coupon"]
                await services.coupons.create(CouponIn(code="SAVE", type=kind, value=Decimal(value)))
                fields["couponCode"] = "SAVE"
            response = await client.post("/api/orders", json=guest_order(menu, items=items, **fields))
            assert response.status_code == 201, response.text
            order = response.json()["data"]
            paid = await client.post("/api/payments/create-checkout-session", json=pay_body(order))
            assert paid.status_code == 200, paid.text
            async with services.db.session() as session:
                row = await session.get(Order, order["id"])
            sent = stripe.api_calls("/v1/checkout/sessions")[0].form
            charged = sum(int(i["price_data"]["unit_amount"]) * int(i["quantity"]) for i in sent["line_items"])
            assert row is not None and charged == row.total_cents
            assert (
                row.total_cents
                == row.subtotal_cents - row.discount_cents + row.delivery_fee_cents + row.tax_cents + row.tip_cents
            )


def test_minor_units_follow_the_currency() -> None:
    assert checks.provider_amount(1299, "EUR") == 1299
    assert checks.provider_amount(150000, "JPY") == 1500
    with pytest.raises(ValidationFailed):
        checks.provider_amount(150050, "JPY")
    assert checks.decimal_amount(1299, "USD") == "12.99" and checks.decimal_amount(150000, "JPY") == "1500"
    assert checks.cents_of_decimal("12.99", "USD") == 1299 and checks.cents_of_decimal("12.999", "USD") is None
    assert checks.cents_of_decimal("1500", "JPY") == 150000 and checks.cents_of_decimal("nan", "USD") is None


def test_order_payment_state_from_its_payments() -> None:
    facts = checks.PaymentFacts
    assert checks.order_payment_status([]) == "UNPAID"
    assert checks.order_payment_status([facts("FAILED", 100, 0)]) == "UNPAID"
    assert checks.order_payment_status([facts("FAILED", 100, 0), facts("PENDING", 100, 0)]) == "PENDING"
    assert checks.order_payment_status([facts("SUCCEEDED", 100, 0), facts("PENDING", 100, 0)]) == "PAID"
    assert checks.order_payment_status([facts("PARTIALLY_REFUNDED", 100, 40)]) == "PARTIALLY_REFUNDED"
    assert checks.order_payment_status([facts("REFUNDED", 100, 100)]) == "REFUNDED"


def test_refund_and_change_rules() -> None:
    assert checks.refund_amount(None, amount=1000, refunded=250, status="PARTIALLY_REFUNDED") == 750
    for requested, status in ((751, "PARTIALLY_REFUNDED"), (0, "SUCCEEDED"), (1, "PENDING"), (1, "FAILED")):
        with pytest.raises(ValidationFailed):
            checks.refund_amount(requested, amount=1000, refunded=250, status=status)
    assert checks.cash_change(1250, 2000) == (2000, 750) and checks.cash_change(1250, None) == (1250, 0)
    with pytest.raises(ValidationFailed):
        checks.cash_change(1250, 1249)


def test_stripe_signature_scheme() -> None:
    payload = b'{"id":"evt_1"}'
    header = checks.stripe_signature("whsec_x", 1_700_000_000, payload)
    assert checks.stripe_signature_problem("whsec_x", header, payload, 1_700_000_100) is None
    assert checks.stripe_signature_problem("whsec_x", header, payload, 1_700_000_301) is not None
    assert checks.stripe_signature_problem("whsec_y", header, payload, 1_700_000_000) is not None
    assert checks.stripe_signature_problem("whsec_x", f"{header},v1=other", payload, 1_700_000_000) is None
    assert checks.stripe_signature_problem("whsec_x", "garbage", payload, 1_700_000_000) is not None
