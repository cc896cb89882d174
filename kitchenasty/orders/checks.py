"""The order rules as pure functions (no database, no clock, no I/O): totals in integer cents, the status machine,
and every check an order must pass before it is written, in the order a guest would fix them.

Totals:
    subtotal = sum of (unit price + chosen option modifiers) x quantity
    discount = the coupon's discount, never more than the subtotal
    delivery = the flat delivery fee for DELIVERY orders (0 otherwise; a free-delivery coupon zeroes it)
    tax      = tax rate (basis points) x (subtotal - discount), half up to the cent
    tip      = what the guest adds (only when tipping is enabled)
    total    = subtotal - discount + delivery + tax + tip

Statuses: PENDING -> CONFIRMED -> PREPARING -> READY, then by type: DELIVERY READY -> OUT_FOR_DELIVERY ->
DELIVERED (or READY -> DELIVERED when the driver is not tracked); PICKUP READY -> PICKED_UP; DINE_IN READY ->
DELIVERED (served at the table). CANCELLED from every non-terminal status; DELIVERED, PICKED_UP, CANCELLED end it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final
from zoneinfo import ZoneInfo

import msgspec

from kitchenasty.core.errors import Forbidden, NotFound, ValidationFailed
from kitchenasty.core.money import MoneyFormat, percent_of, to_cents
from kitchenasty.core.validate import valid_email
from kitchenasty.locations.checks import (
    closed_refusal,
    lead_time,
    pause_blocks,
    pause_of,
    paused_refusal,
    say_date,
)
from kitchenasty.locations.hours import (
    WEEKDAY_NAMES,
    Closure,
    DayHours,
    closure_on,
    describe_day,
    in_window,
    is_open_at,
    weekday_sunday0,
)
from kitchenasty.orders.schemas import REASON_MAX_CHARS, OrderIn

MAX_AMOUNT_CENTS = 10_000_000
ORDER_NUMBER_PREFIX = "KA"
ORDER_TYPES: Final = ("DELIVERY", "PICKUP", "DINE_IN")
ORDER_TYPE_LABELS = {"DELIVERY": "Delivery", "PICKUP": "Pickup", "DINE_IN": "Ordering at the table"}
ORDER_TYPE_WORDS = {"DELIVERY": "delivery", "PICKUP": "pickup", "DINE_IN": "dine-in"}


class OrderNotFound(NotFound):
    default_code = "ORDER_NOT_FOUND"


class InvalidTransition(ValidationFailed):
    default_code = "INVALID_TRANSITION"


def refuse(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code)


# ---------------------------------------------------------------- totals


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: int
    discount: int
    delivery_fee: int
    tax: int
    tip: int
    total: int


def unit_price(base_cents: int, modifiers: Iterable[int] = ()) -> int:
    """The price of one unit with its chosen options; a discounting option never makes it negative."""
    return max(0, base_cents + sum(modifiers))


def line_subtotal(unit_price_cents: int, quantity: int) -> int:
    if quantity < 0:
        raise ValueError("quantity must not be negative")
    return unit_price_cents * quantity


def delivery_fee(order_type: str, fee_cents: int, *, free_delivery: bool = False) -> int:
    if order_type != "DELIVERY" or free_delivery:
        return 0
    return max(0, fee_cents)


def check_tip(tip_cents: int, *, tipping_enabled: bool) -> int:
    """The tip to charge; a tip when tipping is off is refused (0 is always fine)."""
    if tip_cents < 0:
        raise ValidationFailed("The tip cannot be negative", code="INVALID_TIP")
    if tip_cents and not tipping_enabled:
        raise ValidationFailed("Tips are not accepted online; please leave the tip out", code="TIPPING_DISABLED")
    return tip_cents


def compute_totals(
    line_subtotals: Iterable[int],
    *,
    order_type: str,
    delivery_fee_cents: int = 0,
    discount_cents: int = 0,
    free_delivery: bool = False,
    tax_rate_bp: int = 0,
    tip_cents: int = 0,
) -> Totals:
    """All components of an order's total. Inputs are non-negative cents (and basis points)."""
    lines = list(line_subtotals)
    if any(x < 0 for x in lines) or min(delivery_fee_cents, discount_cents, tax_rate_bp, tip_cents) < 0:
        raise ValueError("amounts must not be negative")
    subtotal = sum(lines)
    discount = min(discount_cents, subtotal)
    delivery = delivery_fee(order_type, delivery_fee_cents, free_delivery=free_delivery)
    tax = percent_of(subtotal - discount, tax_rate_bp)
    total = subtotal - discount + delivery + tax + tip_cents
    return Totals(subtotal=subtotal, discount=discount, delivery_fee=delivery, tax=tax, tip=tip_cents, total=total)


