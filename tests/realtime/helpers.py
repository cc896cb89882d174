"""Test data for the live rooms and the pages: the demo restaurant (open around the clock), staff and customers,
and order placement through the real HTTP API of a running server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import httpx
import msgspec
from sqlalchemy import select

from kitchenasty.core.config import BootSettings
from kitchenasty.core.security import AUTH_COOKIE
from kitchenasty.locations.models import Location
from kitchenasty.locations.schemas import LocationUpdateIn
from kitchenasty.menu.demo import DEMO_SLUG, seed_demo
from kitchenasty.menu.schemas import MenuItemIn, OptionIn, OptionValueIn
from kitchenasty.orders.schemas import OrderIn, OrderOut
from kitchenasty.services import Services, build_services
from tests.factories import PASSWORD, make_customer, make_staff

T = TypeVar("T")

GUEST = {"guestName": "Grace Hopper", "guestEmail": "grace@example.com", "guestPhone": "+1 555 0100"}


@dataclass
class World:
    location_id: str
    items: dict[str, dict[str, Any]]
    """Orderable demo items by name, as GET /api/menu shows them."""
    staff_email: str
    staff_token: str
    manager_token: str
    admin_token: str
    customer_token: str
    customer_id: str
    customer_email: str
    other_customer_token: str
    extra: dict[str, Any] = field(default_factory=dict)
    manager_email: str = ""
    admin_email: str = ""

    def line(self, name: str, quantity: int = 1, comment: str | None = None) -> dict[str, Any]:
        """An order line for `name` with each required single-choice option set to its default (or first) value."""
        item = self.items[name]
        chosen = []
        for option in item["options"]:
            if option["isRequired"] and option["values"]:
                default = next((v for v in option["values"] if v["isDefault"]), option["values"][0])
                chosen.append({"menuOptionValueId": default["id"]})
        line: dict[str, Any] = {"menuItemId": item["id"], "quantity": quantity, "options": chosen}
        if comment:
            line["comment"] = comment
        return line

    def order_body(self, *names: str, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "orderType": "PICKUP",
            "locationId": self.location_id,
            "items": [self.line(name) for name in (names or (self.simple_item,))],
            **GUEST,
        }
        body.update(fields)
        return body

    @property
    def simple_item(self) -> str:
        """An available item without required options."""
        return next(
            name
            for name, item in sorted(self.items.items())
            if item["isAvailable"] and not any(o["isRequired"] for o in item["options"])
        )


def _flatten(categories: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    for category in categories:
        for item in category["items"]:
            if item["isAvailable"]:
                items[item["name"]] = item
        items.update(_flatten(category["children"]))
    return items


async def open_demo(services: Services) -> str:
    """Seed the demo restaurant and open it around the clock (tests must not depend on the time of day)."""
    await seed_demo(services)
    async with services.db.session() as session:
        location_id = await session.scalar(select(Location.id).where(Location.slug == DEMO_SLUG))
    assert location_id is not None
    await services.locations.update(location_id, LocationUpdateIn(operating_hours=[]))
    return location_id


SALAD = "Build-your-own Salad"
"""An item whose option group needs two to three choices and has no default (the item dialog must enforce it)."""


async def add_salad(services: Services, category_id: str) -> None:
    await services.menu.create_item(
        MenuItemIn(
            name=SALAD,
            slug="build-your-own-salad",
            description="Pick two or three.",
            price=Decimal("8.00"),
            category_id=category_id,
            options=[
                OptionIn(
                    name="Toppings",
                    display_type="CHECKBOX",
                    is_required=True,
                    min_select=2,
                    max_select=3,
                    values=[
                        OptionValueIn(name=name, price_modifier=Decimal(modifier))
                        for name, modifier in (
                            ("Feta", "1.00"),
                            ("Olives", "0.50"),
                            ("Avocado", "1.50"),
                            ("Walnuts", "0.80"),
                        )
                    ],
                )
            ],
        )
    )


async def build_world(boot: BootSettings) -> World:
    """Everything a live test needs, written through the real services (their own instance, disposed after, so the
    app under test starts from the file like a real server would)."""
    services = build_services(boot)
    try:
        location_id = await open_demo(services)
        menu = msgspec.to_builtins(await services.menu.storefront(location_id))
        await add_salad(services, menu["categories"][0]["id"])
        services.menu.invalidate()
        menu = msgspec.to_builtins(await services.menu.storefront(location_id))
        staff = await make_staff(services, "STAFF")
        manager = await make_staff(services, "MANAGER")
        admin = await make_staff(services, "SUPER_ADMIN")
        customer = await make_customer(services)
        other = await make_customer(services)
        return World(
            location_id=location_id,
            items=_flatten(menu["categories"]),
            staff_email=staff.email,
            staff_token=services.auth.issue("staff", staff),
            manager_token=services.auth.issue("staff", manager),
            admin_token=services.auth.issue("staff", admin),
            customer_token=services.auth.issue("customer", customer),
            customer_id=customer.id,
            customer_email=customer.email,
            other_customer_token=services.auth.issue("customer", other),
            manager_email=manager.email,
            admin_email=admin.email,
        )
    finally:
        await services.db.dispose()


async def place_with_services(boot: BootSettings, world: World, **fields: Any) -> OrderOut:
    """Place a guest order through a separate services instance over the same database file (e.g. the CLI or
    another process while the web server is down)."""
    services = build_services(boot)
    try:
        order, _ = await services.orders.place(msgspec.convert(world.order_body(**fields), OrderIn), None)
        return order
    finally:
        await services.db.dispose()


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to completion from synchronous code, even where an event loop is already running in this
    thread (Playwright's sync API keeps one): it gets a fresh loop in a worker thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def cookie(token: str) -> dict[str, str]:
    return {"Cookie": f"{AUTH_COOKIE}={token}"}


async def place(http: httpx.AsyncClient, world: World, *names: str, token: str | None = None, **fields: Any) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post("/api/orders", json=world.order_body(*names, **fields), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def move(http: httpx.AsyncClient, world: World, order_id: str, status: str) -> dict:
    response = await http.patch(
        f"/api/orders/{order_id}/status",
        json={"status": status},
        headers={"Authorization": f"Bearer {world.staff_token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def decode(frame: str | bytes) -> dict[str, Any]:
    return json.loads(frame)


__all__ = [
    "GUEST",
    "PASSWORD",
    "World",
    "build_world",
    "cookie",
    "decode",
    "move",
    "place",
    "place_with_services",
    "run_sync",
]
