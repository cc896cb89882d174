"""Coupon CRUD (reads for staff, writes for managers and admins) and the public validation endpoint."""

from __future__ import annotations

from decimal import Decimal

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.services import Services
from tests.factories import bearer, customer_headers, make_customer, staff_headers
from tests.orders.fixtures import burger_line, guest_order, make_menu

WELCOME = {
    "code": "welcome10",
    "type": "PERCENTAGE",
    "value": 10,
    "minOrder": 20,
    "maxDiscount": 15,
    "usageLimit": 1000,
    "perCustomer": 1,
}


async def test_coupon_create_by_manager_uppercases_and_returns_the_coupon(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    response = await client.post("/api/coupons", json=WELCOME, headers=await staff_headers(services, "MANAGER"))
    assert response.status_code == 201
    data = response.json()["data"]
    assert {k: data[k] for k in ("code", "type", "value", "minOrder", "maxDiscount", "usageLimit", "usageCount")} == {
        "code": "WELCOME10",
        "type": "PERCENTAGE",
        "value": 10.0,
        "minOrder": 20.0,
        "maxDiscount": 15.0,
        "usageLimit": 1000,
        "usageCount": 0,
    }
    assert data["perCustomer"] == 1 and data["isActive"] is True and data["startsAt"] is None


async def test_coupon_create_by_staff_role_is_forbidden(client: AsyncTestClient[Litestar], services: Services) -> None:
    response = await client.post("/api/coupons", json=WELCOME, headers=await staff_headers(services, "STAFF"))
    assert response.status_code == 403
    listed = await client.get("/api/coupons", headers=await staff_headers(services, "SUPER_ADMIN"))
    assert listed.json()["pagination"]["total"] == 0


async def test_coupon_create_duplicate_code_is_409(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    await client.post("/api/coupons", json=WELCOME, headers=headers)
    again = await client.post("/api/coupons", json={**WELCOME, "code": "Welcome10"}, headers=headers)
    assert again.status_code == 409
    assert again.json()["error"] == "Coupon code already exists"


async def test_coupon_create_refuses_bad_values(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "MANAGER")
    cases = [
        ({**WELCOME, "value": 150}, "A percentage coupon's value must be between 0 and 100"),
        ({**WELCOME, "type": "FIXED", "value": 5.005}, "value must have at most 2 decimals"),
        ({**WELCOME, "minOrder": -1}, "minOrder must not be negative"),
        ({**WELCOME, "startsAt": "next tuesday"}, None),
        ({**WELCOME, "startsAt": "2030-01-02", "expiresAt": "2030-01-01"}, "The coupon would expire before it starts"),
        ({**WELCOME, "usageLimit": 0}, None),
    ]
    for body, message in cases:
        response = await client.post("/api/coupons", json=body, headers=headers)
        assert response.status_code == 400, body
        if message:
            assert response.json()["error"] == message
    listed = await client.get("/api/coupons", headers=headers)
    assert listed.json()["pagination"]["total"] == 0


async def test_coupon_dates_are_whole_days_in_the_restaurant_time_zone(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    await services.settings.update_group("general", {"timezone": "Europe/Berlin"})
    body = {**WELCOME, "startsAt": "2030-06-01", "expiresAt": "2030-06-30"}
    response = await client.post("/api/coupons", json=body, headers=await staff_headers(services, "MANAGER"))
    data = response.json()["data"]
    assert data["startsAt"] == "2030-05-31T22:00:00.000Z"
    assert data["expiresAt"] == "2030-06-30T21:59:59.999Z"


async def test_coupon_list_and_get_for_staff(client: AsyncTestClient[Litestar], services: Services) -> None:
    first = await services.coupons.create(CouponIn(code="one", type="FIXED", value=Decimal("5")))
    second = await services.coupons.create(CouponIn(code="two", type="FREE_DELIVERY"))
    headers = await staff_headers(services, "STAFF")
    listed = await client.get("/api/coupons?page=1&limit=1", headers=headers)
    assert listed.json()["pagination"] == {"page": 1, "limit": 1, "total": 2, "totalPages": 2}
    assert [c["code"] for c in listed.json()["data"]] == ["TWO"]
    one = await client.get(f"/api/coupons/{first.id}", headers=headers)
    assert one.json()["data"]["value"] == 5.0 and one.json()["data"]["type"] == "FIXED"
    assert second.value == 0.0
    missing = await client.get("/api/coupons/nope", headers=headers)
    assert (missing.status_code, missing.json()["error"]) == (404, "Coupon not found")


async def test_coupon_update_is_partial_and_checks_duplicates(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    coupon = await services.coupons.create(
        CouponIn(code="SUMMER", type="PERCENTAGE", value=Decimal("15"), starts_at="2030-01-01T10:00:00Z")
    )
    await services.coupons.create(CouponIn(code="WINTER", type="FIXED", value=Decimal("3")))
    headers = await staff_headers(services, "MANAGER")
    updated = await client.patch(
        f"/api/coupons/{coupon.id}", json={"code": "summer25", "value": 25, "startsAt": ""}, headers=headers
    )
    assert updated.status_code == 200
    data = updated.json()["data"]
    assert (data["code"], data["value"], data["startsAt"], data["type"]) == ("SUMMER25", 25.0, None, "PERCENTAGE")
    clash = await client.patch(f"/api/coupons/{coupon.id}", json={"code": "winter"}, headers=headers)
    assert (clash.status_code, clash.json()["error"]) == (409, "Coupon code already exists")
    staff = await client.patch(
        f"/api/coupons/{coupon.id}", json={"isActive": False}, headers=await staff_headers(services)
    )
    assert staff.status_code == 403
    missing = await client.patch("/api/coupons/nope", json={"isActive": False}, headers=headers)
    assert missing.status_code == 404


async def test_coupon_delete_by_manager(client: AsyncTestClient[Litestar], services: Services) -> None:
    coupon = await services.coupons.create(CouponIn(code="GONE", type="FIXED", value=Decimal("1")))
    headers = await staff_headers(services, "MANAGER")
    assert (await client.delete(f"/api/coupons/{coupon.id}", headers=await staff_headers(services))).status_code == 403
    deleted = await client.delete(f"/api/coupons/{coupon.id}", headers=headers)
    assert deleted.status_code == 200
    assert deleted.json() == {"success": True, "message": "Coupon deleted"}  # the envelope of every delete
    assert (await client.get(f"/api/coupons/{coupon.id}", headers=headers)).status_code == 404
    assert (await client.delete(f"/api/coupons/{coupon.id}", headers=headers)).status_code == 404


async def test_coupon_validate_returns_the_discount(client: AsyncTestClient[Litestar], services: Services) -> None:
    await services.coupons.create(
        CouponIn(
            code="WELCOME10", type="PERCENTAGE", value=Decimal(10), min_order=Decimal(20), max_discount=Decimal(15)
        )
    )
    response = await client.post("/api/coupons/validate", json={"code": " welcome10 ", "subtotal": 45.5})
    assert response.status_code == 200
    assert response.json()["data"] == {
        "code": "WELCOME10",
        "type": "PERCENTAGE",
        "value": 10.0,
        "discount": 4.55,
        "freeDelivery": False,
    }
    capped = await client.post("/api/coupons/validate", json={"code": "WELCOME10", "subtotal": 500})
    assert capped.json()["data"]["discount"] == 15.0


async def test_coupon_validate_refusals(client: AsyncTestClient[Litestar], services: Services) -> None:
    await services.coupons.create(CouponIn(code="MIN30", type="FREE_DELIVERY", min_order=Decimal(30)))
    await services.coupons.create(CouponIn(code="OFF", type="FIXED", value=Decimal(5), is_active=False))
    await services.coupons.create(CouponIn(code="OLD", type="FIXED", value=Decimal(5), expires_at="2020-01-01"))
    await services.coupons.create(CouponIn(code="SOON", type="FIXED", value=Decimal(5), starts_at="2999-01-01"))
    cases = [
        ({"subtotal": 10}, 400, "Coupon code is required"),
        ({"code": "NOPE", "subtotal": 10}, 404, "Invalid coupon code"),
        ({"code": "MIN30", "subtotal": 29.99}, 400, "Minimum order amount is $30.00"),
        ({"code": "OFF", "subtotal": 10}, 400, "Coupon is not active"),
        ({"code": "OLD", "subtotal": 10}, 400, "Coupon has expired"),
        ({"code": "SOON", "subtotal": 10}, 400, "Coupon is not yet valid"),
        ({"code": "MIN30", "subtotal": 30.001}, 400, "subtotal must have at most 2 decimals"),
    ]
    for body, status, message in cases:
        response = await client.post("/api/coupons/validate", json=body, headers=await customer_headers(services))
        assert (response.status_code, response.json()["error"]) == (status, message), body
    ok = await client.post("/api/coupons/validate", json={"code": "min30", "subtotal": 30})
    assert ok.json()["data"] == {
        "code": "MIN30",
        "type": "FREE_DELIVERY",
        "value": 0.0,
        "discount": 0.0,
        "freeDelivery": True,
    }


async def test_coupon_validate_checks_the_signed_in_customers_own_uses(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    await services.coupons.create(CouponIn(code="ONCE", type="FIXED", value=Decimal(2), per_customer=1))
    customer = await make_customer(services)
    headers = bearer(services.auth.issue("customer", customer))
    placed = await client.post(
        "/api/orders", json={"orderType": "PICKUP", "items": [burger_line(menu)], "couponCode": "ONCE"}, headers=headers
    )
    assert placed.status_code == 201
    mine = await client.post("/api/coupons/validate", json={"code": "ONCE", "subtotal": 10}, headers=headers)
    assert (mine.status_code, mine.json()["error"]) == (400, "You have already used this coupon")
    anyone = await client.post("/api/coupons/validate", json={"code": "ONCE", "subtotal": 10})
    assert anyone.json()["data"]["discount"] == 2.0
    again = await client.post(
        "/api/orders", json={"orderType": "PICKUP", "items": [burger_line(menu)], "couponCode": "ONCE"}, headers=headers
    )
    assert (again.status_code, again.json()["code"]) == (400, "COUPON_CUSTOMER_LIMIT")


async def test_coupon_delete_after_use_keeps_the_orders_code(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    coupon = await services.coupons.create(CouponIn(code="BYE", type="FIXED", value=Decimal(1)))
    order = (await client.post("/api/orders", json=guest_order(menu, couponCode="BYE"))).json()["data"]
    headers = await staff_headers(services, "SUPER_ADMIN")
    assert (await client.delete(f"/api/coupons/{coupon.id}", headers=headers)).status_code == 200
    kept = (await client.get(f"/api/orders/{order['id']}", headers=headers)).json()["data"]
    assert (kept["couponCode"], kept["discount"], kept["total"]) == ("BYE", 1.0, 9.0)
    cancelled = await client.patch(f"/api/orders/{order['id']}/status", json={"status": "CANCELLED"}, headers=headers)
    assert cancelled.status_code == 200


async def test_coupon_list_rows_carry_their_usage_count(client: AsyncTestClient[Litestar], services: Services) -> None:
    """`usageCount` is the coupon's own counter, kept in the order's transaction (a redemption adds one, a
    cancellation gives it back), so the list reads it with the row: no query per coupon."""
    menu = await make_menu(services)
    used = await services.coupons.create(CouponIn(code="USED", type="FIXED", value=Decimal(1), per_customer=None))
    await services.coupons.create(CouponIn(code="IDLE", type="FIXED", value=Decimal(1)))
    orders = [
        (await client.post("/api/orders", json=guest_order(menu, couponCode="USED", guestEmail=f"g{n}@example.com")))
        for n in range(3)
    ]
    assert all(o.status_code == 201 for o in orders)
    headers = await staff_headers(services, "MANAGER")
    cancelled = orders[0].json()["data"]["id"]
    assert (
        await client.patch(f"/api/orders/{cancelled}/status", json={"status": "CANCELLED"}, headers=headers)
    ).status_code == 200

    listed = (await client.get("/api/coupons", headers=headers)).json()["data"]

    assert {c["code"]: c["usageCount"] for c in listed} == {"USED": 2, "IDLE": 0}
    assert (await client.get(f"/api/coupons/{used.id}", headers=headers)).json()["data"]["usageCount"] == 2
