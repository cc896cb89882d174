"""`POST /api/menu/categories/{id}/reprice`: a category's prices changed by a percentage in one transaction, exact in
cents (half up), optionally with subcategories, option price modifiers and a rounding step; refused as a whole."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.menu.models import MenuItem, MenuOptionValue
from kitchenasty.menu.schemas import OptionIn, OptionValueIn
from kitchenasty.services import Services
from tests.locations.builders import make_location
from tests.menu.builders import make_category, make_item

Client = AsyncTestClient[Litestar]


def size(small: str = "-1.00", large: str = "2.50") -> OptionIn:
    return OptionIn(
        name="Size",
        display_type="RADIO",
        values=[
            OptionValueIn(name="Small", price_modifier=Decimal(small)),
            OptionValueIn(name="Regular", is_default=True),
            OptionValueIn(name="Large", price_modifier=Decimal(large)),
        ],
    )


async def prices(services: Services) -> dict[str, int]:
    """Every item's price and every option value's modifier, in cents."""
    async with services.db.session() as session:
        items = {i.name: i.price_cents for i in await session.scalars(select(MenuItem))}
        values = {f"value {v.name}": v.price_modifier_cents for v in await session.scalars(select(MenuOptionValue))}
    return items | values


async def reprice(client: Client, category_id: str, headers: dict[str, str], **body: Any) -> Any:
    return await client.post(f"/api/menu/categories/{category_id}/reprice", json=body, headers=headers)


async def test_reprice_changes_a_category_exactly_and_answers_what_changed(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    await make_location(services)
    mains = await make_category(services, "Mains")
    sub = await make_category(services, "Pasta", parent_id=mains)
    other = await make_category(services, "Drinks")
    steak = await make_item(services, mains, "Steak", price=Decimal("12.35"), options=[size()])
    await make_item(services, mains, "Bread", price=Decimal("0.99"))
    await make_item(services, mains, "Water", price=Decimal("0.00"))
    await make_item(services, sub, "Lasagne", price=Decimal("10.00"))
    await make_item(services, other, "Cola", price=Decimal("2.00"))
    storefront = (await client.get("/api/menu")).json()["data"]  # cached before the change
    assert storefront["categories"][0]["name"] in ("Mains", "Drinks")

    response = await reprice(client, mains, manager, percent=10)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data == {
        "count": 2,
        "items": [
            {"id": data["items"][0]["id"], "name": "Bread", "before": 0.99, "after": 1.09, "modifiers": []},
            {"id": steak.id, "name": "Steak", "before": 12.35, "after": 13.59, "modifiers": []},  # 13.585 half up
        ],
    }
    assert await prices(services) == {
        "Steak": 1359,
        "Bread": 109,
        "Water": 0,
        "Lasagne": 1000,  # a subcategory: not asked for
        "Cola": 200,  # another category
        "value Small": -100,  # modifiers: not asked for
        "value Regular": 0,
        "value Large": 250,
    }
    shown = {
        i["name"]: i["price"] for c in (await client.get("/api/menu")).json()["data"]["categories"] for i in c["items"]
    }
    assert (shown["Steak"], shown["Bread"]) == (13.59, 1.09)  # the storefront follows at once


async def test_reprice_with_subcategories_modifiers_and_a_rounding_step(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    mains = await make_category(services, "Mains")
    sub = await make_category(services, "Pasta", parent_id=mains)
    deeper = await make_category(services, "Filled pasta", parent_id=sub)
    steak = await make_item(services, mains, "Steak", price=Decimal("12.35"), options=[size()])
    await make_item(services, deeper, "Ravioli", price=Decimal("2.25"))
    response = await reprice(
        client, mains, manager, percent=-50, includeSubcategories=True, includeModifiers=True, roundTo=0.05
    )
    assert response.status_code == 200, response.text
    items = {i["name"]: i for i in response.json()["data"]["items"]}
    assert (items["Steak"]["before"], items["Steak"]["after"]) == (12.35, 6.2)  # 6.175 -> 6.20 (steps of 0.05)
    assert (items["Ravioli"]["before"], items["Ravioli"]["after"]) == (2.25, 1.15)  # 1.125 -> 1.15
    small = next(v for o in steak.options for v in o.values if v.name == "Small")
    assert items["Steak"]["modifiers"] == [
        {"id": small.id, "option": "Size", "value": "Small", "before": -1.0, "after": -0.5},
        {"id": items["Steak"]["modifiers"][1]["id"], "option": "Size", "value": "Large", "before": 2.5, "after": 1.25},
    ]
    assert await prices(services) == {
        "Steak": 620,
        "Ravioli": 115,
        "value Small": -50,
        "value Regular": 0,
        "value Large": 125,
    }
    half_up = await reprice(client, deeper, manager, percent=10)  # 1.15 * 1.1 = 1.265 -> 1.27 (not 1.26)
    assert half_up.json()["data"]["items"][0]["after"] == 1.27


async def test_reprice_refusals_name_the_field_and_write_nothing(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    category = await make_category(services, "Mains")
    await make_item(services, category, "Cheap", price=Decimal("1.00"))
    await make_item(services, category, "Dear", price=Decimal("60000.00"))
    await make_item(services, category, "Small plate", price=Decimal("2.00"), options=[size(small="-1.50")])
    before = await prices(services)
    cases: list[tuple[dict[str, Any], str, str, str]] = [
        ({"percent": 201}, "percent", "INVALID_PERCENT", "The percentage must be between -50 and +200."),
        ({"percent": -50.01}, "percent", "INVALID_PERCENT", "The percentage must be between -50 and +200."),
        ({"percent": "1e999999"}, "percent", "INVALID_PERCENT", "The percentage must be between -50 and +200."),
        ({"percent": 1.234}, "percent", "INVALID_PERCENT", "The percentage can have at most 2 decimals."),
        (
            {"percent": 5, "roundTo": 0},
            "roundTo",
            "INVALID_ROUNDING",
            "Prices can be rounded to a step from 0.01 to 100.00.",
        ),
        (
            {"percent": 5, "roundTo": 100.01},
            "roundTo",
            "INVALID_ROUNDING",
            "Prices can be rounded to a step from 0.01 to 100.00.",
        ),
        (
            {"percent": 5, "roundTo": 0.125},
            "roundTo",
            "INVALID_ROUNDING",
            "The rounding step can have at most 2 decimals.",
        ),
        (
            {"percent": 100},
            "percent",
            "PRICE_TOO_HIGH",
            "The price of Dear would become 120,000.00, above the maximum of 100,000.00.",
        ),
        (
            {"percent": -30},
            "percent",
            "INVALID_PRICE_MODIFIER",
            "Small (Size) would take the price of Small plate below zero; change that option's price first.",
        ),
    ]
    for payload, key, code, message in cases:
        response = await reprice(client, category, admin, **payload)
        assert response.status_code == 400, (payload, response.text)
        assert response.json() == {
            "success": False,
            "error": message,
            "code": code,
            "details": [{"key": key, "message": message}],
        }, payload
    with_modifiers = await reprice(client, category, admin, percent=-30, includeModifiers=True, roundTo=0.5)
    assert with_modifiers.status_code == 200, with_modifiers.text  # 1.40 with -1.05 -> 1.50 with -1.00: fine
    assert await prices(services) != before
    missing = await reprice(client, "nope", admin, percent=5)
    assert (missing.status_code, missing.json()["error"]) == (404, "Category not found")
    unknown_field = await reprice(client, category, admin, percent=5, everything=True)
    assert unknown_field.status_code == 400


async def test_reprice_refused_leaves_every_item_as_it_was(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    category = await make_category(services, "Mains")
    await make_item(services, category, "A first", price=Decimal("10.00"))  # repriced before the refusal is found
    await make_item(services, category, "Z dear", price=Decimal("99999.99"))
    before = await prices(services)
    response = await reprice(client, category, admin, percent=1)
    assert (response.status_code, response.json()["code"]) == (400, "PRICE_TOO_HIGH")
    assert await prices(services) == before
