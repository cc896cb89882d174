"""The kitchen line's pure rules (issue 15): which orders' items may change, the moves an item change makes the
order take by itself, and which move a recall undoes. No I/O; the service (`orders.kitchen`) applies them inside
one write transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kitchenasty.core.errors import Conflict

QUEUED, PREPARING, DONE = "QUEUED", "PREPARING", "DONE"
WORKING_STATUSES = frozenset({"CONFIRMED", "PREPARING"})
"""An order's items change only while the kitchen works on it."""
RECALL_REASON = "Recalled on the kitchen display"


def check_item_change(order_status: str, state_now: str, wanted: str) -> None:
    """Refuse a change on an order the kitchen is not working on, or to the state the item is already in."""
    if order_status == "PENDING":
        raise Conflict("Confirm this order before preparing its items", code="ORDER_NOT_CONFIRMED")
    if order_status not in WORKING_STATUSES:
        raise Conflict(
            f"This order is {order_status.lower().replace('_', ' ')}: its items can no longer change "
            "(recall it first if it left too early)",
            code="ORDER_NOT_IN_KITCHEN",
        )
    if state_now == wanted:
        raise Conflict(f"This item is already {wanted.lower()}", code="ITEM_CHANGED")


def automatic_moves(order_status: str, wanted: str, open_items: int) -> list[str]:
    """The statuses an order moves through by itself after one of its items became `wanted` (`open_items`: its
    items not DONE after the change): the first item started on a CONFIRMED order makes it PREPARING; the last
    item done makes a PREPARING order READY."""
    moves: list[str] = []
    status = order_status
    if status == "CONFIRMED" and wanted != QUEUED:
        moves.append(PREPARING)
        status = PREPARING
    if status == PREPARING and open_items == 0:
        moves.append("READY")
    return moves


@dataclass(frozen=True, slots=True)
class Undo:
    """What a recall undoes: an item move (`move`, a `kitchen_moves` row) or a status change (`change`, a status
    history row); `at` is when it happened."""

    at: datetime
    move: Any = None
    change: Any = None


def last_move(history: Sequence[Any], moves: Iterable[Any]) -> Undo | None:
    """The newest move not undone yet: an item tap, or a status change that is neither part of a tap, nor a recall,
    nor undone by one. `history` rows have (id, from_status, to_status, created_at); `moves` rows are kitchen moves.
    """
    moves = list(moves)
    handled = {m.status_change_id for m in moves} | {m.undone_change_id for m in moves}
    candidates: list[tuple[datetime, str, Undo]] = []
    for m in moves:
        if m.kind == "item" and m.recalled_at is None:
            candidates.append((m.created_at, m.id, Undo(at=m.created_at, move=m)))
    for h in history:
        if h.from_status is not None and h.id not in handled:
            candidates.append((h.created_at, h.id, Undo(at=h.created_at, change=h)))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def check_recall(undo: Undo | None, now: datetime, window_minutes: int) -> Undo:
    """Refuse a recall with nothing to undo, too late, or of a cancellation (its stock and coupon are given back)."""
    if undo is None:
        raise Conflict("There is nothing to recall on this order", code="NOTHING_TO_RECALL")
    age = now - undo.at
    if age.total_seconds() > window_minutes * 60:
        minutes = int(age.total_seconds() // 60)
        raise Conflict(
            f"The last change to this order was {minutes} minute{'s' if minutes != 1 else ''} ago; only changes from "
            f"the last {window_minutes} minute{'s' if window_minutes != 1 else ''} can be recalled",
            code="RECALL_TOO_LATE",
        )
    if undo.change is not None and undo.change.to_status == "CANCELLED":
        raise Conflict("A cancelled order cannot be recalled; place it again instead", code="RECALL_CANCELLED")
    return undo
