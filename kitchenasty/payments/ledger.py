"""What every payment outcome does inside its write transaction (`run_write`): the payment row, the order's
`paymentStatus` (through `orders.queries`), a paid PENDING order confirmed (`orders.paid`), the
domain events and the receipt e-mail in the outbox. Shared by the webhook, PayPal capture and the staff actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kitchenasty.core import outbox
from kitchenasty.core.emails import render_email
from kitchenasty.core.events import notify, record
from kitchenasty.core.logging import get_logger
from kitchenasty.core.money import MoneyFormat, to_cents
from kitchenasty.core.validate import valid_email
from kitchenasty.orders import queries as order_queries
from kitchenasty.orders.paid import confirm_paid_in
from kitchenasty.orders.schemas import OrderOut
from kitchenasty.payments import checks, queries
from kitchenasty.payments.events import OrderPaymentChanged, PaymentFailed, PaymentRefunded, PaymentSucceeded
from kitchenasty.payments.schemas import PaymentOut
from kitchenasty.payments.views import payment_out

log = get_logger("kitchenasty.payments")
RECEIPT = "builtin:payment_receipt"

PROVIDER_WORDS = {"STRIPE": "card (online)", "PAYPAL": "PayPal", "CASH": "cash", "CARD_ON_SITE": "card"}


@dataclass(frozen=True)
class Context:
    """What a transaction needs of the settings, read before it starts (no await inside `run_write`)."""

    money: MoneyFormat
    restaurant: str
    mail_on: bool
    base_url: str
    on_confirmed: Callable[[Any, OrderOut], None]
    """What the orders domain does after a status change besides the history and event (its print hook), called
    when a payment confirms a PENDING order, so a paid order prints like one staff confirmed."""


def payment_view(session: Any, payment_id: str) -> PaymentOut:
    row = queries.payment(session, payment_id)
    return payment_out(row, queries.refunds_of(session, [payment_id]))


def refresh_order(session: Any, order_id: str, now: datetime) -> str:
    """Set the order's `paymentStatus` from its payments; returns it."""
    rows = queries.payments_of(session, order_id)
    status = checks.order_payment_status(checks.PaymentFacts(r.status, r.amount_cents, r.refunded_cents) for r in rows)
    order_queries.set_payment_status(session, order_id, status, now)
    return status


def announce(session: Any, order_id: str, now: datetime, *, confirm: bool, ctx: Context | None = None) -> OrderOut:
    """After a payment change: confirm the order when asked (and PENDING), else tell the rooms its payment state."""
    if confirm and confirm_paid_in(session, order_id, now):
        order = order_queries.load_order(session, order_id)
        if ctx is not None:
            ctx.on_confirmed(session, order)
        return order
    order = order_queries.load_order(session, order_id)
    notify(session, OrderPaymentChanged(order=order))
    return order


def succeeded(session: Any, ctx: Context, payment_id: str, now: datetime, *, confirm: bool) -> PaymentOut:
    """The payment (already saved SUCCEEDED) took the money: order state, confirmation, event, receipt."""
    row = queries.payment(session, payment_id)
    refresh_order(session, row.order_id, now)
    order = announce(session, row.order_id, now, confirm=confirm, ctx=ctx)
    payment = payment_view(session, payment_id)
    record(session, PaymentSucceeded(order=order, payment=payment))
    receipt(session, ctx, order, payment)
    return payment


def failed(session: Any, payment_id: str, now: datetime, reason: str) -> None:
    row = queries.payment(session, payment_id)
    refresh_order(session, row.order_id, now)
    order = announce(session, row.order_id, now, confirm=False)
    record(session, PaymentFailed(order=order, payment=payment_view(session, payment_id), reason=reason))


def refunded(session: Any, payment_id: str, now: datetime, cents: int, reason: str | None) -> PaymentOut:
    row = queries.payment(session, payment_id)
    status = "REFUNDED" if row.refunded_cents >= row.amount_cents else "PARTIALLY_REFUNDED"
    queries.save_payment(session, row, now, status=status)
    refresh_order(session, row.order_id, now)
    order = announce(session, row.order_id, now, confirm=False)
    payment = payment_view(session, payment_id)
    record(session, PaymentRefunded(order=order, payment=payment, amount=cents / 100, reason=reason))
    return payment


def flag(session: Any, row: Any, now: datetime, problem: str, *, source: str) -> None:
    """Refuse a provider's word for this payment: the flag staff see on it, a warning in the log, and a
    `payment.failed` event (rules can alert someone); the order stays unpaid by it."""
    queries.save_payment(session, row, now, flag=problem[:300])
    log.warning("payment.refused", payment_id=row.id, order_id=row.order_id, source=source, problem=problem)
    order = order_queries.load_order(session, row.order_id)
    record(session, PaymentFailed(order=order, payment=payment_view(session, row.id), reason=problem))


def receipt(session: Any, ctx: Context, order: OrderOut, payment: PaymentOut) -> None:
    """The receipt e-mail through the outbox, when mail is set up and the order has an address to send it to."""
    to = (order.customer.email if order.customer else None) or order.guest_email
    if not ctx.mail_on or not to or not valid_email(to):
        return

    def cents(value: float) -> str:
        return ctx.money(to_cents(repr(value)))  # the view's amounts are exact 2-decimal numbers

    totals = [
        (label, cents(value))
        for label, value in (
            ("Subtotal", order.subtotal),
            ("Discount", -order.discount if order.discount else None),
            ("Delivery", order.delivery_fee or None),
            ("Tax", order.tax or None),
            ("Tip", order.tip or None),
        )
        if value is not None
    ]
    name = (order.customer.name if order.customer else None) or order.guest_name
    mail = render_email(
        "payment_receipt",
        f"Receipt for order {order.order_number} at {ctx.restaurant}",
        restaurant=ctx.restaurant,
        greeting=f"Hello {name}," if name else "Hello,",
        number=order.order_number,
        lines=[{"label": f"{i.quantity} x {i.name}", "amount": cents(i.subtotal)} for i in order.items],
        totals=totals,
        total=cents(order.total),
        paid=cents(payment.amount),
        method=PROVIDER_WORDS.get(payment.provider, payment.provider),
        change=cents(payment.change) if payment.change else "",
        track_url=f"{ctx.base_url}/track/{order.id}?t={order.tracking_token}",
    )
    outbox.insert_messages(
        session,
        [
            outbox.message_row(
                channel="email",
                source=RECEIPT,
                order_id=order.id,
                dedupe_key=f"{payment.id}:{RECEIPT}",
                recipient=to,
                subject=mail.subject,
                body=mail.html,
                text_body=mail.text,
            )
        ],
    )
