"""`/api/menu/categories`: a self-referential tree; no cycles, no orphans, no deleting what is in use."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from kitchenasty.menu.models import Category
from kitchenasty.services import Services
from tests.locations.builders import make_location
from tests.menu.builders import make_category, make_item

Client = AsyncTestClient[Litestar]


def names(tree: list[dict[str, Any]]) -> list[Any]:
    """The tree as nested (name, children) pairs."""
    return [(node["name"], names(node["children"])) for node in tree]


async def category_count(services: Services) -> int:
    async with services.db.session() as session:
        return await session.scalar(select(func.count()).select_from(Category)) or 0


async def test_category_tree_nests_children_recursively_in_sort_order(client: Client, services: Services) -> None:
    drinks = await make_category(services, "Drinks", sort_order=2)
    mains = await make_category(services, "Mains", sort_order=1)
    hot = await make_category(services, "Hot Drinks", parent_id=drinks, sort_order=1)
    await make_category(services, "Cold Drinks", parent_id=drinks, sort_order=2)
    await make_category(services, "Coffee", parent_id=hot)
    await make_category(services, "Pizza", parent_id=mains, is_active=False)
    response = await client.get("/api/menu/categories")
    assert response.status_code == 200
    tree = response.json()["data"]
    assert names(tree) == [
        ("Mains", [("Pizza", [])]),
        ("Drinks", [("Hot Drinks", [("Coffee", [])]), ("Cold Drinks", [])]),
    ]
    pizza = tree[0]["children"][0]
    assert (pizza["parentId"], pizza["isActive"], pizza["_count"]) == (mains, False, {"menuItems": 0})


async def test_category_tree_filters_by_location(client: Client, services: Services) -> None:
    here = await make_location(services)
    there = await make_location(services)
    await make_category(services, "Everywhere")
    await make_category(services, "Here only", location_id=here)
    await make_category(services, "There only", location_id=there)
    tree = (await client.get(f"/api/menu/categories?locationId={here}")).json()["data"]
    assert sorted(node["name"] for node in tree) == ["Everywhere", "Here only"]
    assert len((await client.get("/api/menu/categories")).json()["data"]) == 3


async def test_category_create_returns_it_with_its_parent(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    parent = await make_category(services, "Mains")
    response = await client.post(
        "/api/menu/categories",
        json={"name": "Pasta", "slug": "pasta", "parentId": parent, "sortOrder": 3, "description": "Fresh"},
        headers=manager,
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["name"], data["slug"], data["sortOrder"], data["description"]) == ("Pasta", "pasta", 3, "Fresh")
    assert data["parent"] == {"id": parent, "name": "Mains", "slug": data["parent"]["slug"]}
    assert data["children"] == [] and data["menuItems"] == []


async def test_category_create_bad_input(client: Client, services: Services, admin: dict[str, str]) -> None:
    await make_category(services, "Mains", slug="mains")
    cases = [
        ({"name": "Pasta", "slug": "pasta", "parentId": "missing"}, 400, "Parent category not found"),
        ({"name": "Pasta", "slug": "Pasta!"}, 400, "Slug must be lowercase alphanumeric with hyphens"),
        ({"name": "Other", "slug": "mains"}, 409, "A category with this slug already exists"),
        ({"name": "Pasta", "slug": "pasta", "locationId": "missing"}, 400, "Location not found"),
        ({"name": "Pasta", "slug": "pasta", "sortOrder": -1}, 400, None),
        ({"slug": "pasta"}, 400, None),
    ]
    for payload, status, message in cases:
        response = await client.post("/api/menu/categories", json=payload, headers=admin)
        assert response.status_code == status, (payload, response.text)
        if message:
            assert response.json()["error"] == message
    assert await category_count(services) == 1


async def test_category_update_refuses_cycles(client: Client, services: Services, admin: dict[str, str]) -> None:
    top = await make_category(services, "Drinks")
    middle = await make_category(services, "Hot Drinks", parent_id=top)
    leaf = await make_category(services, "Coffee", parent_id=middle)
    own = await client.patch(f"/api/menu/categories/{top}", json={"parentId": top}, headers=admin)
    assert own.status_code == 400
    assert own.json()["error"] == "Category cannot be its own parent"
    for descendant in (middle, leaf):
        cycle = await client.patch(f"/api/menu/categories/{top}", json={"parentId": descendant}, headers=admin)
        assert cycle.status_code == 400
        assert cycle.json()["code"] == "CATEGORY_CYCLE"
    unknown = await client.patch(f"/api/menu/categories/{leaf}", json={"parentId": "missing"}, headers=admin)
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "Parent category not found"
    tree = (await client.get("/api/menu/categories")).json()["data"]
    assert names(tree) == [("Drinks", [("Hot Drinks", [("Coffee", [])])])]


async def test_category_update_moves_renames_and_detaches(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    drinks = await make_category(services, "Drinks")
    food = await make_category(services, "Food")
    coffee = await make_category(services, "Coffee", parent_id=drinks)
    moved = await client.patch(
        f"/api/menu/categories/{coffee}", json={"parentId": food, "name": "Beans"}, headers=admin
    )
    assert moved.status_code == 200
    assert (moved.json()["data"]["parentId"], moved.json()["data"]["name"]) == (food, "Beans")
    root = await client.patch(f"/api/menu/categories/{coffee}", json={"parentId": None}, headers=admin)
    assert root.json()["data"]["parentId"] is None
    assert sorted(n for n, _ in names((await client.get("/api/menu/categories")).json()["data"])) == [
        "Beans",
        "Drinks",
        "Food",
    ]


async def test_category_update_slug_is_immutable_and_unknown_is_404(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    category = await make_category(services, "Mains", slug="mains")
    refused = await client.patch(f"/api/menu/categories/{category}", json={"slug": "main-dishes"}, headers=admin)
    assert refused.status_code == 400
    assert refused.json()["code"] == "SLUG_IMMUTABLE"
    missing = await client.patch("/api/menu/categories/nope", json={"name": "X"}, headers=admin)
    assert missing.status_code == 404
    assert missing.json()["error"] == "Category not found"


async def test_category_get_shows_parent_children_and_items(client: Client, services: Services) -> None:
    mains = await make_category(services, "Mains")
    pizza = await make_category(services, "Pizza", parent_id=mains)
    await make_category(services, "Wood-fired", parent_id=pizza)
    item = await make_item(services, pizza, "Margherita")
    data = (await client.get(f"/api/menu/categories/{pizza}")).json()["data"]
    assert data["parent"]["id"] == mains
    assert [c["name"] for c in data["children"]] == ["Wood-fired"]
    assert [(i["id"], i["name"], i["price"]) for i in data["menuItems"]] == [(item.id, "Margherita", 10)]
    assert data["_count"] == {"menuItems": 1}
    assert (await client.get("/api/menu/categories/nope")).status_code == 404


async def test_category_delete_refused_with_children_or_items(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    parent = await make_category(services, "Mains")
    child = await make_category(services, "Pizza", parent_id=parent)
    await make_item(services, child)
    with_children = await client.delete(f"/api/menu/categories/{parent}", headers=admin)
    assert with_children.status_code == 409
    assert with_children.json()["error"] == (
        "Cannot delete category with subcategories. Move or delete subcategories first."
    )
    with_items = await client.delete(f"/api/menu/categories/{child}", headers=admin)
    assert with_items.status_code == 409
    assert with_items.json()["error"] == "Cannot delete category with menu items. Move or delete items first."
    assert await category_count(services) == 2


async def test_category_delete_empty_removes_it(client: Client, services: Services, admin: dict[str, str]) -> None:
    category = await make_category(services, "Specials")
    response = await client.delete(f"/api/menu/categories/{category}", headers=admin)
    assert response.json() == {"success": True, "message": "Category deleted"}
    assert (await client.get(f"/api/menu/categories/{category}")).status_code == 404
    assert (await client.delete(f"/api/menu/categories/{category}", headers=admin)).status_code == 404
