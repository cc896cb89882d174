"""Test data for locations, through the real services (and raw order rows where a test needs an order to exist)."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from kitchenasty.locations.schemas import LocationIn, OperatingHourIn, TableIn
from kitchenasty.orders.models import Order, OrderItem, OrderItemOption
from kitchenasty.services import Services

_seq = itertools.count(1)

ALWAYS_OPEN = [OperatingHourIn(day_of_week=day, open_time="00:00", close_time="00:00") for day in range(7)]


async def make_location(services: Services, **fields: Any) -> str:
    n = next(_seq)
    values: dict[str, Any] = {
        "name": f"Location {n}",
        "slug": f"location-{n}",
        "address": f"{n} Main Street",
        "city": "Springfield",
        "postal_code": "12345",
        "min_order_delivery": Decimal("0"),
        "min_order_pickup": Decimal("0"),
    }
    values.update(fields)
    return (await services.locations.create(LocationIn(**values))).id


async def make_table(services: Services, location_id: str, name: str, capacity: int = 4) -> str:
    return (await services.locations.create_table(location_id, TableIn(name=name, capacity=capacity))).id


async def insert_order(
    services: Services,
    location_id: str,
    *,
    item_id: str | None = None,
    value_ids: tuple[str, ...] = (),
    table_id: str | None = None,
) -> str:
    """An order row referencing what a test needs referenced (a table, a menu item, option values)."""
    async with services.db.transaction() as session:
        order = Order(
            order_number=f"T-{secrets.token_hex(4)}",
            tracking_token=secrets.token_urlsafe(16),
            location_id=location_id,
            order_type="DINE_IN" if table_id else "PICKUP",
            subtotal_cents=1000,
            total_cents=1000,
            table_id=table_id,
            local_day=datetime.now(UTC).date(),
        )
        session.add(order)
        await session.flush()
        if item_id is not None:
            line = OrderItem(
                order_id=order.id,
                menu_item_id=item_id,
                name="Snapshot",
                quantity=1,
                unit_price_cents=1000,
                subtotal_cents=1000,
            )
            session.add(line)
            await session.flush()
            for position, value_id in enumerate(value_ids):
                session.add(
                    OrderItemOption(
                        order_item_id=line.id,
                        menu_option_value_id=value_id,
                        position=position,
                        name="Option",
                        value="Value",
                        price_modifier_cents=0,
                    )
                )
    return order.id


def zone_at_midday() -> tuple[str, datetime]:
    """A fixed-offset time zone where it is now between 11:00 and 12:59, and the local time there.

    Tests of "open now" use windows around midday in that zone, so they never straddle midnight.
    """
    now = datetime.now(UTC)
    for offset in range(-12, 15):
        zone = "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/GMT-3 is UTC+3
        local = now.astimezone(ZoneInfo(zone))
        if 11 <= local.hour <= 12:
            return zone, local
    raise AssertionError("every hour of the day has a zone at midday")


def weekday(local: datetime) -> int:
    """0 = Sunday, as the API counts days."""
    return (local.weekday() + 1) % 7
