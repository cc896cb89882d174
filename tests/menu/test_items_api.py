"""`/api/menu/items`: items with option groups, allergens and mealtimes; option edits never break past orders."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from kitchenasty.menu.models import MenuItem, MenuOption, MenuOptionValue
from kitchenasty.orders.models import OrderItemOption
from kitchenasty.services import Services
from tests.locations.builders import insert_order, make_location
from tests.menu.builders import make_category, make_item, size_option

Client = AsyncTestClient[Litestar]


def pizza(category_id: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Margherita",
        "slug": "margherita",
        "description": "Tomato, mozzarella, basil",
        "price": 12.5,
        "categoryId": category_id,
        "orderType": "DELIVERY",
        "options": [
            {
                "name": "Size",
                "displayType": "RADIO",
                "isRequired": True,
                "values": [
                    {"name": "Small", "priceModifier": -2},
                    {"name": "Medium", "isDefault": True},
                    {"name": "Large", "priceModifier": 3.5},
                ],
            },
            {
                "name": "Extra toppings",
                "displayType": "CHECKBOX",
                "maxSelect": 3,
                "values": [{"name": "Olives", "priceModifier": 1}, {"name": "Basil", "priceModifier": 0.5}],
            },
        ],
    }
    data.update(overrides)
    return data


async def counts(services: Services) -> tuple[int, int, int]:
    async with services.db.session() as session:
        return (
            await session.scalar(select(func.count()).select_from(MenuItem)) or 0,
            await session.scalar(select(func.count()).select_from(MenuOption)) or 0,
            await session.scalar(select(func.count()).select_from(MenuOptionValue)) or 0,
        )


async def test_item_create_with_options_allergens_and_mealtimes(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    category = await make_category(services, "Pizza")
    gluten = (await client.post("/api/menu/allergens", json={"name": "Gluten"}, headers=manager)).json()["data"]
    dairy = (await client.post("/api/menu/allergens", json={"name": "Dairy"}, headers=manager)).json()["data"]
    lunch = (
        await client.post(
            "/api/menu/mealtimes",
            json={"name": "Lunch", "startTime": "11:00", "endTime": "15:00", "days": [5, 1, 2]},
            headers=manager,
        )
    ).json()["data"]
    response = await client.post(
        "/api/menu/items",
        json=pizza(category, allergenIds=[gluten["id"], dairy["id"]], mealtimeIds=[lunch["id"]]),
        headers=manager,
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["price"], data["orderType"], data["category"]) == (12.5, "DELIVERY", {"id": category, "name": "Pizza"})
    size, toppings = data["options"]
    assert (size["name"], size["displayType"], size["isRequired"], size["minSelect"], size["maxSelect"]) == (
        "Size",
        "RADIO",
        True,
        1,
        1,
    )
    assert [(v["name"], v["priceModifier"], v["isDefault"], v["sortOrder"]) for v in size["values"]] == [
        ("Small", -2, False, 0),
        ("Medium", 0, True, 1),
        ("Large", 3.5, False, 2),
    ]
    assert (toppings["isRequired"], toppings["minSelect"], toppings["maxSelect"]) == (False, 0, 3)
    assert [a["name"] for a in data["allergens"]] == ["Dairy", "Gluten"]
    assert data["mealtimes"] == [
        {"id": lunch["id"], "name": "Lunch", "startTime": "11:00", "endTime": "15:00", "days": [1, 2, 5]}
    ]
    async with services.db.session() as session:
        row = await session.get(MenuItem, data["id"])
    assert row is not None and row.price_cents == 1250
    assert (await client.get(f"/api/menu/items/{data['id']}")).json()["data"] == data


async def test_item_create_bad_input_is_400_or_409_and_writes_nothing(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    category = await make_category(services)
    await make_item(services, category, slug="taken")
    before = await counts(services)
    radio_two = pizza(category)
    radio_two["options"][0]["maxSelect"] = 2
    two_defaults = pizza(category)
    two_defaults["options"][0]["values"][0]["isDefault"] = True
    below_zero = pizza(category)
    below_zero["options"][0]["values"][0]["priceModifier"] = -12.51
    too_many_minimum = pizza(category)
    too_many_minimum["options"][1]["minSelect"] = 3
    no_values = pizza(category)
    no_values["options"][1]["values"] = []
    modifier_decimals = pizza(category)
    modifier_decimals["options"][1]["values"][0]["priceModifier"] = 0.333
    bad_display = pizza(category)
    bad_display["options"][1]["displayType"] = "DROPDOWN"
    with_ids = pizza(category)
    with_ids["options"][0]["id"] = "some-id"
    cases: list[tuple[dict[str, Any], int, str | None]] = [
        (pizza(category, price=12.999), 400, "price must have at most 2 decimals"),
        (pizza(category, price=-1), 400, "price must not be negative"),
        (pizza(category, categoryId="missing"), 400, "Category not found"),
        (pizza(category, locationId="missing"), 400, "Location not found"),
        (pizza(category, allergenIds=["missing"]), 400, "Allergen not found: missing"),
        (pizza(category, mealtimeIds=["missing"]), 400, "Mealtime not found: missing"),
        (pizza(category, slug="Bad Slug"), 400, "Slug must be lowercase alphanumeric with hyphens"),
        (pizza(category, slug="taken"), 409, "A menu item with this slug already exists"),
        (pizza(category, orderType="TAKEAWAY"), 400, None),
        (pizza(category, stockQty=-1), 400, None),
        (radio_two, 400, "Option 'Size': RADIO allows one choice, so maxSelect must be 1"),
        (two_defaults, 400, "Option 'Size' has 2 default values but allows at most 1"),
        (below_zero, 400, "Option 'Size': a price modifier cannot take the price below zero"),
        (too_many_minimum, 400, None),
        (no_values, 400, None),
        (modifier_decimals, 400, "priceModifier must have at most 2 decimals"),
        (bad_display, 400, None),
        (with_ids, 400, "A new menu item's options cannot carry ids"),
    ]
    for payload, status, message in cases:
        response = await client.post("/api/menu/items", json=payload, headers=admin)
        assert response.status_code == status, (payload, response.text)
        if message:
            assert response.json()["error"] == message
    assert await counts(services) == before


async def test_item_update_changes_fields_and_replaces_sets(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    category = await make_category(services)
    other = await make_category(services, "Other")
    nuts = (await client.post("/api/menu/allergens", json={"name": "Nuts"}, headers=manager)).json()["data"]
    item = await make_item(services, category, "Brownie", allergen_ids=[nuts["id"]])
    url = f"/api/menu/items/{item.id}"
    response = await client.patch(
        url, json={"price": 7.25, "categoryId": other, "trackStock": True, "stockQty": 4}, headers=manager
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["price"], data["categoryId"], data["trackStock"], data["stockQty"]) == (7.25, other, True, 4)
    assert [a["name"] for a in data["allergens"]] == ["Nuts"]  # not sent: kept
    cleared = (await client.patch(url, json={"allergenIds": []}, headers=manager)).json()["data"]
    assert cleared["allergens"] == []
    assert cleared["name"] == "Brownie"


async def test_item_update_bad_input_changes_nothing(client: Client, services: Services, admin: dict[str, str]) -> None:
    category = await make_category(services)
    item = await make_item(services, category, price="5.00", options=[size_option()])
    url = f"/api/menu/items/{item.id}"
    for payload, status in (
        ({"slug": "renamed"}, 400),
        ({"name": "New", "price": 0.5}, 400),  # the Small size (-1.00) would cost less than nothing
        ({"name": "New", "categoryId": "missing"}, 400),
        ({"name": "New", "allergenIds": ["missing"]}, 400),
        ({"name": "New", "price": 1.001}, 400),
        ({"name": None}, 400),
    ):
        response = await client.patch(url, json=payload, headers=admin)
        assert response.status_code == status, (payload, response.text)
    after = (await client.get(url)).json()["data"]
    assert (after["name"], after["price"], after["slug"]) == (item.name, 5, item.slug)
    assert (await client.patch("/api/menu/items/missing", json={"name": "X"}, headers=admin)).status_code == 404


async def test_item_update_options_keeps_ids_and_retires_what_disappears(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    category = await make_category(services)
    item = await make_item(services, category, options=[size_option()])
    size = item.options[0]
    small, regular, large = size.values
    response = await client.patch(
        f"/api/menu/items/{item.id}",
        json={
            "options": [
                {
                    "id": size.id,
                    "name": "Portion",
                    "displayType": "RADIO",
                    "isRequired": True,
                    "values": [
                        {"id": regular.id, "name": "Regular", "isDefault": True},
                        {"id": large.id, "name": "Big", "priceModifier": 3},
                        {"name": "Huge", "priceModifier": 5},
                    ],
                },
                {"name": "Sauce", "displayType": "SELECT", "values": [{"name": "Ketchup"}, {"name": "Mayo"}]},
            ]
        },
        headers=admin,
    )
    assert response.status_code == 200, response.text
    portion, sauce = response.json()["data"]["options"]
    assert portion["id"] == size.id
    assert [(v["id"], v["name"], v["priceModifier"]) for v in portion["values"]][:2] == [
        (regular.id, "Regular", 0),
        (large.id, "Big", 3),
    ]
    assert [v["name"] for v in portion["values"]] == ["Regular", "Big", "Huge"]
    assert [v["name"] for v in sauce["values"]] == ["Ketchup", "Mayo"]
    async with services.db.session() as session:
        retired = await session.get(MenuOptionValue, small.id)
    assert retired is not None and retired.is_active is False
    # Dropping a whole group retires it (and it no longer shows).
    dropped = await client.patch(
        f"/api/menu/items/{item.id}",
        json={
            "options": [
                {"id": sauce["id"], "name": "Sauce", "values": [{"id": sauce["values"][0]["id"], "name": "Ketchup"}]}
            ]
        },
        headers=admin,
    )
    assert [o["name"] for o in dropped.json()["data"]["options"]] == ["Sauce"]
    async with services.db.session() as session:
        group = await session.get(MenuOption, size.id)
    assert group is not None and group.is_active is False


async def test_item_update_options_with_ordered_values_keeps_the_order_intact(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)
    category = await make_category(services)
    item = await make_item(services, category, options=[size_option()])
    small, regular, _ = item.options[0].values
    order_id = await insert_order(services, location_id, item_id=item.id, value_ids=(small.id, regular.id))
    response = await client.patch(
        f"/api/menu/items/{item.id}",
        json={"options": [{"name": "Spice", "displayType": "RADIO", "values": [{"name": "Mild"}, {"name": "Hot"}]}]},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    assert [o["name"] for o in response.json()["data"]["options"]] == ["Spice"]
    async with services.db.session() as session:
        kept = list(await session.scalars(select(OrderItemOption.menu_option_value_id)))
        values = {v.id: v.is_active for v in await session.scalars(select(MenuOptionValue))}
    assert sorted(kept) == sorted([small.id, regular.id])
    assert values[small.id] is False and values[regular.id] is False
    assert order_id


async def test_item_update_options_refuses_ids_of_another_item(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    category = await make_category(services)
    mine = await make_item(services, category, options=[size_option()])
    theirs = await make_item(services, category, options=[size_option()])
    foreign_option = {"id": theirs.options[0].id, "name": "Size", "values": [{"name": "One"}]}
    foreign_value = {
        "id": mine.options[0].id,
        "name": "Size",
        "values": [{"id": theirs.options[0].values[0].id, "name": "Small"}],
    }
    duplicate = {
        "id": mine.options[0].id,
        "name": "Size",
        "values": [
            {"id": mine.options[0].values[0].id, "name": "A"},
            {"id": mine.options[0].values[0].id, "name": "B"},
        ],
    }
    for option in (foreign_option, foreign_value, duplicate):
        response = await client.patch(f"/api/menu/items/{mine.id}", json={"options": [option]}, headers=admin)
        assert response.status_code == 400, option
    after = (await client.get(f"/api/menu/items/{mine.id}")).json()["data"]["options"]
    assert [v["name"] for v in after[0]["values"]] == ["Small", "Regular", "Large"]


async def test_item_delete_refused_when_ordered(client: Client, services: Services, admin: dict[str, str]) -> None:
    location_id = await make_location(services)
    category = await make_category(services)
    ordered = await make_item(services, category, options=[size_option()])
    unordered = await make_item(services, category, options=[size_option()])
    await insert_order(services, location_id, item_id=ordered.id)
    refused = await client.delete(f"/api/menu/items/{ordered.id}", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["error"] == "Cannot delete menu item with existing orders. Deactivate it instead."
    removed = await client.delete(f"/api/menu/items/{unordered.id}", headers=admin)
    assert removed.json() == {"success": True, "message": "Menu item deleted"}
    assert (await client.get(f"/api/menu/items/{unordered.id}")).status_code == 404
    assert await counts(services) == (1, 1, 3)  # the deleted item's options went with it
    assert (await client.delete(f"/api/menu/items/{unordered.id}", headers=admin)).status_code == 404


async def test_item_list_paginates_filters_and_searches(client: Client, services: Services) -> None:
    pizza_category = await make_category(services, "Pizza")
    drinks = await make_category(services, "Drinks")
    await make_item(services, pizza_category, "Margherita", options=[size_option()])
    await make_item(services, pizza_category, "Pepperoni", is_active=False)
    await make_item(services, drinks, "Pepper Soda")
    await make_item(services, drinks, "100% Juice")
    everything = (await client.get("/api/menu/items?limit=2")).json()
    assert everything["pagination"] == {"page": 1, "limit": 2, "total": 4, "totalPages": 2}
    assert [i["name"] for i in everything["data"]] == ["100% Juice", "Margherita"]
    in_pizza = (await client.get(f"/api/menu/items?categoryId={pizza_category}")).json()["data"]
    assert [(i["name"], i["isActive"]) for i in in_pizza] == [("Margherita", True), ("Pepperoni", False)]
    assert in_pizza[0]["_count"] == {"options": 1, "allergens": 0, "mealtimes": 0}
    assert in_pizza[0]["category"] == {"id": pizza_category, "name": "Pizza"}
    found = (await client.get("/api/menu/items?search=PEPPER")).json()["data"]
    assert [i["name"] for i in found] == ["Pepper Soda", "Pepperoni"]
    percent = (await client.get("/api/menu/items?search=%25")).json()["data"]
    assert [i["name"] for i in percent] == ["100% Juice"]
    assert (await client.get("/api/menu/items?limit=500")).status_code == 400


async def test_item_absurd_amounts_are_400_not_500(client: Client, services: Services, admin: dict[str, str]) -> None:
    category = await make_category(services)
    headers = {**admin, "Content-Type": "application/json"}
    for price in (b"1e999999999", b"-1e999999999", b'"NaN"', b'"Infinity"', b"1e20", b'"twelve"'):
        raw = b'{"name": "X", "slug": "x", "categoryId": "%s", "price": %s}' % (category.encode(), price)
        response = await client.post("/api/menu/items", content=raw, headers=headers)
        assert response.status_code == 400, (price, response.text)
        assert response.json()["success"] is False
    assert (await counts(services))[0] == 0
