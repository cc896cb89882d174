"""The kitchen line (issue 15): each item's preparation state, the order moving by itself when its items do,
recall of the last move, and the acknowledgement that stops a new order's alert.

Every change is ONE write transaction (`Database.run_write`) of compiled statements, decided inside it: an item
change is a compare-and-set on the item's `prep_version` (two cooks tapping the same item: one wins, the other gets
a 409 `ITEM_CHANGED` whose `details[0]` is the item as it is now). An order that moves by itself (the first item
started on a CONFIRMED order -> PREPARING; the last one done on a PREPARING order -> READY) moves through
`OrderService.apply_move`, the same history, audit and rollups as a status change, and records the same
`OrderStatusChanged`. Item events (`orderItem.prepChanged`) and acknowledgements (`order.acknowledged`) are in-process
notifications for the kitchen room (no durable row: no automation acts on them).
"""

from __future__ import annotations

from typing import Any, cast

import msgspec
from sqlalchemy.orm import Session

from kitchenasty.core import audit
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound, ValidationFailed
from kitchenasty.core.events import notify, record
from kitchenasty.core.schema import iso, new_id, utcnow
from kitchenasty.core.security import Principal
from kitchenasty.orders import kitchen_checks as rules
from kitchenasty.orders import kitchen_queries as kq
from kitchenasty.orders import queries
from kitchenasty.orders.checks import OrderNotFound
from kitchenasty.orders.events import OrderAcknowledged, OrderItemPrepChanged, OrderStatusChanged
from kitchenasty.orders.schemas import AcknowledgedOut, ItemPrepOut, OrderOut, PrepChangeOut, PrepIn
from kitchenasty.orders.service import OrderService
from kitchenasty.settings.service import SettingsService


def _item_out(row: Any) -> ItemPrepOut:
    return ItemPrepOut(
        id=row.id,
        order_id=row.order_id,
        prep_state=row.prep_state,
        prep_version=row.prep_version,
        prep_changed_at=iso(row.prep_changed_at),
    )


def _changed(item: Any, message: str) -> Conflict:
    return Conflict(message, code="ITEM_CHANGED", details=[msgspec.to_builtins(_item_out(item))])


