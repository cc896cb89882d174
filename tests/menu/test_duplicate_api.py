"""`POST /api/menu/items/{id}/duplicate`: a copy "<name> (copy)", inactive, with a free slug and the same options,
allergens and mealtimes as new rows."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from kitchenasty.menu.models import MenuItem, MenuOption, MenuOptionValue
from kitchenasty.menu.schemas import AllergenIn, MealtimeIn
from kitchenasty.services import Services
from tests.menu.builders import make_category, make_item, size_option

Client = AsyncTestClient[Litestar]


async def test_duplicate_copies_the_item_inactive_with_new_option_rows(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    category = await make_category(services, "Pizza")
    gluten = await services.menu.create_allergen(AllergenIn(name="Gluten"))
    lunch = await services.menu.create_mealtime(
        MealtimeIn(name="Lunch", start_time="11:00", end_time="15:00", days=[1, 2, 3])
    )
    source = await make_item(
        services,
        category,
        "Margherita",
        slug="margherita",
        description="Tomato and mozzarella",
        track_stock=True,
        stock_qty=7,
        order_type="PICKUP",
        sort_order=4,
        options=[size_option()],
        allergen_ids=[gluten.id],
        mealtime_ids=[lunch.id],
    )
    size = source.options[0]
    retire_small = {"id": size.id, "name": "Size", "values": [{"id": v.id, "name": v.name} for v in size.values[1:]]}
    await client.patch(f"/api/menu/items/{source.id}", json={"options": [retire_small]}, headers=manager)
    source_now = (await client.get(f"/api/menu/items/{source.id}")).json()["data"]

    response = await client.post(f"/api/menu/items/{source.id}/duplicate", headers=manager)
    assert response.status_code == 201, response.text
    copy = response.json()["data"]
    assert copy["id"] != source.id
    assert (copy["name"], copy["slug"], copy["isActive"], copy["isSoldOut"]) == (
        "Margherita (copy)",
        "margherita-copy",
        False,
        False,
    )
    assert (copy["trackStock"], copy["stockQty"]) == (True, 0)
    same = ("description", "price", "categoryId", "category", "orderType", "sortOrder", "allergens", "mealtimes")
    assert {k: copy[k] for k in same} == {k: source_now[k] for k in same}

    def shape(options: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [
            (
                (o["name"], o["displayType"], o["isRequired"], o["minSelect"], o["maxSelect"], o["sortOrder"]),
                [(v["name"], v["priceModifier"], v["isDefault"], v["sortOrder"]) for v in o["values"]],
            )
            for o in options
        ]

    assert shape(copy["options"]) == shape(source_now["options"])
    assert [v["name"] for v in copy["options"][0]["values"]] == ["Regular", "Large"]  # the retired Small stays behind
    source_ids = {source_now["options"][0]["id"], *(v["id"] for v in source_now["options"][0]["values"])}
    copy_ids = {copy["options"][0]["id"], *(v["id"] for v in copy["options"][0]["values"])}
    assert not source_ids & copy_ids
    assert (await client.get(f"/api/menu/items/{source.id}")).json()["data"] == source_now  # the source is untouched

    second = await client.post(f"/api/menu/items/{source.id}/duplicate", headers=manager)
    assert (second.json()["data"]["name"], second.json()["data"]["slug"]) == ("Margherita (copy)", "margherita-copy-2")
    of_copy = await client.post(f"/api/menu/items/{copy['id']}/duplicate", headers=manager)
    assert (of_copy.json()["data"]["name"], of_copy.json()["data"]["slug"]) == (
        "Margherita (copy) (copy)",
        "margherita-copy-copy",
    )


async def test_duplicate_unknown_item_is_404_and_writes_nothing(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    await make_item(services, await make_category(services), options=[size_option()])

    async def counts() -> tuple[int, int, int]:
        async with services.db.session() as session:
            return (
                await session.scalar(select(func.count()).select_from(MenuItem)) or 0,
                await session.scalar(select(func.count()).select_from(MenuOption)) or 0,
                await session.scalar(select(func.count()).select_from(MenuOptionValue)) or 0,
            )

    before = await counts()
    response = await client.post("/api/menu/items/nope/duplicate", headers=manager)
    assert response.status_code == 404
    assert (response.json()["code"], response.json()["error"]) == ("MENU_ITEM_NOT_FOUND", "Menu item not found")
    assert await counts() == before


async def test_duplicate_of_a_long_name_and_slug_still_fits(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    source = await make_item(services, await make_category(services), "N" * 120, slug="s" * 120)
    response = await client.post(f"/api/menu/items/{source.id}/duplicate", headers=manager)
    assert response.status_code == 201, response.text
    copy = response.json()["data"]
    assert copy["name"] == "N" * 113 + " (copy)"
    assert copy["slug"] == "s" * 115 + "-copy"
    again = await client.post(f"/api/menu/items/{source.id}/duplicate", headers=manager)
    assert (again.status_code, again.json()["data"]["slug"]) == (201, "s" * 113 + "-copy-2")
