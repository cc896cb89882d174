"""The storefront's whole-menu read: a handful of module-level statements whatever the number of items (a test
counts them), run in one read transaction by `MenuService` and assembled by `menu.views`. Reads only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, bindparam, or_, select
from sqlalchemy.orm import Session

from kitchenasty.locations.hours import Closure, DayHours
from kitchenasty.locations.models import Location, OperatingHour
from kitchenasty.locations.queries import closures_since
from kitchenasty.menu import checks
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

# ---------------------------------------------------------------- the storefront's whole menu


def _scope(column: Any) -> ColumnElement[bool]:
    """Rows for every location (NULL) or for the one the statement is run for (`location_id`)."""
    return or_(column.is_(None), column == bindparam("location_id"))


_ACTIVE_LOCATIONS = select(Location).where(Location.is_active.is_(True)).order_by(Location.name).limit(2)
_HOURS = select(
    OperatingHour.day_of_week, OperatingHour.open_time, OperatingHour.close_time, OperatingHour.is_closed
).where(OperatingHour.location_id == bindparam("location_id"))
_CATEGORIES = (
    select(
        Category.id,
        Category.name,
        Category.slug,
        Category.description,
        Category.image,
        Category.sort_order,
        Category.parent_id,
    )
    .where(Category.is_active.is_(True), _scope(Category.location_id))
    .order_by(Category.sort_order, Category.name, Category.id)
)
_ITEM_FILTER = (MenuItem.is_active.is_(True), _scope(MenuItem.location_id))
_ITEMS = (
    select(
        MenuItem.id,
        MenuItem.name,
        MenuItem.slug,
        MenuItem.description,
        MenuItem.price_cents,
        MenuItem.image,
        MenuItem.category_id,
        MenuItem.track_stock,
        MenuItem.stock_qty,
        MenuItem.is_sold_out,
        MenuItem.order_type,
    )
    .where(*_ITEM_FILTER)
    .order_by(MenuItem.sort_order, MenuItem.name, MenuItem.id)
)
_ITEM_IDS = select(MenuItem.id).where(*_ITEM_FILTER).scalar_subquery()
_OPTIONS = (
    select(
        MenuOption.id,
        MenuOption.menu_item_id,
        MenuOption.name,
        MenuOption.display_type,
        MenuOption.is_required,
        MenuOption.min_select,
        MenuOption.max_select,
        MenuOption.sort_order,
    )
    .where(MenuOption.is_active.is_(True), MenuOption.menu_item_id.in_(_ITEM_IDS))
    .order_by(MenuOption.sort_order, MenuOption.name, MenuOption.id)
)
_VALUES = (
    select(
        MenuOptionValue.id,
        MenuOptionValue.menu_option_id,
        MenuOptionValue.name,
        MenuOptionValue.price_modifier_cents,
        MenuOptionValue.is_default,
        MenuOptionValue.sort_order,
    )
    .join(MenuOption, MenuOption.id == MenuOptionValue.menu_option_id)
    .where(
        MenuOptionValue.is_active.is_(True),
        MenuOption.is_active.is_(True),
        MenuOption.menu_item_id.in_(_ITEM_IDS),
    )
    .order_by(MenuOptionValue.sort_order, MenuOptionValue.name, MenuOptionValue.id)
)
_ALLERGENS = (
    select(menu_item_allergens.c.menu_item_id, Allergen.id, Allergen.name)
    .join(Allergen, Allergen.id == menu_item_allergens.c.allergen_id)
    .where(menu_item_allergens.c.menu_item_id.in_(_ITEM_IDS))
    .order_by(Allergen.name)
)
_MEALTIMES = (
    select(
        menu_item_mealtimes.c.menu_item_id,
        Mealtime.id,
        Mealtime.name,
        Mealtime.start_time,
        Mealtime.end_time,
        Mealtime.days,
    )
    .join(Mealtime, Mealtime.id == menu_item_mealtimes.c.mealtime_id)
    .where(menu_item_mealtimes.c.menu_item_id.in_(_ITEM_IDS), Mealtime.is_active.is_(True))
    .order_by(Mealtime.start_time, Mealtime.name)
)


class StorefrontRows(NamedTuple):
    """One location's orderable menu as flat rows, each list in display order (active rows only)."""

    location: Location
    hours: list[DayHours]
    closures: list[Closure]
    categories: Sequence[Any]
    items: Sequence[Any]
    options: Sequence[Any]
    values: Sequence[Any]
    allergens: Sequence[Any]
    mealtimes: Sequence[Any]


def storefront_location(session: Session, location_id: str | None) -> Location:
    """The location the storefront shows: the one named, or the only active one."""
    if location_id is None:
        return checks.only_active_location(list(session.scalars(_ACTIVE_LOCATIONS)))
    return checks.shown_location(session.get(Location, location_id))


def storefront_rows(session: Session, location_id: str | None, since: date) -> StorefrontRows:
    """Load one location's orderable menu in nine statements, whatever its size (closures: those ending on or after
    `since`)."""
    loc = storefront_location(session, location_id)
    at = {"location_id": loc.id}
    return StorefrontRows(
        location=loc,
        hours=[DayHours(*row) for row in session.execute(_HOURS, at)],
        closures=closures_since(session, loc.id, since),
        categories=session.execute(_CATEGORIES, at).all(),
        items=session.execute(_ITEMS, at).all(),
        options=session.execute(_OPTIONS, at).all(),
        values=session.execute(_VALUES, at).all(),
        allergens=session.execute(_ALLERGENS, at).all(),
        mealtimes=session.execute(_MEALTIMES, at).all(),
    )