# ---------------------------------------------------------------- statuses

TERMINAL: Final = frozenset({"DELIVERED", "PICKED_UP", "CANCELLED"})
_COMMON_FORWARD: Final = {"PENDING": "CONFIRMED", "CONFIRMED": "PREPARING", "PREPARING": "READY"}
# The kitchen display's one-tap advance: the single forward step from each status.
_NEXT: Final = MappingProxyType(
    {
        "DELIVERY": MappingProxyType({**_COMMON_FORWARD, "READY": "OUT_FOR_DELIVERY", "OUT_FOR_DELIVERY": "DELIVERED"}),
        "PICKUP": MappingProxyType({**_COMMON_FORWARD, "READY": "PICKED_UP"}),
        "DINE_IN": MappingProxyType({**_COMMON_FORWARD, "READY": "DELIVERED"}),
    }
)
# Forward moves that skip the one-tap path but are still allowed.
_EXTRA: Final = MappingProxyType({"DELIVERY": {("READY", "DELIVERED")}, "PICKUP": set(), "DINE_IN": set()})


def _build_table() -> MappingProxyType[str, MappingProxyType[str, frozenset[str]]]:
    table: dict[str, MappingProxyType[str, frozenset[str]]] = {}
    for order_type in ORDER_TYPES:
        forward = _NEXT[order_type]
        reachable = {"PENDING", *forward.keys(), *forward.values()}
        moves: dict[str, set[str]] = {status: set() for status in reachable}
        for src, dst in forward.items():
            moves[src].add(dst)
        for src, dst in _EXTRA[order_type]:
            moves[src].add(dst)
        for status in reachable - TERMINAL:
            moves[status].add("CANCELLED")
        moves.setdefault("CANCELLED", set())
        table[order_type] = MappingProxyType({s: frozenset(d) for s, d in moves.items()})
    return MappingProxyType(table)


TRANSITIONS: Final = _build_table()
"""order type -> status -> the statuses it may move to."""


def allowed_targets(order_type: str, status: str) -> frozenset[str]:
    """The statuses an order of `order_type` in `status` may move to (empty for terminal or unknown)."""
    return TRANSITIONS.get(order_type, MappingProxyType({})).get(status, frozenset())


def can_transition(order_type: str, from_status: str, to_status: str) -> bool:
    """Whether staff may move an order of `order_type` from `from_status` to `to_status` (never to itself)."""
    return to_status in allowed_targets(order_type, from_status)


def next_status(order_type: str, status: str) -> str | None:
    """The one-tap forward step of the kitchen display, or None when there is none (terminal)."""
    return _NEXT.get(order_type, MappingProxyType({})).get(status)


def is_terminal(status: str) -> bool:
    return status in TERMINAL


def check_move(
    *, order_type: str, previous: str, status: str, by_staff: bool, owner_id: str | None, caller_id: str
) -> None:
    """Staff move an order along the transition table; a customer may only cancel their own order while PENDING."""
    if by_staff:
        if not can_transition(order_type, previous, status):
            raise InvalidTransition(f"Cannot change the order's status from {previous} to {status}")
        return
    if owner_id != caller_id:
        raise Forbidden("Access denied", code="ACCESS_DENIED")
    if status != "CANCELLED":
        raise Forbidden("You can only cancel your order", code="CUSTOMER_CANCEL_ONLY")
    if previous != "PENDING":
        raise InvalidTransition(
            f"Cannot change the order's status from {previous} to {status}: the restaurant is already "
            "working on it; please call them to cancel"
        )


def clean_reason(reason: str | None) -> str | None:
    """A status change's reason, trimmed (blank is none); longer than REASON_MAX_CHARS is refused."""
    text = clean(reason)
    if text is not None and len(text) > REASON_MAX_CHARS:
        raise refuse(
            f"The reason can be at most {REASON_MAX_CHARS} characters long (this one has {len(text)})",
            "REASON_TOO_LONG",
        )
    return text


# ---------------------------------------------------------------- the request


@dataclass(frozen=True, slots=True)
class OrderSettings:
    """The site settings an order reads, converted once per settings version."""

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
    restaurant_name: str = ""
    auto_print_status: str = "CONFIRMED"
    """Ticket printing (issue 15): the status on which new orders print by itself ("" never)."""


