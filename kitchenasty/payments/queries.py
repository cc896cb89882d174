"""The payments domain's SQL (compiled Core statements, run inside `Database.run_write` / `run_read`): the only code
that writes `payments`, `payment_refunds` and `payment_events`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, insert, or_, select, update

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of
from kitchenasty.orders.models import Order
from kitchenasty.payments.models import Payment, PaymentEvent, PaymentRefund
from kitchenasty.staff.models import StaffUser

payments_t = table_of(Payment)
refunds_t = table_of(PaymentRefund)
events_t = table_of(PaymentEvent)
orders_t = table_of(Order)
staff_t = table_of(StaffUser)

_PAYMENT_ROWS = select(payments_t, staff_t.c.name.label("actor_name")).select_from(
    payments_t.outerjoin(staff_t, staff_t.c.id == payments_t.c.actor_id)
)
_BY_ID = _PAYMENT_ROWS.where(payments_t.c.id == bindparam("payment_id"))
_OF_ORDER = _PAYMENT_ROWS.where(payments_t.c.order_id == bindparam("order_id")).order_by(
    payments_t.c.created_at, payments_t.c.id
)
_BY_REF = _PAYMENT_ROWS.where(
    payments_t.c.provider == bindparam("provider"),
    or_(payments_t.c.provider_ref == bindparam("ref"), payments_t.c.intent_ref == bindparam("ref")),
)
_REFUNDS_OF = (
    select(refunds_t, staff_t.c.name.label("actor_name"))
    .select_from(refunds_t.outerjoin(staff_t, staff_t.c.id == refunds_t.c.actor_id))
    .where(refunds_t.c.payment_id.in_(bindparam("ids", expanding=True)))
    .order_by(refunds_t.c.created_at, refunds_t.c.id)
)
_ORDER_FOR_PAYMENT = select(
    orders_t.c.id,
    orders_t.c.status,
    orders_t.c.payment_status,
    orders_t.c.total_cents,
    orders_t.c.order_number,
    orders_t.c.tracking_token,
    orders_t.c.customer_id,
    orders_t.c.guest_email,
).where(orders_t.c.id == bindparam("order_id"))
_INSERT_PAYMENT = insert(payments_t)
_SAVE_PAYMENT = (
    update(payments_t)
    .where(payments_t.c.id == bindparam("payment_id"))
    .values(
        status=bindparam("status"),
        intent_ref=bindparam("intent_ref"),
        refunded_cents=bindparam("refunded_cents"),
        paid_at=bindparam("paid_at", type_=payments_t.c.paid_at.type),
        flag=bindparam("flag"),
        updated_at=bindparam("now", type_=payments_t.c.updated_at.type),
    )
)
_INSERT_REFUND = insert(refunds_t)
_SETTLE_REFUND = (
    update(refunds_t)
    .where(refunds_t.c.id == bindparam("refund_id"), refunds_t.c.status == "PENDING")
    .values(status=bindparam("status"), provider_ref=bindparam("provider_ref"))
)
_EVENT_SEEN = select(events_t.c.id).where(
    events_t.c.provider == bindparam("provider"), events_t.c.event_id == bindparam("event_id")
)
_INSERT_EVENT = insert(events_t)


def payment(session: Any, payment_id: str) -> Any:
    return fast(session).execute(_BY_ID, {"payment_id": payment_id}).first()


def payments_of(session: Any, order_id: str) -> list[Any]:
    return list(fast(session).execute(_OF_ORDER, {"order_id": order_id}).all())


def payment_by_ref(session: Any, provider: str, ref: str) -> Any:
    """The payment a provider's id names (a Checkout Session, PaymentIntent, PayPal order or capture), or None."""
    return fast(session).execute(_BY_REF, {"provider": provider, "ref": ref}).first()


def refunds_of(session: Any, payment_ids: Sequence[str]) -> list[Any]:
    if not payment_ids:
        return []
    return list(fast(session).execute(_REFUNDS_OF, {"ids": list(payment_ids)}).all())


def order_facts(session: Any, order_id: str) -> Any:
    """What paying an order needs of it (status, payment status, total, number, token, contact), or None."""
    return fast(session).execute(_ORDER_FOR_PAYMENT, {"order_id": order_id}).first()


def insert_payment(session: Any, row: Mapping[str, Any]) -> None:
    fast(session).execute(_INSERT_PAYMENT, row)


def save_payment(session: Any, row: Any, now: Any, **changes: Any) -> None:
    """Write a payment's changing columns: those of `row` (read in this transaction) with `changes` applied."""
    values = {
        name: changes.get(name, getattr(row, name))
        for name in ("status", "intent_ref", "refunded_cents", "paid_at", "flag")
    }
    fast(session).execute(_SAVE_PAYMENT, {"payment_id": row.id, "now": now, **values})


def insert_refund(session: Any, row: Mapping[str, Any]) -> None:
    fast(session).execute(_INSERT_REFUND, row)


def settle_refund(session: Any, refund_id: str, status: str, provider_ref: str | None) -> bool:
    params = {"refund_id": refund_id, "status": status, "provider_ref": provider_ref}
    return fast(session).execute(_SETTLE_REFUND, params).rowcount == 1


def event_seen(session: Any, provider: str, event_id: str) -> bool:
    return fast(session).execute(_EVENT_SEEN, {"provider": provider, "event_id": event_id}).first() is not None


def insert_event(session: Any, row: Mapping[str, Any]) -> None:
    fast(session).execute(_INSERT_EVENT, row)
