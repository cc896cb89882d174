"""Orders: placement and quotes, status changes, and reads for staff, customers and guests with a tracking link.

Placement is the hot path: the site settings come from the settings cache, then the whole order - every check, the
order number, stock, coupon use, rows, the status history and the event - is ONE write transaction run in a single
hop to the writer thread (`Database.run_write`), with a handful of SQLAlchemy Core statements. Every refusal is
raised before anything is written (or rolls the transaction back), so a refused order leaves no row behind.
A quote runs the same checks in a read transaction and writes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import ColumnElement, Table, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kitchenasty.core.api import PageParams
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from kitchenasty.core.events import DomainEvent, event_type, record
from kitchenasty.core.fastsql import FastConnection, fast
from kitchenasty.core.guards import Principal
from kitchenasty.core.money import from_basis_points, from_cents, to_basis_points, to_cents
from kitchenasty.core.schema import iso, new_id, utcnow
from kitchenasty.core.security import constant_time_equals
from kitchenasty.coupons.rules import MoneyFormat
from kitchenasty.coupons.service import AppliedCoupon, CouponService, customer_key
from kitchenasty.customers.models import Customer
from kitchenasty.locations.hours import WEEKDAY_NAMES, DayHours, describe_day, in_window, is_open_at, weekday_sunday0
from kitchenasty.locations.models import DiningTable, Location, OperatingHour
from kitchenasty.menu.models import Category, Mealtime, MenuItem, MenuOption, MenuOptionValue, menu_item_mealtimes
from kitchenasty.orders import pricing, states
from kitchenasty.orders.models import Order, OrderCounter, OrderItem, OrderItemOption, OrderStatusChange
from kitchenasty.orders.schemas import (
    KITCHEN_STATUSES,
    ORDER_STATUSES,
    AddressOut,
    LocationRef,
    OrderIn,
    OrderItemOptionOut,
    OrderItemOut,
    OrderOut,
    PartyRef,
    QuoteLineOut,
    QuoteOut,
)
from kitchenasty.settings.service import ResolvedSettings, SettingsService

MAX_AMOUNT_CENTS = 10_000_000
ORDER_NUMBER_PREFIX = "KA"
ORDER_TYPE_LABELS = {"DELIVERY": "Delivery", "PICKUP": "Pickup", "DINE_IN": "Ordering at the table"}
ORDER_TYPE_WORDS = {"DELIVERY": "delivery", "PICKUP": "pickup", "DINE_IN": "dine-in"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_IN_CHUNK = 5000

orders_t: Table = Order.__table__  # type: ignore[assignment]
items_t: Table = OrderItem.__table__  # type: ignore[assignment]
item_options_t: Table = OrderItemOption.__table__  # type: ignore[assignment]
changes_t: Table = OrderStatusChange.__table__  # type: ignore[assignment]
counters_t: Table = OrderCounter.__table__  # type: ignore[assignment]
locations_t: Table = Location.__table__  # type: ignore[assignment]
hours_t: Table = OperatingHour.__table__  # type: ignore[assignment]
tables_t: Table = DiningTable.__table__  # type: ignore[assignment]
customers_t: Table = Customer.__table__  # type: ignore[assignment]
menu_items_t: Table = MenuItem.__table__  # type: ignore[assignment]
categories_t: Table = Category.__table__  # type: ignore[assignment]
menu_options_t: Table = MenuOption.__table__  # type: ignore[assignment]
menu_values_t: Table = MenuOptionValue.__table__  # type: ignore[assignment]
mealtimes_t: Table = Mealtime.__table__  # type: ignore[assignment]


# ---------------------------------------------------------------- errors and events


class OrderNotFound(NotFound):
    default_code = "ORDER_NOT_FOUND"


class InvalidTransition(ValidationFailed):
    default_code = "INVALID_TRANSITION"


@event_type
class OrderCreated(DomainEvent, frozen=True):
    """An order was placed. `order` is the order as the API shows it (payload: {"order": {...}})."""

    name = "order.created"
    order: OrderOut


@event_type
class OrderStatusChanged(DomainEvent, frozen=True):
    """An order's status changed (payload: {"order": {...}, "previousStatus": "PENDING"})."""

    name = "order.statusChanged"
    order: OrderOut
    previous_status: str


# ---------------------------------------------------------------- settings used by orders


@dataclass(frozen=True, slots=True)
class OrderSettings:
    enabled: bool
    maintenance: bool
    maintenance_message: str
    future_ordering: bool
    max_schedule_days: int
    tipping: bool
    tax_rate_bp: int
    delivery_fee_cents: int
    tz: ZoneInfo
    money: MoneyFormat

    @classmethod
    def of(cls, resolved: ResolvedSettings) -> OrderSettings:
        return cls(
            enabled=bool(resolved.get("orders.enabled")),
            maintenance=bool(resolved.get("advanced.maintenanceMode")),
            maintenance_message=str(resolved.get("advanced.maintenanceMessage") or ""),
            future_ordering=bool(resolved.get("orders.enableFutureOrdering")),
            max_schedule_days=int(resolved.get("orders.maxScheduleDays")),
            tipping=bool(resolved.get("orders.enableTipping")),
            tax_rate_bp=to_basis_points(resolved.get("orders.taxRate"), field="orders.taxRate"),
            delivery_fee_cents=to_cents(resolved.get("orders.deliveryFee"), field="orders.deliveryFee"),
            tz=ZoneInfo(resolved.get("general.timezone")),
            money=MoneyFormat(
                resolved.get("general.currencySymbol"),
                symbol_after=resolved.get("general.currencyPosition") == "after",
            ),
        )


# ---------------------------------------------------------------- reading orders (sync, inside one transaction)

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
_ITEM_ROWS = select(
    items_t.c.id,
    items_t.c.order_id,
    items_t.c.menu_item_id,
    items_t.c.name,
    items_t.c.quantity,
    items_t.c.unit_price_cents,
    items_t.c.subtotal_cents,
    items_t.c.comment,
).order_by(items_t.c.order_id, items_t.c.position)
_ITEMS_OF = _ITEM_ROWS.where(items_t.c.order_id.in_(bindparam("ids", expanding=True)))
_OPTION_ROWS = (
    select(
        item_options_t.c.id,
        item_options_t.c.order_item_id,
        item_options_t.c.menu_option_value_id,
        item_options_t.c.name,
        item_options_t.c.value,
        item_options_t.c.price_modifier_cents,
    )
    .select_from(item_options_t.join(items_t, items_t.c.id == item_options_t.c.order_item_id))
    .order_by(item_options_t.c.order_item_id, item_options_t.c.position)
)
_OPTIONS_OF = _OPTION_ROWS.where(items_t.c.order_id.in_(bindparam("ids", expanding=True)))
_ORDER_BY_ID = _ORDER_ROWS.where(orders_t.c.id == bindparam("order_id"))
_NEWEST_FIRST = (orders_t.c.created_at.desc(), orders_t.c.id.desc())
_OLDEST_FIRST = (orders_t.c.created_at.asc(), orders_t.c.id.asc())


