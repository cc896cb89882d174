"""The payments domain's events. `payment.succeeded`, `payment.failed` and `payment.refunded` are durable
(automation rules can act on them); `OrderPaymentChanged` is in-process only: the live rooms show the new
`paymentStatus` (`payments.rooms`)."""

from __future__ import annotations

from kitchenasty.core.events import DomainEvent, event_type
from kitchenasty.orders.schemas import OrderOut
from kitchenasty.payments.schemas import PaymentOut


@event_type
class PaymentSucceeded(DomainEvent, frozen=True):
    """An order was paid (online, or marked paid by staff). Payload: {"order": {...}, "payment": {...}}."""

    name = "payment.succeeded"
    order: OrderOut
    payment: PaymentOut


@event_type
class PaymentFailed(DomainEvent, frozen=True):
    """A payment failed, or a provider's callback was refused (`reason`: why, e.g. an amount mismatch)."""

    name = "payment.failed"
    order: OrderOut
    payment: PaymentOut
    reason: str


@event_type
class PaymentRefunded(DomainEvent, frozen=True):
    """Part or all of a payment was given back (`amount`: this refund, in major units)."""

    name = "payment.refunded"
    order: OrderOut
    payment: PaymentOut
    amount: float
    reason: str | None


class OrderPaymentChanged(DomainEvent, frozen=True):
    """In-process: an order's `paymentStatus` changed without its status moving (the live rooms tell the kitchen and
    the guest). When a payment also confirmed the order, `order.statusChanged` carries the news instead."""

    name = "order.paymentChanged"
    order: OrderOut
