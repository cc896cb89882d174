"""The kitchen line's SQL (issue 15): items' preparation states (compare-and-set on `prep_version`), the kitchen's
undo log (`kitchen_moves`) and a new order's acknowledgement. Part of the orders domain's queries: the only other
code that writes `order_items`, `orders` and `kitchen_moves`. Compiled Core statements through `fast()`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of
from kitchenasty.orders.models import KitchenMove, Order, OrderItem, OrderStatusChange

orders_t = table_of(Order)
items_t = table_of(OrderItem)
changes_t = table_of(OrderStatusChange)
moves_t = table_of(KitchenMove)

_ITEM = select(
    items_t.c.id, items_t.c.order_id, items_t.c.prep_state, items_t.c.prep_version, items_t.c.prep_changed_at
).where(items_t.c.id == bindparam("item_id"), items_t.c.order_id == bindparam("order_id"))
_SET_PREP = (
    update(items_t)
    .where(items_t.c.id == bindparam("item_id"), items_t.c.prep_version == bindparam("expected"))
    .values(
        prep_state=bindparam("state", type_=items_t.c.prep_state.type),
        prep_version=items_t.c.prep_version + 1,
        prep_changed_at=bindparam("now", type_=items_t.c.prep_changed_at.type),
    )
)
_OPEN_ITEMS = select(func.count()).where(items_t.c.order_id == bindparam("order_id"), items_t.c.prep_state != "DONE")
_INSERT_MOVE = insert(moves_t)
_MOVES_OF = select(moves_t).where(moves_t.c.order_id == bindparam("order_id"))
_HISTORY_OF = select(changes_t.c.id, changes_t.c.from_status, changes_t.c.to_status, changes_t.c.created_at).where(
    changes_t.c.order_id == bindparam("order_id")
)
_MARK_RECALLED = (
    update(moves_t)
    .where(moves_t.c.id == bindparam("move_id"))
    .values(recalled_at=bindparam("now", type_=moves_t.c.recalled_at.type))
)
_ACKNOWLEDGE = (
    update(orders_t)
    .where(orders_t.c.id == bindparam("order_id"), orders_t.c.acknowledged_at.is_(None))
    .values(
        acknowledged_at=bindparam("now", type_=orders_t.c.acknowledged_at.type),
        acknowledged_by=bindparam("by", type_=orders_t.c.acknowledged_by.type),
    )
)
_ACKNOWLEDGED = select(orders_t.c.id, orders_t.c.acknowledged_at, orders_t.c.acknowledged_by).where(
    orders_t.c.id == bindparam("order_id")
)


def item_of(session: Any, order_id: str, item_id: str) -> Any:
    """(id, order_id, prep_state, prep_version, prep_changed_at) of one item of that order, or None."""
    return fast(session).execute(_ITEM, {"order_id": order_id, "item_id": item_id}).first()


def set_prep(session: Any, item_id: str, expected: int, state: str, now: Any) -> bool:
    """Compare-and-set: False when the item's version is no longer `expected`."""
    params = {"item_id": item_id, "expected": expected, "state": state, "now": now}
    return fast(session).execute(_SET_PREP, params).rowcount == 1


def open_items(session: Any, order_id: str) -> int:
    """How many of the order's items are not DONE."""
    return int(fast(session).execute(_OPEN_ITEMS, {"order_id": order_id}).scalar_one())


def insert_move(session: Any, move: Mapping[str, Any]) -> None:
    fast(session).execute(_INSERT_MOVE, move)


def moves_of(session: Any, order_id: str) -> list[Any]:
    return list(fast(session).execute(_MOVES_OF, {"order_id": order_id}).all())


def history_of(session: Any, order_id: str) -> list[Any]:
    """(id, from_status, to_status, created_at) of each of the order's status changes."""
    return list(fast(session).execute(_HISTORY_OF, {"order_id": order_id}).all())


def mark_recalled(session: Any, move_id: str, now: Any) -> None:
    fast(session).execute(_MARK_RECALLED, {"move_id": move_id, "now": now})


def acknowledge(session: Any, order_id: str, staff_id: str, now: Any) -> bool:
    """Set the acknowledgement unless the order has one already (False then, or when there is no such order)."""
    return fast(session).execute(_ACKNOWLEDGE, {"order_id": order_id, "by": staff_id, "now": now}).rowcount == 1


def acknowledgement(session: Any, order_id: str) -> Any:
    """(id, acknowledged_at, acknowledged_by) of the order, or None."""
    return fast(session).execute(_ACKNOWLEDGED, {"order_id": order_id}).first()
