"""Test data for the menu, through the real services."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from kitchenasty.menu.schemas import CategoryIn, MenuItemIn, MenuItemOut, OptionIn, OptionValueIn
from kitchenasty.services import Services

_seq = itertools.count(1)


async def make_category(services: Services, name: str | None = None, **fields: Any) -> str:
    n = next(_seq)
    values: dict[str, Any] = {"name": name or f"Category {n}", "slug": f"category-{n}"}
    values.update(fields)
    return (await services.menu.create_category(CategoryIn(**values))).id


def size_option(**fields: Any) -> OptionIn:
    values: dict[str, Any] = {
        "name": "Size",
        "display_type": "RADIO",
        "is_required": True,
        "values": [
            OptionValueIn(name="Small", price_modifier=Decimal("-1.00")),
            OptionValueIn(name="Regular", is_default=True),
            OptionValueIn(name="Large", price_modifier=Decimal("2.50")),
        ],
    }
    values.update(fields)
    return OptionIn(**values)


async def make_item(services: Services, category_id: str, name: str | None = None, **fields: Any) -> MenuItemOut:
    n = next(_seq)
    values: dict[str, Any] = {
        "name": name or f"Item {n}",
        "slug": f"item-{n}",
        "price": Decimal("10.00"),
        "category_id": category_id,
    }
    values.update(fields)
    return await services.menu.create_item(MenuItemIn(**values))
