"""The orders domain's events: recorded in the transaction that placed or moved the order, published after commit
(automation rules, the live rooms, the menu's cache of stock)."""

from __future__ import annotations

from kitchenasty.core.events import DomainEvent, event_type
from kitchenasty.orders.schemas import OrderOut


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


class OrderItemPrepChanged(DomainEvent, frozen=True):
    """An item's preparation state changed (a tap, or a recall: `recalled`). Compact: the kitchen room's screens
    hold the order already. `orderStatus` is the order's status after the change (a change that moved the order
    is followed by its own `order.statusChanged`)."""

    name = "orderItem.prepChanged"
    order_id: str
    item_id: str
    state: str
    version: int
    changed_at: str
    order_status: str
    recalled: bool = False


class OrderAcknowledged(DomainEvent, frozen=True):
    """A staff member acknowledged a new order: every kitchen display stops its alert for it."""

    name = "order.acknowledged"
    order_id: str
    acknowledged_at: str
    acknowledged_by: str


class OrderItemVoided(DomainEvent, frozen=True):
    """In-process: a line was taken off an order (the order with its new totals): the live rooms redraw it and the
    storefront's stock shows what came back. Not (yet) an automation event."""

    name = "order.itemVoided"
    order: OrderOut
    item_id: str
    reason: str
