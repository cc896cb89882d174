"""What the payments domain may do to an order's status: a PENDING order the guest has just paid online moves to
CONFIRMED, inside the payment's own write transaction, with everything a status change does (history (the rollups follow by trigger),
`order.statusChanged` for the rooms and rules). The history row names no one: the payment confirmed it."""

from __future__ import annotations

from typing import Any

from kitchenasty.core.events import record
from kitchenasty.core.schema import new_id
from kitchenasty.orders import queries
from kitchenasty.orders.events import OrderStatusChanged


def confirm_paid_in(session: Any, order_id: str, now: Any) -> bool:
    """False when the order is not PENDING (then nothing moves)."""
    current = queries.current_status(session, order_id)
    if current is None or current.status != "PENDING":
        return False
    if not queries.move_status(session, order_id, "PENDING", "CONFIRMED", now):
        return False
    queries.insert_status_change(
        session,
        {
            "id": new_id(),
            "order_id": order_id,
            "from_status": "PENDING",
            "to_status": "CONFIRMED",
            "actor_type": "payment",
            "actor_id": None,
            "created_at": now,
            "reason": "Paid online",
        },
    )
    record(session, OrderStatusChanged(order=queries.load_order(session, order_id), previous_status="PENDING"))
    return True
