"""Payment tests: the app talks to local test doubles of Stripe and PayPal (real HTTP servers on 127.0.0.1, reachable
only because the owner's allowlist `outbound_allowed_hosts` names 127.0.0.1 here, as in the automation tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.doubles.paypal_double import CLIENT_ID, CLIENT_SECRET, PayPalDouble
from tests.doubles.stripe_double import SECRET_KEY, WEBHOOK_SECRET, StripeDouble
from tests.orders.fixtures import Menu, guest_order, make_menu


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KITCHENASTY_OUTBOUND_ALLOWED_HOSTS": "127.0.0.1"}


@pytest.fixture
def stripe() -> Iterator[StripeDouble]:
    with StripeDouble() as double:
        yield double


@pytest.fixture
def paypal() -> Iterator[PayPalDouble]:
    with PayPalDouble() as double:
        yield double


async def use_stripe(services: Services, stripe: StripeDouble) -> None:
    await services.settings.update_group(
        "payments",
        {
            "stripeEnabled": True,
            "stripeSecretKey": SECRET_KEY,
            "stripeWebhookSecret": WEBHOOK_SECRET,
            "stripeApiBase": stripe.url,
        },
    )


async def use_paypal(services: Services, paypal: PayPalDouble) -> None:
    await services.settings.update_group(
        "payments",
        {
            "paypalEnabled": True,
            "paypalClientId": CLIENT_ID,
            "paypalClientSecret": CLIENT_SECRET,
            "paypalApiBase": paypal.url,
        },
    )


async def place(client: AsyncTestClient[Litestar], menu: Menu, **fields: Any) -> dict[str, Any]:
    response = await client.post("/api/orders", json=guest_order(menu, **fields))
    assert response.status_code == 201, response.text
    return response.json()["data"]


@pytest.fixture
async def menu(services: Services) -> Menu:
    return await make_menu(services)


def pay_body(order: dict[str, Any]) -> dict[str, str]:
    return {"orderId": order["id"], "trackingToken": order["trackingToken"]}
