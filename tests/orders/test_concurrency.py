"""Concurrent placement on the real SQLite file: unique order numbers, stock never oversold, never "locked"."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.orders.models import Order
from kitchenasty.services import Services
from tests.factories import staff_headers
from tests.orders.fixtures import counts, guest_order, make_menu, stock_of
from tests.servers import serve


def assert_never_locked(responses: list[httpx.Response]) -> None:
    for response in responses:
        assert response.status_code < 500, response.text
        assert "locked" not in response.text.lower()


async def test_concurrency_50_guest_orders_get_unique_numbers(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    bodies = [guest_order(menu, guestName=f"Guest {n}", guestEmail=f"guest{n}@example.com") for n in range(50)]
    responses = await asyncio.gather(*(client.post("/api/orders", json=body) for body in bodies))
    assert_never_locked(responses)
    assert [r.status_code for r in responses] == [201] * 50
    numbers = [r.json()["data"]["orderNumber"] for r in responses]
    assert len(set(numbers)) == 50
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 51))
    assert len({r.json()["data"]["trackingToken"] for r in responses}) == 50
    async with services.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Order)) == 50


async def test_concurrency_stock_of_10_sells_exactly_10(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services, soda_stock=10)
    body = guest_order(menu, items=[{"menuItemId": menu.soda, "quantity": 1}])
    responses = await asyncio.gather(*(client.post("/api/orders", json=body) for _ in range(20)))
    assert_never_locked(responses)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 10 + [400] * 10
    assert {r.json()["code"] for r in responses if r.status_code == 400} == {"ITEM_SOLD_OUT"}
    assert await stock_of(services, menu.soda) == 0
    assert (await counts(services)).orders == 10


async def test_concurrency_coupon_limit_holds(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    await services.coupons.create(
        CouponIn(code="FIRST5", type="PERCENTAGE", value=10, usage_limit=5, per_customer=None)
    )
    bodies = [guest_order(menu, guestEmail=f"g{n}@example.com", couponCode="FIRST5") for n in range(12)]
    responses = await asyncio.gather(*(client.post("/api/orders", json=body) for body in bodies))
    assert_never_locked(responses)
    assert sorted(r.status_code for r in responses) == [201] * 5 + [400] * 7
    after = await counts(services)
    assert (after.orders, after.coupon_redemptions, after.coupon_uses) == (5, 5, 5)


@pytest.mark.slow
async def test_concurrency_real_server_mixed_load_never_locks(app: Litestar, services: Services) -> None:
    """Placements, quotes, staff lists and status changes at once over real sockets (uvicorn)."""
    with serve(app) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
            menu = await make_menu(services, soda_stock=30)
            headers = await staff_headers(services)
            seed = [(await http.post("/api/orders", json=guest_order(menu))).json()["data"]["id"] for _ in range(10)]
            soda = guest_order(menu, items=[{"menuItemId": menu.soda, "quantity": 1}])
            jobs = [http.post("/api/orders", json=guest_order(menu, guestName=f"G{n}")) for n in range(40)]
            jobs += [http.post("/api/orders", json=soda) for _ in range(40)]
            jobs += [http.post("/api/orders/quote", json=guest_order(menu)) for _ in range(20)]
            jobs += [http.get("/api/orders?limit=50", headers=headers) for _ in range(10)]
            jobs += [
                http.patch(f"/api/orders/{order_id}/status", json={"status": "CONFIRMED"}, headers=headers)
                for order_id in seed
            ]
            responses = await asyncio.gather(*jobs)
            stock_left = await stock_of(services, menu.soda)
            orders = (await counts(services)).orders
    assert_never_locked(responses)
    placed, sodas = responses[:40], responses[40:80]
    assert all(r.status_code == 201 for r in placed)
    assert sorted(r.status_code for r in sodas) == [201] * 30 + [400] * 10
    assert all(r.status_code == 200 for r in responses[80:])
    assert stock_left == 0
    numbers = [r.json()["data"]["orderNumber"] for r in responses[:80] if r.status_code == 201]
    assert len(set(numbers)) == 70
    assert orders == 80
