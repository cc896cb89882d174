"""Orders: placement and quotes, status changes, and reads for staff, customers and guests with a tracking link.

Placement is the hot path: the site settings come from the settings cache, then the whole order - every check, the
order number, stock, coupon use, rows, the status history and the event - is ONE write transaction
(`Database.run_write`) of compiled Core statements (`orders.queries`). The rules themselves are pure
(`orders.checks`); every refusal is raised before anything is written (or rolls the transaction back), so a
refused order leaves no row behind. A quote runs the same checks in a read transaction and writes nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kitchenasty.core import audit, outbox
from kitchenasty.core.api import PageParams
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, Forbidden, NotFound, Unauthorized
from kitchenasty.core.events import record
from kitchenasty.core.fastsql import fast
from kitchenasty.core.money import to_basis_points, to_cents
from kitchenasty.core.schema import new_id, utcnow
from kitchenasty.core.security import Principal, constant_time_equals
from kitchenasty.coupons.service import AppliedCoupon, CouponService, customer_key
from kitchenasty.kitchen import queries as kitchen_queries
from kitchenasty.locations.hours import Closure, DayHours
from kitchenasty.menu import queries as menu_queries
from kitchenasty.orders import checks, export, queries, voids
from kitchenasty.orders.catalog import Catalog
from kitchenasty.orders.checks import Line, OrderNotFound, OrderRequest, OrderSettings, Totals, refuse
from kitchenasty.orders.events import OrderCreated, OrderStatusChanged
from kitchenasty.orders.filters import list_filters
from kitchenasty.orders.hooks import NoHooks, OrderHooks
from kitchenasty.orders.schemas import (
    KITCHEN_STATUSES,
    OrderDeliveryOut,
    OrderIn,
    OrderOut,
    PartyRef,
    QuoteOut,
    StatusChangeOut,
)
from kitchenasty.orders.views import (
    history_out,
    item_out,
    moved_out,
    option_out,
    order_delivery_out,
    order_out,
    quote_out,
)
from kitchenasty.settings.service import ResolvedSettings, SettingsService

__all__ = ["OrderCreated", "OrderNotFound", "OrderService", "OrderStatusChanged"]


def order_settings_of(resolved: ResolvedSettings) -> OrderSettings:
    return OrderSettings(
        enabled=bool(resolved.get("orders.enabled")),
        maintenance=bool(resolved.get("advanced.maintenanceMode")),
        maintenance_message=str(resolved.get("advanced.maintenanceMessage") or ""),
        future_ordering=bool(resolved.get("orders.enableFutureOrdering")),
        max_schedule_days=int(resolved.get("orders.maxScheduleDays")),
        tipping=bool(resolved.get("orders.enableTipping")),
        tax_rate_bp=to_basis_points(resolved.get("orders.taxRate"), field="orders.taxRate"),
        delivery_fee_cents=to_cents(resolved.get("orders.deliveryFee"), field="orders.deliveryFee"),
        tz=ZoneInfo(resolved.get("general.timezone")),
        money=resolved.money,
        restaurant_name=str(resolved.get("general.restaurantName") or ""),
        auto_print_status=str(resolved.get("orders.autoPrintStatus") or ""),
    )


@dataclass(slots=True)
class _Plan:
    """What an order will write, checked: location, table, customer, priced lines, stock, coupon, totals."""

    location: Any
    table_id: str | None
    table_name: str | None
    customer: PartyRef | None
    lines: list[Line]
    stock: dict[str, int]
    coupon: AppliedCoupon | None
    totals: Totals


class OrderService:
    def __init__(self, db: Database, settings: SettingsService, coupons: CouponService) -> None:
        self.db = db
        self.settings = settings
        self.coupons = coupons
        self._cfg_cache: tuple[ResolvedSettings, OrderSettings] | None = None
        self.catalog = Catalog()
        """Cleared on every menu or location change (subscribed in `kitchenasty.services`)."""
        self.hooks: OrderHooks = NoHooks()
        """Run inside the order transactions (ticket printing; set in `kitchenasty.services`)."""

    async def order_settings(self) -> OrderSettings:
        resolved = await self.settings.resolved()
        cached = self._cfg_cache
        if cached is not None and cached[0] is resolved:
            return cached[1]
        cfg = order_settings_of(resolved)
        self._cfg_cache = (resolved, cfg)
        return cfg

    # ---------------------------------------------------------------- placement: what it reads

    def _location(self, session: Session, req: OrderRequest) -> tuple[Any, list[DayHours], list[Closure]]:
        """The location (the only active one when none is named), its hours and closures, checked for this order."""
        catalog = self.catalog if req.use_catalog else Catalog()
        location_id = checks.clean(req.data.location_id)
        if location_id is None:
            active = catalog.get("active-locations")
            if active is None:
                active = catalog.put("active-locations", queries.active_location_ids(session))
            if not active:
                raise refuse("We are not taking orders at the moment (no location is open for orders)", "NO_LOCATION")
            if len(active) > 1:
                raise refuse("Choose a location", "LOCATION_REQUIRED")
            location_id = active[0]
        found = catalog.get(("location", location_id))
        if found is None:
            since = req.now.astimezone(req.cfg.tz).date() - timedelta(days=1)
            found = queries.location_with_hours(session, location_id, since)
            if found is None:
                raise refuse("This location does not exist; please choose another one", "LOCATION_NOT_FOUND")
            catalog.put(("location", location_id), found)
        checks.check_location(found[0], found[1], req, closures=found[2])
        return found

    def _menu(self, session: Session, req: OrderRequest) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """The ordered items' rules (from the catalog when it is valid), always with their current stock."""
        catalog = self.catalog if req.use_catalog else Catalog()
        item_ids = list(dict.fromkeys(line.menu_item_id for line in req.data.items))
        menu: dict[str, Any] = {}
        windows: dict[str, list[Any]] = {}
        missing = []
        for item_id in item_ids:
            hit = catalog.get(("item", item_id))
            if hit is None:
                missing.append(item_id)
            else:
                menu[item_id], windows[item_id] = hit
        if missing:
            loaded, loaded_windows = queries.menu_rules(session, missing)
            for item_id, item in loaded.items():
                menu[item_id], windows[item_id] = catalog.put(
                    ("item", item_id), (item, loaded_windows.get(item_id, []))
                )
        tracked = [item_id for item_id, item in menu.items() if item.track_stock]
        if tracked:
            fresh = menu_queries.stock_of(session, tracked)
            for item_id in tracked:
                menu[item_id] = dataclasses.replace(menu[item_id], stock_qty=fresh.get(item_id, 0))
        return menu, windows

    def _stations(self, session: Session, req: OrderRequest) -> dict[str, str]:
        """menu item id -> kitchen station, kept in the catalog (dropped on a menu, location or station change)."""
        catalog = self.catalog if req.use_catalog else Catalog()
        routes: dict[str, str] | None = catalog.get("stations")
        if routes is None:
            routes = catalog.put("stations", kitchen_queries.station_map(session))
        return routes

    def _plan(self, session: Session, req: OrderRequest) -> _Plan:
        customer = None
        if req.customer_id is not None:
            c = queries.customer_row(session, req.customer_id)
            if c is None:
                raise Unauthorized("Your account was not found; please sign in again", code="CUSTOMER_NOT_FOUND")
            customer = PartyRef(id=c.id, name=c.name, email=c.email, phone=c.phone)
        loc = self._location(session, req)[0]
        data = req.data
        table_id = table_name = None
        if data.order_type == "DINE_IN":
            table = queries.table_row(session, checks.clean(data.table_id))
            if table is None or table.location_id != loc.id:
                raise refuse(f"This table was not found at {loc.name}; please check the table code", "TABLE_NOT_FOUND")
            if not table.is_active:
                raise refuse("This table is not taking orders; please ask our staff", "TABLE_INACTIVE")
            table_id, table_name = table.id, table.name
        menu, windows = self._menu(session, req)
        lines, stock = checks.check_lines(req, loc, menu, windows)
        subtotal = sum(ln.subtotal for ln in lines)
        checks.check_minimum(loc, data.order_type, subtotal, req.cfg.money)
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
        totals = checks.compute_totals(
            (ln.subtotal for ln in lines),
            order_type=data.order_type,
            delivery_fee_cents=req.cfg.delivery_fee_cents,
            discount_cents=coupon.discount_cents if coupon else 0,
            free_delivery=bool(coupon and coupon.free_delivery),
            tax_rate_bp=req.cfg.tax_rate_bp,
            tip_cents=req.tip_cents,
        )
        return _Plan(
            location=loc,
            table_id=table_id,
            table_name=table_name,
            customer=customer,
            lines=lines,
            stock=stock,
            coupon=coupon,
            totals=totals,
        )

    # ---------------------------------------------------------------- placement: what it writes

    def _write(
        self, session: Session, req: OrderRequest, plan: _Plan, key: str | None, print_: str, placed_by: str | None
    ) -> OrderOut:
        now, totals = req.now, plan.totals
        order_id = new_id()
        day = now.astimezone(req.cfg.tz).date()
        for item_id, quantity in plan.stock.items():
            if not menu_queries.take_stock(session, item_id, quantity):
                name = next(ln.name for ln in plan.lines if ln.menu_item_id == item_id)
                raise refuse(f"Not enough {name} left; please lower the quantity", "INSUFFICIENT_STOCK")
        order = {
            "id": order_id,
            "order_number": checks.order_number(day, queries.next_number(session, day)),
            "tracking_token": secrets.token_urlsafe(24),
            "customer_id": req.customer_id,
            "location_id": plan.location.id,
            "order_type": req.data.order_type,
            "status": "PENDING",
            "subtotal_cents": totals.subtotal,
            "discount_cents": totals.discount,
            "delivery_fee_cents": totals.delivery_fee,
            "tax_cents": totals.tax,
            "tip_cents": totals.tip,
            "total_cents": totals.total,
            "tax_rate_bp": req.cfg.tax_rate_bp,
            "coupon_id": plan.coupon.id if plan.coupon else None,
            "coupon_code": plan.coupon.code if plan.coupon else None,
            "scheduled_at": req.scheduled_at,
            "comment": req.comment,
            "guest_name": req.guest_name,
            "guest_email": req.guest_email,
            "guest_phone": req.guest_phone,
            "delivery_address": req.address,
            "table_id": plan.table_id,
            "table_name": plan.table_name,
            "payment_method": req.data.payment_method,
            "payment_status": "UNPAID",
            "idempotency_key": key,
            "request_fingerprint": print_,
            "created_at": now,
            "updated_at": now,
            "local_day": day,
            "local_hour": now.astimezone(req.cfg.tz).hour,
            "acknowledged_at": None,
            "acknowledged_by": None,
        }
        items, options = _line_rows(order_id, plan.lines, self._stations(session, req))
        queries.insert_order(session, order, items, options)
        if plan.coupon is not None:
            self.coupons.redeem_in(session, plan.coupon, order_id=order_id, now=now)
        queries.insert_status_change(
            session,
            {
                "id": new_id(),
                "order_id": order_id,
                "from_status": None,
                "to_status": "PENDING",
                "actor_type": "staff" if placed_by else "customer" if req.customer_id else "guest",
                "actor_id": placed_by or req.customer_id,
                "created_at": now,
                "reason": None,
            },
        )
        out = _written_out(order, items, options, plan)
        record(session, OrderCreated(order=out))
        self.hooks.placed(session, out, req.cfg)
        return out

    async def place(
        self, data: OrderIn, principal: Principal | None, idempotency_key: str | None = None
    ) -> tuple[OrderOut, bool]:
        """Place an order. Returns the order and whether it is a replay of an earlier submission (same key)."""
        key = checks.clean(idempotency_key)
        if key is not None and len(key) > 128:
            raise refuse("Idempotency-Key must be at most 128 characters", "INVALID_IDEMPOTENCY_KEY")
        cfg = await self.order_settings()
        customer_id = principal.id if principal is not None and principal.is_customer else None
        placed_by = principal.id if principal is not None and principal.is_staff else None
        print_ = checks.fingerprint(data, customer_id)

        def place(session: Session) -> tuple[OrderOut, bool]:
            if key is not None:
                earlier = queries.order_id_for_key(session, key)
                if earlier is not None:
                    if earlier.request_fingerprint != print_:
                        raise Conflict(
                            "This Idempotency-Key was already used for a different order; use a new key for a new "
                            "order",
                            code="IDEMPOTENCY_KEY_REUSED",
                        )
                    return queries.load_order(session, earlier.id), True
            req = checks.check_request(data, customer_id, cfg, utcnow())
            req.use_catalog = self.catalog.check(fast(session))
            return self._write(session, req, self._plan(session, req), key, print_, placed_by), False

        try:
            return await self.db.run_write(place)
        except IntegrityError:
            if key is None:
                raise
            # A concurrent submission with the same key won the race (servers with concurrent writers).
            return await self.db.run_write(place)

    async def quote(self, data: OrderIn, principal: Principal | None) -> QuoteOut:
        """The server's totals for a cart, with every check of a real order; nothing is written."""
        cfg = await self.order_settings()
        customer_id = principal.id if principal is not None and principal.is_customer else None
        req = checks.check_request(data, customer_id, cfg, utcnow())
        plan = await self.db.run_read(lambda session: self._plan(session, req))
        return quote_out(plan.lines, plan.totals, tax_rate_bp=cfg.tax_rate_bp, coupon=plan.coupon)

    # ---------------------------------------------------------------- status

    def _release(self, session: Session, order_id: str) -> None:
        """Give back what a cancelled order took: its stock and its coupon use."""
        for menu_item_id, quantity in queries.stock_taken_by(session, order_id):
            menu_queries.give_stock(session, menu_item_id, quantity)
        self.coupons.release_in(session, order_id=order_id)

    def apply_move(
        self,
        session: Session,
        order_id: str,
        current: Any,
        status: str,
        principal: Principal,
        reason: str | None,
        now: Any,
    ) -> str:
        """Write a move checked by the caller (also `orders.kitchen`'s automatic moves and recalls): compare-and-set
        (the rollups follow by trigger), release, history and audit rows. Returns the history row's id; the caller
        records the event."""
        previous = current.status
        if not queries.move_status(session, order_id, previous, status, now):
            raise Conflict("The order changed meanwhile; please reload it", code="ORDER_CHANGED")
        if status == "CANCELLED":
            self._release(session, order_id)
        change_id = new_id()
        queries.insert_status_change(
            session,
            {
                "id": change_id,
                "order_id": order_id,
                "from_status": previous,
                "to_status": status,
                "actor_type": principal.type,
                "actor_id": principal.id,
                "created_at": now,
                "reason": reason,
            },
        )
        if principal.is_staff:
            changes: dict[str, list[Any]] = {"status": [previous, status]}
            if reason is not None:
                changes["reason"] = [None, reason]
            audit.record(session, action="update", entity="order", entity_id=order_id, changes=changes)
        return change_id

    async def change_status(
        self, order_id: str, status: str, principal: Principal, reason: str | None = None
    ) -> OrderOut:
        """Staff move an order along the transition table; a customer may cancel their own order while PENDING.
        The reason given (a cancellation's, say) is kept on the history row."""
        reason = checks.clean_reason(reason)
        cfg = await self.order_settings()

        def change(session: Session) -> OrderOut:
            current = queries.load_order(session, order_id)
            previous = current.status
            checks.check_move(
                order_type=current.order_type,
                previous=previous,
                status=status,
                by_staff=principal.is_staff,
                owner_id=current.customer_id,
                caller_id=principal.id,
            )
            now = utcnow()
            self.apply_move(session, order_id, current, status, principal, reason, now)
            out = moved_out(current, status, now)
            record(session, OrderStatusChanged(order=out, previous_status=previous))
            self.hooks.status_changed(session, out, previous, cfg)
            return out

        return await self.db.run_write(change)

    async def void_item(self, order_id: str, item_id: str, reason: str, principal: Principal) -> OrderOut:
        """Staff take one line off an order (`orders.voids`); a reason is required."""
        text = checks.clean_reason(reason)
        if text is None:
            raise refuse("Give a reason for voiding this item", "REASON_REQUIRED")
        cfg = await self.order_settings()
        return await self.db.run_write(
            lambda session: voids.void_in(
                session,
                order_id=order_id,
                item_id=item_id,
                reason=text,
                staff_id=principal.id,
                cfg=cfg,
                hooks=self.hooks,
            )
        )

    # ---------------------------------------------------------------- reads

    async def kitchen_snapshot(self) -> list[OrderOut]:
        """Every order the kitchen is working on (PENDING, CONFIRMED, PREPARING, READY), oldest first."""
        return await self.db.run_read(
            lambda session: queries.load_orders(
                session, queries.kitchen_conditions(KITCHEN_STATUSES), order_by=queries.OLDEST_FIRST
            )
        )

    async def get_for_viewer(
        self, order_id: str, principal: Principal | None, tracking_token: str | None = None
    ) -> OrderOut:
        """The order for staff, its customer, or anyone holding its tracking token.

        NotFound when there is no such order or the token is wrong (or missing for an anonymous caller);
        Forbidden ("Access denied") for a signed-in customer who does not own it.
        """
        found = await self.db.run_read(lambda session: queries.load_orders(session, queries.by_id(order_id)))
        if not found:
            raise OrderNotFound("Order not found")
        order = found[0]
        if principal is not None and principal.is_staff:
            return order
        if tracking_token:
            if constant_time_equals(tracking_token, order.tracking_token):
                return order
            raise OrderNotFound("Order not found")
        if principal is not None and principal.is_customer:
            if order.customer_id == principal.id:
                return order
            raise Forbidden("Access denied", code="ACCESS_DENIED")
        raise OrderNotFound("Order not found")

    async def list_orders(
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
        """Staff: orders newest first, filtered by status (comma list), type, location, date range, and a search
        of the number, name, e-mail or phone."""
        tz = (await self.order_settings()).tz
        filters = list_filters(tz, status, order_type, location_id, date_from, date_to, search)
        return await self._page(filters, params)

    # ---------------------------------------------------------------- the back office: history, deliveries, export

    async def history(self, order_id: str) -> list[StatusChangeOut]:
        """The order's status changes, oldest first: what it became, when, who did it and why."""

        def read(session: Session) -> list[Any]:
            if not queries.order_exists(session, order_id):
                raise OrderNotFound("Order not found")
            return queries.history_rows(session, order_id)

        return history_out(await self.db.run_read(read))

    async def deliveries(self, order_id: str) -> list[OrderDeliveryOut]:
        """The e-mails, SMS and webhooks the order's events caused, oldest first, and how their delivery went."""

        def read(session: Session) -> list[Any]:
            if not queries.order_exists(session, order_id):
                raise OrderNotFound("Order not found")
            return outbox.of_order(session, order_id)

        return [order_delivery_out(row) for row in await self.db.run_read(read)]

    export_max_rows = export.MAX_ROWS
    export_batch = export.BATCH

    async def export_csv(
        self,
        *,
        status: str | None = None,
        order_type: str | None = None,
        location_id: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        search: str | None = None,
    ) -> tuple[str, AsyncIterator[str]]:
        """The orders the list shows with these filters, as CSV streamed in batches: (file name, the text). More
        than `export_max_rows` orders is refused before anything is sent."""
        tz = (await self.order_settings()).tz
        filters = list_filters(tz, status, order_type, location_id, date_from, date_to, search)
        cap = self.export_max_rows
        total = await self.db.run_read(lambda session: queries.count_orders(session, filters))
        if total > cap:
            raise refuse(
                f"These filters match {total:,} orders; an export holds at most {cap:,}. Please narrow the filters "
                "(a shorter date range, say) and export again.",
                "EXPORT_TOO_LARGE",
            )
        return export.file_name(utcnow().astimezone(tz).date()), self._export_batches(filters, tz, cap)

    async def _export_batches(self, filters: list[Any], tz: ZoneInfo, cap: int) -> AsyncIterator[str]:
        yield export.csv_text([export.HEADER])
        after: tuple[Any, str] | None = None
        written = 0
        while written < cap:
            limit = min(self.export_batch, cap - written)
            read = functools.partial(queries.export_rows, conditions=filters, after=after, limit=limit)
            rows = await self.db.run_read(read)
            if rows:
                yield export.csv_text(export.export_row(row, tz) for row in rows)
            written += len(rows)
            if len(rows) < limit:
                return
            after = (rows[-1].created_at, rows[-1].id)

    async def my_orders(self, principal: Principal, params: PageParams) -> tuple[list[OrderOut], int]:
        """A customer's own orders, newest first."""
        conditions = queries.list_conditions(
            statuses=(),
            order_type=None,
            location_id=None,
            created_from=None,
            created_before=None,
            number=None,
            customer_id=principal.id,
        )
        return await self._page(conditions, params)

    async def customer_orders(self, customer_id: str, params: PageParams) -> tuple[list[OrderOut], int]:
        """Staff: one customer's orders, newest first (the staff list's query, by customer)."""
        conditions = queries.list_conditions(
            statuses=(),
            order_type=None,
            location_id=None,
            created_from=None,
            created_before=None,
            number=None,
            customer_id=customer_id,
        )

        def read(session: Session) -> tuple[list[OrderOut], int]:
            if queries.customer_row(session, customer_id) is None:
                raise NotFound("Customer not found", code="CUSTOMER_NOT_FOUND")
            total = queries.count_orders(session, conditions)
            return queries.load_orders(session, conditions, limit=params.limit, offset=params.offset), total

        return await self.db.run_read(read)

    async def _page(self, conditions: list[Any], params: PageParams) -> tuple[list[OrderOut], int]:
        def read(session: Session) -> tuple[list[OrderOut], int]:
            total = queries.count_orders(session, conditions)
            return queries.load_orders(session, conditions, limit=params.limit, offset=params.offset), total

        return await self.db.run_read(read)


def _line_rows(
    order_id: str, lines: list[Line], stations: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The `order_items` and `order_item_options` rows of an order's lines: the snapshot of what was ordered (and
    the station that prepares each line, from `stations`: menu item id -> station id)."""
    items: list[dict[str, Any]] = []
    options: list[dict[str, Any]] = []
    for position, ln in enumerate(lines):
        item_id = new_id()
        items.append(
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
                "prep_state": "QUEUED",
                "prep_version": 0,
                "prep_changed_at": None,
                "station_id": stations.get(ln.menu_item_id),
            }
        )
        for opt_position, opt in enumerate(ln.options):
            options.append(
                {
                    "id": new_id(),
                    "order_item_id": item_id,
                    "menu_option_value_id": opt.value_id,
                    "position": opt_position,
                    "name": opt.option_name,
                    "value": opt.value_name,
                    "price_modifier_cents": opt.modifier,
                }
            )
    return items, options


def _written_out(
    order: dict[str, Any], items: list[dict[str, Any]], options: list[dict[str, Any]], plan: _Plan
) -> OrderOut:
    """The order just written, through the same view as an order read back (without reading it back)."""
    customer = plan.customer
    row = SimpleNamespace(
        **order,
        location_name=plan.location.name,
        c_name=customer.name if customer else None,
        c_email=customer.email if customer else None,
        c_phone=customer.phone if customer else None,
    )
    by_item: dict[str, list[Any]] = {}
    for o in options:
        by_item.setdefault(o["order_item_id"], []).append(option_out(SimpleNamespace(**o)))
    return order_out(row, [item_out(SimpleNamespace(**i), by_item.get(i["id"], [])) for i in items])
