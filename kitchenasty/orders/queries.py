"""The orders domain's SQL: the only code that writes `orders`, `order_items`, `order_item_options`,
`order_status_changes` and `order_counters`. It also reads what an order needs from other domains' tables
(locations and their hours, tables, customers, staff names for the history, menu items with their options and
mealtimes); stock and coupon uses are written through their owners (`menu.queries`, `CouponService`).

Statements are module-level SQLAlchemy Core, compiled once and run through `core.fastsql.fast` (the raw SQLite
cursor on the hot paths; a plain Connection elsewhere, so the same code runs on PostgreSQL).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, cast

import msgspec
from sqlalchemy import ColumnElement, and_, bindparam, case, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of
from kitchenasty.customers.models import Customer
from kitchenasty.customers.schemas import CustomerOrderTotals
from kitchenasty.locations.hours import Closure, DayHours
from kitchenasty.locations.models import DiningTable, Location, OperatingHour
from kitchenasty.locations.queries import closures_since
from kitchenasty.menu.models import Category, Mealtime, MenuItem, MenuOption, MenuOptionValue, menu_item_mealtimes
from kitchenasty.orders import rollups
from kitchenasty.orders.checks import MenuItemRule, MenuOptionRule, MenuValueRule, OrderNotFound
from kitchenasty.orders.models import Order, OrderCounter, OrderItem, OrderItemOption, OrderStatusChange
from kitchenasty.orders.schemas import OrderOut
from kitchenasty.orders.views import address_out, order_rows_out
from kitchenasty.staff.models import StaffUser

# Tables of declarative models (mypy sees `FromClause`; at run time each is the model's `Table`).
orders_t = table_of(Order)
items_t = table_of(OrderItem)
item_options_t = table_of(OrderItemOption)
changes_t = table_of(OrderStatusChange)
counters_t = table_of(OrderCounter)
locations_t = table_of(Location)
hours_t = table_of(OperatingHour)
tables_t = table_of(DiningTable)
customers_t = table_of(Customer)
menu_items_t = table_of(MenuItem)
categories_t = table_of(Category)
menu_options_t = table_of(MenuOption)
menu_values_t = table_of(MenuOptionValue)
mealtimes_t = table_of(Mealtime)
staff_t = table_of(StaffUser)

IN_CHUNK = 5000
"""Ids per `IN (...)` list (SQLite allows 32,766 parameters)."""
NEWEST_FIRST = (orders_t.c.created_at.desc(), orders_t.c.id.desc())
OLDEST_FIRST = (orders_t.c.created_at.asc(), orders_t.c.id.asc())

# ---------------------------------------------------------------- reading orders

_ORDER_ROWS = select(
    orders_t,
    locations_t.c.name.label("location_name"),
    customers_t.c.name.label("c_name"),
    customers_t.c.email.label("c_email"),
    customers_t.c.phone.label("c_phone"),
).select_from(
    orders_t.join(locations_t, locations_t.c.id == orders_t.c.location_id).outerjoin(
        customers_t, customers_t.c.id == orders_t.c.customer_id
    )
)
_ITEMS_OF = (
    select(
        items_t.c.id,
        items_t.c.order_id,
        items_t.c.menu_item_id,
        items_t.c.name,
        items_t.c.quantity,
        items_t.c.unit_price_cents,
        items_t.c.subtotal_cents,
        items_t.c.comment,
        items_t.c.prep_state,
        items_t.c.prep_version,
        items_t.c.prep_changed_at,
        items_t.c.station_id,
        items_t.c.voided_at,
    )
    .where(items_t.c.order_id.in_(bindparam("ids", expanding=True)))
    .order_by(items_t.c.order_id, items_t.c.position)
)
_OPTIONS_OF = (
    select(
        item_options_t.c.id,
        item_options_t.c.order_item_id,
        item_options_t.c.menu_option_value_id,
        item_options_t.c.name,
        item_options_t.c.value,
        item_options_t.c.price_modifier_cents,
    )
    .select_from(item_options_t.join(items_t, items_t.c.id == item_options_t.c.order_item_id))
    .where(items_t.c.order_id.in_(bindparam("ids", expanding=True)))
    .order_by(item_options_t.c.order_item_id, item_options_t.c.position)
)
_ORDER_BY_ID = _ORDER_ROWS.where(orders_t.c.id == bindparam("order_id"))


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def _with_items(session: Any, rows: Sequence[Any]) -> list[OrderOut]:
    conn = fast(session)
    ids = [row.id for row in rows]
    items: list[Any] = []
    options: list[Any] = []
    for chunk in _chunks(ids):
        options.extend(conn.execute(_OPTIONS_OF, {"ids": chunk}))
        items.extend(conn.execute(_ITEMS_OF, {"ids": chunk}))
    return order_rows_out(rows, items, options)


def load_orders(
    session: Any,
    conditions: Sequence[ColumnElement[bool]],
    *,
    order_by: Sequence[Any] = NEWEST_FIRST,
    limit: int | None = None,
    offset: int | None = None,
) -> list[OrderOut]:
    """Orders matching `conditions` with their items and options: three queries, whatever the number of orders."""
    stmt = _ORDER_ROWS.where(*conditions).order_by(*order_by)
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = fast(session).execute(stmt).all()
    return _with_items(session, rows) if rows else []


def load_order(session: Any, order_id: str) -> OrderOut:
    found = _with_items(session, fast(session).execute(_ORDER_BY_ID, {"order_id": order_id}).all())
    if not found:
        raise OrderNotFound("Order not found")
    return found[0]


def count_orders(session: Any, conditions: Sequence[ColumnElement[bool]]) -> int:
    return int(fast(session).execute(select(func.count()).select_from(orders_t).where(*conditions)).scalar_one())


def list_conditions(
    *,
    statuses: Sequence[str],
    order_type: str | None,
    location_id: str | None,
    created_from: Any,
    created_before: Any,
    number: str | None,
    customer_id: str | None = None,
    search: str | None = None,
) -> list[ColumnElement[bool]]:
    """The staff list's filters (the CSV export uses the very same). `number` matches the order number only;
    `search` the number, or the guest's or the customer's name, e-mail or phone (case-insensitive, a part will do)."""
    conditions: list[ColumnElement[bool]] = []
    if statuses:
        conditions.append(orders_t.c.status.in_(statuses))
    if order_type:
        conditions.append(orders_t.c.order_type == order_type)
    if location_id:
        conditions.append(orders_t.c.location_id == location_id)
    if created_from is not None:
        conditions.append(orders_t.c.created_at >= created_from)
    if created_before is not None:
        conditions.append(orders_t.c.created_at < created_before)
    if number:
        conditions.append(orders_t.c.order_number.contains(number.upper(), autoescape=True))
    if customer_id is not None:
        conditions.append(orders_t.c.customer_id == customer_id)
    if search:
        conditions.append(_search_condition(search))
    return conditions


def _search_condition(text: str) -> ColumnElement[bool]:
    def like(column: Any) -> ColumnElement[bool]:
        return cast(ColumnElement[bool], column.icontains(text, autoescape=True))

    customers = select(customers_t.c.id).where(
        or_(like(customers_t.c.name), like(customers_t.c.email), like(customers_t.c.phone))
    )
    return or_(
        orders_t.c.order_number.contains(text.upper(), autoescape=True),
        like(orders_t.c.guest_name),
        like(orders_t.c.guest_email),
        like(orders_t.c.guest_phone),
        orders_t.c.customer_id.in_(customers),
    )


def kitchen_conditions(statuses: Sequence[str]) -> list[ColumnElement[bool]]:
    return [orders_t.c.status.in_(statuses)]


def by_id(order_id: str) -> list[ColumnElement[bool]]:
    return [orders_t.c.id == order_id]


# ---------------------------------------------------------------- the back office: history, export

_HISTORY = (
    select(
        changes_t.c.to_status,
        changes_t.c.created_at,
        changes_t.c.actor_type,
        changes_t.c.actor_id,
        changes_t.c.reason,
        staff_t.c.name.label("staff_name"),
        staff_t.c.role.label("staff_role"),
        customers_t.c.name.label("customer_name"),
    )
    .select_from(
        changes_t.outerjoin(
            staff_t, and_(changes_t.c.actor_type == "staff", staff_t.c.id == changes_t.c.actor_id)
        ).outerjoin(customers_t, and_(changes_t.c.actor_type == "customer", customers_t.c.id == changes_t.c.actor_id))
    )
    .where(changes_t.c.order_id == bindparam("order_id"))
    .order_by(changes_t.c.created_at, changes_t.c.id)
)
_ORDER_EXISTS = select(orders_t.c.id).where(orders_t.c.id == bindparam("order_id"))
_ITEM_COUNT = (
    select(func.coalesce(func.sum(items_t.c.quantity), 0))
    .where(items_t.c.order_id == orders_t.c.id)
    .correlate(orders_t)
    .scalar_subquery()
)
_EXPORT_ROWS = select(
    orders_t.c.id,
    orders_t.c.order_number,
    orders_t.c.created_at,
    orders_t.c.order_type,
    orders_t.c.status,
    orders_t.c.guest_name,
    orders_t.c.guest_email,
    orders_t.c.guest_phone,
    orders_t.c.subtotal_cents,
    orders_t.c.discount_cents,
    orders_t.c.tax_cents,
    orders_t.c.delivery_fee_cents,
    orders_t.c.tip_cents,
    orders_t.c.total_cents,
    orders_t.c.payment_method,
    locations_t.c.name.label("location_name"),
    customers_t.c.name.label("c_name"),
    customers_t.c.email.label("c_email"),
    customers_t.c.phone.label("c_phone"),
    _ITEM_COUNT.label("item_count"),
).select_from(
    orders_t.join(locations_t, locations_t.c.id == orders_t.c.location_id).outerjoin(
        customers_t, customers_t.c.id == orders_t.c.customer_id
    )
)


def order_exists(session: Any, order_id: str) -> bool:
    return fast(session).execute(_ORDER_EXISTS, {"order_id": order_id}).first() is not None


def history_rows(session: Any, order_id: str) -> list[Any]:
    """An order's status changes, oldest first, with the staff member's name and role or the customer's name."""
    return list(fast(session).execute(_HISTORY, {"order_id": order_id}).all())


