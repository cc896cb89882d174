"""The rollups: orders and items summed per restaurant-local day, so the dashboard and the end-of-day report read a
few hundred rows whatever the number of orders.

- `order_rollups` (day, location, type, payment method, status): counts and every amount.
- `hour_rollups` (day, hour, location): orders not cancelled and their totals (revenue by hour).
- `item_rollups` (day, location, item, name): quantities ordered.

They are kept by **database triggers** on `orders` and `order_items`, so they change in the very statement that
inserts an order or moves its status (same transaction, no path can forget them) and cost no Python on the hot
path: the three upserts from Python cost ~240,000 instructions per order placed and as many per status change
(measured with callgrind), the triggers a small part of that. An order's row is its own rollup key (`local_day`,
`local_hour`, `location_id`, `order_type`, `payment_method`, `status`), so a trigger needs nothing else: a change
of any of those columns or of an amount takes the old row out of its bucket and puts the new one in;
`hour_rollups` counts only orders not CANCELLED; items are counted when inserted (cancelled orders' items
included, as the original's top items do) and taken out when voided. Orders are never deleted by the app; a
deleted order leaves the order and hour rollups (its items stay counted until `rebuild`).

The triggers are code, not schema: `install_triggers` (re)creates them after every migration
(`migrations/env.py`), so the definition here is the one every database runs. `rebuild` recomputes all three
tables from the orders (after a restore, or when rows were written by hand).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, case, delete, func, insert, select

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
_ORDER_KEY_OF_ROW = ("local_day", "location_id", "order_type", "payment_method", "status")
_WATCHED = (*_ORDER_KEY_OF_ROW, "local_hour", *AMOUNTS)
"""The order columns whose change moves the order between rollup rows."""


def _sum_set(table: str, columns: tuple[str, ...]) -> str:
    return ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in columns)


def _order_upsert(row: str, sign: str) -> str:
    values = ", ".join(f"{row}.{column}" for column in _ORDER_KEY_OF_ROW)
    amounts = ", ".join(f"{sign}{row}.{column}" for column in AMOUNTS)
    # built from this module's own table and column names: no input reaches it
    return (
        f"INSERT INTO order_rollups ({', '.join(ORDER_KEY)}, orders, {', '.join(AMOUNTS)}) "  # noqa: S608
        f"VALUES ({values}, {sign}1, {amounts}) "
        f"ON CONFLICT ({', '.join(ORDER_KEY)}) DO UPDATE SET {_sum_set('order_rollups', ('orders', *AMOUNTS))}"
    )


def _hour_upsert(row: str, sign: str) -> str:
    # `WHERE` makes the SELECT unambiguous before ON CONFLICT (SQLite's documented parsing rule)
    return (
        "INSERT INTO hour_rollups (day, hour, location_id, orders, total_cents) "
        f"SELECT {row}.local_day, {row}.local_hour, {row}.location_id, {sign}1, {sign}{row}.total_cents "
        f"WHERE {row}.status <> '{CANCELLED}' "
        f"ON CONFLICT (day, hour, location_id) DO UPDATE SET {_sum_set('hour_rollups', ('orders', 'total_cents'))}"
    )


def _item_upsert(row: str, sign: str) -> str:
    """A line's quantity in or out of its item's bucket; a voided line (`voided_at` set) counts for nothing."""
    return (
        "INSERT INTO item_rollups (day, location_id, menu_item_id, name, quantity, subtotal_cents) "  # noqa: S608
        f"SELECT o.local_day, o.location_id, {row}.menu_item_id, {row}.name, {sign}{row}.quantity, "
        f"{sign}{row}.subtotal_cents FROM orders AS o WHERE o.id = {row}.order_id AND {row}.voided_at IS NULL "
        "ON CONFLICT (day, location_id, menu_item_id, name) "
        f"DO UPDATE SET {_sum_set('item_rollups', ('quantity', 'subtotal_cents'))}"
    )


_ITEM_WATCHED = ("order_id", "menu_item_id", "name", "quantity", "subtotal_cents", "voided_at")
_ORDER_CHANGED = " OR ".join(f"old.{column} IS NOT new.{column}" for column in _WATCHED)
_ITEM_CHANGED = " OR ".join(f"old.{column} IS NOT new.{column}" for column in _ITEM_WATCHED)
_TRIGGER_NAMES = (
    "rollups_order_inserted",
    "rollups_order_updated",
    "rollups_order_deleted",
    "rollups_item_inserted",
    "rollups_item_updated",
)

_SQLITE = (
    f"CREATE TRIGGER rollups_order_inserted AFTER INSERT ON orders BEGIN "
    f"{_order_upsert('new', '')}; {_hour_upsert('new', '')}; END",
    f"CREATE TRIGGER rollups_order_updated AFTER UPDATE ON orders WHEN {_ORDER_CHANGED} BEGIN "
    f"{_order_upsert('old', '-')}; {_order_upsert('new', '')}; {_hour_upsert('old', '-')}; "
    f"{_hour_upsert('new', '')}; END",
    f"CREATE TRIGGER rollups_order_deleted AFTER DELETE ON orders BEGIN "
    f"{_order_upsert('old', '-')}; {_hour_upsert('old', '-')}; END",
    f"CREATE TRIGGER rollups_item_inserted AFTER INSERT ON order_items BEGIN {_item_upsert('new', '')}; END",
    f"CREATE TRIGGER rollups_item_updated AFTER UPDATE ON order_items WHEN {_ITEM_CHANGED} BEGIN "
    f"{_item_upsert('old', '-')}; {_item_upsert('new', '')}; END",
)

_PG_CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in _WATCHED)
_PG_ITEM_CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in _ITEM_WATCHED)
_POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION rollups_order_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'UPDATE' AND NOT ({_PG_CHANGED}) THEN RETURN NULL; END IF; "
    f"IF TG_OP <> 'INSERT' THEN {_order_upsert('OLD', '-')}; {_hour_upsert('OLD', '-')}; END IF; "
    f"IF TG_OP <> 'DELETE' THEN {_order_upsert('NEW', '')}; {_hour_upsert('NEW', '')}; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER rollups_order_updated AFTER INSERT OR UPDATE OR DELETE ON orders "
    "FOR EACH ROW EXECUTE FUNCTION rollups_order_changed()",
    "CREATE OR REPLACE FUNCTION rollups_item_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'UPDATE' AND NOT ({_PG_ITEM_CHANGED}) THEN RETURN NULL; END IF; "
    f"IF TG_OP = 'UPDATE' THEN {_item_upsert('OLD', '-')}; END IF; "
    f"{_item_upsert('NEW', '')}; RETURN NULL; END $$",
    "CREATE TRIGGER rollups_item_updated AFTER INSERT OR UPDATE ON order_items "
    "FOR EACH ROW EXECUTE FUNCTION rollups_item_changed()",
)


def install_triggers(connection: Connection) -> None:
    """(Re)create the rollup triggers in the caller's transaction, as this version of the code defines them."""
    dialect = connection.dialect.name
    for name in _TRIGGER_NAMES:
        table = "order_items" if name.startswith("rollups_item") else "orders"
        drop = f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if dialect == "postgresql" else "")
        connection.exec_driver_sql(drop)
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}.get(dialect)
    if statements is None:
        raise RuntimeError(f"the rollups have no triggers for {dialect}")
    for statement in statements:
        connection.exec_driver_sql(statement)


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
