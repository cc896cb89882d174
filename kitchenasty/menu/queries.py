"""The menu domain's SQL: the only code that writes `categories`, `menu_items`, `menu_options`,
`menu_option_values`, `allergens`, `mealtimes` and the item<->allergen and item<->mealtime links. Other domains go
through it too: an order takes and gives back stock here (compiled Core statements on the hot path of placing and
cancelling orders), and locations ask through `core.links`.

The storefront's whole-menu load (`storefront_rows`) is eight module-level statements whatever the menu's size, run
in one hop to a reader thread; the back office's reads and writes use the ORM session, where they read better.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, bindparam, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of
from kitchenasty.locations.models import Location
from kitchenasty.menu import checks
from kitchenasty.menu.checks import OptionSpec, PriceChange, ValueSpec
from kitchenasty.menu.models import (
    Allergen,
    Category,
    Mealtime,
    MenuItem,
    MenuOption,
    MenuOptionValue,
    menu_item_allergens,
    menu_item_mealtimes,
)

R = TypeVar("R")

menu_items_t = table_of(MenuItem)

_STOCK_OF = select(
    menu_items_t.c.id, case((menu_items_t.c.is_sold_out.is_(True), 0), else_=menu_items_t.c.stock_qty)
).where(menu_items_t.c.id.in_(bindparam("ids", expanding=True)))
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
    """What can be sold of these items now (those that exist): their stock, none of one marked sold out."""
    return dict(fast(session).execute(_STOCK_OF, {"ids": list(item_ids)}).all())


def take_stock(session: Any, item_id: str, quantity: int) -> bool:
    """Take `quantity` of an item's stock in the caller's transaction; False (nothing taken) when not enough is left."""
    return fast(session).execute(_TAKE_STOCK, {"item_id": item_id, "qty": quantity}).rowcount == 1


def give_stock(session: Any, item_id: str, quantity: int) -> None:
    """Give back stock an order took (it was cancelled)."""
    fast(session).execute(_GIVE_STOCK, {"item_id": item_id, "qty": quantity})


# ---------------------------------------------------------------- rows by id, and plain writes


async def location_exists(session: AsyncSession, location_id: str) -> bool:
    return await session.get(Location, location_id) is not None


async def rows_by_ids(session: AsyncSession, model: Any, ids: Sequence[str]) -> dict[str, Any]:
    """Rows of `model` (Allergen, Mealtime) with these ids, by id (those that exist)."""
    if not ids:
        return {}
    return {row.id: row for row in await session.scalars(select(model).where(model.id.in_(ids)))}


def set_fields(row: Any, fields: dict[str, Any]) -> None:
    """Apply a partial update (model attribute -> value) to a loaded menu row; flushed with the transaction."""
    for key, value in fields.items():
        setattr(row, key, value)


async def _add(session: AsyncSession, row: R) -> R:
    session.add(row)
    await session.flush()
    return row


# ---------------------------------------------------------------- categories


async def item_counts(session: AsyncSession, category_ids: Sequence[str] | None = None) -> dict[str, int]:
    """Items per category (every category, or these)."""
    stmt = select(MenuItem.category_id, func.count()).group_by(MenuItem.category_id)
    if category_ids is not None:
        stmt = stmt.where(MenuItem.category_id.in_(category_ids))
    return dict((await session.execute(stmt)).all())


_CATEGORY_ORDER = (Category.sort_order, Category.name, Category.id)
_ITEM_ORDER = (MenuItem.sort_order, MenuItem.name, MenuItem.id)


async def categories(session: AsyncSession, location_id: str | None) -> list[Category]:
    """Every category (inactive ones too); with `location_id`, those of every location and that one's own."""
    stmt = select(Category).order_by(*_CATEGORY_ORDER)
    if location_id:
        stmt = stmt.where(or_(Category.location_id.is_(None), Category.location_id == location_id))
    return list(await session.scalars(stmt))


async def category(session: AsyncSession, category_id: str) -> Category | None:
    return await session.get(Category, category_id)