def export_rows(
    session: Any, conditions: Sequence[ColumnElement[bool]], *, after: tuple[Any, str] | None, limit: int
) -> list[Any]:
    """One batch of the CSV export, newest first as the list: the orders after `after` (created_at, id of the
    last row of the previous batch) with their location, customer and item count (one query per batch)."""
    stmt = _EXPORT_ROWS.where(*conditions)
    if after is not None:
        created_at, order_id = after
        stmt = stmt.where(
            or_(
                orders_t.c.created_at < created_at,
                and_(orders_t.c.created_at == created_at, orders_t.c.id < order_id),
            )
        )
    return list(fast(session).execute(stmt.order_by(*NEWEST_FIRST).limit(limit)).all())


# ---------------------------------------------------------------- what placing an order reads

_LOCATION_BY_ID = (
    select(
        locations_t.c.id,
        locations_t.c.name,
        locations_t.c.is_active,
        locations_t.c.is_busy,
        locations_t.c.busy_message,
        locations_t.c.busy_extra_minutes,
        locations_t.c.paused_at,
        locations_t.c.paused_until,
        locations_t.c.pause_message,
        locations_t.c.delivery_enabled,
        locations_t.c.pickup_enabled,
        locations_t.c.dine_in_enabled,
        locations_t.c.min_order_delivery_cents,
        locations_t.c.min_order_pickup_cents,
        locations_t.c.delivery_lead_time,
        locations_t.c.pickup_lead_time,
        hours_t.c.day_of_week,
        hours_t.c.open_time,
        hours_t.c.close_time,
        hours_t.c.is_closed,
    )
    .select_from(locations_t.outerjoin(hours_t, hours_t.c.location_id == locations_t.c.id))
    .where(locations_t.c.id == bindparam("location_id"))
)
_ACTIVE_LOCATIONS = (
    select(locations_t.c.id).where(locations_t.c.is_active.is_(True)).order_by(locations_t.c.id).limit(2)
)
_TABLE_BY_ID = select(tables_t.c.id, tables_t.c.name, tables_t.c.location_id, tables_t.c.is_active).where(
    tables_t.c.id == bindparam("table_id")
)
_CUSTOMER_BY_ID = select(customers_t.c.id, customers_t.c.name, customers_t.c.email, customers_t.c.phone).where(
    customers_t.c.id == bindparam("customer_id")
)
_MENU_BY_IDS = (
    select(
        menu_items_t.c.id,
        menu_items_t.c.name,
        menu_items_t.c.price_cents,
        menu_items_t.c.is_active,
        menu_items_t.c.track_stock,
        menu_items_t.c.stock_qty,
        menu_items_t.c.is_sold_out,
        menu_items_t.c.order_type,
        menu_items_t.c.location_id,
        categories_t.c.is_active.label("category_active"),
        menu_options_t.c.id.label("option_id"),
        menu_options_t.c.name.label("option_name"),
        menu_options_t.c.is_required,
        menu_options_t.c.min_select,
        menu_options_t.c.max_select,
        menu_options_t.c.is_active.label("option_active"),
        menu_options_t.c.sort_order.label("option_sort"),
        menu_values_t.c.id.label("value_id"),
        menu_values_t.c.name.label("value_name"),
        menu_values_t.c.price_modifier_cents,
        menu_values_t.c.is_active.label("value_active"),
    )
    .select_from(
        menu_items_t.join(categories_t, categories_t.c.id == menu_items_t.c.category_id)
        .outerjoin(menu_options_t, menu_options_t.c.menu_item_id == menu_items_t.c.id)
        .outerjoin(menu_values_t, menu_values_t.c.menu_option_id == menu_options_t.c.id)
    )
    .where(menu_items_t.c.id.in_(bindparam("ids", expanding=True)))
)
_MEALTIMES_BY_IDS = (
    select(
        menu_item_mealtimes.c.menu_item_id,
        mealtimes_t.c.name,
        mealtimes_t.c.start_time,
        mealtimes_t.c.end_time,
        mealtimes_t.c.days,
    )
    .select_from(menu_item_mealtimes.join(mealtimes_t, mealtimes_t.c.id == menu_item_mealtimes.c.mealtime_id))
    .where(menu_item_mealtimes.c.menu_item_id.in_(bindparam("ids", expanding=True)), mealtimes_t.c.is_active.is_(True))
)
_BY_IDEMPOTENCY_KEY = select(orders_t.c.id, orders_t.c.request_fingerprint).where(
    orders_t.c.idempotency_key == bindparam("key")
)


