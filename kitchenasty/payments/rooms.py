"""Payment changes in the order rooms (DESIGN §6): `order.paymentUpdate`, the whole order as the API shows it (its
`paymentStatus` changed), to the `kitchen` room and that order's room, as `order.statusUpdate` is sent."""

from __future__ import annotations

from kitchenasty.core.realtime import RoomPublisher, encode_json, frame_head
from kitchenasty.orders.rooms import KITCHEN_ROOM, order_room
from kitchenasty.payments.events import OrderPaymentChanged

ORDER_PAYMENT_UPDATE = "order.paymentUpdate"


class PaymentRooms:
    def __init__(self, publisher: RoomPublisher) -> None:
        self.publisher = publisher

    def on_changed(self, event: OrderPaymentChanged) -> None:
        head = frame_head(ORDER_PAYMENT_UPDATE, encode_json(event.order))
        self.publisher.publish(head, [KITCHEN_ROOM, order_room(event.order.id)])
