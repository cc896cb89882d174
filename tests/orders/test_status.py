"""Status changes: staff follow the transition table, customers may cancel while PENDING, cancellation gives the
stock and the coupon use back, every change is recorded and published."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from kitchenasty.core.events import DomainEvent, EventRecord
from kitchenasty.coupons.models import Coupon, CouponRedemption
from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.menu.models import MenuItem
from kitchenasty.orders.events import OrderStatusChanged
from kitchenasty.orders.models import OrderStatusChange
from kitchenasty.services import Services
from tests.factories import bearer, make_customer, staff_headers
from tests.orders.fixtures import burger_line, guest_order, make_menu, stock_of


async def place(client: AsyncTestClient[Litestar], body: dict[str, Any], headers: dict[str, str] | None = None) -> dict:
    response = await client.post("/api/orders", json=body, headers=headers or {})
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def set_status(
    client: AsyncTestClient[Litestar], order_id: str, status: str, headers: dict[str, str]
) -> tuple[int, dict]:
    response = await client.patch(f"/api/orders/{order_id}/status", json={"status": status}, headers=headers)
    return response.status_code, response.json()


async def test_status_staff_walks_a_pickup_order_to_the_end(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    order = await place(client, guest_order(menu))
    headers = await staff_headers(services, "STAFF")
    seen: list[DomainEvent] = []
    services.bus.subscribe(OrderStatusChanged, seen.append)
    for status, following in (
        ("CONFIRMED", "PREPARING"),
        ("PREPARING", "READY"),
        ("READY", "PICKED_UP"),
        ("PICKED_UP", None),
    ):
        code, body = await set_status(client, order["id"], status, headers)
        assert code == 200, body
        assert (body["data"]["status"], body["data"]["nextStatus"]) == (status, following)
    assert [e.payload()["previousStatus"] for e in seen] == ["PENDING", "CONFIRMED", "PREPARING", "READY"]
    assert [e.payload()["order"]["status"] for e in seen] == ["CONFIRMED", "PREPARING", "READY", "PICKED_UP"]
    assert seen[-1].payload()["order"]["items"] == order["items"]
    async with services.db.session() as session:
        history = (
            await session.scalars(
                select(OrderStatusChange)
                .where(OrderStatusChange.order_id == order["id"])
                .order_by(OrderStatusChange.created_at)
            )
        ).all()
        recorded = (await session.scalars(select(EventRecord.name).order_by(EventRecord.created_at))).all()
    assert [(h.from_status, h.to_status) for h in history] == [
        (None, "PENDING"),
        ("PENDING", "CONFIRMED"),
        ("CONFIRMED", "PREPARING"),
        ("PREPARING", "READY"),
        ("READY", "PICKED_UP"),
    ]
    assert history[-1].actor_type == "staff"
    assert recorded.count("order.statusChanged") == 4


async def test_status_refuses_moves_outside_the_table(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    order = await place(client, guest_order(menu))
    headers = await staff_headers(services, "MANAGER")
    code, body = await set_status(client, order["id"], "READY", headers)
    assert (code, body["code"], body["error"]) == (
        400,
        "INVALID_TRANSITION",
        "Cannot change the order's status from PENDING to READY",
    )
    code, body = await set_status(client, order["id"], "OUT_FOR_DELIVERY", headers)  # a pickup order
    assert code == 400
    code, body = await set_status(client, order["id"], "PENDING", headers)
    assert code == 400
    code, body = await set_status(client, order["id"], "LOST", headers)
    assert (code, body["code"]) == (400, "VALIDATION_ERROR")
    assert (await set_status(client, order["id"], "CANCELLED", headers))[0] == 200
    code, body = await set_status(client, order["id"], "CONFIRMED", headers)
    assert (code, body["error"]) == (400, "Cannot change the order's status from CANCELLED to CONFIRMED")
    async with services.db.session() as session:
        assert len((await session.scalars(select(OrderStatusChange))).all()) == 2


async def test_status_delivery_order_goes_out_for_delivery(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    order = await place(
        client, guest_order(menu, orderType="DELIVERY", address={"line1": "2 Dock Road", "city": "Portsmouth"})
    )
    headers = await staff_headers(services)
    for status in ("CONFIRMED", "PREPARING", "READY"):
        assert (await set_status(client, order["id"], status, headers))[0] == 200
    assert (await set_status(client, order["id"], "PICKED_UP", headers))[0] == 400
    code, body = await set_status(client, order["id"], "OUT_FOR_DELIVERY", headers)
    assert (code, body["data"]["nextStatus"]) == (200, "DELIVERED")
    assert (await set_status(client, order["id"], "DELIVERED", headers))[0] == 200


async def test_status_cancellation_gives_back_stock_and_coupon_use(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    await services.coupons.create(CouponIn(code="ONCE", type="FIXED", value=Decimal(1), usage_limit=1, per_customer=1))
    body = guest_order(menu, items=[{"menuItemId": menu.soda, "quantity": 4}, burger_line(menu)], couponCode="ONCE")
    order = await place(client, body)
    assert await stock_of(services, menu.soda) == 6
    second = await client.post("/api/orders", json=body)
    assert second.json()["code"] == "COUPON_EXHAUSTED"
    headers = await staff_headers(services)
    assert (await set_status(client, order["id"], "CONFIRMED", headers))[0] == 200
    assert (await set_status(client, order["id"], "CANCELLED", headers))[0] == 200
    assert await stock_of(services, menu.soda) == 10
    async with services.db.session() as session:
        coupon = await session.scalar(select(Coupon))
        assert coupon is not None and coupon.usage_count == 0
        assert (await session.scalars(select(CouponRedemption))).all() == []
    again = await client.post("/api/orders", json=body)  # the use is free again, for the same guest too
    assert again.status_code == 201
    assert await stock_of(services, menu.soda) == 6


async def test_status_cancellation_gives_back_only_the_stock_it_took(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    order = await place(client, guest_order(menu, items=[{"menuItemId": menu.fries, "quantity": 3}]))
    async with services.db.transaction() as session:  # stock tracking switched on after the order
        await session.execute(update(MenuItem).where(MenuItem.id == menu.fries).values(track_stock=True, stock_qty=5))
    assert (await set_status(client, order["id"], "CANCELLED", await staff_headers(services)))[0] == 200
    assert await stock_of(services, menu.fries) == 5


async def test_status_customer_cancels_own_pending_order(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    customer = await make_customer(services)
    mine = bearer(services.auth.issue("customer", customer))
    order = await place(client, {"orderType": "PICKUP", "items": [{"menuItemId": menu.soda, "quantity": 2}]}, mine)
    code, body = await set_status(client, order["id"], "CONFIRMED", mine)
    assert (code, body["code"]) == (403, "CUSTOMER_CANCEL_ONLY")
    code, body = await set_status(client, order["id"], "CANCELLED", mine)
    assert (code, body["data"]["status"], body["data"]["nextStatus"]) == (200, "CANCELLED", None)
    assert await stock_of(services, menu.soda) == 10
    async with services.db.session() as session:
        last = await session.scalar(select(OrderStatusChange).where(OrderStatusChange.to_status == "CANCELLED"))
        assert last is not None and (last.actor_type, last.actor_id) == ("customer", customer.id)


async def test_status_customer_cannot_cancel_once_confirmed(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    customer = await make_customer(services)
    mine = bearer(services.auth.issue("customer", customer))
    order = await place(client, {"orderType": "PICKUP", "items": [burger_line(menu)]}, mine)
    assert (await set_status(client, order["id"], "CONFIRMED", await staff_headers(services)))[0] == 200
    code, body = await set_status(client, order["id"], "CANCELLED", mine)
    assert (code, body["code"]) == (400, "INVALID_TRANSITION")
    assert "CONFIRMED to CANCELLED" in body["error"]


async def test_status_customer_cannot_touch_another_customers_order(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    owner, other = await make_customer(services), await make_customer(services)
    order = await place(
        client, {"orderType": "PICKUP", "items": [burger_line(menu)]}, bearer(services.auth.issue("customer", owner))
    )
    code, body = await set_status(client, order["id"], "CANCELLED", bearer(services.auth.issue("customer", other)))
    assert (code, body["error"]) == (403, "Access denied")
    guest_order_ = await place(client, guest_order(menu))
    code, _ = await set_status(client, guest_order_["id"], "CANCELLED", bearer(services.auth.issue("customer", other)))
    assert code == 403
    code, body = await set_status(client, "no-such-order", "CANCELLED", await staff_headers(services))
    assert (code, body["error"]) == (404, "Order not found")
    anonymous = await client.patch(f"/api/orders/{order['id']}/status", json={"status": "CANCELLED"})
    assert anonymous.status_code == 401


async def test_a_status_change_answers_and_publishes_the_order_exactly_as_it_reads_afterwards(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    """The answer and the event are built from the order read before the move (not read again): they must equal
    what a fresh read of the order gives, field by field (status, next step, updated time, items, totals)."""
    menu = await make_menu(services)
    order = await place(client, guest_order(menu))
    headers = await staff_headers(services, "MANAGER")
    seen: list[DomainEvent] = []
    services.bus.subscribe(OrderStatusChanged, seen.append)
    for status in ("CONFIRMED", "CANCELLED"):
        code, body = await set_status(client, order["id"], status, headers)
        assert code == 200, body
        fresh = await client.get(f"/api/orders/{order['id']}", headers=headers)
        assert fresh.status_code == 200, fresh.text
        assert body["data"] == fresh.json()["data"]
        assert seen[-1].payload()["order"] == fresh.json()["data"]
    assert body["data"]["updatedAt"] > order["updatedAt"]