def active_location_ids(session: Any) -> list[str]:
    """At most two active locations (enough to know whether a guest must choose)."""
    return list(fast(session).execute(_ACTIVE_LOCATIONS).scalars().all())


def location_with_hours(
    session: Any, location_id: str, since: date
) -> tuple[Any, list[DayHours], list[Closure]] | None:
    """The location's row, its opening ranges and its closures ending on or after `since`."""
    rows = fast(session).execute(_LOCATION_BY_ID, {"location_id": location_id}).all()
    if not rows:
        return None
    hours = [
        DayHours(day_of_week=r.day_of_week, open_time=r.open_time, close_time=r.close_time, is_closed=r.is_closed)
        for r in rows
        if r.day_of_week is not None
    ]
    return rows[0], hours, closures_since(session, location_id, since)


def table_row(session: Any, table_id: str | None) -> Any:
    return fast(session).execute(_TABLE_BY_ID, {"table_id": table_id}).first()


def customer_row(session: Any, customer_id: str) -> Any:
    return fast(session).execute(_CUSTOMER_BY_ID, {"customer_id": customer_id}).first()


def menu_rules(session: Any, item_ids: Sequence[str]) -> tuple[dict[str, MenuItemRule], dict[str, list[Any]]]:
    """The ordered items as the order rules see them, and each item's active mealtime windows."""
    menu: dict[str, MenuItemRule] = {}
    conn = fast(session)
    for r in conn.execute(_MENU_BY_IDS, {"ids": list(item_ids)}):
        item = menu.get(r.id)
        if item is None:
            item = menu[r.id] = MenuItemRule(
                id=r.id,
                name=r.name,
                price=r.price_cents,
                active=bool(r.is_active and r.category_active),
                # Marked sold out: to the order rules, an item with no stock left (its stock is re-read through
                # `menu.queries.stock_of`, which says none as well).
                track_stock=r.track_stock or r.is_sold_out,
                stock_qty=0 if r.is_sold_out else r.stock_qty,
                order_type=r.order_type,
                location_id=r.location_id,
            )
        if r.option_id is None:
            continue
        option = item.options.get(r.option_id)
        if option is None:
            option = item.options[r.option_id] = MenuOptionRule(
                id=r.option_id,
                name=r.option_name,
                required=r.is_required,
                min_select=r.min_select,
                max_select=r.max_select,
                active=r.option_active,
                sort=r.option_sort,
            )
        if r.value_id is not None:
            item.values[r.value_id] = MenuValueRule(
                option=option, name=r.value_name, modifier=r.price_modifier_cents, active=r.value_active
            )
    windows: dict[str, list[Any]] = defaultdict(list)
    if menu:
        for w in conn.execute(_MEALTIMES_BY_IDS, {"ids": list(menu)}):
            windows[w.menu_item_id].append(w)
    return menu, windows


