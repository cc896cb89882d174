"""Order test data written with the ORM (the menu and location APIs belong to another domain), plus row counters.

`make_menu` builds one active location open around the clock with a table, and a small menu:
- Burger 10.00: Size (required, one of Regular +0 / Large +2.50), Extras (0-2 of Cheese +1.00 / Bacon +1.50 /
  Egg +0.75);
- Fries 3.50, no options;
- Soda 2.00, stock tracked (10 left by default).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from kitchenasty.coupons.models import Coupon, CouponRedemption
from kitchenasty.locations.models import DiningTable, Location, OperatingHour
from kitchenasty.menu.models import Category, MenuItem, MenuOption, MenuOptionValue
from kitchenasty.orders.models import Order, OrderItem, OrderItemOption, OrderStatusChange
from kitchenasty.services import Services

_seq = itertools.count(1)


@dataclass
class Menu:
    location_id: str
    location_name: str
    table_id: str
    category_id: str
    burger: str
    fries: str
    soda: str
    size: str
    extras: str
    values: dict[str, str] = field(default_factory=dict)
    """value name -> id: regular, large, cheese, bacon, egg."""


async def make_location(
    services: Services, *, name: str | None = None, hours: list[tuple[int, str, str, bool]] | None = None, **fields: Any
) -> tuple[str, str]:
    """An active location (open all day every day unless `hours` is given) with one table; (location id, table id)."""
    n = next(_seq)
    async with services.db.transaction() as session:
        location = Location(
            name=name or f"Harbour Kitchen {n}",
            slug=f"harbour-kitchen-{n}",
            address="1 Quay Street",
            city="Portsmouth",
            postal_code="PO1 1AA",
            **fields,
        )
        session.add(location)
        await session.flush()
        for day, open_time, close_time, closed in (
            hours if hours is not None else [(d, "00:00", "00:00", False) for d in range(7)]
        ):
            session.add(
                OperatingHour(
                    location_id=location.id,
                    day_of_week=day,
                    open_time=open_time,
                    close_time=close_time,
                    is_closed=closed,
                )
            )
        table = DiningTable(location_id=location.id, name=f"T{n}", capacity=4)
        session.add(table)
        await session.flush()
        return location.id, table.id


async def make_item(
    services: Services,
    category_id: str,
    *,
    name: str,
    price_cents: int,
    options: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> tuple[str, dict[str, str], dict[str, str]]:
    """An item with option groups; returns (item id, option name -> id, value name -> id)."""
    n = next(_seq)
    option_ids: dict[str, str] = {}
    value_ids: dict[str, str] = {}
    async with services.db.transaction() as session:
        item = MenuItem(
            name=name, slug=f"{name.lower().replace(' ', '-')}-{n}", price_cents=price_cents, category_id=category_id
        )
        for key, value in fields.items():
            setattr(item, key, value)
        session.add(item)
        await session.flush()
        for sort, spec in enumerate(options or []):
            option = MenuOption(
                menu_item_id=item.id,
                name=spec["name"],
                display_type=spec.get("display_type", "SELECT"),
                is_required=spec.get("required", False),
                min_select=spec.get("min_select", 0),
                max_select=spec.get("max_select", 1),
                sort_order=sort,
            )
            session.add(option)
            await session.flush()
            option_ids[spec["name"]] = option.id
            for vsort, (value_name, modifier) in enumerate(spec["values"]):
                value = MenuOptionValue(
                    menu_option_id=option.id, name=value_name, price_modifier_cents=modifier, sort_order=vsort
                )
                session.add(value)
                await session.flush()
                value_ids[value_name] = value.id
        return item.id, option_ids, value_ids


async def make_category(services: Services, name: str = "Mains") -> str:
    n = next(_seq)
    async with services.db.transaction() as session:
        category = Category(name=name, slug=f"{name.lower()}-{n}")
        session.add(category)
        await session.flush()
        return category.id


async def make_menu(services: Services, *, soda_stock: int = 10, **location_fields: Any) -> Menu:
    location_id, table_id = await make_location(services, **location_fields)
    category_id = await make_category(services)
    burger, options, values = await make_item(
        services,
        category_id,
        name="Burger",
        price_cents=1000,
        options=[
            {"name": "Size", "required": True, "values": [("Regular", 0), ("Large", 250)]},
            {
                "name": "Extras",
                "display_type": "CHECKBOX",
                "max_select": 2,
                "values": [("Cheese", 100), ("Bacon", 150), ("Egg", 75)],
            },
        ],
    )
    fries, _, _ = await make_item(services, category_id, name="Fries", price_cents=350)
    soda, _, _ = await make_item(
        services, category_id, name="Soda", price_cents=200, track_stock=True, stock_qty=soda_stock
    )
    async with services.db.session() as session:
        location_name = (await session.get(Location, location_id)).name  # type: ignore[union-attr]
    return Menu(
        location_id=location_id,
        location_name=location_name,
        table_id=table_id,
        category_id=category_id,
        burger=burger,
        fries=fries,
        soda=soda,
        size=options["Size"],
        extras=options["Extras"],
        values={name.lower(): value_id for name, value_id in values.items()},
    )


GUEST = {"guestName": "Ada Lovelace", "guestEmail": "ada@example.com", "guestPhone": "+44 7700 900123"}


def burger_line(menu: Menu, *, quantity: int = 1, size: str = "regular", extras: tuple[str, ...] = ()) -> dict:
    return {
        "menuItemId": menu.burger,
        "quantity": quantity,
        "options": [{"menuOptionValueId": menu.values[v]} for v in (size, *extras)],
    }


def guest_order(menu: Menu, *, items: list[dict] | None = None, **fields: Any) -> dict[str, Any]:
    """A guest pickup order body (a Regular burger by default); `fields` override or add keys."""
    body: dict[str, Any] = {"orderType": "PICKUP", "items": items or [burger_line(menu)], **GUEST}
    body.update(fields)
    return body


async def set_settings(services: Services, group: str, **values: Any) -> None:
    await services.settings.update_group(group, values)


@dataclass(frozen=True)
class Counts:
    orders: int
    order_items: int
    order_item_options: int
    coupon_redemptions: int
    coupon_uses: int
    stock: dict[str, int]
    status_changes: int


async def counts(services: Services) -> Counts:
    """The rows a refused order must leave untouched."""
    async with services.db.session() as session:

        async def count(model: Any) -> int:
            return await session.scalar(select(func.count()).select_from(model)) or 0

        stock = {row.id: row.stock_qty for row in await session.execute(select(MenuItem.id, MenuItem.stock_qty))}
        return Counts(
            orders=await count(Order),
            order_items=await count(OrderItem),
            order_item_options=await count(OrderItemOption),
            coupon_redemptions=await count(CouponRedemption),
            coupon_uses=await session.scalar(select(func.coalesce(func.sum(Coupon.usage_count), 0))) or 0,
            stock=stock,
            status_changes=await count(OrderStatusChange),
        )


async def stock_of(services: Services, item_id: str) -> int:
    async with services.db.session() as session:
        return (await session.get(MenuItem, item_id)).stock_qty  # type: ignore[union-attr]
