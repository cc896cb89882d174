"""The back office's customers (issue 13): list and search, one customer with their order totals, their orders,
deactivation (sessions end, logging in is refused with a sentence) and the export of everything held about them."""

from __future__ import annotations

import json
from decimal import Decimal

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.core.audit import AuditEntry
from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.customers.models import Customer
from kitchenasty.services import Services
from tests.factories import PASSWORD, bearer, make_customer, staff_headers
from tests.orders.fixtures import Menu, burger_line, guest_order, make_menu


async def place(client: AsyncTestClient[Litestar], headers: dict[str, str], menu: Menu, **fields: object) -> dict:
    body = {"orderType": "PICKUP", "items": [burger_line(menu)], **fields}
    response = await client.post("/api/orders", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_customer_list_searches_name_email_and_phone_and_pages(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    await make_customer(services, name="Ada Lovelace", email="ada@example.com", phone="+44 20 7946 0001")
    await make_customer(services, name="Grace Hopper", email="grace@navy.example", phone="+1 555 0199")
    await make_customer(services, name="Alan 100%_Turing", email="alan@example.com", phone=None)
    headers = await staff_headers(services, "MANAGER")

    async def emails(**params: object) -> list[str]:
        response = await client.get("/api/customers", headers=headers, params=params)
        assert response.status_code == 200, response.text
        return [row["email"] for row in response.json()["data"]]

    assert await emails() == ["alan@example.com", "grace@navy.example", "ada@example.com"]  # newest first
    assert await emails(search="LOVELACE") == ["ada@example.com"]
    assert await emails(search="navy") == ["grace@navy.example"]
    assert await emails(search="0199") == ["grace@navy.example"]
    assert await emails(search="100%_") == ["alan@example.com"]
    assert await emails(search="%") == ["alan@example.com"]  # a literal percent sign, not a wildcard
    paged = (await client.get("/api/customers", headers=headers, params={"limit": 2, "page": 2})).json()
    assert paged["pagination"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}
    assert [row["email"] for row in paged["data"]] == ["ada@example.com"]
    row = paged["data"][0]
    assert row["ordersCount"] == 0 and row["totalSpent"] == 0 and row["lastOrderAt"] is None
    assert row["isActive"] is True
    assert (await client.get("/api/customers?limit=101", headers=headers)).status_code == 400


async def test_customer_detail_totals_and_their_orders(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    customer = await make_customer(services, email="regular@example.com")
    other = await make_customer(services)
    mine = bearer(services.auth.issue("customer", customer))
    first = await place(client, mine, menu)
    second = await place(client, mine, menu, items=[burger_line(menu, size="large", extras=("cheese",))])
    third = await place(client, mine, menu)
    await place(client, bearer(services.auth.issue("customer", other)), menu)
    await client.post("/api/orders", json=guest_order(menu, guestEmail="regular@example.com"))  # a guest order
    admin = await staff_headers(services, "MANAGER")
    cancelled = await client.patch(f"/api/orders/{third['id']}/status", json={"status": "CANCELLED"}, headers=admin)
    assert cancelled.status_code == 200

    detail = await client.get(f"/api/customers/{customer.id}", headers=admin)

    assert detail.status_code == 200, detail.text
    data = detail.json()["data"]
    assert (data["email"], data["isActive"], data["hasPassword"]) == ("regular@example.com", True, True)
    totals = data["totals"]
    assert (totals["ordersCount"], totals["cancelledCount"]) == (3, 1)
    assert totals["totalSpentCents"] == 1000 + 1350  # the cancelled order is not money spent
    assert totals["totalSpent"] == 23.5
    assert totals["firstOrderAt"] == first["createdAt"]
    assert totals["lastOrderAt"] == third["createdAt"]
    assert "passwordHash" not in data

    orders = await client.get(f"/api/customers/{customer.id}/orders", headers=admin, params={"limit": 2})
    assert orders.status_code == 200
    body = orders.json()
    assert body["pagination"]["total"] == 3
    assert [o["id"] for o in body["data"]] == [third["id"], second["id"]]
    assert body["data"][1]["items"][0]["options"][0]["value"] == "Large"

    listed = (await client.get("/api/customers", headers=admin, params={"search": "regular@"})).json()["data"]
    assert [(r["ordersCount"], r["totalSpent"], r["lastOrderAt"]) for r in listed] == [(3, 23.5, third["createdAt"])]
    for path in ("/api/customers/nope", "/api/customers/nope/orders", "/api/customers/nope/export"):
        missing = await client.get(path, headers=admin)
        assert (missing.status_code, missing.json()["code"]) == (404, "CUSTOMER_NOT_FOUND")


async def test_deactivated_customer_is_logged_out_and_cannot_log_in(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    customer = await make_customer(services, email="gone@example.com")
    token = services.auth.issue("customer", customer)
    manager = await staff_headers(services, "MANAGER")
    assert (await client.get("/api/auth/me", headers=bearer(token))).status_code == 200

    off = await client.patch(f"/api/customers/{customer.id}", headers=manager, json={"isActive": False})

    assert off.status_code == 200, off.text
    assert off.json()["data"]["isActive"] is False
    assert (await client.get("/api/auth/me", headers=bearer(token))).status_code == 401
    assert (await client.get("/api/orders/my-orders", headers=bearer(token))).status_code == 401
    login = await client.post("/api/auth/customer/login", json={"email": "gone@example.com", "password": PASSWORD})
    assert login.status_code == 403
    assert login.json() == {
        "success": False,
        "error": "This account has been deactivated; please contact the restaurant to have it reactivated.",
        "code": "ACCOUNT_DEACTIVATED",
    }
    wrong = await client.post("/api/auth/customer/login", json={"email": "gone@example.com", "password": "nope"})
    assert (wrong.status_code, wrong.json()["code"]) == (401, "INVALID_CREDENTIALS")  # says nothing more
    assert await services.auth.request_reset(principal_type="customer", email="gone@example.com") is None
    async with services.db.session() as session:
        audited = (await session.scalars(select(AuditEntry).where(AuditEntry.entity == "customer"))).all()
    assert any(e.changes.get("is_active") == [True, False] for e in audited)

    on = await client.patch(f"/api/customers/{customer.id}", headers=manager, json={"isActive": True})
    assert on.json()["data"]["isActive"] is True
    assert (await client.get("/api/auth/me", headers=bearer(token))).status_code == 401  # old tokens stay dead
    again = await client.post("/api/auth/customer/login", json={"email": "gone@example.com", "password": PASSWORD})
    assert again.status_code == 200


async def test_customer_update_takes_only_the_active_flag(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    customer = await make_customer(services)
    manager = await staff_headers(services, "MANAGER")
    for body in ({}, {"isActive": "no"}, {"isActive": False, "email": "x@example.com"}):
        response = await client.patch(f"/api/customers/{customer.id}", headers=manager, json=body)
        assert response.status_code == 400, body
    async with services.db.session() as session:
        stored = await session.get(Customer, customer.id)
    assert stored is not None and stored.is_active and stored.email == customer.email


async def test_customer_export_holds_profile_orders_addresses_and_coupon_uses(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    await services.coupons.create(CouponIn(code="HELLO", type="FIXED", value=Decimal(1)))
    customer = await make_customer(services, name="Mia Export", email="mia@example.com", phone="+15550123")
    mine = bearer(services.auth.issue("customer", customer))
    address = {"line1": "1 High Street", "city": "Bath", "postalCode": "BA1 1AA"}
    pickup = await place(client, mine, menu, couponCode="HELLO", comment="No onions")
    delivery = await place(client, mine, menu, orderType="DELIVERY", address=address)
    await place(client, mine, menu, orderType="DELIVERY", address=address)  # the same address again
    someone_else = await make_customer(services)
    await place(client, bearer(services.auth.issue("customer", someone_else)), menu)
    manager = await staff_headers(services, "MANAGER")

    response = await client.get(f"/api/customers/{customer.id}/export", headers=manager)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == f'attachment; filename="customer-{customer.id}.json"'
    doc = json.loads(response.content)
    assert doc["format"] == "kitchenasty.customer-export/1"
    assert doc["customer"] == {
        "id": customer.id,
        "email": "mia@example.com",
        "name": "Mia Export",
        "phone": "+15550123",
        "isActive": True,
        "hasPassword": True,
        "createdAt": doc["customer"]["createdAt"],
        "updatedAt": doc["customer"]["updatedAt"],
    }
    assert [o["id"] for o in doc["orders"]][:2] == [pickup["id"], delivery["id"]]  # oldest first
    assert len(doc["orders"]) == 3
    assert doc["orders"][0]["comment"] == "No onions"
    assert doc["orders"][0]["items"][0]["name"] == "Burger"
    assert doc["orders"][0]["items"][0]["options"][0]["value"] == "Regular"
    assert all("trackingToken" not in o for o in doc["orders"])
    assert [(a["line1"], a["city"]) for a in doc["addresses"]] == [("1 High Street", "Bath")]
    assert [(r["couponCode"], r["orderId"]) for r in doc["couponRedemptions"]] == [("HELLO", pickup["id"])]
    text = response.text
    for secret in (pickup["trackingToken"], "password", "tokenVersion", someone_else.email):
        assert secret not in text
