"""Who may read which order: staff lists and filters, customers' own orders, the tracking link, the kitchen board."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from kitchenasty.core.errors import Forbidden, NotFound
from kitchenasty.core.security import Principal
from kitchenasty.orders.models import Order
from kitchenasty.orders.schemas import OrderIn
from kitchenasty.services import Services
from tests.factories import bearer, customer_headers, make_customer, staff_headers
from tests.orders.fixtures import burger_line, guest_order, make_location, make_menu


async def place(client: AsyncTestClient[Litestar], body: dict, headers: dict[str, str] | None = None) -> dict:
    response = await client.post("/api/orders", json=body, headers=headers or {})
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_read_order_by_staff_owner_or_tracking_token(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    owner = await make_customer(services)
    owner_headers = bearer(services.auth.issue("customer", owner))
    order = await place(client, {"orderType": "PICKUP", "items": [burger_line(menu)]}, owner_headers)
    path = f"/api/orders/{order['id']}"
    assert (await client.get(path, headers=await staff_headers(services))).json()["data"] == order
    assert (await client.get(path, headers=owner_headers)).json()["data"] == order
    assert (await client.get(f"{path}?t={order['trackingToken']}")).json()["data"] == order
    other = await client.get(path, headers=await customer_headers(services))
    assert (other.status_code, other.json()["error"]) == (403, "Access denied")
    wrong_token = await client.get(f"{path}?t=not-the-token")
    assert (wrong_token.status_code, wrong_token.json()["error"]) == (404, "Order not found")
    assert (await client.get(path)).status_code == 404
    missing = await client.get("/api/orders/no-such-order", headers=await staff_headers(services))
    assert (missing.status_code, missing.json()["code"]) == (404, "ORDER_NOT_FOUND")


async def test_read_guest_tracks_the_order_with_its_token(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    order = await place(client, guest_order(menu))
    tracked = await client.get(f"/api/orders/{order['id']}", params={"t": order["trackingToken"]})
    assert tracked.status_code == 200
    assert tracked.json()["data"]["guestName"] == "Ada Lovelace"


async def test_read_get_for_viewer_raises_domain_errors(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    order, _ = await services.orders.place(msgspec.convert(guest_order(menu), OrderIn), None)
    staff = Principal(id="s1", email="s@example.com", type="staff", role="STAFF")
    stranger = Principal(id="c1", email="c@example.com", type="customer")
    assert (await services.orders.get_for_viewer(order.id, staff, None)).id == order.id
    assert (await services.orders.get_for_viewer(order.id, None, order.tracking_token)).id == order.id
    assert (await services.orders.get_for_viewer(order.id, stranger, order.tracking_token)).id == order.id
    with pytest.raises(Forbidden):
        await services.orders.get_for_viewer(order.id, stranger, None)
    with pytest.raises(NotFound):
        await services.orders.get_for_viewer(order.id, None, "wrong")
    with pytest.raises(NotFound):
        await services.orders.get_for_viewer(order.id, None, None)
    with pytest.raises(NotFound):
        await services.orders.get_for_viewer("nope", staff, None)


async def test_read_my_orders_lists_only_the_customers_own(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    me, someone = await make_customer(services), await make_customer(services)
    mine = bearer(services.auth.issue("customer", me))
    first = await place(client, {"orderType": "PICKUP", "items": [burger_line(menu)]}, mine)
    await place(
        client, {"orderType": "PICKUP", "items": [burger_line(menu)]}, bearer(services.auth.issue("customer", someone))
    )
    await place(client, guest_order(menu, guestEmail=me.email))
    second = await place(client, {"orderType": "PICKUP", "items": [burger_line(menu, size="large")]}, mine)
    listed = await client.get("/api/orders/my-orders", headers=mine)
    assert listed.status_code == 200
    assert [o["id"] for o in listed.json()["data"]] == [second["id"], first["id"]]
    assert listed.json()["pagination"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}
    paged = await client.get("/api/orders/my-orders?page=2&limit=1", headers=mine)
    assert [o["id"] for o in paged.json()["data"]] == [first["id"]]
    staff = await client.get("/api/orders/my-orders", headers=await staff_headers(services))
    assert staff.status_code == 403


async def test_read_staff_list_filters(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    other_location, _ = await make_location(services, name="Second Site")
    pickup = await place(client, guest_order(menu, locationId=menu.location_id))
    delivery = await place(
        client,
        guest_order(
            menu,
            locationId=menu.location_id,
            orderType="DELIVERY",
            address={"line1": "2 Dock Road", "city": "Portsmouth"},
        ),
    )
    elsewhere = await place(client, guest_order(menu, locationId=other_location))
    headers = await staff_headers(services)
    await client.patch(f"/api/orders/{delivery['id']}/status", json={"status": "CONFIRMED"}, headers=headers)
    async with services.db.transaction() as session:  # the pickup order was placed three days ago
        await session.execute(
            update(Order).where(Order.id == pickup["id"]).values(created_at=datetime.now(UTC) - timedelta(days=3))
        )

    async def ids(query: str) -> list[str]:
        response = await client.get(f"/api/orders{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()["data"]]

    assert await ids("") == [elsewhere["id"], delivery["id"], pickup["id"]]
    assert await ids("?status=PENDING") == [elsewhere["id"], pickup["id"]]
    assert await ids("?status=confirmed,READY") == [delivery["id"]]
    assert await ids("?orderType=DELIVERY") == [delivery["id"]]
    assert await ids(f"?locationId={other_location}") == [elsewhere["id"]]
    today = datetime.now(UTC).date()
    assert await ids(f"?from={today.isoformat()}") == [elsewhere["id"], delivery["id"]]
    assert await ids(f"?to={(today - timedelta(days=1)).isoformat()}") == [pickup["id"]]
    assert await ids(
        f"?from={(today - timedelta(days=3)).isoformat()}&to={(today - timedelta(days=3)).isoformat()}"
    ) == [pickup["id"]]
    assert await ids(f"?search={delivery['orderNumber'][-3:]}") == [delivery["id"]]
    assert await ids(f"?search={delivery['orderNumber'].lower()}") == [delivery["id"]]
    paged = await client.get("/api/orders?limit=2&page=2", headers=headers)
    assert paged.json()["pagination"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}
    bad = await client.get("/api/orders?status=PENDING,LOST", headers=headers)
    assert (bad.status_code, bad.json()["code"]) == (400, "INVALID_STATUS")
    assert (await client.get("/api/orders?from=yesterday", headers=headers)).status_code == 400
    assert (await client.get("/api/orders?orderType=CATERING", headers=headers)).status_code == 400
    assert (await client.get("/api/orders", headers=await customer_headers(services))).status_code == 403


async def test_read_kitchen_snapshot_holds_active_kitchen_orders_oldest_first(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    headers = await staff_headers(services)
    placed = [await place(client, guest_order(menu)) for _ in range(5)]
    moves = {
        1: ["CONFIRMED", "PREPARING", "READY"],
        2: ["CONFIRMED", "PREPARING", "READY", "PICKED_UP"],
        3: ["CANCELLED"],
    }
    for index, statuses in moves.items():
        for status in statuses:
            response = await client.patch(
                f"/api/orders/{placed[index]['id']}/status", json={"status": status}, headers=headers
            )
            assert response.status_code == 200
    board = await services.orders.kitchen_snapshot()
    assert [o.id for o in board] == [placed[0]["id"], placed[1]["id"], placed[4]["id"]]
    assert [o.status for o in board] == ["PENDING", "READY", "PENDING"]
    assert board[0].items[0].options[0].value == "Regular"
