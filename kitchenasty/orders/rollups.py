"""The rollups: orders and items summed per restaurant-local day, kept in the same transactions that place an order
and move its status, so the dashboard and the end-of-day report read a few hundred rows whatever the number of
orders.

- `order_rollups` (day, location, type, payment method, status): counts and every amount.
- `hour_rollups` (day, hour, location): orders not cancelled and their totals (revenue by hour).
- `item_rollups` (day, location, item, name): quantities ordered.

Placing an order is one upsert into each (the items as one batch). A status change moves the order between two
`order_rollups` rows (one batch of two upserts), and touches `hour_rollups` only when it enters or leaves
CANCELLED. `rebuild` recomputes all three from the orders (after a restore, or when rows were written by hand).
Item quantities count every order placed, cancelled ones included (as the original's top items do).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, case, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of
from kitchenasty.orders.models import HourRollup, ItemRollup, Order, OrderItem, OrderRollup

rollups_t: Table = table_of(OrderRollup)
hours_t: Table = table_of(HourRollup)
items_rollup_t: Table = table_of(ItemRollup)
orders_t: Table = table_of(Order)
order_items_t: Table = table_of(OrderItem)

CANCELLED = "CANCELLED"
AMOUNTS = ("subtotal_cents", "discount_cents", "delivery_fee_cents", "tax_cents", "tip_cents", "total_cents")
ORDER_KEY = ("day", "location_id", "order_type", "payment_method", "status")
ROLLUP_COLUMNS = (
    orders_t.c.local_day,
    orders_t.c.local_hour,
    orders_t.c.location_id,
    orders_t.c.order_type,
    orders_t.c.payment_method,
    *(getattr(orders_t.c, name) for name in AMOUNTS),
)
"""What a status change must read of the order to move it between rollup rows (`queries.current_status` does)."""


def _upsert(dialect_insert: Any, table: Table, key: Sequence[str], summed: Sequence[str]) -> Any:
    stmt = dialect_insert(table)
    added = {name: getattr(table.c, name) + getattr(stmt.excluded, name) for name in summed}
    return stmt.on_conflict_do_update(index_elements=list(key), set_=added)


def _upserts(table: Table, key: Sequence[str], summed: Sequence[str]) -> dict[str, Any]:
    return {
        "sqlite": _upsert(sqlite_insert, table, key, summed),
        "postgresql": _upsert(postgresql_insert, table, key, summed),
    }


_ADD_ORDER = _upserts(rollups_t, ORDER_KEY, ("orders", *AMOUNTS))
_ADD_HOUR = _upserts(hours_t, ("day", "hour", "location_id"), ("orders", "total_cents"))
_ADD_ITEM = _upserts(items_rollup_t, ("day", "location_id", "menu_item_id", "name"), ("quantity", "subtotal_cents"))


def _order_row(order: Mapping[str, Any], status: str, sign: int) -> dict[str, Any]:
    row = {
        "day": order["local_day"],
        "location_id": order["location_id"],
        "order_type": order["order_type"],
        "payment_method": order["payment_method"],
        "status": status,
        "orders": sign,
    }
    row.update({name: sign * int(order[name]) for name in AMOUNTS})
    return row


def _hour_row(order: Mapping[str, Any], sign: int) -> dict[str, Any]:
    return {
        "day": order["local_day"],
        "hour": order["local_hour"],
        "location_id": order["location_id"],
        "orders": sign,
        "total_cents": sign * int(order["total_cents"]),
    }


def order_placed(session: Any, order: Mapping[str, Any], items: Sequence[Mapping[str, Any]]) -> None:
    """Count an order just inserted (its row as inserted) and its lines."""
    conn = fast(session)
    dialect = conn.dialect.name
    conn.execute(_ADD_ORDER[dialect], _order_row(order, order["status"], 1))
    conn.execute(_ADD_HOUR[dialect], _hour_row(order, 1))
    conn.execute(
        _ADD_ITEM[dialect],
        [
            {
                "day": order["local_day"],
                "location_id": order["location_id"],
                "menu_item_id": item["menu_item_id"],
                "name": item["name"],
                "quantity": item["quantity"],
                "subtotal_cents": item["subtotal_cents"],
            }
            for item in items
        ],
    )


def status_moved(session: Any, current: Any, status: str) -> None:
    """Move an order from its current status row to its new `status` row (`current`: the order's row with
    `ROLLUP_COLUMNS` and `status`, read by the status change)."""
    conn = fast(session)
    dialect = conn.dialect.name
    order = {column.key: getattr(current, column.key) for column in ROLLUP_COLUMNS}
    conn.execute(_ADD_ORDER[dialect], [_order_row(order, current.status, -1), _order_row(order, status, 1)])
    if (status == CANCELLED) != (current.status == CANCELLED):
        conn.execute(_ADD_HOUR[dialect], _hour_row(order, -1 if status == CANCELLED else 1))


def item_voided(session: Any, before: Mapping[str, Any], after: Mapping[str, Any], status: str, item: Any) -> None:
    """A line was voided: the order's row moves from its amounts `before` to `after` (same status), the hour's
    total by the difference (unless cancelled), the item's quantity and subtotal come off."""
    conn = fast(session)
    dialect = conn.dialect.name
    conn.execute(_ADD_ORDER[dialect], [_order_row(before, status, -1), _order_row(after, status, 1)])
    if status != CANCELLED:
        conn.execute(_ADD_HOUR[dialect], [_hour_row(before, -1), _hour_row(after, 1)])
    conn.execute(
        _ADD_ITEM[dialect],
        {
            "day": before["local_day"],
            "location_id": before["location_id"],
            "menu_item_id": item.menu_item_id,
            "name": item.name,
            "quantity": -int(item.quantity),
            "subtotal_cents": -int(item.subtotal_cents),
        },
    )