def order_id_for_key(session: Any, key: str) -> Any:
    """(id, request_fingerprint) of the order placed with this Idempotency-Key, or None."""
    return fast(session).execute(_BY_IDEMPOTENCY_KEY, {"key": key}).first()


# ---------------------------------------------------------------- writing orders


def _bump_counter(dialect_insert: Any) -> Any:
    """`INSERT ... ON CONFLICT (day) DO UPDATE SET last_value = last_value + 1 RETURNING last_value`: one
    atomic statement, so two writers (PostgreSQL) can never draw the same number."""
    stmt = dialect_insert(counters_t).values(day=bindparam("b_day"), last_value=1)
    return stmt.on_conflict_do_update(
        index_elements=[counters_t.c.day], set_={"last_value": counters_t.c.last_value + 1}
    ).returning(counters_t.c.last_value)


_BUMP_COUNTER = {"sqlite": _bump_counter(sqlite_insert), "postgresql": _bump_counter(postgresql_insert)}
_INSERT_ORDER = insert(orders_t)
_INSERT_ITEMS = insert(items_t)
_INSERT_OPTIONS = insert(item_options_t)
_INSERT_CHANGE = insert(changes_t)
_CURRENT_STATUS = select(orders_t.c.status, orders_t.c.order_type, orders_t.c.customer_id).where(
    orders_t.c.id == bindparam("order_id")
)
_MOVE_STATUS = (
    update(orders_t)
    .where(orders_t.c.id == bindparam("order_id"), orders_t.c.status == bindparam("from_status"))
    .values(
        status=bindparam("to_status", type_=orders_t.c.status.type),
        updated_at=bindparam("now", type_=orders_t.c.updated_at.type),
    )
)
_STOCK_TAKEN_BY = (
    select(items_t.c.menu_item_id, func.sum(items_t.c.stock_taken).label("qty"))
    .where(items_t.c.order_id == bindparam("order_id"), items_t.c.stock_taken > 0)
    .group_by(items_t.c.menu_item_id)
)