@dataclass(slots=True)
class OrderRequest:
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
    """Set by placement when the catalog cache is valid for its (writer) transaction."""


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def money_field(value: Any, name: str) -> int:
    cents = to_cents(value, field=name)
    if cents < 0:
        raise refuse(f"The {name} cannot be negative", "INVALID_AMOUNT")
    if cents > MAX_AMOUNT_CENTS:
        raise refuse(f"The {name} is too large", "INVALID_AMOUNT")
    return cents


def _guest(data: OrderIn) -> tuple[str | None, str | None, str | None]:
    name, email, phone = clean(data.guest_name), clean(data.guest_email), clean(data.guest_phone)
    missing = [label for label, value in (("name", name), ("e-mail", email), ("phone number", phone)) if not value]
    if missing:
        raise refuse(
            f"To order as a guest, please give your name, e-mail and phone number (missing: {', '.join(missing)})",
            "GUEST_DETAILS_REQUIRED",
        )
    if not valid_email(email or ""):
        raise refuse("Please enter a valid e-mail address", "INVALID_EMAIL")
    if sum(ch.isdigit() for ch in phone or "") < 5:
        raise refuse("Please enter a phone number we can reach you on", "INVALID_PHONE")
    return name, email, phone


def _address(data: OrderIn) -> dict[str, Any] | None:
    if data.order_type != "DELIVERY":
        return None
    a = data.address
    if a is None:
        raise refuse("Delivery address is required", "ADDRESS_REQUIRED")
    line1, city = clean(a.line1), clean(a.city)
    if not line1 or not city:
        raise refuse("Please give the street (line 1) and city of the delivery address", "ADDRESS_REQUIRED")
    return {
        "line1": line1,
        "line2": clean(a.line2),
        "city": city,
        "postalCode": clean(a.postal_code) or clean(a.zip),
        "state": clean(a.state),
        "notes": clean(a.notes),
        "lat": a.lat,
        "lng": a.lng,
    }


def _schedule(data: OrderIn, cfg: OrderSettings, now: datetime) -> datetime | None:
    if data.scheduled_at is None:
        return None
    if not cfg.future_ordering:
        raise refuse(
            "Ordering for a later time is not available; please order for as soon as possible", "SCHEDULING_OFF"
        )
    at = data.scheduled_at
    scheduled_at = (at if at.tzinfo is not None else at.replace(tzinfo=cfg.tz)).astimezone(UTC)
    if scheduled_at <= now:
        raise refuse("The scheduled time is in the past; please choose a later time", "SCHEDULE_IN_PAST")
    if scheduled_at > now + timedelta(days=cfg.max_schedule_days):
        raise refuse(f"Orders can be scheduled at most {cfg.max_schedule_days} days ahead", "SCHEDULE_TOO_FAR")
    return scheduled_at


def check_request(data: OrderIn, customer_id: str | None, cfg: OrderSettings, now: datetime) -> OrderRequest:
    """The checks that need no database: ordering open, who orders, address, table, tip and schedule."""
    if cfg.maintenance:
        raise refuse(
            cfg.maintenance_message or "We are doing some maintenance and cannot take orders right now.",
            "MAINTENANCE",
        )
    if not cfg.enabled:
        raise refuse("Online ordering is turned off at the moment. Please contact the restaurant.", "ORDERING_OFF")
    guest_name, guest_email, guest_phone = _guest(data) if customer_id is None else (None, None, None)
    address = _address(data)
    if data.order_type == "DINE_IN" and not clean(data.table_id):
        raise refuse("Please choose your table to order at the table", "TABLE_REQUIRED")
    tip = check_tip(0 if data.tip is None else money_field(data.tip, "tip"), tipping_enabled=cfg.tipping)
    return OrderRequest(
        data=data,
        cfg=cfg,
        now=now,
        customer_id=customer_id,
        guest_name=guest_name,
        guest_email=guest_email,
        guest_phone=guest_phone,
        tip_cents=tip,
        scheduled_at=_schedule(data, cfg, now),
        address=address,
        coupon_code=clean(data.coupon_code),
        comment=clean(data.comment),
    )


def fingerprint(data: OrderIn, customer_id: str | None) -> str:
    """What makes two submissions "the same request" for Idempotency-Key (ignored client keys do not count)."""
    digest = hashlib.sha256(msgspec.json.encode(data))
    digest.update(b"|" + (customer_id or "").encode())
    return digest.hexdigest()


def order_number(day: date, sequence: int) -> str:
    """KA-YYMMDD-NNN: the restaurant-local date and that day's sequence (three digits at least)."""
    return f"{ORDER_NUMBER_PREFIX}-{day:%y%m%d}-{sequence:03d}"