async def subcategories(session: AsyncSession, category_id: str) -> list[Category]:
    return list(
        await session.scalars(select(Category).where(Category.parent_id == category_id).order_by(*_CATEGORY_ORDER))
    )


async def items_in(session: AsyncSession, category_id: str) -> list[MenuItem]:
    return list(
        await session.scalars(select(MenuItem).where(MenuItem.category_id == category_id).order_by(*_ITEM_ORDER))
    )


async def category_slug_taken(session: AsyncSession, slug: str) -> bool:
    return bool(await session.scalar(select(Category.id).where(Category.slug == slug)))


async def category_states(session: AsyncSession) -> dict[str, tuple[str | None, bool]]:
    """Every category's parent and whether it is active."""
    rows = await session.execute(select(Category.id, Category.parent_id, Category.is_active))
    return {row.id: (row.parent_id, row.is_active) for row in rows}


async def children_of(session: AsyncSession, parent_id: str | None) -> list[Category]:
    """The categories directly under `parent_id` (None: the roots), in display order."""
    where = Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id
    return list(await session.scalars(select(Category).where(where).order_by(*_CATEGORY_ORDER)))


async def category_has_items(session: AsyncSession, category_id: str) -> bool:
    return bool(await session.scalar(select(MenuItem.id).where(MenuItem.category_id == category_id).limit(1)))


async def category_has_children(session: AsyncSession, category_id: str) -> bool:
    return bool(await session.scalar(select(Category.id).where(Category.parent_id == category_id).limit(1)))


async def add_category(session: AsyncSession, **columns: Any) -> Category:
    return await _add(session, Category(**columns))


async def delete_category(session: AsyncSession, category_id: str) -> None:
    await session.execute(delete(Category).where(Category.id == category_id))


# ---------------------------------------------------------------- items


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def item_conditions(
    category_ids: Sequence[str] | None, search: str | None, item_id: str | None = None
) -> list[ColumnElement[bool]]:
    """The back office's item filters: in one of these categories, a case-insensitive part of the name, one item."""
    conditions: list[ColumnElement[bool]] = []
    if category_ids is not None:
        conditions.append(MenuItem.category_id.in_(category_ids))
    if item_id is not None:
        conditions.append(MenuItem.id == item_id)
    if search and search.strip():
        needle = f"%{_escape_like(search.strip().lower())}%"
        conditions.append(func.lower(MenuItem.name).like(needle, escape="\\"))
    return conditions


async def count_items(session: AsyncSession, conditions: Sequence[ColumnElement[bool]]) -> int:
    return await session.scalar(select(func.count()).select_from(MenuItem).where(*conditions)) or 0


async def item_page(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]], limit: int, offset: int
) -> list[tuple[MenuItem, str]]:
    """One page of items with their category's name, by sort order then name."""
    rows = await session.execute(
        select(MenuItem, Category.name)
        .join(Category, Category.id == MenuItem.category_id)
        .where(*conditions)
        .order_by(*_ITEM_ORDER)
        .limit(limit)
        .offset(offset)
    )
    return [(item, name) for item, name in rows.all()]


async def option_counts(session: AsyncSession, item_ids: Sequence[str]) -> dict[str, int]:
    """Active option groups per item."""
    if not item_ids:
        return {}
    rows = await session.execute(
        select(MenuOption.menu_item_id, func.count())
        .where(MenuOption.menu_item_id.in_(item_ids), MenuOption.is_active.is_(True))
        .group_by(MenuOption.menu_item_id)
    )
    return dict(rows.all())


async def link_counts(session: AsyncSession, link: Table, item_ids: Sequence[str]) -> dict[str, int]:
    """Allergens or mealtimes (`link`: `menu_item_allergens` or `menu_item_mealtimes`) per item."""
    if not item_ids:
        return {}
    rows = await session.execute(
        select(link.c.menu_item_id, func.count()).where(link.c.menu_item_id.in_(item_ids)).group_by(link.c.menu_item_id)
    )
    return dict(rows.all())


_FULL_ITEM = (
    selectinload(MenuItem.options).selectinload(MenuOption.values),
    selectinload(MenuItem.allergens),
    selectinload(MenuItem.mealtimes),
)


