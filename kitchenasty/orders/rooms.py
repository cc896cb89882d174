"""The order rooms (DESIGN §6): `kitchen` (every kitchen display) and `order:{id}` (one order's guest and staff).

Committed order events become room messages: `order.created` to the kitchen, `order.statusChanged` to the kitchen
and to that order's room as `order.statusUpdate`, each carrying the whole order as the API shows it; to the kitchen
only, compact, `orderItem.prepChanged` (an item's preparation state) and `order.acknowledged` (a new order's alert
acknowledged). The frame is
encoded once per event (`core.realtime.frame_head`); `kitchenasty.services` subscribes these handlers.
"""

from __future__ import annotations

from kitchenasty.core.realtime import RoomPublisher, encode_json, frame_head
from kitchenasty.orders.events import (
    OrderAcknowledged,
    OrderCreated,
    OrderItemPrepChanged,
    OrderItemVoided,
    OrderStatusChanged,
)

KITCHEN_ROOM = "kitchen"
LASTING_ROOMS = frozenset({KITCHEN_ROOM})
"""Kept while empty (an order's room is forgotten when its last socket leaves)."""
ORDER_CREATED = "order.created"
ORDER_STATUS_UPDATE = "order.statusUpdate"
ITEM_PREP_CHANGED = "orderItem.prepChanged"
ORDER_ACKNOWLEDGED = "order.acknowledged"


def order_room(order_id: str) -> str:
    return f"order:{order_id}"


class OrderRooms:
    def __init__(self, publisher: RoomPublisher) -> None:
        self.publisher = publisher

    def on_created(self, event: OrderCreated) -> None:
        self.publisher.publish(frame_head(ORDER_CREATED, encode_json(event.order)), [KITCHEN_ROOM])

    def on_status_changed(self, event: OrderStatusChanged | OrderItemVoided) -> None:
        """A status change, or an item voided (the whole order again, same message: displays redraw it)."""
        head = frame_head(ORDER_STATUS_UPDATE, encode_json(event.order))
        self.publisher.publish(head, [KITCHEN_ROOM, order_room(event.order.id)])

    def on_prep_changed(self, event: OrderItemPrepChanged) -> None:
        self.publisher.publish(frame_head(ITEM_PREP_CHANGED, encode_json(event)), [KITCHEN_ROOM])

    def on_acknowledged(self, event: OrderAcknowledged) -> None:
        self.publisher.publish(frame_head(ORDER_ACKNOWLEDGED, encode_json(event)), [KITCHEN_ROOM])
