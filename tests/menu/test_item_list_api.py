"""`GET /api/menu/items` as the back office's item list: a category with or without its subcategories, a search,
pages, and what a row needs (price, category, stock, sold-out flag and what the storefront makes of the item)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.menu.builders import make_category, make_item

Client = AsyncTestClient[Litestar]


async def listed(client: Client, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/menu/items", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_item_list_takes_in_subcategories_when_asked(client: Client, services: Services) -> None:
    mains = await make_category(services, "Mains")
    pizza = await make_category(services, "Pizza", parent_id=mains)
    white = await make_category(services, "White pizza", parent_id=pizza)
    other = await make_category(services, "Drinks")
    await make_item(services, mains, "Steak")
    await make_item(services, pizza, "Margherita")
    await make_item(services, white, "Bianca")
    await make_item(services, other, "Cola")
    direct = await listed(client, categoryId=mains)
    assert [i["name"] for i in direct["data"]] == ["Steak"]
    deep = await listed(client, categoryId=mains, includeSubcategories="true")
    assert [i["name"] for i in deep["data"]] == ["Bianca", "Margherita", "Steak"]
    assert deep["pagination"] == {"page": 1, "limit": 20, "total": 3, "totalPages": 1}
    assert [i["name"] for i in (await listed(client, categoryId=pizza, includeSubcategories="true"))["data"]] == [
        "Bianca",
        "Margherita",
    ]
    searched = await listed(client, categoryId=mains, includeSubcategories="true", search="ar", limit=1, page=1)
    assert ([i["name"] for i in searched["data"]], searched["pagination"]["total"]) == (["Margherita"], 1)
    paged = await listed(client, categoryId=mains, includeSubcategories="true", limit=2, page=2)
    assert ([i["name"] for i in paged["data"]], paged["pagination"]["totalPages"]) == (["Steak"], 2)
    assert (await listed(client, categoryId="missing", includeSubcategories="true"))["data"] == []


async def test_item_list_row_says_what_the_storefront_makes_of_the_item(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    shown = await make_category(services, "Shown")
    hidden = await make_category(services, "Hidden", is_active=False)
    under_hidden = await make_category(services, "Under hidden", parent_id=hidden)
    await make_item(services, shown, "A available", price=Decimal("4.50"), track_stock=True, stock_qty=2)
    await make_item(services, shown, "B no stock", track_stock=True, stock_qty=0)
    marked = await make_item(services, shown, "C marked")
    await make_item(services, shown, "D switched off", is_active=False)
    await make_item(services, under_hidden, "E under a hidden category")
    await client.post(f"/api/menu/items/{marked.id}/sold-out", headers=manager)
    rows = (await listed(client))["data"]
    assert [(r["name"], r["isSoldOut"], r["availability"]) for r in rows] == [
        ("A available", False, "AVAILABLE"),
        ("B no stock", False, "OUT_OF_STOCK"),
        ("C marked", True, "SOLD_OUT"),
        ("D switched off", False, "HIDDEN"),
        ("E under a hidden category", False, "HIDDEN"),
    ]
    first = rows[0]
    assert (first["price"], first["category"]["name"], first["trackStock"], first["stockQty"]) == (
        4.5,
        "Shown",
        True,
        2,
    )
    detail = (await client.get(f"/api/menu/items/{marked.id}")).json()["data"]
    assert (detail["isSoldOut"], detail["availability"]) == (True, "SOLD_OUT")
    brief = (await client.get(f"/api/menu/categories/{shown}")).json()["data"]["menuItems"]
    assert [(i["name"], i["isSoldOut"]) for i in brief][:3] == [
        ("A available", False),
        ("B no stock", False),
        ("C marked", True),
    ]
