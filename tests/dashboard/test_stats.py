"""`GET /api/dashboard/stats`: the original's metrics and ours, from the rollups, in the restaurant's days."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core.outbox import OutboxMessage, message_row
from kitchenasty.services import Services
from tests.factories import staff_headers
from tests.orders.fixtures import burger_line, guest_order, make_menu


async def test_stats_count_orders_revenue_types_statuses_hours_and_top_items(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services, soda_stock=3)
    staff = await staff_headers(services, "MANAGER")
    bodies = [
        guest_order(menu, items=[burger_line(menu, quantity=2)]),  # 20.00
        guest_order(menu, items=[burger_line(menu, size="large")]),  # 12.50
        guest_order(menu, items=[{"menuItemId": menu.soda, "quantity": 2}], orderType="DINE_IN", tableId=menu.table_id),
    ]
    ids = []
    for body in bodies:
        response = await client.post("/api/orders", json=body)
        assert response.status_code == 201, response.text
        ids.append(response.json()["data"]["id"])
    cancelled = await client.patch(f"/api/orders/{ids[1]}/status", headers=staff, json={"status": "CANCELLED"})
    assert cancelled.status_code == 200
    confirmed = await client.patch(f"/api/orders/{ids[0]}/status", headers=staff, json={"status": "CONFIRMED"})
    assert confirmed.status_code == 200

    response = await client.get("/api/dashboard/stats", headers=staff)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    metrics = data["metrics"]
    assert (metrics["ordersToday"], metrics["revenueToday"]) == (3, 24.0)  # 20.00 + 4.00; cancelled 12.50 excluded
    assert (metrics["totalOrders"], metrics["totalRevenue"]) == (3, 24.0)
    today = data["periods"]["today"]
    assert today["cancelled"] == 1
    assert today["averageOrder"] == 12.0
    assert today["byStatus"] == {"CANCELLED": 1, "CONFIRMED": 1, "PENDING": 1}
    assert today["byType"] == {"DINE_IN": {"orders": 1, "revenue": 4.0}, "PICKUP": {"orders": 2, "revenue": 20.0}}
    assert sum(today["revenueByHour"]) == 24.0 and len(today["revenueByHour"]) == 24
    top = {t["name"]: t["totalQuantity"] for t in data["topItems"]}
    assert top == {"Burger": 3, "Soda": 2}
    assert [o["id"] for o in data["recentOrders"]] == list(reversed(ids))
    assert data["lowStock"] == [{"id": menu.soda, "name": "Soda", "stockQty": 1}]
    assert data["periods"]["last30Days"]["orders"] == 3


async def test_a_failed_delivery_shows_until_someone_looks(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    row = message_row(channel="email", source="test", recipient="x@example.com", subject="s", body="b")
    async with services.db.transaction() as session:
        session.add(OutboxMessage(**row, status="FAILED"))
    manager = await staff_headers(services, "MANAGER")
    assert (await client.get("/api/dashboard/stats", headers=manager)).json()["data"]["failedDeliveries"] == 1
    seen = await client.post("/api/automation/deliveries/failures/seen", headers=manager)
    assert seen.json()["data"] == {"count": 1}
    assert (await client.get("/api/dashboard/stats", headers=manager)).json()["data"]["failedDeliveries"] == 0