def next_number(session: Any, day: date) -> int:
    """That restaurant-local day's next order sequence (atomic)."""
    conn = fast(session)
    return int(conn.execute(_BUMP_COUNTER[conn.dialect.name], {"b_day": day}).scalar_one())


def insert_order(
    session: Any, order: Mapping[str, Any], items: Sequence[Mapping[str, Any]], options: Sequence[Mapping[str, Any]]
) -> None:
    """The order row, its items and their options (rows as the tables name their columns)."""
    conn = fast(session)
    conn.execute(_INSERT_ORDER, order)
    conn.execute(_INSERT_ITEMS, items)
    if options:
        conn.execute(_INSERT_OPTIONS, options)


def insert_status_change(session: Any, change: Mapping[str, Any]) -> None:
    fast(session).execute(_INSERT_CHANGE, change)


def current_status(session: Any, order_id: str) -> Any:
    """(status, order_type, customer_id) of an order, or None."""
    return fast(session).execute(_CURRENT_STATUS, {"order_id": order_id}).first()


def move_status(session: Any, order_id: str, from_status: str, to_status: str, now: Any) -> bool:
    """Compare-and-set: False when the order is no longer in `from_status`."""
    params = {"order_id": order_id, "from_status": from_status, "to_status": to_status, "now": now}
    return fast(session).execute(_MOVE_STATUS, params).rowcount == 1


