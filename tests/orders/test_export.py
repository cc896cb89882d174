"""`GET /api/orders/export.csv`: the staff list's filters, exactly, as CSV streamed in batches; money as decimal
strings from cents; times in the restaurant's zone; cells no spreadsheet runs as formulas; MANAGER and up."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.orders.models import Order
from kitchenasty.services import Services
from tests.factories import bearer, make_customer, staff_headers
from tests.orders.fixtures import burger_line, guest_order, make_location, make_menu, set_settings
from tests.orders.test_status import place

HEADER = [
    "number",
    "created_at_local",
    "type",
    "status",
    "location",
    "customer_name",
    "email",
    "phone",
    "items",
    "subtotal",
    "discount",
    "tax",
    "delivery_fee",
    "tip",
    "total",
    "payment_method",
]


async def export(
    client: AsyncTestClient[Litestar], headers: dict[str, str], **params: str
) -> tuple[list[str], list[dict[str, str]]]:
    response = await client.get("/api/orders/export.csv", headers=headers, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text)))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


async def listed_numbers(client: AsyncTestClient[Litestar], headers: dict[str, str], **params: str) -> list[str]:
    response = await client.get("/api/orders", headers=headers, params={"limit": "100", **params})
    assert response.status_code == 200, response.text
    return [order["orderNumber"] for order in response.json()["data"]]


async def test_export_applies_exactly_the_lists_filters(client: AsyncTestClient[Litestar], services: Services) -> None:
    menu = await make_menu(services)
    other_location, _ = await make_location(services, name="Dockside")
    manager = await staff_headers(services, "MANAGER")
    customer = await make_customer(services, name="Grace Hopper", email="grace@navy.example", phone="+15550199")
    as_customer = bearer(services.auth.issue("customer", customer))
    here = {"locationId": menu.location_id}
    await place(client, guest_order(menu, guestName="Ada Lovelace", **here))
    old = await place(
        client, guest_order(menu, orderType="DINE_IN", tableId=menu.table_id, guestName="Old Timer", **here)
    )
    confirmed = await place(client, guest_order(menu, guestEmail="charles@engine.example", **here))
    await place(client, guest_order(menu, **here), as_customer)
    fries = {"menuItemId": menu.fries, "quantity": 1}
    await place(client, guest_order(menu, items=[fries], locationId=other_location, guestPhone="+44 20 7946 0999"))
    moved = await client.patch(f"/api/orders/{confirmed['id']}/status", headers=manager, json={"status": "CONFIRMED"})
    assert moved.status_code == 200
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    async with services.db.transaction() as session:
        await session.execute(update(Order).where(Order.id == old["id"]).values(created_at=three_days_ago))
    today = datetime.now(UTC).date()

    for params in (
        {},
        {"status": "PENDING"},
        {"status": "confirmed,pending"},
        {"orderType": "DINE_IN"},
        {"locationId": other_location},
        {"from": (today - timedelta(days=1)).isoformat()},
        {"to": (today - timedelta(days=2)).isoformat()},
        {"search": "grace"},
        {"search": "ENGINE.example"},
        {"search": "7946"},
        {"search": "old tim"},
        {"search": confirmed["orderNumber"][-3:]},
        {"status": "PENDING", "locationId": menu.location_id, "from": today.isoformat()},
    ):
        header, rows = await export(client, manager, **params)
        assert header == HEADER
        assert [row["number"] for row in rows] == await listed_numbers(client, manager, **params), params

    _, grace = await export(client, manager, search="Hopper")
    assert [(r["customer_name"], r["email"], r["phone"]) for r in grace] == [
        ("Grace Hopper", "grace@navy.example", "'+15550199")
    ]
    refused = await client.get("/api/orders/export.csv", headers=manager, params={"status": "LOST"})
    assert refused.status_code == 400
    assert refused.json()["error"].startswith("Invalid status: LOST.")


async def test_export_writes_money_as_decimal_strings_and_times_in_the_restaurants_zone(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    await services.settings.update_group("general", {"timezone": "America/New_York"})
    await set_settings(services, "orders", taxRate=8.25, deliveryFee=4.99, enableTipping=True)
    await services.coupons.create(
        CouponIn(
            code="WELCOME10", type="PERCENTAGE", value=Decimal(10), min_order=Decimal(20), max_discount=Decimal(15)
        )
    )
    order = await place(
        client,
        guest_order(
            menu,
            orderType="DELIVERY",
            address={"line1": "2 Dock Road", "city": "Portsmouth"},
            items=[
                burger_line(menu, quantity=2, size="large", extras=("cheese", "egg")),
                {"menuItemId": menu.soda, "quantity": 3},
            ],
            couponCode="welcome10",
            tip=3,
        ),
    )
    manager = await staff_headers(services, "MANAGER")

    _, [row] = await export(client, manager)

    created = datetime.fromisoformat(order["createdAt"].replace("Z", "+00:00"))
    assert row == {
        "number": order["orderNumber"],
        "created_at_local": created.astimezone(ZoneInfo("America/New_York")).strftime("%Y-%m-%d %H:%M:%S"),
        "type": "DELIVERY",
        "status": "PENDING",
        "location": menu.location_name,
        "customer_name": "Ada Lovelace",
        "email": "ada@example.com",
        "phone": "'+44 7700 900123",
        "items": "5",
        "subtotal": "34.50",
        "discount": "3.45",
        "tax": "2.56",
        "delivery_fee": "4.99",
        "tip": "3.00",
        "total": "41.60",
        "payment_method": "CASH",
    }


async def test_export_cells_cannot_run_as_spreadsheet_formulas(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    manager = await staff_headers(services, "MANAGER")
    hostile: dict[str, Any] = {
        "guestName": '=HYPERLINK("http://evil.example","Click")',
        "guestEmail": "-2+3@example.com",
        "guestPhone": "555 0100",
    }
    await place(client, guest_order(menu, **hostile))
    await place(client, guest_order(menu, guestName="@SUM(A1:A9)", guestPhone="+1 555 0100"))
    await place(client, guest_order(menu, guestName="Plain Name", guestPhone="555 0100"))

    _, rows = await export(client, manager)

    assert [(r["customer_name"], r["email"], r["phone"]) for r in rows] == [
        ("Plain Name", "ada@example.com", "555 0100"),
        ("'@SUM(A1:A9)", "ada@example.com", "'+1 555 0100"),
        ('\'=HYPERLINK("http://evil.example","Click")', "'-2+3@example.com", "555 0100"),
    ]
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())


async def test_export_streams_every_order_once_across_batches(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    manager = await staff_headers(services, "MANAGER")
    for _ in range(7):
        await place(client, guest_order(menu))
    services.orders.export_batch = 2

    _, rows = await export(client, manager)

    numbers = [row["number"] for row in rows]
    assert numbers == await listed_numbers(client, manager)
    assert len(numbers) == len(set(numbers)) == 7


async def test_export_over_the_cap_is_refused_with_a_sentence(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    manager = await staff_headers(services, "MANAGER")
    for _ in range(3):
        await place(client, guest_order(menu))
    services.orders.export_max_rows = 2

    refused = await client.get("/api/orders/export.csv", headers=manager)
    narrowed = await client.get("/api/orders/export.csv", headers=manager, params={"search": "no-such-order"})

    assert refused.status_code == 400
    assert refused.json() == {
        "success": False,
        "error": "These filters match 3 orders; an export holds at most 2. Please narrow the filters (a shorter "
        "date range, say) and export again.",
        "code": "EXPORT_TOO_LARGE",
    }
    assert narrowed.status_code == 200
    assert narrowed.text.splitlines() == [",".join(HEADER)]


async def test_export_is_for_managers_and_up_and_not_taken_for_an_order_id(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    await place(client, guest_order(menu))
    today = datetime.now(UTC).date().isoformat()  # the restaurant's zone is UTC here

    staff = await client.get("/api/orders/export.csv", headers=await staff_headers(services, "STAFF"))
    manager = await client.get("/api/orders/export.csv", headers=await staff_headers(services, "MANAGER"))
    admin = await client.get("/api/orders/export.csv", headers=await staff_headers(services, "SUPER_ADMIN"))
    anonymous = await client.get("/api/orders/export.csv")

    assert staff.status_code == 403 and staff.json()["success"] is False
    assert anonymous.status_code == 401
    for response in (manager, admin):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == f'attachment; filename="orders-{today}.csv"'
        assert len(response.text.splitlines()) == 2
