"""What the dashboard reads. The order figures come from the rollups (`orders.rollups`), whose size follows the
number of days, not of orders; the rest are small counts over indexed columns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import String, Table, and_, bindparam, func, or_, select

from kitchenasty.core.fastsql import fast
from kitchenasty.core.outbox import FAILED, outbox_t
from kitchenasty.core.schema import table_of
from kitchenasty.customers.models import Customer
from kitchenasty.menu.models import MenuItem
from kitchenasty.orders.models import Order
from kitchenasty.orders.rollups import hours_t, items_rollup_t, rollups_t
from kitchenasty.printing.models import PrintJob
from kitchenasty.reservations.models import Reservation

customers_t: Table = table_of(Customer)
menu_items_t: Table = table_of(MenuItem)
orders_t: Table = table_of(Order)
LOW_STOCK_AT = 5
"""A stock-tracked item with this many or fewer left is listed as low."""


EARLIEST, LATEST = date(1, 1, 1), date(9999, 12, 31)


def _in_range(table: Table) -> Any:
    """Days from :start to :end (both included), at :location (every location when it is NULL)."""
    return and_(
        table.c.day >= bindparam("start"),
        table.c.day <= bindparam("end"),
        or_(bindparam("location", type_=String()).is_(None), table.c.location_id == bindparam("location")),
    )


_ORDER_SUMS = (
    select(
        rollups_t.c.order_type,
        rollups_t.c.status,
        func.sum(rollups_t.c.orders).label("orders"),
        func.sum(rollups_t.c.total_cents).label("total_cents"),
    )
    .where(_in_range(rollups_t))
    .group_by(rollups_t.c.order_type, rollups_t.c.status)
)
_HOUR_SUMS = (
    select(hours_t.c.hour, func.sum(hours_t.c.total_cents).label("total_cents"))
    .where(_in_range(hours_t))
    .group_by(hours_t.c.hour)
)
_QUANTITY = func.sum(items_rollup_t.c.quantity).label("quantity")
_TOP_ITEMS = (
    select(
        items_rollup_t.c.menu_item_id,
        func.max(items_rollup_t.c.name).label("name"),
        _QUANTITY,
        func.sum(items_rollup_t.c.subtotal_cents).label("subtotal_cents"),
    )
    .where(_in_range(items_rollup_t))
    .group_by(items_rollup_t.c.menu_item_id)
    .order_by(_QUANTITY.desc(), items_rollup_t.c.menu_item_id)
    .limit(bindparam("limit"))
)


def _range(start: date | None, end: date | None, location: str | None) -> dict[str, Any]:
    return {"start": start or EARLIEST, "end": end or LATEST, "location": location}


def order_sums(session: Any, start: date | None, end: date | None, location: str | None) -> list[Any]:
    """(order_type, status, orders, total_cents) over the days from `start` to `end` (None: no bound)."""
    return list(fast(session).execute(_ORDER_SUMS, _range(start, end, location)).all())


def hour_sums(session: Any, start: date | None, end: date | None, location: str | None) -> list[Any]:
    """(hour, total_cents) of the orders not cancelled over those days."""
    return list(fast(session).execute(_HOUR_SUMS, _range(start, end, location)).all())


def top_items(session: Any, start: date | None, end: date | None, location: str | None, limit: int) -> list[Any]:
    """(menu_item_id, name, quantity, subtotal_cents), the most ordered first."""
    return list(fast(session).execute(_TOP_ITEMS, {**_range(start, end, location), "limit": limit}).all())


_RECENT = (
    select(
        orders_t.c.id,
        orders_t.c.order_number,
        orders_t.c.status,
        orders_t.c.total_cents,
        orders_t.c.order_type,
        orders_t.c.created_at,
        func.coalesce(customers_t.c.name, orders_t.c.guest_name, "").label("name"),
    )
    .select_from(orders_t.outerjoin(customers_t, customers_t.c.id == orders_t.c.customer_id))
    .where(or_(bindparam("location", type_=String()).is_(None), orders_t.c.location_id == bindparam("location")))
    .order_by(orders_t.c.created_at.desc(), orders_t.c.id.desc())
    .limit(bindparam("limit"))
)


def recent_orders(session: Any, location: str | None, limit: int) -> list[Any]:
    return list(fast(session).execute(_RECENT, {"location": location, "limit": limit}).all())


_ACTIVE_ITEMS = select(func.count()).where(menu_items_t.c.is_active.is_(True))
_CUSTOMERS = select(func.count()).select_from(customers_t)
_UNSEEN_FAILURES = select(func.count()).where(outbox_t.c.status == FAILED, outbox_t.c.failure_seen_at.is_(None))
_LOW_STOCK = (
    select(menu_items_t.c.id, menu_items_t.c.name, menu_items_t.c.stock_qty)
    .where(
        menu_items_t.c.is_active.is_(True),
        menu_items_t.c.track_stock.is_(True),
        menu_items_t.c.stock_qty <= LOW_STOCK_AT,
        or_(
            bindparam("location", type_=String()).is_(None),
            menu_items_t.c.location_id == bindparam("location"),
            menu_items_t.c.location_id.is_(None),
        ),
    )
    .order_by(menu_items_t.c.stock_qty, menu_items_t.c.name)
    .limit(50)
)
_print_jobs_t = table_of(PrintJob)
_FAILED_PRINTS = select(func.count()).where(_print_jobs_t.c.status == "FAILED", _print_jobs_t.c.dismissed_at.is_(None))
_PENDING_RESERVATIONS = (
    select(func.count()).select_from(table_of(Reservation)).where(table_of(Reservation).c.status == "PENDING")
)


def counts(session: Any) -> dict[str, int]:
    """Active menu items, customers, failed deliveries nobody has looked at yet, bookings waiting for confirmation."""
    conn = fast(session)
    return {
        "active_items": int(conn.execute(_ACTIVE_ITEMS).scalar_one()),
        "customers": int(conn.execute(_CUSTOMERS).scalar_one()),
        "failed_deliveries": int(conn.execute(_UNSEEN_FAILURES).scalar_one()),
        "pending_reservations": int(conn.execute(_PENDING_RESERVATIONS).scalar_one()),
        "failed_print_jobs": int(conn.execute(_FAILED_PRINTS).scalar_one()),
    }


def low_stock(session: Any, location: str | None) -> Sequence[Any]:
    return fast(session).execute(_LOW_STOCK, {"location": location}).all()