def _address_out(stored: dict[str, Any] | None) -> AddressOut | None:
    if not stored:
        return None
    return AddressOut(
        line1=stored.get("line1", ""),
        line2=stored.get("line2"),
        city=stored.get("city", ""),
        postal_code=stored.get("postalCode"),
        state=stored.get("state"),
        notes=stored.get("notes"),
    )


def _order_out(row: Any, items: list[OrderItemOut]) -> OrderOut:
    customer = (
        PartyRef(id=row.customer_id, name=row.c_name, email=row.c_email, phone=row.c_phone)
        if row.customer_id and row.c_name is not None
        else None
    )
    return OrderOut(
        id=row.id,
        order_number=row.order_number,
        tracking_token=row.tracking_token,
        status=row.status,
        next_status=states.next_status(row.order_type, row.status),  # type: ignore[arg-type]
        order_type=row.order_type,
        location_id=row.location_id,
        location=LocationRef(id=row.location_id, name=row.location_name),
        customer_id=row.customer_id,
        customer=customer,
        customer_name=(customer.name if customer else None) or row.guest_name or "",
        guest_name=row.guest_name,
        guest_email=row.guest_email,
        guest_phone=row.guest_phone,
        delivery_address=_address_out(row.delivery_address),
        table_id=row.table_id,
        table_name=row.table_name,
        scheduled_at=iso(row.scheduled_at),
        comment=row.comment,
        coupon_code=row.coupon_code,
        payment_method=row.payment_method,
        subtotal=from_cents(row.subtotal_cents),
        discount=from_cents(row.discount_cents),
        delivery_fee=from_cents(row.delivery_fee_cents),
        tax=from_cents(row.tax_cents),
        tax_rate=from_basis_points(row.tax_rate_bp),
        tip=from_cents(row.tip_cents),
        total=from_cents(row.total_cents),
        items=items,
        created_at=iso(row.created_at) or "",
        updated_at=iso(row.updated_at) or "",
    )


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def load_orders(
    session: Session,
    conditions: Sequence[ColumnElement[bool]],
    *,
    order_by: Sequence[Any] = _NEWEST_FIRST,
    limit: int | None = None,
    offset: int | None = None,
) -> list[OrderOut]:
    """Orders matching `conditions` with their items and options: three queries, whatever the number of orders."""
    stmt = _ORDER_ROWS.where(*conditions).order_by(*order_by)
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    conn = fast(session)
    return _with_items(conn, conn.execute(stmt).all())


def _with_items(conn: Connection, rows: Sequence[Any]) -> list[OrderOut]:
    if not rows:
        return []
    ids = [row.id for row in rows]
    options: dict[str, list[OrderItemOptionOut]] = defaultdict(list)
    items: dict[str, list[OrderItemOut]] = defaultdict(list)
    for chunk in _chunks(ids):
        for o in conn.execute(_OPTIONS_OF, {"ids": chunk}):
            options[o.order_item_id].append(
                OrderItemOptionOut(
                    id=o.id,
                    menu_option_value_id=o.menu_option_value_id,
                    name=o.name,
                    value=o.value,
                    price_modifier=from_cents(o.price_modifier_cents),
                )
            )
        for i in conn.execute(_ITEMS_OF, {"ids": chunk}):
            items[i.order_id].append(
                OrderItemOut(
                    id=i.id,
                    menu_item_id=i.menu_item_id,
                    name=i.name,
                    quantity=i.quantity,
                    unit_price=from_cents(i.unit_price_cents),
                    subtotal=from_cents(i.subtotal_cents),
                    comment=i.comment,
                    options=options.get(i.id, []),
                )
            )
    return [_order_out(row, items.get(row.id, [])) for row in rows]


def load_order(session: Session, order_id: str) -> OrderOut:
    conn = fast(session)
    found = _with_items(conn, conn.execute(_ORDER_BY_ID, {"order_id": order_id}).all())
    if not found:
        raise OrderNotFound("Order not found")
    return found[0]


# ---------------------------------------------------------------- placement: the request, the menu, the plan


@dataclass(slots=True)
class _Request:
    """An order request after the checks that need no database."""

    data: OrderIn
    cfg: OrderSettings
    now: datetime
    customer_id: str | None
    guest_name: str | None
    guest_email: str | None
    guest_phone: str | None
    tip_cents: int
    scheduled_at: datetime | None
    address: dict[str, Any] | None
    coupon_code: str | None
    comment: str | None
    use_catalog: bool = False
    """Set by `place` when the catalog cache is valid for its (writer) transaction."""


@dataclass(slots=True)
class _MenuOption:
    id: str
    name: str
    required: bool
    min_select: int
    max_select: int
    active: bool
    sort: int


@dataclass(slots=True)
class _MenuValue:
    option: _MenuOption
    name: str
    modifier: int
    active: bool


