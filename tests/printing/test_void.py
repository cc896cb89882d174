"""`POST /api/orders/{id}/items/{itemId}/void`: one line off an order, in one transaction (totals with the pricing
rules of placement, stock back, rollups moved, audit row), refused when the order is finished or for its last
line."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.core.audit import AuditEntry
from kitchenasty.menu.models import MenuItem
from kitchenasty.orders.models import ItemRollup, OrderItem
from kitchenasty.services import Services
from tests.factories import staff_headers
from tests.orders.fixtures import make_menu, set_settings
from tests.printing.helpers import burger, place, plain

Client = AsyncTestClient[Litestar]


async def _void(client: Client, headers: dict[str, str], order_id: str, item_id: str, reason: str = "Ran out"):  # type: ignore[no-untyped-def]
    return await client.post(f"/api/orders/{order_id}/items/{item_id}/void", headers=headers, json={"reason": reason})


async def test_void_recomputes_totals_gives_stock_back_and_is_audited(client: Client, services: Services) -> None:
    await set_settings(services, "orders", taxRate="10")
    menu = await make_menu(services, soda_stock=10)
    order = await place(client, menu, [burger(menu), plain(menu.soda, 3)])
    assert order["subtotal"] == 13.5 + 6.0
    soda = next(i for i in order["items"] if i["name"] == "Soda")
    staff = await staff_headers(services)
    response = await _void(client, staff, order["id"], soda["id"])
    assert response.status_code == 200, response.text
    body = response.json()["data"]
    assert body["subtotal"] == 13.5
    assert body["tax"] == 1.35
    assert body["total"] == 14.85
    assert [(i["name"], i["voided"]) for i in body["items"]] == [("Burger", False), ("Soda", True)]
    read = (await client.get(f"/api/orders/{order['id']}", headers=staff)).json()["data"]
    assert read["total"] == 14.85
    async with services.db.session() as session:
        stock = (await session.get(MenuItem, menu.soda)).stock_qty  # type: ignore[union-attr]
        row = await session.get(OrderItem, soda["id"])
        rollup = (await session.scalars(select(ItemRollup).where(ItemRollup.menu_item_id == menu.soda))).one()
        entries = (await session.scalars(select(AuditEntry).where(AuditEntry.entity == "order_item"))).all()
    assert stock == 10
    assert row is not None and row.void_reason == "Ran out" and row.stock_taken == 0
    assert (rollup.quantity, rollup.subtotal_cents) == (0, 0)
    assert [e.entity_id for e in entries] == [soda["id"]]

    again = await _void(client, staff, order["id"], soda["id"])
    assert again.status_code == 409
    assert again.json()["code"] == "ITEM_ALREADY_VOIDED"
    # Cancelling afterwards gives back only what the order still holds (the soda's stock came back once).
    manager = await staff_headers(services, "MANAGER")
    await client.patch(f"/api/orders/{order['id']}/status", headers=manager, json={"status": "CANCELLED"})
    async with services.db.session() as session:
        assert (await session.get(MenuItem, menu.soda)).stock_qty == 10  # type: ignore[union-attr]


async def test_void_refusals(client: Client, services: Services) -> None:
    menu = await make_menu(services)
    staff = await staff_headers(services)
    single = await place(client, menu, [plain(menu.fries)])
    last = await _void(client, staff, single["id"], single["items"][0]["id"])
    assert last.status_code == 409
    assert last.json()["code"] == "LAST_ITEM"
    assert "cancel the order" in last.json()["error"]

    order = await place(client, menu, [plain(menu.fries), plain(menu.soda)])
    blank = await _void(client, staff, order["id"], order["items"][0]["id"], reason="   ")
    assert blank.status_code == 400
    missing = await _void(client, staff, order["id"], "nope")
    assert missing.status_code == 404
    no_order = await _void(client, staff, "nope", order["items"][0]["id"])
    assert no_order.status_code == 404
    for status in ("CONFIRMED", "PREPARING", "READY", "PICKED_UP"):
        moved = await client.patch(f"/api/orders/{order['id']}/status", headers=staff, json={"status": status})
        assert moved.status_code == 200, moved.text
    closed = await _void(client, staff, order["id"], order["items"][0]["id"])
    assert closed.status_code == 409
    assert closed.json()["code"] == "ORDER_CLOSED"
    anonymous = await client.post(
        f"/api/orders/{order['id']}/items/{order['items'][0]['id']}/void", json={"reason": "x"}
    )
    assert anonymous.status_code == 401
