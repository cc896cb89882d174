"""`PUT /api/menu/categories/order`: the categories under one parent put in a new order in one request."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.menu.models import Category
from kitchenasty.services import Services
from tests.menu.builders import make_category

Client = AsyncTestClient[Litestar]
URL = "/api/menu/categories/order"


def names(tree: list[dict[str, Any]]) -> list[Any]:
    return [(node["name"], names(node["children"])) for node in tree]


async def sort_orders(services: Services) -> dict[str, int]:
    async with services.db.session() as session:
        return {c.name: c.sort_order for c in await session.scalars(select(Category))}


async def test_category_order_puts_siblings_in_the_order_sent(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    drinks = await make_category(services, "Drinks", sort_order=1)
    mains = await make_category(services, "Mains", sort_order=2)
    hot = await make_category(services, "Hot", parent_id=drinks, sort_order=5)
    cold = await make_category(services, "Cold", parent_id=drinks, sort_order=5)
    beer = await make_category(services, "Beer", parent_id=drinks, sort_order=9)
    roots = await client.put(URL, json={"ids": [mains, drinks]}, headers=manager)
    assert roots.status_code == 200, roots.text
    assert names(roots.json()["data"]) == [("Mains", []), ("Drinks", [("Cold", []), ("Hot", []), ("Beer", [])])]
    children = await client.put(URL, json={"parentId": drinks, "ids": [beer, hot, cold]}, headers=manager)
    assert children.status_code == 200, children.text
    assert names(children.json()["data"]) == [("Mains", []), ("Drinks", [("Beer", []), ("Hot", []), ("Cold", [])])]
    assert await sort_orders(services) == {"Mains": 0, "Drinks": 1, "Beer": 0, "Hot": 1, "Cold": 2}
    assert names((await client.get("/api/menu/categories")).json()["data"]) == names(children.json()["data"])


async def test_category_order_refusals_name_the_field_and_change_nothing(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    drinks = await make_category(services, "Drinks", sort_order=1)
    hot = await make_category(services, "Hot", parent_id=drinks, sort_order=1)
    cold = await make_category(services, "Cold", parent_id=drinks, sort_order=2)
    before = await sort_orders(services)
    cases: list[tuple[dict[str, Any], str, str, str]] = [
        (
            {"parentId": drinks, "ids": [cold]},
            "ids",
            "INVALID_ORDER",
            "The new order must list every category under this parent; missing: Hot.",
        ),
        (
            {"parentId": drinks, "ids": [cold, hot, drinks]},
            "ids",
            "INVALID_ORDER",
            f"These categories are not under this parent: {drinks}.",
        ),
        (
            {"parentId": drinks, "ids": [cold, hot, cold]},
            "ids",
            "INVALID_ORDER",
            "A category appears more than once in the new order.",
        ),
        ({"parentId": "missing", "ids": [cold, hot]}, "parentId", "PARENT_NOT_FOUND", "Parent category not found"),
        ({"ids": [hot, cold]}, "ids", "INVALID_ORDER", "These categories are not under this parent: "),
    ]
    for payload, key, code, message in cases:
        response = await client.put(URL, json=payload, headers=admin)
        assert response.status_code == 400, (payload, response.text)
        body = response.json()
        assert (body["code"], body["details"][0]["key"]) == (code, key), body
        assert body["error"].startswith(message) and body["details"][0]["message"] == body["error"]
    empty = await client.put(URL, json={"parentId": drinks, "ids": []}, headers=admin)
    assert empty.status_code == 400
    assert await sort_orders(services) == before