def rebuild(session: Any) -> tuple[int, int]:
    """Recompute the rollup tables from the orders in one transaction; returns (order rows, item rows)."""
    conn = fast(session)
    for table in (rollups_t, hours_t, items_rollup_t):
        conn.execute(delete(table))
    keys = (orders_t.c.local_day, orders_t.c.location_id, orders_t.c.order_type, orders_t.c.payment_method)
    conn.execute(
        insert(rollups_t).from_select(
            [*ORDER_KEY, "orders", *AMOUNTS],
            select(
                *keys,
                orders_t.c.status,
                func.count(),
                *(func.sum(getattr(orders_t.c, name)) for name in AMOUNTS),
            ).group_by(*keys, orders_t.c.status),
        )
    )
    kept = orders_t.c.status != CANCELLED
    hour_keys = (orders_t.c.local_day, orders_t.c.local_hour, orders_t.c.location_id)
    conn.execute(
        insert(hours_t).from_select(
            ["day", "hour", "location_id", "orders", "total_cents"],
            select(
                *hour_keys,
                func.sum(case((kept, 1), else_=0)),
                func.sum(case((kept, orders_t.c.total_cents), else_=0)),
            ).group_by(*hour_keys),
        )
    )
    conn.execute(
        insert(items_rollup_t).from_select(
            ["day", "location_id", "menu_item_id", "name", "quantity", "subtotal_cents"],
            select(
                orders_t.c.local_day,
                orders_t.c.location_id,
                order_items_t.c.menu_item_id,
                order_items_t.c.name,
                func.sum(order_items_t.c.quantity),
                func.sum(order_items_t.c.subtotal_cents),
            )
            .select_from(order_items_t.join(orders_t, orders_t.c.id == order_items_t.c.order_id))
            .where(order_items_t.c.voided_at.is_(None))
            .group_by(orders_t.c.local_day, orders_t.c.location_id, order_items_t.c.menu_item_id, order_items_t.c.name),
        )
    )
    counts = conn.execute(select(func.count()).select_from(rollups_t)).scalar_one()
    items = conn.execute(select(func.count()).select_from(items_rollup_t)).scalar_one()
    return int(counts), int(items)