async def item_with_category(session: AsyncSession, item_id: str) -> tuple[MenuItem, str] | None:
    """An item with its option groups, values, allergens and mealtimes loaded, and its category's name."""
    row = (
        await session.execute(
            select(MenuItem, Category.name)
            .join(Category, Category.id == MenuItem.category_id)
            .where(MenuItem.id == item_id)
            .options(*_FULL_ITEM)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def item_to_edit(session: AsyncSession, item_id: str) -> MenuItem | None:
    """An item with everything an edit replaces loaded (option groups and values, allergens, mealtimes)."""
    return await session.scalar(select(MenuItem).where(MenuItem.id == item_id).options(*_FULL_ITEM))


async def item_exists(session: AsyncSession, item_id: str) -> bool:
    return await session.get(MenuItem, item_id) is not None


async def item_slug_taken(session: AsyncSession, slug: str) -> bool:
    return bool(await session.scalar(select(MenuItem.id).where(MenuItem.slug == slug)))


def _new_value(spec: ValueSpec) -> MenuOptionValue:
    return MenuOptionValue(
        name=spec.name,
        price_modifier_cents=spec.price_modifier_cents,
        is_default=spec.is_default,
        sort_order=spec.sort_order,
        is_active=True,
    )


def _new_option(spec: OptionSpec) -> MenuOption:
    return MenuOption(
        name=spec.name,
        display_type=spec.display_type,
        is_required=spec.is_required,
        min_select=spec.min_select,
        max_select=spec.max_select,
        sort_order=spec.sort_order,
        is_active=True,
        values=[_new_value(v) for v in spec.values],
    )


async def add_item(
    session: AsyncSession,
    *,
    options: Sequence[OptionSpec],
    allergens: list[Allergen],
    mealtimes: list[Mealtime],
    **columns: Any,
) -> MenuItem:
    """A new item with its (new) option groups and values, linked to these allergens and mealtimes."""
    item = MenuItem(**columns, options=[_new_option(o) for o in options], allergens=allergens, mealtimes=mealtimes)
    return await _add(session, item)


def replace_options(item: MenuItem, specs: Sequence[OptionSpec]) -> None:
    """Make `specs` (checked by `checks.replacement_options`) the item's option groups. Rows named by id are updated
    in place (same id); rows left out are retired (`is_active=False`), never deleted: order lines keep pointing at
    the values they were placed with."""
    existing = {o.id: o for o in item.options}
    kept: set[str] = set()
    for spec in specs:
        if spec.id is None:
            item.options.append(_new_option(spec))
            continue
        option = existing[spec.id]
        kept.add(option.id)
        option.name = spec.name
        option.display_type = spec.display_type
        option.is_required = spec.is_required
        option.min_select = spec.min_select
        option.max_select = spec.max_select
        option.sort_order = spec.sort_order
        option.is_active = True
        current = {v.id: v for v in option.values}
        kept_values: set[str] = set()
        for value_spec in spec.values:
            if value_spec.id is None:
                option.values.append(_new_value(value_spec))
                continue
            value = current[value_spec.id]
            kept_values.add(value.id)
            value.name = value_spec.name
            value.price_modifier_cents = value_spec.price_modifier_cents
            value.is_default = value_spec.is_default
            value.sort_order = value_spec.sort_order
            value.is_active = True
        for value in current.values():
            if value.id not in kept_values:
                value.is_active = False
    for option in existing.values():
        if option.id not in kept:
            option.is_active = False
            for value in option.values:
                value.is_active = False


async def item_slugs_from(session: AsyncSession, prefix: str) -> set[str]:
    """The item slugs in use that start with `prefix`."""
    needle = f"{_escape_like(prefix)}%"
    return set(await session.scalars(select(MenuItem.slug).where(MenuItem.slug.like(needle, escape="\\"))))


_COPIED = (
    "description",
    "price_cents",
    "image",
    "sort_order",
    "track_stock",
    "order_type",
    "category_id",
    "station_id",
)


async def copy_item(session: AsyncSession, source: MenuItem, **columns: Any) -> MenuItem:
    """A new item like `source` (loaded by `item_to_edit`) but for `columns`: its current option groups and values
    copied (retired ones stay behind), linked to the same allergens and mealtimes."""
    return await add_item(
        session,
        options=checks.current_options(source.options),
        allergens=list(source.allergens),
        mealtimes=list(source.mealtimes),
        location_id=source.location_id,
        **{name: getattr(source, name) for name in _COPIED},
        **columns,
    )


async def items_to_reprice(session: AsyncSession, category_ids: Sequence[str]) -> list[MenuItem]:
    """The items of these categories with their option groups and values loaded, in display order."""
    stmt = select(MenuItem).where(MenuItem.category_id.in_(category_ids)).order_by(*_ITEM_ORDER)
    return list(await session.scalars(stmt.options(selectinload(MenuItem.options).selectinload(MenuOption.values))))


def apply_prices(items: Sequence[MenuItem], changes: Sequence[PriceChange]) -> None:
    """Write the new prices and modifiers worked out by `checks.reprice` onto the loaded items."""
    by_id = {i.id: i for i in items}
    for change in changes:
        by_id[change.item_id].price_cents = change.after
        modifiers = {m.value_id: m.after for m in change.modifiers}
        for value in (v for o in by_id[change.item_id].options for v in o.values if v.id in modifiers):
            value.price_modifier_cents = modifiers[value.id]


async def delete_item(session: AsyncSession, item_id: str) -> None:
    await session.execute(delete(MenuItem).where(MenuItem.id == item_id))


# ---------------------------------------------------------------- allergens


async def allergens_with_counts(session: AsyncSession) -> list[tuple[Allergen, int]]:
    """Every allergen by name, with the number of items that list it."""
    rows = await session.execute(
        select(Allergen, func.count(menu_item_allergens.c.menu_item_id))
        .outerjoin(menu_item_allergens, menu_item_allergens.c.allergen_id == Allergen.id)
        .group_by(Allergen.id)
        .order_by(Allergen.name)
    )
    return [(allergen, count) for allergen, count in rows.all()]


async def allergen_name_taken(session: AsyncSession, name: str) -> bool:
    return bool(await session.scalar(select(Allergen.id).where(func.lower(Allergen.name) == name.lower())))


async def allergen_exists(session: AsyncSession, allergen_id: str) -> bool:
    return await session.get(Allergen, allergen_id) is not None


async def add_allergen(session: AsyncSession, name: str) -> Allergen:
    return await _add(session, Allergen(name=name))


async def delete_allergen(session: AsyncSession, allergen_id: str) -> None:
    await session.execute(delete(Allergen).where(Allergen.id == allergen_id))


# ---------------------------------------------------------------- mealtimes


async def mealtime_counts(session: AsyncSession, ids: Sequence[str]) -> dict[str, int]:
    """Items per mealtime."""
    if not ids:
        return {}
    rows = await session.execute(
        select(menu_item_mealtimes.c.mealtime_id, func.count())
        .where(menu_item_mealtimes.c.mealtime_id.in_(ids))
        .group_by(menu_item_mealtimes.c.mealtime_id)
    )
    return dict(rows.all())


async def mealtimes(session: AsyncSession, location_id: str | None) -> list[Mealtime]:
    """By start time; with `location_id`, the mealtimes of every location plus that location's own."""
    stmt = select(Mealtime).order_by(Mealtime.start_time, Mealtime.name, Mealtime.id)
    if location_id:
        stmt = stmt.where(or_(Mealtime.location_id.is_(None), Mealtime.location_id == location_id))
    return list(await session.scalars(stmt))


async def mealtime(session: AsyncSession, mealtime_id: str) -> Mealtime | None:
    return await session.get(Mealtime, mealtime_id)


async def add_mealtime(session: AsyncSession, **columns: Any) -> Mealtime:
    return await _add(session, Mealtime(**columns))


async def delete_mealtime(session: AsyncSession, mealtime_id: str) -> None:
    await session.execute(delete(Mealtime).where(Mealtime.id == mealtime_id))


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
