"""Item void: one line taken off an order after it was placed (the guest changed their mind, the kitchen ran out).

One write transaction: the line is marked voided (compare-and-set: a line is voided once), its stock goes back,
the order's subtotal, tax and total are worked out again with the pricing rules of placement
(`checks.compute_totals`: the discount as placed, at most the new subtotal; the coupon use is kept; the delivery
fee and tip stay), the rollups move by the difference (their triggers), an audit row names who did it and why,
and the order's rooms and printers hear of it (`OrderItemVoided`; `hooks.item_voided` writes the change tickets).

Refused (409) once the order is finished or cancelled, and for the order's last live line (cancel the order).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, func, select, update

from kitchenasty.core import audit
from kitchenasty.core.errors import Conflict, NotFound
from kitchenasty.core.events import notify
from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of, utcnow
from kitchenasty.menu import queries as menu_queries
from kitchenasty.orders import checks, queries
from kitchenasty.orders.checks import OrderNotFound, OrderSettings
from kitchenasty.orders.events import OrderItemVoided
from kitchenasty.orders.hooks import OrderHooks
from kitchenasty.orders.models import Order, OrderItem
from kitchenasty.orders.schemas import OrderOut

orders_t: Table = table_of(Order)
items_t: Table = table_of(OrderItem)

_ORDER = select(
    orders_t.c.status,
    orders_t.c.tax_rate_bp,
    orders_t.c.coupon_id,
    orders_t.c.order_type,
    orders_t.c.subtotal_cents,
    orders_t.c.discount_cents,
    orders_t.c.delivery_fee_cents,
    orders_t.c.tax_cents,
    orders_t.c.tip_cents,
    orders_t.c.total_cents,
).where(orders_t.c.id == bindparam("order_id"))
_ITEM = select(
    items_t.c.id,
    items_t.c.menu_item_id,
    items_t.c.name,
    items_t.c.quantity,
    items_t.c.subtotal_cents,
    items_t.c.stock_taken,
    items_t.c.voided_at,
).where(items_t.c.id == bindparam("item_id"), items_t.c.order_id == bindparam("order_id"))
_LIVE_SUBTOTALS = select(items_t.c.subtotal_cents).where(
    items_t.c.order_id == bindparam("order_id"), items_t.c.voided_at.is_(None)
)
_VOID = (
    update(items_t)
    .where(items_t.c.id == bindparam("item_id"), items_t.c.voided_at.is_(None))
    .values(
        voided_at=bindparam("now"),
        voided_by=bindparam("by"),
        void_reason=bindparam("reason"),
        stock_taken=0,
    )
)
_RETOTAL = (
    update(orders_t)
    .where(orders_t.c.id == bindparam("order_id"), orders_t.c.status == bindparam("current_status"))
    .values(
        subtotal_cents=bindparam("subtotal"),
        discount_cents=bindparam("discount"),
        tax_cents=bindparam("tax"),
        total_cents=bindparam("total"),
        updated_at=bindparam("now"),
    )
)
_COUNT_LIVE = select(func.count()).where(items_t.c.order_id == bindparam("order_id"), items_t.c.voided_at.is_(None))


def void_in(
    session: Any,
    *,
    order_id: str,
    item_id: str,
    reason: str,
    staff_id: str,
    cfg: OrderSettings,
    hooks: OrderHooks,
) -> OrderOut:
    """The whole void, inside the caller's write transaction (`Database.run_write`)."""
    conn = fast(session)
    order = conn.execute(_ORDER, {"order_id": order_id}).first()
    if order is None:
        raise OrderNotFound("Order not found")
    item = conn.execute(_ITEM, {"item_id": item_id, "order_id": order_id}).first()
    if item is None:
        raise NotFound("This item is not on the order", code="ORDER_ITEM_NOT_FOUND")
    if item.voided_at is not None:
        raise Conflict("This item was already voided", code="ITEM_ALREADY_VOIDED")
    if order.status in checks.TERMINAL:
        raise Conflict(
            f"The order is {order.status.replace('_', ' ').lower()}; its items can no longer be voided",
            code="ORDER_CLOSED",
        )
    if int(conn.execute(_COUNT_LIVE, {"order_id": order_id}).scalar_one()) <= 1:
        raise Conflict("This is the order's last item: cancel the order instead of voiding it", code="LAST_ITEM")
    now = utcnow()
    if conn.execute(_VOID, {"item_id": item_id, "now": now, "by": staff_id, "reason": reason}).rowcount != 1:
        raise Conflict("This item was already voided", code="ITEM_ALREADY_VOIDED")
    if item.stock_taken:
        menu_queries.give_stock(session, item.menu_item_id, int(item.stock_taken))
    remaining = [int(row[0]) for row in conn.execute(_LIVE_SUBTOTALS, {"order_id": order_id}).all()]
    totals = checks.compute_totals(
        remaining,
        order_type=order.order_type,
        delivery_fee_cents=int(order.delivery_fee_cents),
        discount_cents=int(order.discount_cents),
        tax_rate_bp=int(order.tax_rate_bp),
        tip_cents=int(order.tip_cents),
    )
    params = {
        "order_id": order_id,
        "current_status": order.status,
        "subtotal": totals.subtotal,
        "discount": totals.discount,
        "tax": totals.tax,
        "total": totals.total,
        "now": now,
    }
    if conn.execute(_RETOTAL, params).rowcount != 1:
        raise Conflict("The order changed meanwhile; please reload it", code="ORDER_CHANGED")
    audit.record(
        session,
        action="update",
        entity="order_item",
        entity_id=item_id,
        changes={
            "voided": [False, True],
            "reason": [None, reason],
            "orderId": [None, order_id],
            "totalCents": [int(order.total_cents), totals.total],
        },
    )
    out = queries.load_order(session, order_id)
    voided = next(i for i in out.items if i.id == item_id)
    notify(session, OrderItemVoided(order=out, item_id=item_id, reason=reason))
    hooks.item_voided(session, out, voided, cfg)
    return out
