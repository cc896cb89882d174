"""The menu's own SQL that other domains go through: stock is the menu's table, so an order takes and gives back
stock here (compiled Core statements, on the hot path of placing and cancelling orders)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, func, select, update

from kitchenasty.core.fastsql import fast
from kitchenasty.menu.models import Category, Mealtime, MenuItem

menu_items_t: Table = MenuItem.__table__  # type: ignore[assignment]  # Table of a declarative model

_STOCK_OF = select(menu_items_t.c.id, menu_items_t.c.stock_qty).where(
    menu_items_t.c.id.in_(bindparam("ids", expanding=True))
)
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


def stock_of(session: Any, item_ids: Sequence[str]) -> dict[str, int]:
    """The current stock of these items (those that exist)."""
    return dict(fast(session).execute(_STOCK_OF, {"ids": list(item_ids)}).all())  # type: ignore[arg-type]


def take_stock(session: Any, item_id: str, quantity: int) -> bool:
    """Take `quantity` of an item's stock in the caller's transaction; False (nothing taken) when not enough is left."""
    return fast(session).execute(_TAKE_STOCK, {"item_id": item_id, "qty": quantity}).rowcount == 1


def give_stock(session: Any, item_id: str, quantity: int) -> None:
    """Give back stock an order took (it was cancelled)."""
    fast(session).execute(_GIVE_STOCK, {"item_id": item_id, "qty": quantity})


# ---------------------------------------------------------------- what other domains ask (core.links)


async def items_per_location(session: Any, location_ids: Sequence[str]) -> dict[str, int]:
    stmt = (
        select(menu_items_t.c.location_id, func.count())
        .where(menu_items_t.c.location_id.in_(location_ids))
        .group_by(menu_items_t.c.location_id)
    )
    return {row[0]: int(row[1]) for row in (await session.execute(stmt)).all()}


async def retire_location_rows(session: Any, location_id: str) -> None:
    """Before a location is deleted: menu rows bound to it would otherwise fall back to "every location" (its
    foreign keys SET NULL), so they are deactivated first and nothing meant for it leaks onto another menu."""
    for model in (MenuItem, Category, Mealtime):
        await session.execute(update(model).where(model.location_id == location_id).values(is_active=False))