class KitchenService:
    def __init__(self, db: Database, orders: OrderService, settings: SettingsService) -> None:
        self.db = db
        self.orders = orders
        self.settings = settings

    # ---------------------------------------------------------------- items

    async def set_prep(self, order_id: str, item_id: str, data: PrepIn, principal: Principal) -> PrepChangeOut:
        """Move one item to `data.state` if it is still as the screen saw it (`expectedVersion`, or `from`)."""
        if data.expected_version is None and data.from_state is None:
            raise ValidationFailed(
                "Send the item's prepVersion as expectedVersion (or its prepState as from)", code="VERSION_REQUIRED"
            )

        def change(session: Session) -> PrepChangeOut:
            current = queries.current_status(session, order_id)
            if current is None:
                raise OrderNotFound("Order not found")
            item = kq.item_of(session, order_id, item_id)
            if item is None:
                raise NotFound("This item is not part of the order", code="ITEM_NOT_FOUND")
            if data.expected_version is not None and item.prep_version != data.expected_version:
                raise _changed(item, f"Someone changed this item meanwhile: it is {item.prep_state.lower()} now")
            if data.from_state is not None and item.prep_state != data.from_state:
                raise _changed(item, f"Someone changed this item meanwhile: it is {item.prep_state.lower()} now")
            try:
                rules.check_item_change(current.status, item.prep_state, data.state)
            except Conflict as refusal:
                if refusal.code == "ITEM_CHANGED":
                    raise _changed(item, refusal.message) from None
                raise
            now = utcnow()
            if not kq.set_prep(session, item_id, item.prep_version, data.state, now):
                raise Conflict("Someone changed this item meanwhile; please try again", code="ITEM_CHANGED")
            version = item.prep_version + 1
            move_id = new_id()
            status = self._follow(session, order_id, current, data.state, principal, now)
            kq.insert_move(
                session,
                {
                    "id": move_id,
                    "order_id": order_id,
                    "kind": "item",
                    "item_id": item_id,
                    "from_state": item.prep_state,
                    "to_state": data.state,
                    "item_version": version,
                    "from_status": current.status,
                    "to_status": status,
                    "status_change_id": None,
                    "undone_change_id": None,
                    "actor_id": principal.id,
                    "created_at": now,
                    "recalled_at": None,
                },
            )
            audit.record(
                session,
                action="update",
                entity="order_item",
                entity_id=item_id,
                changes={"prepState": [item.prep_state, data.state]},
            )
            out = ItemPrepOut(
                id=item_id, order_id=order_id, prep_state=data.state, prep_version=version, prep_changed_at=iso(now)
            )
            notify(session, _prep_event(out, status))
            return PrepChangeOut(item=out, order_status=cast(Any, status))

        return await self.db.run_write(change)

    def _follow(self, session: Session, order_id: str, current: Any, state: str, principal: Principal, now: Any) -> str:
        """Move the order by itself where its items say so (history, events, rollups as any status change); each
        automatic move's history row is logged as part of the tap (`auto`), so a recall undoes them together."""
        status = current.status
        open_items = kq.open_items(session, order_id) if state == rules.DONE else -1
        for target in rules.automatic_moves(current.status, state, open_items):
            row = queries.current_status(session, order_id)
            change_id = self.orders.apply_move(session, order_id, row, target, principal, None, now)
            kq.insert_move(session, _auto_row(order_id, change_id, principal, now))
            record(session, OrderStatusChanged(order=queries.load_order(session, order_id), previous_status=status))
            status = target
        return status

    # ---------------------------------------------------------------- recall

    async def recall(self, order_id: str, principal: Principal) -> OrderOut:
        """Undo the order's last move (an item's state, with the order moves it caused; or the order's status)
        made within `orders.kitchenRecallMinutes`; each screen hears the same events as for the move itself."""
        window = int((await self.settings.resolved()).get("orders.kitchenRecallMinutes"))

        def undo(session: Session) -> OrderOut:
            current = queries.current_status(session, order_id)
            if current is None:
                raise OrderNotFound("Order not found")
            now = utcnow()
            found = rules.last_move(kq.history_of(session, order_id), kq.moves_of(session, order_id))
            last = rules.check_recall(found, now, window)
            if last.move is not None:
                self._undo_item(session, order_id, current, last.move, principal, now)
            else:
                self._undo_status(
                    session,
                    order_id,
                    current,
                    last.change.to_status,
                    last.change.from_status,
                    last.change.id,
                    principal,
                    now,
                )
            return queries.load_order(session, order_id)

        return await self.db.run_write(undo)

    def _undo_item(
        self, session: Session, order_id: str, current: Any, move: Any, principal: Principal, now: Any
    ) -> None:
        # The undo log is a stack: the item is as this move left it (later moves of it are undone already).
        item = kq.item_of(session, order_id, move.item_id)
        if item is None or item.prep_state != move.to_state:
            raise Conflict("This item changed meanwhile; please reload the order", code="ITEM_CHANGED")
        if not kq.set_prep(session, move.item_id, item.prep_version, move.from_state, now):
            raise Conflict("This item changed meanwhile; please reload the order", code="ITEM_CHANGED")
        kq.mark_recalled(session, move.id, now)
        audit.record(
            session,
            action="update",
            entity="order_item",
            entity_id=move.item_id,
            changes={"prepState": [move.to_state, move.from_state], "recalled": [None, True]},
        )
        status = current.status
        if move.from_status != move.to_status:
            self._undo_status(session, order_id, current, move.to_status, move.from_status, None, principal, now)
            status = move.from_status
        out = ItemPrepOut(
            id=move.item_id,
            order_id=order_id,
            prep_state=move.from_state,
            prep_version=item.prep_version + 1,
            prep_changed_at=iso(now),
        )
        notify(session, _prep_event(out, status, recalled=True))

    def _undo_status(
        self,
        session: Session,
        order_id: str,
        current: Any,
        moved_to: str,
        back_to: str,
        undone_change_id: str | None,
        principal: Principal,
        now: Any,
    ) -> None:
        """Move the order back from `moved_to` to `back_to` (outside the transition table: a recall goes backwards)."""
        if current.status != moved_to:
            raise Conflict("The order changed meanwhile; please reload it", code="ORDER_CHANGED")
        change_id = self.orders.apply_move(session, order_id, current, back_to, principal, rules.RECALL_REASON, now)
        kq.insert_move(
            session,
            {**_auto_row(order_id, change_id, principal, now), "kind": "recall", "undone_change_id": undone_change_id},
        )
        record(session, OrderStatusChanged(order=queries.load_order(session, order_id), previous_status=moved_to))

    # ---------------------------------------------------------------- the new-order alert

    async def acknowledge(self, order_id: str, principal: Principal) -> AcknowledgedOut:
        """Acknowledge a new order (every kitchen display stops its alert). A second acknowledgement changes
        nothing and answers the first."""

        def ack(session: Session) -> AcknowledgedOut:
            now = utcnow()
            if kq.acknowledge(session, order_id, principal.id, now):
                out = AcknowledgedOut(order_id=order_id, acknowledged_at=iso(now) or "", acknowledged_by=principal.id)
                audit.record(
                    session, action="update", entity="order", entity_id=order_id, changes={"acknowledged": [None, True]}
                )
                notify(session, OrderAcknowledged(**msgspec.structs.asdict(out)))
                return out
            row = kq.acknowledgement(session, order_id)
            if row is None:
                raise OrderNotFound("Order not found")
            return AcknowledgedOut(
                order_id=order_id, acknowledged_at=iso(row.acknowledged_at) or "", acknowledged_by=row.acknowledged_by
            )

        return await self.db.run_write(ack)


def _prep_event(item: ItemPrepOut, order_status: str, *, recalled: bool = False) -> OrderItemPrepChanged:
    return OrderItemPrepChanged(
        order_id=item.order_id,
        item_id=item.id,
        state=item.prep_state,
        version=item.prep_version,
        changed_at=item.prep_changed_at or "",
        order_status=order_status,
        recalled=recalled,
    )


def _auto_row(order_id: str, change_id: str, principal: Principal, now: Any) -> dict[str, Any]:
    return {
        "id": new_id(),
        "order_id": order_id,
        "kind": "auto",
        "item_id": None,
        "from_state": None,
        "to_state": None,
        "item_version": None,
        "from_status": None,
        "to_status": None,
        "status_change_id": change_id,
        "undone_change_id": None,
        "actor_id": principal.id,
        "created_at": now,
        "recalled_at": None,
    }