@dataclass(slots=True)
class _MenuItem:
    id: str
    name: str
    price: int
    active: bool
    track_stock: bool
    stock_qty: int
    order_type: str | None
    location_id: str | None
    options: dict[str, _MenuOption] = field(default_factory=dict)
    values: dict[str, _MenuValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _ChosenOption:
    value_id: str
    option_name: str
    value_name: str
    modifier: int


@dataclass(slots=True)
class _Line:
    menu_item_id: str
    name: str
    quantity: int
    unit_price: int
    subtotal: int
    comment: str | None
    options: list[_ChosenOption]
    stock_taken: int = 0


@dataclass(slots=True)
class _Plan:
    location_id: str
    location_name: str
    table_id: str | None
    table_name: str | None
    customer: PartyRef | None
    lines: list[_Line]
    stock: dict[str, int]
    coupon: AppliedCoupon | None
    totals: pricing.Totals


_LOCATION_ROWS = select(
    locations_t.c.id,
    locations_t.c.name,
    locations_t.c.is_active,
    locations_t.c.is_busy,
    locations_t.c.busy_message,
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
).select_from(locations_t.outerjoin(hours_t, hours_t.c.location_id == locations_t.c.id))
_LOCATION_BY_ID = _LOCATION_ROWS.where(locations_t.c.id == bindparam("location_id"))
_ACTIVE_LOCATIONS = (
    select(locations_t.c.id).where(locations_t.c.is_active.is_(True)).order_by(locations_t.c.id).limit(2)
)
_TABLE_BY_ID = select(tables_t.c.id, tables_t.c.name, tables_t.c.location_id, tables_t.c.is_active).where(
    tables_t.c.id == bindparam("table_id")
)
_CUSTOMER_BY_ID = select(customers_t.c.id, customers_t.c.name, customers_t.c.email, customers_t.c.phone).where(
    customers_t.c.id == bindparam("customer_id")
)
_MENU_ROWS = select(
    menu_items_t.c.id,
    menu_items_t.c.name,
    menu_items_t.c.price_cents,
    menu_items_t.c.is_active,
    menu_items_t.c.track_stock,
    menu_items_t.c.stock_qty,
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
).select_from(
    menu_items_t.join(categories_t, categories_t.c.id == menu_items_t.c.category_id)
    .outerjoin(menu_options_t, menu_options_t.c.menu_item_id == menu_items_t.c.id)
    .outerjoin(menu_values_t, menu_values_t.c.menu_option_id == menu_options_t.c.id)
)
_MEALTIME_ROWS = select(
    menu_item_mealtimes.c.menu_item_id,
    mealtimes_t.c.name,
    mealtimes_t.c.start_time,
    mealtimes_t.c.end_time,
    mealtimes_t.c.days,
).select_from(menu_item_mealtimes.join(mealtimes_t, mealtimes_t.c.id == menu_item_mealtimes.c.mealtime_id))
_MENU_BY_IDS = _MENU_ROWS.where(menu_items_t.c.id.in_(bindparam("ids", expanding=True)))
_MEALTIMES_BY_IDS = _MEALTIME_ROWS.where(
    menu_item_mealtimes.c.menu_item_id.in_(bindparam("ids", expanding=True)), mealtimes_t.c.is_active.is_(True)
)
_STOCK_OF = select(menu_items_t.c.id, menu_items_t.c.stock_qty).where(
    menu_items_t.c.id.in_(bindparam("ids", expanding=True))
)
_BY_IDEMPOTENCY_KEY = select(orders_t.c.id, orders_t.c.request_fingerprint).where(
    orders_t.c.idempotency_key == bindparam("key")
)


def _bump_counter(dialect_insert: Any) -> Any:
    """`INSERT ... ON CONFLICT (day) DO UPDATE SET last_value = last_value + 1 RETURNING last_value`: one
    atomic statement, so two writers (PostgreSQL) can never draw the same number."""
    stmt = dialect_insert(counters_t).values(day=bindparam("b_day"), last_value=1)
    return stmt.on_conflict_do_update(
        index_elements=[counters_t.c.day], set_={"last_value": counters_t.c.last_value + 1}
    ).returning(counters_t.c.last_value)


_BUMP_COUNTER = {"sqlite": _bump_counter(sqlite_insert), "postgresql": _bump_counter(postgresql_insert)}
_TAKE_STOCK = (
    update(menu_items_t)
    .where(menu_items_t.c.id == bindparam("item_id"), menu_items_t.c.stock_qty >= bindparam("qty"))
    .values(stock_qty=menu_items_t.c.stock_qty - bindparam("qty"))
)
_GIVE_STOCK = (
    update(menu_items_t)
    .where(menu_items_t.c.id == bindparam("item_id"))
    .values(stock_qty=menu_items_t.c.stock_qty + bindparam("qty"))
)
_STOCK_TAKEN_BY = (
    select(items_t.c.menu_item_id, func.sum(items_t.c.stock_taken).label("qty"))
    .where(items_t.c.order_id == bindparam("order_id"), items_t.c.stock_taken > 0)
    .group_by(items_t.c.menu_item_id)
)
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


CATALOG_EVENTS = ("menu.changed", "location.changed")


class _Catalog:
    """What placing an order reads that rarely changes (locations, hours, items, options, values, mealtimes),
    kept in memory so that an order does not read it again. Profiled: those reads were ~0.5 ms of every order.

    It is only trusted while the database provably has not changed underneath: `check` compares SQLite's
    `PRAGMA data_version` of the writer connection, which moves whenever ANY other connection or process commits
    (the CLI, another service's transaction, a test editing rows directly); writes through the writer itself
    clear it through their events (`menu.changed`, `location.changed`). Stock is never taken from here. On other
    databases there is no such signal, so nothing is cached there.
    """

    def __init__(self) -> None:
        self._entries: dict[Any, Any] = {}
        self._version: int | None = None

    def check(self, conn: Any) -> bool:
        """Whether the catalog may be used in this transaction (clearing it when the database changed)."""
        version = conn.data_version() if isinstance(conn, FastConnection) else None
        if version is None or version != self._version:
            self._entries = {}
            self._version = version
        return version is not None

    def get(self, key: Any) -> Any:
        return self._entries.get(key)

    def put(self, key: Any, value: Any) -> Any:
        if len(self._entries) > 5000:
            self._entries = {}
        self._entries[key] = value
        return value

    def clear(self, _event: Any = None) -> None:
        self._entries = {}


def _refuse(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def _money_field(value: Any, name: str) -> int:
    cents = to_cents(value, field=name)
    if cents < 0:
        raise _refuse(f"The {name} cannot be negative", "INVALID_AMOUNT")
    if cents > MAX_AMOUNT_CENTS:
        raise _refuse(f"The {name} is too large", "INVALID_AMOUNT")
    return cents


def order_number(day: date, sequence: int) -> str:
    """KA-YYMMDD-NNN: the restaurant-local date and that day's sequence (three digits at least)."""
    return f"{ORDER_NUMBER_PREFIX}-{day:%y%m%d}-{sequence:03d}"


def fingerprint(data: OrderIn, customer_id: str | None) -> str:
    """What makes two submissions "the same request" for Idempotency-Key (ignored client keys do not count)."""
    digest = hashlib.sha256(msgspec.json.encode(data))
    digest.update(b"|" + (customer_id or "").encode())
    return digest.hexdigest()


class OrderService:
    def __init__(self, db: Database, settings: SettingsService, coupons: CouponService) -> None:
        self.db = db
        self.settings = settings
        self.coupons = coupons
        self._cfg_cache: tuple[ResolvedSettings, OrderSettings] | None = None
        self.catalog = _Catalog()
        for name in CATALOG_EVENTS:
            db.bus.subscribe(name, self.catalog.clear)

    async def order_settings(self) -> OrderSettings:
        resolved = await self.settings.resolved()
        cached = self._cfg_cache
        if cached is not None and cached[0] is resolved:
            return cached[1]
        cfg = OrderSettings.of(resolved)
        self._cfg_cache = (resolved, cfg)
        return cfg

    # ---------------------------------------------------------------- placement

    def _request(self, data: OrderIn, principal: Principal | None, cfg: OrderSettings) -> _Request:
        """The checks that need no database (in the order a guest would fix them)."""
        if cfg.maintenance:
            raise _refuse(
                cfg.maintenance_message or "We are doing some maintenance and cannot take orders right now.",
                "MAINTENANCE",
            )
        if not cfg.enabled:
            raise _refuse("Online ordering is turned off at the moment. Please contact the restaurant.", "ORDERING_OFF")
        now = utcnow()
        customer_id = principal.id if principal is not None and principal.is_customer else None
        guest_name = guest_email = guest_phone = None
        if customer_id is None:
            guest_name, guest_email, guest_phone = (
                _clean(data.guest_name),
                _clean(data.guest_email),
                _clean(data.guest_phone),
            )
            missing = [
                label
                for label, value in (("name", guest_name), ("e-mail", guest_email), ("phone number", guest_phone))
                if not value
            ]
            if missing:
                raise _refuse(
                    f"To order as a guest, please give your name, e-mail and phone number (missing: "
                    f"{', '.join(missing)})",
                    "GUEST_DETAILS_REQUIRED",
                )
            if not _EMAIL.match(guest_email or ""):
                raise _refuse("Please enter a valid e-mail address", "INVALID_EMAIL")
            if sum(ch.isdigit() for ch in guest_phone or "") < 5:
                raise _refuse("Please enter a phone number we can reach you on", "INVALID_PHONE")
        address = None
        if data.order_type == "DELIVERY":
            a = data.address
            if a is None:
                raise _refuse("Delivery address is required", "ADDRESS_REQUIRED")
            line1, city = _clean(a.line1), _clean(a.city)
            if not line1 or not city:
                raise _refuse("Please give the street (line 1) and city of the delivery address", "ADDRESS_REQUIRED")
            address = {
                "line1": line1,
                "line2": _clean(a.line2),
                "city": city,
                "postalCode": _clean(a.postal_code) or _clean(a.zip),
                "state": _clean(a.state),
                "notes": _clean(a.notes),
                "lat": a.lat,
                "lng": a.lng,
            }
        if data.order_type == "DINE_IN" and not _clean(data.table_id):
            raise _refuse("Please choose your table to order at the table", "TABLE_REQUIRED")
        tip_cents = pricing.check_tip(
            0 if data.tip is None else _money_field(data.tip, "tip"), tipping_enabled=cfg.tipping
        )
        scheduled_at = None
        if data.scheduled_at is not None:
            if not cfg.future_ordering:
                raise _refuse(
                    "Ordering for a later time is not available; please order for as soon as possible",
                    "SCHEDULING_OFF",
                )
            at = data.scheduled_at
            scheduled_at = (at if at.tzinfo is not None else at.replace(tzinfo=cfg.tz)).astimezone(UTC)
            if scheduled_at <= now:
                raise _refuse("The scheduled time is in the past; please choose a later time", "SCHEDULE_IN_PAST")
            if scheduled_at > now + timedelta(days=cfg.max_schedule_days):
                raise _refuse(f"Orders can be scheduled at most {cfg.max_schedule_days} days ahead", "SCHEDULE_TOO_FAR")
        return _Request(
            data=data,
            cfg=cfg,
            now=now,
            customer_id=customer_id,
            guest_name=guest_name,
            guest_email=guest_email,
            guest_phone=guest_phone,
            tip_cents=tip_cents,
            scheduled_at=scheduled_at,
            address=address,
            coupon_code=_clean(data.coupon_code),
            comment=_clean(data.comment),
        )

    def _location_rows(self, session: Session, location_id: str | None, cached: bool) -> tuple[Any, list[DayHours]]:
        """The location (the only active one when none is named) and its hours (from the catalog when `cached`)."""
        catalog = self.catalog if cached else _Catalog()
        if location_id is None:
            active = catalog.get("active-locations")
            if active is None:
                active = catalog.put("active-locations", fast(session).execute(_ACTIVE_LOCATIONS).scalars().all())
            if not active:
                raise _refuse("We are not taking orders at the moment (no location is open for orders)", "NO_LOCATION")
            if len(active) > 1:
                raise _refuse("Choose a location", "LOCATION_REQUIRED")
            location_id = active[0]
        hit = catalog.get(("location", location_id))
        if hit is not None:
            return hit
        rows = fast(session).execute(_LOCATION_BY_ID, {"location_id": location_id}).all()
        if not rows:
            raise _refuse("This location does not exist; please choose another one", "LOCATION_NOT_FOUND")
        hours = [
            DayHours(day_of_week=r.day_of_week, open_time=r.open_time, close_time=r.close_time, is_closed=r.is_closed)
            for r in rows
            if r.day_of_week is not None
        ]
        return catalog.put(("location", location_id), (rows[0], hours))

    def _location(self, session: Session, req: _Request) -> tuple[Any, list[DayHours]]:
        loc, hours = self._location_rows(session, _clean(req.data.location_id), req.use_catalog)
        order_type = req.data.order_type
        if not loc.is_active:
            raise _refuse(f"{loc.name} is not taking orders at the moment", "LOCATION_INACTIVE")
        if loc.is_busy:
            raise _refuse(
                loc.busy_message
                or f"{loc.name} is very busy and is not accepting orders right now. Please try again later.",
                "LOCATION_BUSY",
            )
        enabled = {"DELIVERY": loc.delivery_enabled, "PICKUP": loc.pickup_enabled, "DINE_IN": loc.dine_in_enabled}
        if not enabled[order_type]:
            raise _refuse(f"{ORDER_TYPE_LABELS[order_type]} is not available at {loc.name}", "ORDER_TYPE_UNAVAILABLE")
        tz = req.cfg.tz
        if req.scheduled_at is None:
            local = req.now.astimezone(tz)
            if not is_open_at(hours, local):
                later = " You can schedule your order for later." if req.cfg.future_ordering else ""
                raise _refuse(
                    f"{loc.name} is closed right now (today's hours: {describe_day(hours, local)}).{later}",
                    "LOCATION_CLOSED",
                )
        else:
            lead = loc.delivery_lead_time if order_type == "DELIVERY" else loc.pickup_lead_time
            if req.scheduled_at < req.now + timedelta(minutes=lead):
                raise _refuse(
                    f"Please schedule at least {lead} minutes ahead for {ORDER_TYPE_WORDS[order_type]}",
                    "SCHEDULE_TOO_SOON",
                )
            local = req.scheduled_at.astimezone(tz)
            if not is_open_at(hours, local):
                raise _refuse(
                    f"{loc.name} is closed at the scheduled time ({WEEKDAY_NAMES[weekday_sunday0(local)]} "
                    f"{local:%H:%M}; hours that day: {describe_day(hours, local)})",
                    "LOCATION_CLOSED_AT_TIME",
                )
        return loc, hours

    def _menu(
        self, session: Session, item_ids: list[str], cached: bool
    ) -> tuple[dict[str, _MenuItem], dict[str, list[Any]]]:
        """The ordered items with their options, values and mealtime windows (from the catalog when `cached`),
        and always the current stock of stock-tracked items."""
        catalog = self.catalog if cached else _Catalog()
        menu: dict[str, _MenuItem] = {}
        windows: dict[str, list[Any]] = defaultdict(list)
        missing = []
        for item_id in item_ids:
            hit = catalog.get(("item", item_id))
            if hit is None:
                missing.append(item_id)
            else:
                menu[item_id], windows[item_id] = hit
        if missing:
            loaded, loaded_windows = self._load_menu(session, missing)
            for item_id, item in loaded.items():
                menu[item_id] = item
                windows[item_id] = loaded_windows.get(item_id, [])
                catalog.put(("item", item_id), (item, windows[item_id]))
        tracked = [item_id for item_id, item in menu.items() if item.track_stock]
        if tracked:
            fresh = dict(fast(session).execute(_STOCK_OF, {"ids": tracked}).all())
            for item_id in tracked:
                menu[item_id] = dataclasses.replace(menu[item_id], stock_qty=fresh.get(item_id, 0))
        return menu, windows

    def _load_menu(self, session: Session, item_ids: list[str]) -> tuple[dict[str, _MenuItem], dict[str, list[Any]]]:
        menu: dict[str, _MenuItem] = {}
        conn = fast(session)
        for r in conn.execute(_MENU_BY_IDS, {"ids": item_ids}):
            item = menu.get(r.id)
            if item is None:
                item = menu[r.id] = _MenuItem(
                    id=r.id,
                    name=r.name,
                    price=r.price_cents,
                    active=bool(r.is_active and r.category_active),
                    track_stock=r.track_stock,
                    stock_qty=r.stock_qty,
                    order_type=r.order_type,
                    location_id=r.location_id,
                )
            if r.option_id is None:
                continue
            option = item.options.get(r.option_id)
            if option is None:
                option = item.options[r.option_id] = _MenuOption(
                    id=r.option_id,
                    name=r.option_name,
                    required=r.is_required,
                    min_select=r.min_select,
                    max_select=r.max_select,
                    active=r.option_active,
                    sort=r.option_sort,
                )
            if r.value_id is not None:
                item.values[r.value_id] = _MenuValue(
                    option=option, name=r.value_name, modifier=r.price_modifier_cents, active=r.value_active
                )
        windows: dict[str, list[Any]] = defaultdict(list)
        if menu:
            for w in conn.execute(_MEALTIMES_BY_IDS, {"ids": list(menu)}):
                windows[w.menu_item_id].append(w)
        return menu, windows

    def _lines(self, session: Session, req: _Request, loc: Any) -> tuple[list[_Line], dict[str, int]]:
        data = req.data
        item_ids = list(dict.fromkeys(line.menu_item_id for line in data.items))
        menu, windows = self._menu(session, item_ids, req.use_catalog)
        local = (req.scheduled_at or req.now).astimezone(req.cfg.tz)
        lines: list[_Line] = []
        wanted: dict[str, int] = defaultdict(int)
        for line in data.items:
            item = menu.get(line.menu_item_id)
            if item is None:
                raise _refuse(f"Menu item not found: {line.menu_item_id}", "ITEM_NOT_FOUND")
            name = item.name
            if not item.active:
                raise _refuse(f"Menu item is not available: {name}", "ITEM_UNAVAILABLE")
            if item.location_id is not None and item.location_id != loc.id:
                raise _refuse(f"{name} is not on the menu at {loc.name}", "ITEM_OTHER_LOCATION")
            if item.order_type is not None and item.order_type != data.order_type:
                raise _refuse(
                    f"{name} is only available for {ORDER_TYPE_WORDS.get(item.order_type, item.order_type)} orders",
                    "ITEM_ORDER_TYPE",
                )
            if item.track_stock and item.stock_qty <= 0:
                raise _refuse(f"{name} is sold out", "ITEM_SOLD_OUT")
            item_windows = windows.get(item.id)
            if item_windows and not any(in_window(w.start_time, w.end_time, w.days, local) for w in item_windows):
                served = ", ".join(f"{w.name} ({w.start_time}-{w.end_time})" for w in item_windows)
                raise _refuse(f"{name} is only served during {served}", "ITEM_OUTSIDE_MEALTIME")
            chosen: list[_ChosenOption] = []
            counts: dict[str, int] = defaultdict(int)
            for selection in line.options:
                value = item.values.get(selection.menu_option_value_id)
                if value is None:
                    raise _refuse(
                        f"One of the options chosen for {name} does not belong to it; please choose again",
                        "OPTION_INVALID",
                    )
                if counts.get(f"v:{selection.menu_option_value_id}"):
                    raise _refuse(f"{value.name} was chosen twice for {name}", "OPTION_DUPLICATE")
                counts[f"v:{selection.menu_option_value_id}"] = 1
                if not value.active or not value.option.active:
                    raise _refuse(f"{value.name} is no longer available for {name}", "OPTION_UNAVAILABLE")
                counts[value.option.id] += 1
                chosen.append(
                    _ChosenOption(
                        value_id=selection.menu_option_value_id,
                        option_name=value.option.name,
                        value_name=value.name,
                        modifier=value.modifier,
                    )
                )
            for option in sorted(item.options.values(), key=lambda o: (o.sort, o.name)):
                if not option.active:
                    continue
                n = counts.get(option.id, 0)
                minimum = max(option.min_select, 1 if option.required else 0)
                if n < minimum:
                    if minimum == 1:
                        raise _refuse(f"Please choose {option.name} for {name}", "OPTION_REQUIRED")
                    raise _refuse(f"Please choose at least {minimum} of {option.name} for {name}", "OPTION_TOO_FEW")
                if option.max_select > 0 and n > option.max_select:
                    raise _refuse(
                        f"Please choose at most {option.max_select} of {option.name} for {name}", "OPTION_TOO_MANY"
                    )
            unit = pricing.unit_price(item.price, (c.modifier for c in chosen))
            lines.append(
                _Line(
                    menu_item_id=item.id,
                    name=name,
                    quantity=line.quantity,
                    unit_price=unit,
                    subtotal=pricing.line_subtotal(unit, line.quantity),
                    comment=_clean(line.comment),
                    options=chosen,
                )
            )
            wanted[item.id] += line.quantity
        stock: dict[str, int] = {}
        for item_id, quantity in wanted.items():
            item = menu[item_id]
            if item.track_stock:
                if quantity > item.stock_qty:
                    raise _refuse(
                        f"Only {item.stock_qty} left of {item.name}; please lower the quantity", "INSUFFICIENT_STOCK"
                    )
                stock[item_id] = quantity
        for ln in lines:  # which lines take the stock (given back on cancellation)
            if ln.menu_item_id in stock:
                ln.stock_taken = ln.quantity
        return lines, stock

    def _plan(self, session: Session, req: _Request) -> _Plan:
        customer = None
        if req.customer_id is not None:
            c = fast(session).execute(_CUSTOMER_BY_ID, {"customer_id": req.customer_id}).first()
            if c is None:
                raise Unauthorized("Your account was not found; please sign in again", code="CUSTOMER_NOT_FOUND")
            customer = PartyRef(id=c.id, name=c.name, email=c.email, phone=c.phone)
        loc, _ = self._location(session, req)
        data = req.data
        table_id = table_name = None
        if data.order_type == "DINE_IN":
            table = fast(session).execute(_TABLE_BY_ID, {"table_id": _clean(data.table_id)}).first()
            if table is None or table.location_id != loc.id:
                raise _refuse(f"This table was not found at {loc.name}; please check the table code", "TABLE_NOT_FOUND")
            if not table.is_active:
                raise _refuse("This table is not taking orders; please ask our staff", "TABLE_INACTIVE")
            table_id, table_name = table.id, table.name
        lines, stock = self._lines(session, req, loc)
        subtotal = sum(ln.subtotal for ln in lines)
        minimum = {"DELIVERY": loc.min_order_delivery_cents, "PICKUP": loc.min_order_pickup_cents}.get(
            data.order_type, 0
        )
        if subtotal < minimum:
            money = req.cfg.money
            raise _refuse(
                f"The minimum order for {ORDER_TYPE_WORDS[data.order_type]} at {loc.name} is {money(minimum)}; "
                f"please add {money(minimum - subtotal)} more",
                "BELOW_MINIMUM_ORDER",
            )
        coupon = None
        if req.coupon_code is not None:
            coupon = self.coupons.apply_in(
                session,
                req.coupon_code,
                subtotal_cents=subtotal,
                now=req.now,
                key=customer_key(customer_id=req.customer_id, guest_email=req.guest_email),
                money=req.cfg.money,
            )
        totals = pricing.compute_totals(
            (ln.subtotal for ln in lines),
            order_type=data.order_type,
            delivery_fee_cents=req.cfg.delivery_fee_cents,
            discount_cents=coupon.discount_cents if coupon else 0,
            free_delivery=bool(coupon and coupon.free_delivery),
            tax_rate_bp=req.cfg.tax_rate_bp,
            tip_cents=req.tip_cents,
        )
        return _Plan(
            location_id=loc.id,
            location_name=loc.name,
            table_id=table_id,
            table_name=table_name,
            customer=customer,
            lines=lines,
            stock=stock,
            coupon=coupon,
            totals=totals,
        )

    @staticmethod
    def _next_number(session: Session, day: date) -> int:
        conn = fast(session)
        return int(conn.execute(_BUMP_COUNTER[conn.dialect.name], {"b_day": day}).scalar_one())

    def _write(self, session: Session, req: _Request, plan: _Plan, key: str | None, print_: str) -> OrderOut:
        data, now, totals = req.data, req.now, plan.totals
        conn = fast(session)
        order_id = new_id()
        tracking_token = secrets.token_urlsafe(24)
        day = now.astimezone(req.cfg.tz).date()
        number = order_number(day, self._next_number(session, day))
        for item_id, quantity in plan.stock.items():
            taken = conn.execute(_TAKE_STOCK, {"item_id": item_id, "qty": quantity})
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                name = next(ln.name for ln in plan.lines if ln.menu_item_id == item_id)
                raise _refuse(f"Not enough {name} left; please lower the quantity", "INSUFFICIENT_STOCK")
        conn.execute(
            _INSERT_ORDER,
            dict(
                id=order_id,
                order_number=number,
                tracking_token=tracking_token,
                customer_id=req.customer_id,
                location_id=plan.location_id,
                order_type=data.order_type,
                status="PENDING",
                subtotal_cents=totals.subtotal,
                discount_cents=totals.discount,
                delivery_fee_cents=totals.delivery_fee,
                tax_cents=totals.tax,
                tip_cents=totals.tip,
                total_cents=totals.total,
                tax_rate_bp=req.cfg.tax_rate_bp,
                coupon_id=plan.coupon.id if plan.coupon else None,
                coupon_code=plan.coupon.code if plan.coupon else None,
                scheduled_at=req.scheduled_at,
                comment=req.comment,
                guest_name=req.guest_name,
                guest_email=req.guest_email,
                guest_phone=req.guest_phone,
                delivery_address=req.address,
                table_id=plan.table_id,
                table_name=plan.table_name,
                payment_method=data.payment_method,
                idempotency_key=key,
                request_fingerprint=print_,
                created_at=now,
                updated_at=now,
            ),
        )
        item_rows: list[dict[str, Any]] = []
        option_rows: list[dict[str, Any]] = []
        items_out: list[OrderItemOut] = []
        for position, ln in enumerate(plan.lines):
            item_id = new_id()
            item_rows.append(
                {
                    "id": item_id,
                    "order_id": order_id,
                    "menu_item_id": ln.menu_item_id,
                    "position": position,
                    "name": ln.name,
                    "quantity": ln.quantity,
                    "unit_price_cents": ln.unit_price,
                    "subtotal_cents": ln.subtotal,
                    "comment": ln.comment,
                    "stock_taken": ln.stock_taken,
                }
            )
            opts_out: list[OrderItemOptionOut] = []
            for opt_position, opt in enumerate(ln.options):
                option_id = new_id()
                option_rows.append(
                    {
                        "id": option_id,
                        "order_item_id": item_id,
                        "menu_option_value_id": opt.value_id,
                        "position": opt_position,
                        "name": opt.option_name,
                        "value": opt.value_name,
                        "price_modifier_cents": opt.modifier,
                    }
                )
                opts_out.append(
                    OrderItemOptionOut(
                        id=option_id,
                        menu_option_value_id=opt.value_id,
                        name=opt.option_name,
                        value=opt.value_name,
                        price_modifier=from_cents(opt.modifier),
                    )
                )
            items_out.append(
                OrderItemOut(
                    id=item_id,
                    menu_item_id=ln.menu_item_id,
                    name=ln.name,
                    quantity=ln.quantity,
                    unit_price=from_cents(ln.unit_price),
                    subtotal=from_cents(ln.subtotal),
                    comment=ln.comment,
                    options=opts_out,
                )
            )
        conn.execute(_INSERT_ITEMS, item_rows)
        if option_rows:
            conn.execute(_INSERT_OPTIONS, option_rows)
        if plan.coupon is not None:
            self.coupons.redeem_in(session, plan.coupon, order_id=order_id, now=now)
        conn.execute(
            _INSERT_CHANGE,
            {
                "id": new_id(),
                "order_id": order_id,
                "from_status": None,
                "to_status": "PENDING",
                "actor_type": "customer" if req.customer_id else "guest",
                "actor_id": req.customer_id,
                "created_at": now,
            },
        )
        stamp = iso(now) or ""
        out = OrderOut(
            id=order_id,
            order_number=number,
            tracking_token=tracking_token,
            status="PENDING",
            next_status=states.next_status(data.order_type, "PENDING"),  # type: ignore[arg-type]
            order_type=data.order_type,
            location_id=plan.location_id,
            location=LocationRef(id=plan.location_id, name=plan.location_name),
            customer_id=req.customer_id,
            customer=plan.customer,
            customer_name=(plan.customer.name if plan.customer else req.guest_name) or "",
            guest_name=req.guest_name,
            guest_email=req.guest_email,
            guest_phone=req.guest_phone,
            delivery_address=_address_out(req.address),
            table_id=plan.table_id,
            table_name=plan.table_name,
            scheduled_at=iso(req.scheduled_at),
            comment=req.comment,
            coupon_code=plan.coupon.code if plan.coupon else None,
            payment_method=data.payment_method,
            subtotal=from_cents(totals.subtotal),
            discount=from_cents(totals.discount),
            delivery_fee=from_cents(totals.delivery_fee),
            tax=from_cents(totals.tax),
            tax_rate=from_basis_points(req.cfg.tax_rate_bp),
            tip=from_cents(totals.tip),
            total=from_cents(totals.total),
            items=items_out,
            created_at=stamp,
            updated_at=stamp,
        )
        record(session, OrderCreated(order=out))
        return out

    async def place(
        self, data: OrderIn, principal: Principal | None, idempotency_key: str | None = None
    ) -> tuple[OrderOut, bool]:
        """Place an order. Returns the order and whether it is a replay of an earlier submission (same key)."""
        key = _clean(idempotency_key)
        if key is not None and len(key) > 128:
            raise _refuse("Idempotency-Key must be at most 128 characters", "INVALID_IDEMPOTENCY_KEY")
        cfg = await self.order_settings()
        customer_id = principal.id if principal is not None and principal.is_customer else None
        print_ = fingerprint(data, customer_id)

        def replay(session: Session) -> OrderOut | None:
            if key is None:
                return None
            found = fast(session).execute(_BY_IDEMPOTENCY_KEY, {"key": key}).first()
            if found is None:
                return None
            if found.request_fingerprint != print_:
                raise Conflict(
                    "This Idempotency-Key was already used for a different order; use a new key for a new order",
                    code="IDEMPOTENCY_KEY_REUSED",
                )
            return load_order(session, found.id)

        def place(session: Session) -> tuple[OrderOut, bool]:
            earlier = replay(session)
            if earlier is not None:
                return earlier, True
            req = self._request(data, principal, cfg)
            req.use_catalog = self.catalog.check(fast(session))
            return self._write(session, req, self._plan(session, req), key, print_), False

        try:
            return await self.db.run_write_fast(place)
        except IntegrityError:
            if key is None:
                raise
            # A concurrent submission with the same key won the race (servers with concurrent writers).
            return await self.db.run_write_fast(place)

    async def quote(self, data: OrderIn, principal: Principal | None) -> QuoteOut:
        """The server's totals for a cart, with every check of a real order; nothing is written."""
        cfg = await self.order_settings()
        req = self._request(data, principal, cfg)
        plan = await self.db.run_read(lambda session: self._plan(session, req))
        t = plan.totals
        return QuoteOut(
            items=[
                QuoteLineOut(
                    menu_item_id=ln.menu_item_id,
                    name=ln.name,
                    quantity=ln.quantity,
                    unit_price=from_cents(ln.unit_price),
                    subtotal=from_cents(ln.subtotal),
                    options=[
                        OrderItemOptionOut(
                            id=opt.value_id,
                            menu_option_value_id=opt.value_id,
                            name=opt.option_name,
                            value=opt.value_name,
                            price_modifier=from_cents(opt.modifier),
                        )
                        for opt in ln.options
                    ],
                )
                for ln in plan.lines
            ],
            subtotal=from_cents(t.subtotal),
            discount=from_cents(t.discount),
            delivery_fee=from_cents(t.delivery_fee),
            tax=from_cents(t.tax),
            tax_rate=from_basis_points(cfg.tax_rate_bp),
            tip=from_cents(t.tip),
            total=from_cents(t.total),
            coupon_code=plan.coupon.code if plan.coupon else None,
            free_delivery=bool(plan.coupon and plan.coupon.free_delivery),
        )

    # ---------------------------------------------------------------- status

    def _release(self, session: Session, order_id: str) -> None:
        """Give back what a cancelled order took: its stock and its coupon use."""
        conn = fast(session)
        for row in conn.execute(_STOCK_TAKEN_BY, {"order_id": order_id}).all():
            conn.execute(_GIVE_STOCK, {"item_id": row.menu_item_id, "qty": row.qty})
        self.coupons.release_in(session, order_id=order_id)

    async def change_status(self, order_id: str, status: str, principal: Principal) -> OrderOut:
        """Staff move an order along the transition table; a customer may cancel their own order while PENDING."""

        def change(session: Session) -> OrderOut:
            conn = fast(session)
            current = conn.execute(_CURRENT_STATUS, {"order_id": order_id}).first()
            if current is None:
                raise OrderNotFound("Order not found")
            previous = current.status
            if principal.is_staff:
                if not states.can_transition(current.order_type, previous, status):
                    raise InvalidTransition(f"Cannot change the order's status from {previous} to {status}")
            else:
                if current.customer_id != principal.id:
                    raise Forbidden("Access denied", code="ACCESS_DENIED")
                if status != "CANCELLED":
                    raise Forbidden("You can only cancel your order", code="CUSTOMER_CANCEL_ONLY")
                if previous != "PENDING":
                    raise InvalidTransition(
                        f"Cannot change the order's status from {previous} to {status}: the restaurant is already "
                        "working on it; please call them to cancel"
                    )
            now = utcnow()
            moved = conn.execute(
                _MOVE_STATUS, {"order_id": order_id, "from_status": previous, "to_status": status, "now": now}
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict("The order changed meanwhile; please reload it", code="ORDER_CHANGED")
            if status == "CANCELLED":
                self._release(session, order_id)
            conn.execute(
                _INSERT_CHANGE,
                {
                    "id": new_id(),
                    "order_id": order_id,
                    "from_status": previous,
                    "to_status": status,
                    "actor_type": principal.type,
                    "actor_id": principal.id,
                    "created_at": now,
                },
            )
            out = load_order(session, order_id)
            record(session, OrderStatusChanged(order=out, previous_status=previous))
            return out

        return await self.db.run_write_fast(change)

    # ---------------------------------------------------------------- reads

    async def kitchen_snapshot(self) -> list[OrderOut]:
        """Every order the kitchen is working on (PENDING, CONFIRMED, PREPARING, READY), oldest first."""
        return await self.db.run_read(
            lambda session: load_orders(session, [orders_t.c.status.in_(KITCHEN_STATUSES)], order_by=_OLDEST_FIRST)
        )

    async def get_for_viewer(
        self, order_id: str, principal: Principal | None, tracking_token: str | None = None
    ) -> OrderOut:
        """The order for staff, its customer, or anyone holding its tracking token.

        NotFound when there is no such order or the token is wrong (or missing for an anonymous caller);
        Forbidden ("Access denied") for a signed-in customer who does not own it.
        """
        order = await self.db.run_read(lambda session: load_orders(session, [orders_t.c.id == order_id]))
        if not order:
            raise OrderNotFound("Order not found")
        found = order[0]
        if principal is not None and principal.is_staff:
            return found
        if tracking_token:
            if constant_time_equals(tracking_token, found.tracking_token):
                return found
            raise OrderNotFound("Order not found")
        if principal is not None and principal.is_customer:
            if found.customer_id == principal.id:
                return found
            raise Forbidden("Access denied", code="ACCESS_DENIED")
        raise OrderNotFound("Order not found")

    def _conditions(
        self,
        tz: ZoneInfo,
        *,
        status: str | None,
        order_type: str | None,
        location_id: str | None,
        date_from: str | None,
        date_to: str | None,
        search: str | None,
    ) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if status:
            wanted = [s.strip().upper() for s in status.split(",") if s.strip()]
            unknown = [s for s in wanted if s not in ORDER_STATUSES]
            if unknown:
                raise _refuse(
                    f"Invalid status: {', '.join(unknown)}. Must be one of: {', '.join(ORDER_STATUSES)}",
                    "INVALID_STATUS",
                )
            if wanted:
                conditions.append(orders_t.c.status.in_(wanted))
        if order_type:
            conditions.append(orders_t.c.order_type == order_type)
        if location_id:
            conditions.append(orders_t.c.location_id == location_id)
        if date_from:
            conditions.append(orders_t.c.created_at >= _moment(date_from, "from", tz, end=False))
        if date_to:
            conditions.append(orders_t.c.created_at < _moment(date_to, "to", tz, end=True))
        if search and search.strip():
            conditions.append(orders_t.c.order_number.contains(search.strip().upper(), autoescape=True))
        return conditions

    async def list(
        self,
        params: PageParams,
        *,
        status: str | None = None,
        order_type: str | None = None,
        location_id: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        search: str | None = None,
    ) -> tuple[list[OrderOut], int]:
        """Staff: orders newest first, filtered by status (comma list), type, location, date range, number."""
        cfg = await self.order_settings()
        conditions = self._conditions(
            cfg.tz,
            status=status,
            order_type=order_type,
            location_id=location_id,
            date_from=date_from,
            date_to=date_to,
            search=search,
        )

        def read(session: Session) -> tuple[list[OrderOut], int]:
            total = session.execute(select(func.count()).select_from(orders_t).where(*conditions)).scalar_one()
            return load_orders(session, conditions, limit=params.limit, offset=params.offset), total

        return await self.db.run_read(read)

    async def my_orders(self, principal: Principal, params: PageParams) -> tuple[list[OrderOut], int]:
        """A customer's own orders, newest first."""
        conditions = [orders_t.c.customer_id == principal.id]

        def read(session: Session) -> tuple[list[OrderOut], int]:
            total = session.execute(select(func.count()).select_from(orders_t).where(*conditions)).scalar_one()
            return load_orders(session, conditions, limit=params.limit, offset=params.offset), total

        return await self.db.run_read(read)


def _moment(text: str, name: str, tz: ZoneInfo, *, end: bool) -> datetime:
    """A filter bound: a date is a whole restaurant-local day (`to` includes it); a date-time is exact."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            start = datetime.combine(date.fromisoformat(raw), time.min, tzinfo=tz)
            return (start + timedelta(days=1) if end else start).astimezone(UTC)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise _refuse(f"{name} must be an ISO date (2025-11-25) or date-time", "INVALID_DATE") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC) + (timedelta(microseconds=1) if end else timedelta(0))
