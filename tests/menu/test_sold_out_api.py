"""One tap: `POST /api/menu/items/{id}/sold-out` and `.../available`. The storefront and order placement follow at
once; a stock-tracked item cannot come back without stock."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from kitchenasty.menu.models import MenuItem
from kitchenasty.orders.models import Order
from kitchenasty.services import Services
from tests.locations.builders import make_location
from tests.menu.builders import make_category, make_item

Client = AsyncTestClient[Litestar]
GUEST = {"guestName": "Ann Lee", "guestEmail": "ann@example.com", "guestPhone": "+1 555 0100"}


async def shown(client: Client, name: str) -> dict[str, Any]:
    categories = (await client.get("/api/menu")).json()["data"]["categories"]
    return next(item for category in categories for item in category["items"] if item["name"] == name)


async def order(client: Client, item_id: str, quantity: int = 1) -> Any:
    return await client.post(
        "/api/orders",
        json={"orderType": "PICKUP", "items": [{"menuItemId": item_id, "quantity": quantity}], **GUEST},
    )


async def order_count(services: Services) -> int:
    async with services.db.session() as session:
        return await session.scalar(select(func.count()).select_from(Order)) or 0


async def flag(services: Services, item_id: str) -> bool:
    async with services.db.session() as session:
        item = await session.get(MenuItem, item_id)
    assert item is not None
    return item.is_sold_out


async def test_sold_out_flips_the_storefront_at_once_and_back(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    await make_location(services)
    item = await make_item(services, await make_category(services, "Pizza"), "Margherita")
    assert (await shown(client, "Margherita"))["isAvailable"] is True  # the storefront menu is now cached
    response = await client.post(f"/api/menu/items/{item.id}/sold-out", headers=manager)
    assert response.status_code == 200, response.text
    row = response.json()["data"]
    assert (row["id"], row["isSoldOut"], row["availability"], row["category"]["name"]) == (
        item.id,
        True,
        "SOLD_OUT",
        "Pizza",
    )
    sold_out = await shown(client, "Margherita")
    assert (sold_out["isAvailable"], sold_out["unavailableReason"], sold_out["availabilityNote"]) == (
        False,
        "SOLD_OUT",
        "Sold out",
    )
    again = await client.post(f"/api/menu/items/{item.id}/sold-out", headers=manager)  # a second tap changes nothing
    assert (again.status_code, again.json()["data"]["isSoldOut"]) == (200, True)
    back = await client.post(f"/api/menu/items/{item.id}/available", headers=manager)
    assert back.status_code == 200, back.text
    assert (back.json()["data"]["isSoldOut"], back.json()["data"]["availability"]) == (False, "AVAILABLE")
    available = await shown(client, "Margherita")
    assert (available["isAvailable"], available["unavailableReason"], available["availabilityNote"]) == (
        True,
        None,
        None,
    )
    assert (await client.get(f"/api/menu/items/{item.id}")).json()["data"]["isSoldOut"] is False


async def test_sold_out_item_cannot_be_ordered_until_it_is_back(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    await make_location(services)
    item = await make_item(services, await make_category(services), "Lasagne")
    assert (await order(client, item.id)).status_code == 201  # the orders' catalog now holds the item
    await client.post(f"/api/menu/items/{item.id}/sold-out", headers=manager)
    before = await order_count(services)
    refused = await order(client, item.id)
    assert refused.status_code == 400, refused.text
    assert (refused.json()["code"], refused.json()["error"]) == ("ITEM_SOLD_OUT", "Lasagne is sold out")
    assert await order_count(services) == before
    await client.post(f"/api/menu/items/{item.id}/available", headers=manager)
    assert (await order(client, item.id)).status_code == 201


async def test_sold_out_tracked_item_keeps_its_stock_for_when_it_is_back(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    await make_location(services)
    item = await make_item(services, await make_category(services), "Tiramisu", track_stock=True, stock_qty=3)
    await client.post(f"/api/menu/items/{item.id}/sold-out", headers=manager)
    refused = await order(client, item.id)
    assert (refused.status_code, refused.json()["code"]) == (400, "ITEM_SOLD_OUT")
    shown_sold_out = await shown(client, "Tiramisu")
    assert (shown_sold_out["unavailableReason"], shown_sold_out["stockQty"]) == ("SOLD_OUT", 3)
    await client.post(f"/api/menu/items/{item.id}/available", headers=manager)
    placed = await order(client, item.id, quantity=2)
    assert placed.status_code == 201, placed.text
    assert (await client.get(f"/api/menu/items/{item.id}")).json()["data"]["stockQty"] == 1


async def test_available_refused_for_a_tracked_item_without_stock(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    item = await make_item(services, await make_category(services), "Soup", track_stock=True, stock_qty=0)
    await client.post(f"/api/menu/items/{item.id}/sold-out", headers=manager)
    refused = await client.post(f"/api/menu/items/{item.id}/available", headers=manager)
    assert refused.status_code == 400
    message = "Soup tracks its stock and none is left; enter how many are in stock to sell it again."
    assert refused.json() == {
        "success": False,
        "error": message,
        "code": "NO_STOCK",
        "details": [{"key": "stockQty", "message": message}],
    }
    assert await flag(services, item.id) is True  # nothing written
    await client.patch(f"/api/menu/items/{item.id}", json={"stockQty": 5}, headers=manager)
    row = (await client.get("/api/menu/items", params={"search": "Soup"})).json()["data"][0]
    assert (row["isSoldOut"], row["availability"]) == (True, "SOLD_OUT")  # stock alone does not clear the flag
    back = await client.post(f"/api/menu/items/{item.id}/available", headers=manager)
    assert (back.status_code, back.json()["data"]["availability"]) == (200, "AVAILABLE")


async def test_sold_out_unknown_item_is_404(client: Client, manager: dict[str, str]) -> None:
    for action in ("sold-out", "available"):
        response = await client.post(f"/api/menu/items/nope/{action}", headers=manager)
        assert response.status_code == 404
        assert (response.json()["code"], response.json()["error"]) == ("MENU_ITEM_NOT_FOUND", "Menu item not found")
