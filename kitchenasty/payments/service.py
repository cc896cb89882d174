"""Paying orders: Stripe (hosted Checkout for the storefront, PaymentIntents for API clients), PayPal (Orders v2),
cash and card on site marked by staff, refunds (MANAGER), and an order's payments.

Who may pay: the order's customer, anyone holding its tracking token, or staff (`OrderService.get_for_viewer`).
The provider is always asked for the order's `total_cents` exactly, in the site's currency. Provider calls happen
outside any transaction; what they decide is written in one `run_write` that checks the rows again, so a replayed
callback or two refunds at once cannot count twice (a refund reserves its amount before the provider is asked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kitchenasty.core import audit, http_out
from kitchenasty.core.config import BootSettings
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, DomainError, NotFound, ValidationFailed, field_refusal
from kitchenasty.core.events import notify
from kitchenasty.core.money import to_cents
from kitchenasty.core.outbound import OutboundPolicy
from kitchenasty.core.schema import new_id, utcnow
from kitchenasty.core.security import Principal
from kitchenasty.orders import queries as order_queries
from kitchenasty.orders.schemas import OrderOut
from kitchenasty.orders.service import OrderService
from kitchenasty.payments import checks, ledger, queries
from kitchenasty.payments.events import OrderPaymentChanged
from kitchenasty.payments.paypal import PayPal, PayPalError, TokenCache, api_base, approval_url, capture_of
from kitchenasty.payments.schemas import (
    CaptureIn,
    CaptureOut,
    CheckoutSessionOut,
    IntentOut,
    MarkPaidIn,
    PaymentOut,
    PayPalOrderOut,
    RefundIn,
)
from kitchenasty.payments.stripe import Stripe, StripeError
from kitchenasty.payments.views import payments_out
from kitchenasty.settings.service import ResolvedSettings, SettingsService

PAID_STATES = ("PAID", "PARTIALLY_REFUNDED", "REFUNDED")
SESSION_REUSE = timedelta(hours=23)
"""An open Checkout Session of the same amount is offered again this long (Stripe's sessions last 24 hours), so a
guest who comes back does not end up with two payable sessions for one order."""


class ProviderFailed(DomainError):
    """The payment provider refused or could not be reached (502, with a sentence of ours)."""

    status_code = 502
    default_code = "PAYMENT_PROVIDER_ERROR"


class PaymentNotFound(NotFound):
    default_code = "PAYMENT_NOT_FOUND"


@dataclass(frozen=True)
class PayConfig:
    currency: str
    stripe_on: bool
    stripe_key: str
    stripe_base: str
    webhook_secret: str
    paypal_on: bool
    paypal_id: str
    paypal_secret: str
    paypal_base: str
    ctx: ledger.Context


class PaymentService:
    def __init__(self, db: Database, settings: SettingsService, orders: OrderService, boot: BootSettings) -> None:
        self.db = db
        self.settings = settings
        self.orders = orders
        self.base_url = boot.base_url
        # Provider APIs are public services: loopback and the LAN stay refused unless the owner lists a host.
        self.policy = OutboundPolicy(boot.outbound_allowed_hosts)
        self.paypal_tokens = TokenCache()

    async def config(self) -> PayConfig:
        r: ResolvedSettings = await self.settings.resolved()
        order_cfg = await self.orders.order_settings()
        hooks = self.orders.hooks

        def on_confirmed(session: Any, order: OrderOut) -> None:
            hooks.status_changed(session, order, "PENDING", order_cfg)

        return PayConfig(
            currency=str(r.get("general.defaultCurrency")).upper(),
            stripe_on=bool(r.get("payments.stripeEnabled")),
            stripe_key=str(r.get("payments.stripeSecretKey") or ""),
            stripe_base=str(r.get("payments.stripeApiBase") or "https://api.stripe.com"),
            webhook_secret=str(r.get("payments.stripeWebhookSecret") or ""),
            paypal_on=bool(r.get("payments.paypalEnabled")),
            paypal_id=str(r.get("payments.paypalClientId") or ""),
            paypal_secret=str(r.get("payments.paypalClientSecret") or ""),
            paypal_base=api_base(str(r.get("payments.paypalApiBase") or ""), bool(r.get("payments.paypalSandbox"))),
            ctx=ledger.Context(
                money=r.money,
                restaurant=str(r.get("general.restaurantName") or "KitchenAsty"),
                mail_on=bool(r.get("mail.smtpHost")),
                base_url=self.base_url,
                on_confirmed=on_confirmed,
            ),
        )

    def _stripe(self, cfg: PayConfig, client: Any) -> Stripe:
        if not cfg.stripe_on:
            raise ValidationFailed("Card payments are not enabled", code="STRIPE_DISABLED")
        if not cfg.stripe_key:
            raise ValidationFailed(
                "Card payments are not set up yet (no Stripe secret key)", code="STRIPE_NOT_CONFIGURED"
            )
        return Stripe(client, base_url=cfg.stripe_base, secret_key=cfg.stripe_key)

    def _paypal(self, cfg: PayConfig, client: Any) -> PayPal:
        if not cfg.paypal_on:
            raise ValidationFailed("PayPal payments are not enabled", code="PAYPAL_DISABLED")
        if not cfg.paypal_id or not cfg.paypal_secret:
            raise ValidationFailed("PayPal is not set up yet (no client id or secret)", code="PAYPAL_NOT_CONFIGURED")
        return PayPal(
            client,
            self.paypal_tokens,
            base_url=cfg.paypal_base,
            client_id=cfg.paypal_id,
            client_secret=cfg.paypal_secret,
        )

    # ---------------------------------------------------------------- who pays what

    async def _payable(
        self, order_id: str | None, principal: Principal | None, token: str | None
    ) -> tuple[OrderOut, Any]:
        if not order_id:
            raise field_refusal("orderId", "orderId is required", "ORDER_ID_REQUIRED")
        order = await self.orders.get_for_viewer(order_id, principal, token)
        facts = await self.db.run_read(lambda session: queries.order_facts(session, order_id))
        _check_payable(facts)
        return order, facts

    def _urls(self, order: OrderOut, kind: str) -> tuple[str, str]:
        track = f"{self.base_url}/track/{order.id}?t={order.tracking_token}"
        return f"{track}&paid={kind}", f"{track}&payment=cancelled"

    @staticmethod
    def _actor(principal: Principal | None) -> tuple[str, str | None]:
        return (principal.type, principal.id) if principal is not None else ("guest", None)

    async def _open(self, order_id: str, row: dict[str, Any]) -> None:
        """Write a new PENDING online payment (the order, checked again, must still be payable)."""

        def write(session: Any) -> None:
            now = utcnow()
            _check_payable(queries.order_facts(session, order_id))
            queries.insert_payment(session, {**row, "created_at": now, "updated_at": now})
            before = queries.order_facts(session, order_id).payment_status
            if ledger.refresh_order(session, order_id, now) != before:
                notify(session, OrderPaymentChanged(order=order_queries.load_order(session, order_id)))

        await self.db.run_write(write)

    def _row(self, order: OrderOut, facts: Any, cfg: PayConfig, principal: Principal | None, **fields: Any) -> dict:
        actor_type, actor_id = self._actor(principal)
        return {
            "order_id": order.id,
            "status": "PENDING",
            "amount_cents": facts.total_cents,
            "refunded_cents": 0,
            "currency": cfg.currency,
            "actor_type": actor_type,
            "actor_id": actor_id,
            **fields,
        }

    @staticmethod
    def _metadata(order: OrderOut, payment_id: str) -> dict[str, str]:
        return {"orderId": order.id, "orderNumber": order.order_number, "paymentId": payment_id}

    # ---------------------------------------------------------------- Stripe

    async def create_checkout_session(
        self, order_id: str | None, principal: Principal | None, token: str | None
    ) -> CheckoutSessionOut:
        cfg = await self.config()
        order, facts = await self._payable(order_id, principal, token)
        amount = checks.provider_amount(facts.total_cents, cfg.currency)
        reuse = await self.db.run_read(lambda s: _open_session(s, order.id, facts.total_cents, cfg.currency))
        if reuse is not None:
            return CheckoutSessionOut(url=reuse.redirect_url, session_id=reuse.provider_ref, payment_id=reuse.id)
        payment_id = new_id()
        success, cancel = self._urls(order, "card")
        description = "; ".join(f"{i.quantity} x {i.name}" for i in order.items)
        async with http_out.new_client(self.policy) as client:
            try:
                session = await self._stripe(cfg, client).create_checkout_session(
                    amount=amount,
                    currency=cfg.currency,
                    name=f"Order #{order.order_number}",
                    description=description,
                    success_url=success,
                    cancel_url=cancel,
                    email=_email(order),
                    metadata=self._metadata(order, payment_id),
                    idempotency_key=f"checkout-{payment_id}",
                )
            except StripeError as exc:
                raise ProviderFailed(str(exc)) from None
        session_id, url = session.get("id"), session.get("url")
        if not isinstance(session_id, str) or not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ProviderFailed("The card payment service gave an answer we cannot use; please try again.")
        row = self._row(order, facts, cfg, principal, id=payment_id, provider="STRIPE", provider_ref=session_id)
        await self._open(order.id, {**row, "redirect_url": url})
        return CheckoutSessionOut(url=url, session_id=session_id, payment_id=payment_id)

    async def create_intent(self, order_id: str | None, principal: Principal | None, token: str | None) -> IntentOut:
        cfg = await self.config()
        order, facts = await self._payable(order_id, principal, token)
        amount = checks.provider_amount(facts.total_cents, cfg.currency)
        payment_id = new_id()
        async with http_out.new_client(self.policy) as client:
            try:
                intent = await self._stripe(cfg, client).create_payment_intent(
                    amount=amount,
                    currency=cfg.currency,
                    email=_email(order),
                    metadata=self._metadata(order, payment_id),
                    idempotency_key=f"intent-{payment_id}",
                )
            except StripeError as exc:
                raise ProviderFailed(str(exc)) from None
        intent_id, secret = intent.get("id"), intent.get("client_secret")
        if not isinstance(intent_id, str) or not isinstance(secret, str):
            raise ProviderFailed("The card payment service gave an answer we cannot use; please try again.")
        row = self._row(order, facts, cfg, principal, id=payment_id, provider="STRIPE", provider_ref=intent_id)
        await self._open(order.id, {**row, "intent_ref": intent_id})
        return IntentOut(client_secret=secret, payment_intent_id=intent_id, payment_id=payment_id)

    # ---------------------------------------------------------------- PayPal

    async def paypal_create(
        self, order_id: str | None, principal: Principal | None, token: str | None
    ) -> PayPalOrderOut:
        cfg = await self.config()
        order, facts = await self._payable(order_id, principal, token)
        payment_id = new_id()
        success, cancel = self._urls(order, "paypal")
        async with http_out.new_client(self.policy) as client:
            try:
                created = await self._paypal(cfg, client).create_order(
                    value=checks.decimal_amount(facts.total_cents, cfg.currency),
                    currency=cfg.currency,
                    reference_id=order.order_number,
                    custom_id=payment_id,
                    return_url=success,
                    cancel_url=cancel,
                    request_id=f"create-{payment_id}",
                )
            except PayPalError as exc:
                raise ProviderFailed(str(exc)) from None
        approve = approval_url(created)
        if approve is None:
            raise ProviderFailed("PayPal gave no approval link; please try again.")
        row = self._row(order, facts, cfg, principal, id=payment_id, provider="PAYPAL", provider_ref=created["id"])
        await self._open(order.id, {**row, "redirect_url": approve})
        return PayPalOrderOut(paypal_order_id=created["id"], approval_url=approve, payment_id=payment_id)

    async def paypal_capture(self, data: CaptureIn, principal: Principal | None) -> CaptureOut:
        if not data.paypal_order_id or not data.order_id:
            raise ValidationFailed("paypalOrderId and orderId are required", code="VALIDATION_ERROR")
        cfg = await self.config()
        order = await self.orders.get_for_viewer(data.order_id, principal, data.tracking_token)
        paypal_id = data.paypal_order_id
        row = await self.db.run_read(lambda s: queries.payment_by_ref(s, "PAYPAL", paypal_id))
        if row is None or row.order_id != order.id:
            raise ValidationFailed("This PayPal payment does not belong to this order", code="PAYMENT_MISMATCH")
        if row.status in checks.CAPTURED:
            return CaptureOut(status="COMPLETED", payment_id=row.id, payment_status=order.payment_status)
        async with http_out.new_client(self.policy) as client:
            try:
                status, answer = await self._paypal(cfg, client).capture(paypal_id, request_id=f"capture-{row.id}")
            except PayPalError as exc:
                raise ProviderFailed(str(exc)) from None
        outcome = await self.db.run_write(lambda s: self._settle_capture(s, cfg, row.id, status, answer))
        if outcome is not None:
            raise ValidationFailed(
                "PayPal capture failed", code="PAYPAL_CAPTURE_FAILED", details=[{"message": outcome}]
            )
        payment_status = await self.db.run_read(lambda s: queries.order_facts(s, order.id).payment_status)
        return CaptureOut(status="COMPLETED", payment_id=row.id, payment_status=payment_status)

    def _settle_capture(self, session: Any, cfg: PayConfig, payment_id: str, status: int, answer: Any) -> str | None:
        """None when the capture paid the order; else why it did not (written: FAILED, or flagged on a mismatch)."""
        now = utcnow()
        row = queries.payment(session, payment_id)
        if row.status in checks.CAPTURED:
            return None
        order_status, capture_id, capture_status, value, currency = capture_of(answer)
        if status >= 300 or order_status != "COMPLETED" or capture_status != "COMPLETED":
            queries.save_payment(session, row, now, status="FAILED")
            ledger.failed(session, payment_id, now, "PayPal did not complete the payment")
            return "PayPal did not complete the payment; the guest may try again."
        facts = queries.order_facts(session, row.order_id)
        cents = checks.cents_of_decimal(value or "", currency or "") if currency else None
        problem = mismatch(row, facts, cents, currency)
        if problem is not None:
            queries.save_payment(session, row, now, intent_ref=capture_id)
            ledger.flag(session, queries.payment(session, payment_id), now, problem, source="paypal")
            return problem
        queries.save_payment(session, row, now, status="SUCCEEDED", intent_ref=capture_id, paid_at=now)
        ledger.succeeded(session, cfg.ctx, payment_id, now, confirm=True)
        return None

    # ---------------------------------------------------------------- on site (staff)

    async def mark_paid(self, order_id: str, data: MarkPaidIn) -> PaymentOut:
        """Staff record that the order was paid on site: cash (the amount received gives the change) or card."""
        cfg = await self.config()
        received_in = None if data.amount_received is None else to_cents(data.amount_received, field="amountReceived")

        def write(session: Any) -> PaymentOut:
            now = utcnow()
            facts = queries.order_facts(session, order_id)
            if facts is None:
                raise NotFound("Order not found", code="ORDER_NOT_FOUND")
            _check_payable(facts)
            received, change = (
                checks.cash_change(facts.total_cents, received_in) if data.method == "CASH" else (facts.total_cents, 0)
            )
            actor = audit.current_actor()
            payment_id = new_id()
            row = {
                "id": payment_id,
                "order_id": order_id,
                "provider": data.method,
                "status": "SUCCEEDED",
                "amount_cents": facts.total_cents,
                "refunded_cents": 0,
                "currency": cfg.currency,
                "received_cents": received if data.method == "CASH" else None,
                "change_cents": change if data.method == "CASH" else None,
                "actor_type": "staff",
                "actor_id": actor.id if actor else None,
                "paid_at": now,
                "created_at": now,
                "updated_at": now,
            }
            queries.insert_payment(session, row)
            changes = {"provider": [None, data.method], "amountCents": [None, facts.total_cents]}
            if data.method == "CASH":
                changes |= {"receivedCents": [None, received], "changeCents": [None, change]}
            audit.record(session, action="create", entity="payment", entity_id=payment_id, changes=changes)
            return ledger.succeeded(session, cfg.ctx, payment_id, now, confirm=False)

        return await self.db.run_write(write)

    async def cash(self, order_id: str | None) -> PaymentOut:
        """The original's `POST /api/payments/cash` with staff semantics: paid in cash, exactly the total."""
        if not order_id:
            raise field_refusal("orderId", "orderId is required", "ORDER_ID_REQUIRED")
        return await self.mark_paid(order_id, MarkPaidIn(method="CASH"))

    # ---------------------------------------------------------------- refunds (MANAGER)

    async def refund(self, payment_id: str, data: RefundIn) -> PaymentOut:
        requested = None if data.amount is None else to_cents(data.amount, field="amount")
        reason = (data.reason or "").strip() or None
        refund_id = new_id()
        actor = audit.current_actor()

        def reserve(session: Any) -> Any:
            now = utcnow()
            row = queries.payment(session, payment_id)
            if row is None:
                raise PaymentNotFound("Payment not found")
            cents = checks.refund_amount(
                requested, amount=row.amount_cents, refunded=row.refunded_cents, status=row.status
            )
            if row.provider in ("STRIPE", "PAYPAL") and not row.intent_ref:
                raise ValidationFailed(
                    "The provider has not told us which charge this payment is yet; try again in a minute",
                    code="CHARGE_NOT_KNOWN",
                )
            on_site = row.provider in checks.ON_SITE
            queries.insert_refund(
                session,
                {
                    "id": refund_id,
                    "payment_id": payment_id,
                    "amount_cents": cents,
                    "status": "SUCCEEDED" if on_site else "PENDING",
                    "reason": reason,
                    "actor_id": actor.id if actor else None,
                    "created_at": now,
                },
            )
            queries.save_payment(session, row, now, refunded_cents=row.refunded_cents + cents)  # reserved now
            changes = {"amountCents": [None, cents], "reason": [None, reason], "paymentId": [None, payment_id]}
            audit.record(session, action="create", entity="payment_refund", entity_id=refund_id, changes=changes)
            if on_site:
                return ledger.refunded(session, payment_id, now, cents, reason)
            return row, cents

        reserved = await self.db.run_write(reserve)
        if isinstance(reserved, PaymentOut):
            return reserved
        row, cents = reserved
        try:
            provider_ref = await self._refund_at_provider(row, cents, refund_id)
        except (StripeError, PayPalError) as exc:
            await self.db.run_write(lambda s: _release(s, row.id, refund_id, cents))
            raise ProviderFailed(str(exc)) from None

        def settle(session: Any) -> PaymentOut:
            now = utcnow()
            queries.settle_refund(session, refund_id, "SUCCEEDED", provider_ref)
            return ledger.refunded(session, payment_id, now, cents, reason)

        return await self.db.run_write(settle)

    async def _refund_at_provider(self, row: Any, cents: int, refund_id: str) -> str | None:
        cfg = await self.config()
        async with http_out.new_client(self.policy) as client:
            if row.provider == "STRIPE":
                answer = await self._stripe(cfg, client).refund(
                    payment_intent=row.intent_ref,
                    amount=checks.provider_amount(cents, row.currency),
                    metadata={"orderId": row.order_id, "paymentId": row.id, "refundId": refund_id},
                    idempotency_key=f"refund-{refund_id}",
                )
            else:
                answer = await self._paypal(cfg, client).refund(
                    row.intent_ref,
                    value=checks.decimal_amount(cents, row.currency),
                    currency=row.currency,
                    request_id=f"refund-{refund_id}",
                )
        ref = answer.get("id")
        return ref if isinstance(ref, str) else None

    # ---------------------------------------------------------------- reads

    async def of_order(self, order_id: str, principal: Principal | None, token: str | None) -> list[PaymentOut]:
        await self.orders.get_for_viewer(order_id, principal, token)
        staff = principal is not None and principal.is_staff

        def read(session: Any) -> list[PaymentOut]:
            rows = queries.payments_of(session, order_id)
            return payments_out(rows, queries.refunds_of(session, [r.id for r in rows]), staff_view=staff)

        return await self.db.run_read(read)


def mismatch(row: Any, facts: Any, cents: int | None, currency: str | None) -> str | None:
    """Why a provider's report of a capture cannot pay this payment's order (None: it can)."""
    if currency is None or currency.upper() != row.currency:
        return f"The provider reported the currency {currency or 'none'}, but the payment is in {row.currency}."
    if cents is None or cents != row.amount_cents:
        shown = "no amount" if cents is None else f"{cents / 100:.2f}"
        return f"The provider reported {shown}, but the payment is for {row.amount_cents / 100:.2f}."
    if facts is None or facts.total_cents != row.amount_cents:
        total = "no order" if facts is None else f"{facts.total_cents / 100:.2f}"
        return f"The payment is for {row.amount_cents / 100:.2f}, but the order's total is {total}."
    return None


def _check_payable(facts: Any) -> None:
    if facts is None:
        raise NotFound("Order not found", code="ORDER_NOT_FOUND")
    if facts.status == "CANCELLED":
        raise ValidationFailed("This order was cancelled, so it cannot be paid", code="ORDER_CANCELLED")
    if facts.payment_status in PAID_STATES:
        raise Conflict("Order already paid", code="ALREADY_PAID")
    if facts.total_cents <= 0:
        raise ValidationFailed("This order has nothing to pay", code="NOTHING_TO_PAY")


def _email(order: OrderOut) -> str | None:
    return (order.customer.email if order.customer else None) or order.guest_email


def _open_session(session: Any, order_id: str, total: int, currency: str) -> Any:
    cutoff = utcnow() - SESSION_REUSE
    for row in reversed(queries.payments_of(session, order_id)):
        if (
            row.provider == "STRIPE"
            and row.status == "PENDING"
            and row.redirect_url
            and not row.flag
            and row.amount_cents == total
            and row.currency == currency
            and row.created_at >= cutoff
        ):
            return row
    return None


def _release(session: Any, payment_id: str, refund_id: str, cents: int) -> None:
    """The provider refused a refund: it is FAILED and its reserved amount is free again."""
    if queries.settle_refund(session, refund_id, "FAILED", None):
        row = queries.payment(session, payment_id)
        queries.save_payment(session, row, utcnow(), refunded_cents=max(row.refunded_cents - cents, 0))