# ---------------------------------------------------------------- the location


def check_location(loc: Any, hours: Sequence[DayHours], req: OrderRequest, closures: Sequence[Closure] = ()) -> None:
    """Active, not paused, taking this type of order, and open now (or at the scheduled time, at least the lead time
    ahead: longer while busy); a closed date is refused with its note. A scheduled order for after a pause ends is
    taken while paused."""
    order_type = req.data.order_type
    if not loc.is_active:
        raise refuse(f"{loc.name} is not taking orders at the moment", "LOCATION_INACTIVE")
    tz = req.cfg.tz
    pause = pause_of(loc)
    if pause is not None and pause_blocks(pause, req.now, req.scheduled_at):
        can_schedule = req.cfg.future_ordering and pause.until is not None
        raise refuse(paused_refusal(loc.name, pause, req.now.astimezone(tz), can_schedule), "ORDERING_PAUSED")
    enabled = {"DELIVERY": loc.delivery_enabled, "PICKUP": loc.pickup_enabled, "DINE_IN": loc.dine_in_enabled}
    if not enabled[order_type]:
        raise refuse(f"{ORDER_TYPE_LABELS[order_type]} is not available at {loc.name}", "ORDER_TYPE_UNAVAILABLE")
    if req.scheduled_at is None:
        local = req.now.astimezone(tz)
        if not is_open_at(hours, local, closures):
            later = " You can schedule your order for later." if req.cfg.future_ordering else ""
            closure = closure_on(closures, local.date())
            if closure is not None:
                raise refuse(f"{closed_refusal(loc.name, closure, 'today')}{later}", "LOCATION_CLOSED")
            raise refuse(
                f"{loc.name} is closed right now (today's hours: {describe_day(hours, local)}).{later}",
                "LOCATION_CLOSED",
            )
        return
    lead = lead_time(loc, order_type)
    if req.scheduled_at < req.now + timedelta(minutes=lead):
        busy = " while we are busy" if loc.is_busy and loc.busy_extra_minutes else ""
        raise refuse(
            f"Please schedule at least {lead} minutes ahead for {ORDER_TYPE_WORDS[order_type]}{busy}",
            "SCHEDULE_TOO_SOON",
        )
    local = req.scheduled_at.astimezone(tz)
    if not is_open_at(hours, local, closures):
        closure = closure_on(closures, local.date())
        if closure is not None:
            day = f"on {WEEKDAY_NAMES[weekday_sunday0(local)]} {say_date(local.date())}"
            raise refuse(
                f"{closed_refusal(loc.name, closure, day)} Please choose another day.", "LOCATION_CLOSED_AT_TIME"
            )
        raise refuse(
            f"{loc.name} is closed at the scheduled time ({WEEKDAY_NAMES[weekday_sunday0(local)]} "
            f"{local:%H:%M}; hours that day: {describe_day(hours, local)})",
            "LOCATION_CLOSED_AT_TIME",
        )


def check_minimum(loc: Any, order_type: str, subtotal: int, money: MoneyFormat) -> None:
    minimum = {"DELIVERY": loc.min_order_delivery_cents, "PICKUP": loc.min_order_pickup_cents}.get(order_type, 0)
    if subtotal < minimum:
        raise refuse(
            f"The minimum order for {ORDER_TYPE_WORDS[order_type]} at {loc.name} is {money(minimum)}; "
            f"please add {money(minimum - subtotal)} more",
            "BELOW_MINIMUM_ORDER",
        )


# ---------------------------------------------------------------- the lines


@dataclass(slots=True)
class MenuOptionRule:
    id: str
    name: str
    required: bool
    min_select: int
    max_select: int
    active: bool
    sort: int


@dataclass(slots=True)
class MenuValueRule:
    option: MenuOptionRule
    name: str
    modifier: int
    active: bool


@dataclass(slots=True)
class MenuItemRule:
    """What an order needs to know of a menu item (its price, options and values, availability, stock)."""

    id: str
    name: str
    price: int
    active: bool
    track_stock: bool
    stock_qty: int
    order_type: str | None
    location_id: str | None
    options: dict[str, MenuOptionRule] = field(default_factory=dict)
    values: dict[str, MenuValueRule] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChosenOption:
    value_id: str
    option_name: str
    value_name: str
    modifier: int


@dataclass(slots=True)
class Line:
    """One order line as it will be written: the snapshot of the item, its options and its price."""

    menu_item_id: str
    name: str
    quantity: int
    unit_price: int
    subtotal: int
    comment: str | None
    options: list[ChosenOption]
    stock_taken: int = 0


