"""The menu against real orders: stock taken and given back shows at once, and past orders survive menu edits."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.locations.builders import make_location
from tests.menu.builders import make_category, make_item, size_option

Client = AsyncTestClient[Litestar]
GUEST = {"guestName": "Ann Lee", "guestEmail": "ann@example.com", "guestPhone": "+1 555 0100"}


async def shown(client: Client, name: str) -> dict[str, Any]:
    categories = (await client.get("/api/menu")).json()["data"]["categories"]
    return next(item for category in categories for item in category["items"] if item["name"] == name)


async def test_storefront_menu_follows_stock_taken_and_returned_by_orders(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    await make_location(services)
    item = await make_item(services, await make_category(services), "Pie", track_stock=True, stock_qty=2)
    assert (await shown(client, "Pie"))["stockQty"] == 2  # now cached
    placed = await client.post(
        "/api/orders", json={"orderType": "PICKUP", "items": [{"menuItemId": item.id, "quantity": 2}], **GUEST}
    )
    assert placed.status_code == 201, placed.text
    sold_out = await shown(client, "Pie")
    assert (sold_out["stockQty"], sold_out["isAvailable"], sold_out["unavailableReason"]) == (0, False, "OUT_OF_STOCK")
    order_id = placed.json()["data"]["id"]
    cancelled = await client.patch(f"/api/orders/{order_id}/status", json={"status": "CANCELLED"}, headers=admin)
    assert cancelled.status_code == 200, cancelled.text
    back = await shown(client, "Pie")
    assert (back["stockQty"], back["isAvailable"]) == (2, True)


async def test_ordered_item_survives_option_edits_and_cannot_be_deleted(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)
    item = await make_item(services, await make_category(services), "Pizza", options=[size_option()])
    large = next(v for v in (await shown(client, "Pizza"))["options"][0]["values"] if v["name"] == "Large")
    placed = await client.post(
        "/api/orders",
        json={
            "orderType": "PICKUP",
            "items": [{"menuItemId": item.id, "quantity": 1, "options": [{"menuOptionValueId": large["id"]}]}],
            **GUEST,
        },
    )
    assert placed.status_code == 201, placed.text
    edited = await client.patch(
        f"/api/menu/items/{item.id}",
        json={"price": 20, "options": [{"name": "Crust", "values": [{"name": "Thin"}, {"name": "Thick"}]}]},
        headers=admin,
    )
    assert edited.status_code == 200, edited.text
    assert [o["name"] for o in (await shown(client, "Pizza"))["options"]] == ["Crust"]
    order = (await client.get(f"/api/orders/{placed.json()['data']['id']}", headers=admin)).json()["data"]
    line = order["items"][0]
    assert (line["unitPrice"], line["options"][0]["value"], line["options"][0]["priceModifier"]) == (12.5, "Large", 2.5)
    refused = await client.delete(f"/api/menu/items/{item.id}", headers=admin)
    assert refused.status_code == 409
    assert (await client.delete(f"/api/locations/{location_id}", headers=admin)).status_code == 409
    retired_choice = await client.post(
        "/api/orders",
        json={
            "orderType": "PICKUP",
            "items": [{"menuItemId": item.id, "quantity": 1, "options": [{"menuOptionValueId": large["id"]}]}],
            **GUEST,
        },
    )
    assert retired_choice.status_code == 400