_SET_PAYMENT_STATUS = (
    update(orders_t)
    .where(orders_t.c.id == bindparam("order_id"))
    .values(
        payment_status=bindparam("payment_status", type_=orders_t.c.payment_status.type),
        updated_at=bindparam("now", type_=orders_t.c.updated_at.type),
    )
)


def set_payment_status(session: Any, order_id: str, payment_status: str, now: Any) -> None:
    """The payments domain's one write to an order: its `payment_status` (and `updated_at`, so live views order the
    change after the one before)."""
    params = {"order_id": order_id, "payment_status": payment_status, "now": now}
    fast(session).execute(_SET_PAYMENT_STATUS, params)


def stock_taken_by(session: Any, order_id: str) -> list[tuple[str, int]]:
    """(menu item, quantity) of the stock an order took."""
    return [(r.menu_item_id, int(r.qty)) for r in fast(session).execute(_STOCK_TAKEN_BY, {"order_id": order_id})]


# ---------------------------------------------------------------- what other domains ask (core.links)


async def any_order_at_location(session: Any, location_id: str) -> bool:
    return bool(await session.scalar(select(orders_t.c.id).where(orders_t.c.location_id == location_id).limit(1)))


async def any_order_at_table(session: Any, table_id: str) -> bool:
    return bool(await session.scalar(select(orders_t.c.id).where(orders_t.c.table_id == table_id).limit(1)))


async def any_order_of_item(session: Any, menu_item_id: str) -> bool:
    return bool(await session.scalar(select(items_t.c.id).where(items_t.c.menu_item_id == menu_item_id).limit(1)))


async def orders_per_location(session: Any, location_ids: Sequence[str]) -> dict[str, int]:
    stmt = (
        select(orders_t.c.location_id, func.count())
        .where(orders_t.c.location_id.in_(location_ids))
        .group_by(orders_t.c.location_id)
    )
    return {row[0]: int(row[1]) for row in (await session.execute(stmt)).all()}


async def totals_per_customer(session: Any, customer_ids: Sequence[str]) -> dict[str, CustomerOrderTotals]:
    """What each customer's orders add up to, for a page of customers: one grouped query."""
    cancelled = orders_t.c.status == rollups.CANCELLED
    stmt = (
        select(
            orders_t.c.customer_id,
            func.count(),
            func.sum(case((cancelled, 1), else_=0)),
            func.sum(case((cancelled, 0), else_=orders_t.c.total_cents)),
            func.min(orders_t.c.created_at),
            func.max(orders_t.c.created_at),
        )
        .where(orders_t.c.customer_id.in_(customer_ids))
        .group_by(orders_t.c.customer_id)
    )
    return {
        row[0]: CustomerOrderTotals(
            orders_count=int(row[1]),
            cancelled_count=int(row[2] or 0),
            spent_cents=int(row[3] or 0),
            first_order_at=row[4],
            last_order_at=row[5],
        )
        for row in (await session.execute(stmt)).all()
    }


def orders_of_customer(session: Any, customer_id: str) -> list[dict[str, Any]]:
    """A customer's orders with their items and options, oldest first, for the export of their data (without the
    tracking token: a credential, not data about them)."""
    exported = []
    for order in load_orders(session, [orders_t.c.customer_id == customer_id], order_by=OLDEST_FIRST):
        doc = msgspec.to_builtins(order)
        doc.pop("trackingToken", None)
        exported.append(doc)
    return exported


_ADDRESSES_OF = (
    select(orders_t.c.delivery_address)
    .where(orders_t.c.customer_id == bindparam("customer_id"), orders_t.c.delivery_address.is_not(None))
    .order_by(*OLDEST_FIRST)
)


def addresses_of_customer(session: Any, customer_id: str) -> list[dict[str, Any]]:
    """The distinct delivery addresses a customer's orders went to, first used first."""
    seen: dict[str, dict[str, Any]] = {}
    for stored in fast(session).execute(_ADDRESSES_OF, {"customer_id": customer_id}).scalars().all():
        address = address_out(stored)
        if address is not None:
            doc = msgspec.to_builtins(address)
            seen.setdefault(msgspec.json.encode(doc).decode(), doc)
    return list(seen.values())