def _chosen(item: MenuItemRule, selections: Iterable[str]) -> list[ChosenOption]:
    name = item.name
    chosen: list[ChosenOption] = []
    seen: set[str] = set()
    counts: dict[str, int] = defaultdict(int)
    for value_id in selections:
        value = item.values.get(value_id)
        if value is None:
            raise refuse(
                f"One of the options chosen for {name} does not belong to it; please choose again", "OPTION_INVALID"
            )
        if value_id in seen:
            raise refuse(f"{value.name} was chosen twice for {name}", "OPTION_DUPLICATE")
        seen.add(value_id)
        if not value.active or not value.option.active:
            raise refuse(f"{value.name} is no longer available for {name}", "OPTION_UNAVAILABLE")
        counts[value.option.id] += 1
        chosen.append(ChosenOption(value_id, value.option.name, value.name, value.modifier))
    for option in sorted(item.options.values(), key=lambda o: (o.sort, o.name)):
        if not option.active:
            continue
        n = counts.get(option.id, 0)
        minimum = max(option.min_select, 1 if option.required else 0)
        if n < minimum:
            if minimum == 1:
                raise refuse(f"Please choose {option.name} for {name}", "OPTION_REQUIRED")
            raise refuse(f"Please choose at least {minimum} of {option.name} for {name}", "OPTION_TOO_FEW")
        if option.max_select > 0 and n > option.max_select:
            raise refuse(f"Please choose at most {option.max_select} of {option.name} for {name}", "OPTION_TOO_MANY")
    return chosen


def _check_item(item: MenuItemRule | None, item_id: str, loc: Any, req: OrderRequest, windows: Sequence[Any]) -> None:
    if item is None:
        raise refuse(f"Menu item not found: {item_id}", "ITEM_NOT_FOUND")
    name = item.name
    if not item.active:
        raise refuse(f"Menu item is not available: {name}", "ITEM_UNAVAILABLE")
    if item.location_id is not None and item.location_id != loc.id:
        raise refuse(f"{name} is not on the menu at {loc.name}", "ITEM_OTHER_LOCATION")
    if item.order_type is not None and item.order_type != req.data.order_type:
        raise refuse(
            f"{name} is only available for {ORDER_TYPE_WORDS.get(item.order_type, item.order_type)} orders",
            "ITEM_ORDER_TYPE",
        )
    if item.track_stock and item.stock_qty <= 0:
        raise refuse(f"{name} is sold out", "ITEM_SOLD_OUT")
    local = (req.scheduled_at or req.now).astimezone(req.cfg.tz)
    if windows and not any(in_window(w.start_time, w.end_time, w.days, local) for w in windows):
        served = ", ".join(f"{w.name} ({w.start_time}-{w.end_time})" for w in windows)
        raise refuse(f"{name} is only served during {served}", "ITEM_OUTSIDE_MEALTIME")


def check_lines(
    req: OrderRequest, loc: Any, menu: Mapping[str, MenuItemRule], windows: Mapping[str, Sequence[Any]]
) -> tuple[list[Line], dict[str, int]]:
    """Each line priced from the menu (never from the client) with its options checked, and the stock to take."""
    lines: list[Line] = []
    wanted: dict[str, int] = defaultdict(int)
    for line in req.data.items:
        item = menu.get(line.menu_item_id)
        _check_item(item, line.menu_item_id, loc, req, windows.get(line.menu_item_id) or ())
        assert item is not None
        chosen = _chosen(item, (s.menu_option_value_id for s in line.options))
        unit = unit_price(item.price, (c.modifier for c in chosen))
        lines.append(
            Line(
                menu_item_id=item.id,
                name=item.name,
                quantity=line.quantity,
                unit_price=unit,
                subtotal=line_subtotal(unit, line.quantity),
                comment=clean(line.comment),
                options=chosen,
            )
        )
        wanted[item.id] += line.quantity
    stock: dict[str, int] = {}
    for item_id, quantity in wanted.items():
        item = menu[item_id]
        if item.track_stock:
            if quantity > item.stock_qty:
                raise refuse(
                    f"Only {item.stock_qty} left of {item.name}; please lower the quantity", "INSUFFICIENT_STOCK"
                )
            stock[item_id] = quantity
    for ln in lines:  # which lines take the stock (given back on cancellation)
        if ln.menu_item_id in stock:
            ln.stock_taken = ln.quantity
    return lines, stock
