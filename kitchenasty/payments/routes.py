"""`/api/payments`: the original's endpoints (§3.5) with their messages, plus an order's payments, staff marking an
order paid, and refunds (MANAGER). Paying needs the order's customer, its tracking token (`trackingToken` in the
body) or staff; the webhook needs Stripe's signature."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter, RawBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.core.api import Ok, ok
from kitchenasty.core.guards import MaybePrincipal, manager_or_admin, staff_only
from kitchenasty.core.openapi import errors
from kitchenasty.payments.schemas import (
    CaptureIn,
    CaptureOut,
    CashIn,
    CheckoutSessionOut,
    IntentOut,
    MarkPaidIn,
    PayIn,
    PaymentOut,
    PayPalOrderOut,
    RefundIn,
    WebhookOut,
)
from kitchenasty.payments.webhook import handle_stripe
from kitchenasty.services import ServicesDep

StripeSignature = Annotated[str | None, HeaderParameter(name="Stripe-Signature", max_length=2000)]
Tracking = Annotated[str | None, QueryParameter(name="t", max_length=128)]


class PaymentController(Controller):
    path = "/api/payments"
    tags = ["payments"]

    @post(
        "/webhook",
        status_code=HTTP_200_OK,
        summary="Stripe's webhook: signed with the webhook secret (Stripe-Signature), each event applied once",
    )
    async def stripe_webhook(
        self, body: RawBody, services: ServicesDep, signature: StripeSignature = None
    ) -> Ok[WebhookOut]:
        await handle_stripe(services.payments, body, signature)
        return ok(WebhookOut(received=True))

    @post(
        "/create-intent",
        status_code=HTTP_200_OK,
        summary="A Stripe PaymentIntent for the order's total (API clients; the order's customer or tracking token)",
        responses=errors(403, 404, 409, 502),
    )
    async def create_intent(
        self, data: JSONBody[PayIn], services: ServicesDep, principal: MaybePrincipal
    ) -> Ok[IntentOut]:
        return ok(await services.payments.create_intent(data.order_id, principal, data.tracking_token))

    @post(
        "/create-checkout-session",
        status_code=HTTP_200_OK,
        summary="A hosted Stripe Checkout page for the order's total: the browser goes to `url`",
        responses=errors(403, 404, 409, 502),
    )
    async def create_checkout_session(
        self, data: JSONBody[PayIn], services: ServicesDep, principal: MaybePrincipal
    ) -> Ok[CheckoutSessionOut]:
        return ok(await services.payments.create_checkout_session(data.order_id, principal, data.tracking_token))

    @post(
        "/paypal/create",
        status_code=HTTP_200_OK,
        summary="A PayPal order for the order's total: the guest approves it at `approvalUrl`",
        responses=errors(403, 404, 409, 502),
    )
    async def paypal_create(
        self, data: JSONBody[PayIn], services: ServicesDep, principal: MaybePrincipal
    ) -> Ok[PayPalOrderOut]:
        return ok(await services.payments.paypal_create(data.order_id, principal, data.tracking_token))

    @post(
        "/paypal/capture",
        status_code=HTTP_200_OK,
        summary="Capture the PayPal order the guest approved; it must belong to the order and match its total",
        responses=errors(403, 404, 502),
    )
    async def paypal_capture(
        self, data: JSONBody[CaptureIn], services: ServicesDep, principal: MaybePrincipal
    ) -> Ok[CaptureOut]:
        return ok(await services.payments.paypal_capture(data, principal))

    @post(
        "/cash",
        guards=[staff_only],
        status_code=HTTP_201_CREATED,
        summary="Staff: the order was paid in cash, exactly its total (the original's endpoint; it completes now)",
        responses=errors(404, 409),
    )
    async def cash(self, data: JSONBody[CashIn], services: ServicesDep) -> Ok[PaymentOut]:
        return ok(await services.payments.cash(data.order_id))

    @post(
        "/{payment_id:str}/refund",
        guards=[manager_or_admin],
        status_code=HTTP_200_OK,
        summary="MANAGER: refund all or part of a completed payment (never more than is left of it)",
        responses=errors(502),
    )
    async def refund(
        self, payment_id: FromPath[str], data: JSONBody[RefundIn], services: ServicesDep
    ) -> Ok[PaymentOut]:
        return ok(await services.payments.refund(payment_id, data))


class OrderPaymentsController(Controller):
    path = "/api/orders/{order_id:str}/payments"
    tags = ["payments"]

    @get(
        "/",
        summary="The order's payments and refunds: staff, its customer, or `?t=<trackingToken>`",
        responses=errors(403),
    )
    async def list_payments(
        self, order_id: FromPath[str], services: ServicesDep, principal: MaybePrincipal, tracking_token: Tracking = None
    ) -> Ok[list[PaymentOut]]:
        return ok(await services.payments.of_order(order_id, principal, tracking_token))

    @post(
        "/mark-paid",
        guards=[staff_only],
        status_code=HTTP_201_CREATED,
        summary="Staff: the order was paid on site (cash: the amount received gives the change; or card)",
        responses=errors(409),
    )
    async def mark_paid(
        self, order_id: FromPath[str], data: JSONBody[MarkPaidIn], services: ServicesDep
    ) -> Ok[PaymentOut]:
        return ok(await services.payments.mark_paid(order_id, data))


ROUTES: list[Any] = [PaymentController, OrderPaymentsController]
