"""Placing orders: guest and customer checkout, server-side prices, snapshots, totals, idempotency, events."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.core.events import DomainEvent, EventRecord
from kitchenasty.coupons.models import Coupon, CouponRedemption
from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.menu.models import MenuItem, MenuOption, MenuOptionValue
from kitchenasty.orders.events import OrderCreated
from kitchenasty.orders.models import Order, OrderItem, OrderStatusChange
from kitchenasty.services import Services
from tests.factories import bearer, make_customer, staff_headers
from tests.orders.fixtures import (
    GUEST,
    burger_line,
    counts,
    guest_order,
    make_location,
    make_menu,
    set_settings,
    stock_of,
)


async def test_order_guest_checkout_prices_from_the_db(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    body = guest_order(
        menu,
        items=[
            burger_line(menu, quantity=2, size="large", extras=("cheese", "egg")),
            {"menuItemId": menu.soda, "quantity": 3, "comment": " no ice "},
        ],
        comment="Ring twice",
    )
    response = await client.post("/api/orders", json=body)
    assert response.status_code == 201
    order = response.json()["data"]
    assert re.fullmatch(r"KA-\d{6}-001", order["orderNumber"])
    assert len(order["trackingToken"]) >= 32
    assert (order["status"], order["nextStatus"], order["orderType"]) == ("PENDING", "CONFIRMED", "PICKUP")
    assert (order["customerId"], order["customer"], order["customerName"]) == (None, None, "Ada Lovelace")
    assert (order["guestEmail"], order["guestPhone"], order["comment"]) == (
        "ada@example.com",
        "+44 7700 900123",
        "Ring twice",
    )
    assert order["location"] == {"id": menu.location_id, "name": menu.location_name}
    burger, soda = order["items"]
    assert (burger["name"], burger["quantity"], burger["unitPrice"], burger["subtotal"]) == ("Burger", 2, 14.25, 28.5)
    assert [(o["name"], o["value"], o["priceModifier"]) for o in burger["options"]] == [
        ("Size", "Large", 2.5),
        ("Extras", "Cheese", 1.0),
        ("Extras", "Egg", 0.75),
    ]
    assert (soda["unitPrice"], soda["subtotal"], soda["comment"], soda["options"]) == (2.0, 6.0, "no ice", [])
    assert (order["subtotal"], order["tax"], order["deliveryFee"], order["total"]) == (34.5, 0.0, 0.0, 34.5)
    assert await stock_of(services, menu.soda) == 7
    async with services.db.session() as session:
        stored = await session.get(Order, order["id"])
        assert stored is not None and (stored.subtotal_cents, stored.total_cents) == (3450, 3450)
        history = (
            await session.scalars(select(OrderStatusChange).where(OrderStatusChange.order_id == stored.id))
        ).all()
        assert [(h.from_status, h.to_status, h.actor_type) for h in history] == [(None, "PENDING", "guest")]


async def test_order_ignores_client_prices_and_unknown_keys(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    line = burger_line(menu, size="large")
    line["price"] = 0.01
    line["unitPrice"] = 0.01
    line["options"][0].update({"name": "Size", "value": "Large", "priceModifier": -10})
    body = guest_order(menu, items=[line], total=0.01, subtotal=0.01, paymentIntent="x")
    response = await client.post("/api/orders", json=body)
    assert response.status_code == 201
    order = response.json()["data"]
    assert (order["items"][0]["unitPrice"], order["total"]) == (12.5, 12.5)
    assert order["items"][0]["options"][0]["priceModifier"] == 2.5


async def test_order_customer_checkout_links_the_customer(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    customer = await make_customer(services, name="Grace Hopper", phone="+1 555 0100")
    body = {"orderType": "PICKUP", "items": [burger_line(menu)]}
    response = await client.post("/api/orders", json=body, headers=bearer(services.auth.issue("customer", customer)))
    assert response.status_code == 201
    order = response.json()["data"]
    assert order["customerId"] == customer.id
    assert order["customer"] == {
        "id": customer.id,
        "name": "Grace Hopper",
        "email": customer.email,
        "phone": "+1 555 0100",
    }
    assert (order["customerName"], order["guestName"], order["guestEmail"]) == ("Grace Hopper", None, None)
    async with services.db.session() as session:
        history = (await session.scalars(select(OrderStatusChange))).all()
        assert [(h.actor_type, h.actor_id) for h in history] == [("customer", customer.id)]


async def test_order_staff_token_checks_out_as_a_guest(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    headers = await staff_headers(services, "MANAGER")
    refused = await client.post(
        "/api/orders", json={"orderType": "PICKUP", "items": [burger_line(menu)]}, headers=headers
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "GUEST_DETAILS_REQUIRED")
    placed = await client.post("/api/orders", json=guest_order(menu), headers=headers)
    assert placed.status_code == 201
    assert placed.json()["data"]["customerId"] is None


async def test_order_invalid_token_checks_out_as_a_guest(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    placed = await client.post("/api/orders", json=guest_order(menu), headers=bearer("not-a-token"))
    assert placed.status_code == 201


async def test_order_snapshot_survives_later_menu_changes(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    placed = (
        await client.post(
            "/api/orders", json=guest_order(menu, items=[burger_line(menu, size="large", extras=("bacon",))])
        )
    ).json()["data"]
    async with services.db.transaction() as session:
        burger = await session.get(MenuItem, menu.burger)
        assert burger is not None
        burger.name, burger.price_cents = "Smash Burger", 1990
        size = await session.get(MenuOption, menu.size)
        assert size is not None
        size.name = "Patty"
        large = await session.get(MenuOptionValue, menu.values["large"])
        bacon = await session.get(MenuOptionValue, menu.values["bacon"])
        assert large is not None and bacon is not None
        large.name, large.price_modifier_cents = "Double", 600
        bacon.name, bacon.price_modifier_cents = "Crispy bacon", 400
    headers = await staff_headers(services)
    after = (await client.get(f"/api/orders/{placed['id']}", headers=headers)).json()["data"]
    assert after["items"] == placed["items"]
    assert (after["items"][0]["name"], after["items"][0]["unitPrice"], after["total"]) == ("Burger", 14.0, 14.0)
    assert [(o["name"], o["value"], o["priceModifier"]) for o in after["items"][0]["options"]] == [
        ("Size", "Large", 2.5),
        ("Extras", "Bacon", 1.5),
    ]
    listed = (await client.get("/api/orders", headers=headers)).json()["data"]
    assert listed[0]["items"] == placed["items"]
    kitchen = await services.orders.kitchen_snapshot()
    assert kitchen[0].items[0].name == "Burger" and kitchen[0].items[0].options[0].value == "Large"
    # a new order takes the new names and prices
    fresh = (
        await client.post(
            "/api/orders", json=guest_order(menu, items=[burger_line(menu, size="large", extras=("bacon",))])
        )
    ).json()["data"]
    assert (fresh["items"][0]["name"], fresh["items"][0]["unitPrice"]) == ("Smash Burger", 29.9)


async def test_order_totals_with_tax_delivery_tip_and_coupon(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    await set_settings(services, "orders", taxRate=8.25, deliveryFee=4.99, enableTipping=True)
    await services.coupons.create(
        CouponIn(
            code="WELCOME10", type="PERCENTAGE", value=Decimal(10), min_order=Decimal(20), max_discount=Decimal(15)
        )
    )
    body = guest_order(
        menu,
        orderType="DELIVERY",
        address={"line1": "2 Dock Road", "city": "Portsmouth", "zip": "PO1 2BB", "state": "Hants"},
        items=[
            burger_line(menu, quantity=2, size="large", extras=("cheese", "egg")),
            {"menuItemId": menu.soda, "quantity": 3},
        ],
        couponCode="welcome10",
        tip=3,
    )
    quote = await client.post("/api/orders/quote", json=body)
    assert quote.status_code == 200
    response = await client.post("/api/orders", json=body)
    assert response.status_code == 201
    order = response.json()["data"]
    # subtotal 34.50, discount 3.45, taxable 31.05 -> tax 2.56 (8.25 %), delivery 4.99, tip 3.00
    expected = {"subtotal": 34.5, "discount": 3.45, "tax": 2.56, "taxRate": 8.25, "deliveryFee": 4.99, "tip": 3.0}
    assert {k: order[k] for k in expected} == expected
    assert order["total"] == 41.6
    assert order["couponCode"] == "WELCOME10"
    assert order["deliveryAddress"] == {
        "line1": "2 Dock Road",
        "line2": None,
        "city": "Portsmouth",
        "postalCode": "PO1 2BB",
        "state": "Hants",
        "notes": None,
    }
    q = quote.json()["data"]
    assert {k: q[k] for k in (*expected, "total", "couponCode")} == {
        k: order[k] for k in (*expected, "total", "couponCode")
    }
    assert q["freeDelivery"] is False
    assert [line["subtotal"] for line in q["items"]] == [28.5, 6.0]
    async with services.db.session() as session:
        coupon = await session.scalar(select(Coupon))
        assert coupon is not None and coupon.usage_count == 1
        redemption = await session.scalar(select(CouponRedemption))
        assert redemption is not None
        assert (redemption.order_id, redemption.customer_key) == (order["id"], "guest:ada@example.com")


async def test_order_free_delivery_coupon_waives_the_fee(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    await set_settings(services, "orders", deliveryFee=4.99)
    await services.coupons.create(CouponIn(code="FREEDELIVERY", type="FREE_DELIVERY"))
    address = {"line1": "2 Dock Road", "city": "Portsmouth"}
    plain = await client.post("/api/orders/quote", json=guest_order(menu, orderType="DELIVERY", address=address))
    assert (plain.json()["data"]["deliveryFee"], plain.json()["data"]["total"]) == (4.99, 14.99)
    body = guest_order(menu, orderType="DELIVERY", address=address, couponCode="FREEDELIVERY")
    order = (await client.post("/api/orders", json=body)).json()["data"]
    assert (order["deliveryFee"], order["discount"], order["total"]) == (0.0, 0.0, 10.0)


async def test_order_quote_writes_nothing(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    await services.coupons.create(CouponIn(code="FIVE", type="FIXED", value=Decimal(5)))
    before = await counts(services)
    body = guest_order(menu, items=[{"menuItemId": menu.soda, "quantity": 10}], couponCode="FIVE")
    quote = await client.post("/api/orders/quote", json=body)
    assert quote.status_code == 200
    assert (quote.json()["data"]["subtotal"], quote.json()["data"]["discount"], quote.json()["data"]["total"]) == (
        20.0,
        5.0,
        15.0,
    )
    assert await counts(services) == before


async def test_order_idempotency_key_replays_the_first_order(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    body = guest_order(menu, items=[{"menuItemId": menu.soda, "quantity": 2}])
    headers = {"Idempotency-Key": "checkout-7f3a"}
    first = await client.post("/api/orders", json=body, headers=headers)
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    after_first = await counts(services)
    again = await client.post("/api/orders", json={**body, "clientTotal": 99}, headers=headers)
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["data"] == first.json()["data"]
    assert await counts(services) == after_first
    assert await stock_of(services, menu.soda) == 8
    different = await client.post("/api/orders", json={**body, "comment": "extra napkins"}, headers=headers)
    assert (different.status_code, different.json()["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    assert await counts(services) == after_first
    other_key = await client.post("/api/orders", json=body, headers={"Idempotency-Key": "checkout-7f3b"})
    assert other_key.status_code == 201
    assert other_key.json()["data"]["id"] != first.json()["data"]["id"]


async def test_order_idempotency_key_of_another_customer_is_a_conflict(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    body = {"orderType": "PICKUP", "items": [burger_line(menu)]}
    one, two = await make_customer(services), await make_customer(services)
    key = {"Idempotency-Key": "same-key"}
    first = await client.post("/api/orders", json=body, headers={**key, **bearer(services.auth.issue("customer", one))})
    assert first.status_code == 201
    second = await client.post(
        "/api/orders", json=body, headers={**key, **bearer(services.auth.issue("customer", two))}
    )
    assert second.status_code == 409
    assert first.json()["data"]["trackingToken"] not in second.text


async def test_order_created_event_is_recorded_and_published_after_commit(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    seen: list[tuple[DomainEvent, int]] = []

    async def on_created(event: DomainEvent) -> None:
        async with services.db.session() as session:  # the order is committed when subscribers run
            seen.append((event, len((await session.scalars(select(Order.id))).all())))

    services.bus.subscribe(OrderCreated, on_created)
    order = (await client.post("/api/orders", json=guest_order(menu))).json()["data"]
    assert len(seen) == 1
    event, committed_orders = seen[0]
    assert committed_orders == 1
    assert event.name == "order.created"
    assert event.payload() == {"order": order}
    async with services.db.session() as session:
        rows = (await session.scalars(select(EventRecord).where(EventRecord.name == "order.created"))).all()
        assert [r.payload for r in rows] == [{"order": order}]


async def test_order_numbers_count_up_per_day(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    numbers = [
        (await client.post("/api/orders", json=guest_order(menu))).json()["data"]["orderNumber"] for _ in range(3)
    ]
    today = datetime.now(UTC).strftime("%y%m%d")
    assert numbers == [f"KA-{today}-001", f"KA-{today}-002", f"KA-{today}-003"]


async def test_order_number_uses_the_restaurant_date(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    await set_settings(services, "general", timezone="Pacific/Kiritimati")  # UTC+14
    number = (await client.post("/api/orders", json=guest_order(menu))).json()["data"]["orderNumber"]
    local_day = (datetime.now(UTC) + timedelta(hours=14)).strftime("%y%m%d")
    assert number == f"KA-{local_day}-001"


async def test_order_dine_in_at_a_table(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    await set_settings(services, "orders", deliveryFee=4.99)
    order = (
        await client.post("/api/orders", json=guest_order(menu, orderType="DINE_IN", tableId=menu.table_id))
    ).json()["data"]
    assert (order["orderType"], order["tableId"], order["deliveryFee"]) == ("DINE_IN", menu.table_id, 0.0)
    assert order["tableName"].startswith("T")


async def test_order_location_is_chosen_when_several_are_active(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    other_id, _ = await make_location(services, name="Second Site")
    refused = await client.post("/api/orders", json=guest_order(menu))
    assert (refused.status_code, refused.json()["error"]) == (400, "Choose a location")
    placed = await client.post("/api/orders", json=guest_order(menu, locationId=menu.location_id))
    assert placed.status_code == 201
    elsewhere = await client.post("/api/orders", json=guest_order(menu, locationId=other_id))
    assert elsewhere.status_code == 201  # the burger has no location, so every site sells it
    assert elsewhere.json()["data"]["location"]["name"] == "Second Site"


async def test_order_scheduled_for_later(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    await set_settings(services, "orders", enableFutureOrdering=True)
    at = (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0)
    order = (await client.post("/api/orders", json=guest_order(menu, scheduledAt=at.isoformat()))).json()["data"]
    assert order["scheduledAt"] == at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def test_order_mealtime_item_sells_inside_its_window(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    from kitchenasty.menu.models import Mealtime, menu_item_mealtimes

    menu = await make_menu(services)
    hour = datetime.now(UTC).hour
    async with services.db.transaction() as session:
        window = Mealtime(
            name="All hours",
            start_time=f"{(hour - 1) % 24:02d}:00",
            end_time=f"{(hour + 2) % 24:02d}:00",
            days=list(range(7)),
        )
        session.add(window)
        await session.flush()
        await session.execute(menu_item_mealtimes.insert().values(menu_item_id=menu.fries, mealtime_id=window.id))
    placed = await client.post("/api/orders", json=guest_order(menu, items=[{"menuItemId": menu.fries, "quantity": 1}]))
    assert placed.status_code == 201


async def test_order_rows_hold_the_snapshot_columns(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    order = (
        await client.post("/api/orders", json=guest_order(menu, items=[{"menuItemId": menu.soda, "quantity": 4}]))
    ).json()["data"]
    async with services.db.session() as session:
        item = await session.scalar(select(OrderItem).where(OrderItem.order_id == order["id"]))
        assert item is not None
        row: dict[str, Any] = {
            k: getattr(item, k) for k in ("name", "unit_price_cents", "subtotal_cents", "stock_taken", "menu_item_id")
        }
    assert row == {
        "name": "Soda",
        "unit_price_cents": 200,
        "subtotal_cents": 800,
        "stock_taken": 4,
        "menu_item_id": menu.soda,
    }
    assert GUEST["guestName"] == order["guestName"]


async def test_order_address_keys_from_older_clients_are_ignored(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    address = {"line1": "2 Dock Road", "city": "Portsmouth", "zip": "PO1", "country": "GB", "lat": 50.8, "lng": -1.1}
    response = await client.post("/api/orders", json=guest_order(menu, orderType="DELIVERY", address=address))
    assert response.status_code == 201
    assert response.json()["data"]["deliveryAddress"]["postalCode"] == "PO1"


async def test_price_change_through_the_api_applies_to_the_next_order(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    """The order path keeps the catalog in memory; a menu write must reach the very next order."""
    menu = await make_menu(services)
    first = (await client.post("/api/orders", json=guest_order(menu, items=[burger_line(menu)]))).json()["data"]
    headers = await staff_headers(services, "MANAGER")
    changed = await client.patch(f"/api/menu/items/{menu.burger}", headers=headers, json={"price": "12.25"})
    assert changed.status_code == 200, changed.text
    second = (await client.post("/api/orders", json=guest_order(menu, items=[burger_line(menu)]))).json()["data"]
    assert first["items"][0]["unitPrice"] != 12.25
    assert second["items"][0]["unitPrice"] == 12.25
