"""One function per response shape of the orders domain. An `OrderOut` is built in one place, `order_out`, from
a row with the `orders` columns (a database row, or the values just inserted), so a new column is shown once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal, cast
from urllib.parse import urlsplit

import msgspec

from kitchenasty.core.money import from_basis_points, from_cents
from kitchenasty.core.schema import iso
from kitchenasty.orders.checks import ChosenOption, Line, Totals, next_status
from kitchenasty.orders.schemas import (
    ActorOut,
    AddressOut,
    DeliveryKind,
    LocationRef,
    OrderDeliveryOut,
    OrderItemOptionOut,
    OrderItemOut,
    OrderOut,
    OrderStatus,
    PartyRef,
    PaymentState,
    QuoteLineOut,
    QuoteOut,
    StatusChangeOut,
)


def address_out(stored: dict[str, Any] | None) -> AddressOut | None:
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


def option_out(o: Any) -> OrderItemOptionOut:
    """From an `order_item_options` row (or the values inserted)."""
    return OrderItemOptionOut(
        id=o.id,
        menu_option_value_id=o.menu_option_value_id,
        name=o.name,
        value=o.value,
        price_modifier=from_cents(o.price_modifier_cents),
    )


def item_out(i: Any, options: list[OrderItemOptionOut]) -> OrderItemOut:
    """From an `order_items` row (or the values inserted)."""
    return OrderItemOut(
        id=i.id,
        menu_item_id=i.menu_item_id,
        name=i.name,
        quantity=i.quantity,
        unit_price=from_cents(i.unit_price_cents),
        subtotal=from_cents(i.subtotal_cents),
        comment=i.comment,
        options=options,
        prep_state=i.prep_state,
        prep_version=i.prep_version,
        prep_changed_at=iso(i.prep_changed_at),
        station_id=i.station_id,
        voided=getattr(i, "voided_at", None) is not None,
    )


def order_out(row: Any, items: list[OrderItemOut]) -> OrderOut:
    """From an `orders` row with `location_name` and the customer's `c_name`, `c_email`, `c_phone`."""
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
        next_status=cast(OrderStatus | None, next_status(row.order_type, row.status)),  # a status of the table
        order_type=row.order_type,
        location_id=row.location_id,
        location=LocationRef(id=row.location_id, name=row.location_name),
        customer_id=row.customer_id,
        customer=customer,
        customer_name=(customer.name if customer else None) or row.guest_name or "",
        guest_name=row.guest_name,
        guest_email=row.guest_email,
        guest_phone=row.guest_phone,
        delivery_address=address_out(row.delivery_address),
        table_id=row.table_id,
        table_name=row.table_name,
        scheduled_at=iso(row.scheduled_at),
        comment=row.comment,
        coupon_code=row.coupon_code,
        payment_method=row.payment_method,
        payment_status=cast(PaymentState, row.payment_status),  # a state of the payments domain
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
        acknowledged_at=iso(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
    )


def moved_out(order: OrderOut, status: str, now: datetime) -> OrderOut:
    """`order` as it reads after a move to `status` at `now` (the move writes only `status` and `updated_at`):
    the status change's answer and event, without reading the order, its items and options again."""
    return msgspec.structs.replace(
        order,
        status=cast(OrderStatus, status),
        next_status=cast(OrderStatus | None, next_status(order.order_type, status)),
        updated_at=iso(now) or "",
    )


def order_rows_out(rows: Sequence[Any], items: Iterable[Any], options: Iterable[Any]) -> list[OrderOut]:
    """Orders from their rows, their items' rows and those items' options' rows (each in display order)."""
    options_by_item: dict[str, list[OrderItemOptionOut]] = defaultdict(list)
    for o in options:
        options_by_item[o.order_item_id].append(option_out(o))
    items_by_order: dict[str, list[OrderItemOut]] = defaultdict(list)
    for i in items:
        items_by_order[i.order_id].append(item_out(i, options_by_item.get(i.id, [])))
    return [order_out(row, items_by_order.get(row.id, [])) for row in rows]


def _chosen_out(opt: ChosenOption) -> OrderItemOptionOut:
    return OrderItemOptionOut(
        id=opt.value_id,
        menu_option_value_id=opt.value_id,
        name=opt.option_name,
        value=opt.value_name,
        price_modifier=from_cents(opt.modifier),
    )


def quote_out(lines: Sequence[Line], totals: Totals, *, tax_rate_bp: int, coupon: Any) -> QuoteOut:
    """`POST /api/orders/quote`: what the order would cost; nothing was written."""
    return QuoteOut(
        items=[
            QuoteLineOut(
                menu_item_id=ln.menu_item_id,
                name=ln.name,
                quantity=ln.quantity,
                unit_price=from_cents(ln.unit_price),
                subtotal=from_cents(ln.subtotal),
                options=[_chosen_out(opt) for opt in ln.options],
            )
            for ln in lines
        ],
        subtotal=from_cents(totals.subtotal),
        discount=from_cents(totals.discount),
        delivery_fee=from_cents(totals.delivery_fee),
        tax=from_cents(totals.tax),
        tax_rate=from_basis_points(tax_rate_bp),
        tip=from_cents(totals.tip),
        total=from_cents(totals.total),
        coupon_code=coupon.code if coupon else None,
        free_delivery=bool(coupon and coupon.free_delivery),
    )


def _actor_out(row: Any) -> ActorOut | None:
    """Who made a status change (a history row with the staff member's or customer's name joined); None: a guest."""
    if row.actor_type == "staff" and row.actor_id:
        if row.staff_name is None:
            return ActorOut(id=row.actor_id, name="Former staff member", role=None)
        return ActorOut(id=row.actor_id, name=row.staff_name, role=row.staff_role)
    if row.actor_type == "customer" and row.actor_id:
        if row.customer_name is None:
            return ActorOut(id=row.actor_id, name="Former customer", role=None)
        return ActorOut(id=row.actor_id, name=row.customer_name, role="CUSTOMER")
    return None


def history_out(rows: Iterable[Any]) -> list[StatusChangeOut]:
    return [
        StatusChangeOut(
            status=cast(OrderStatus, row.to_status),
            at=iso(row.created_at) or "",
            by=_actor_out(row),
            reason=row.reason,
        )
        for row in rows
    ]


def url_host(url: str) -> str:
    """The host (and port, when the URL names one) of a URL: all of a webhook's address a list shows."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return "(invalid address)"
    if not host:
        return "(invalid address)"
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


DeliveryStatus = Literal["PENDING", "SENDING", "SENT", "FAILED"]


def order_delivery_out(row: Any) -> OrderDeliveryOut:
    """From an outbox row (`core.outbox.of_order`). A webhook shows its host only, in its error message too."""
    recipient, error = row.recipient, row.last_error
    if row.channel == "webhook":
        recipient = url_host(row.recipient)
        if error:
            error = error.replace(row.recipient, recipient)
    waiting = row.status in ("PENDING", "SENDING")
    return OrderDeliveryOut(
        id=row.id,
        kind=cast(DeliveryKind, row.channel),
        recipient=recipient,
        status=cast(DeliveryStatus, row.status),
        attempts=row.attempts,
        last_error=error,
        next_attempt_at=iso(row.next_attempt_at) if waiting else None,
        created_at=iso(row.created_at) or "",
        sent_at=iso(row.sent_at),
    )
