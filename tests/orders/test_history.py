"""An order's status history for the back office: who moved it (staff id, name and role, a customer, or the guest),
when, and the reason given (a cancellation's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.core.audit import AuditEntry
from kitchenasty.orders.models import OrderStatusChange
from kitchenasty.services import Services
from tests.factories import bearer, make_customer, make_staff, staff_headers
from tests.orders.fixtures import guest_order, make_menu
from tests.orders.test_status import place


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_history_shows_who_moved_the_order_when_and_the_reason_they_gave(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    cook = await make_staff(services, "STAFF", name="Carla Cook")
    manager = await make_staff(services, "MANAGER", name="Marco Manager")
    as_cook, as_manager = bearer(services.auth.issue("staff", cook)), bearer(services.auth.issue("staff", manager))
    started = datetime.now(UTC) - timedelta(seconds=1)
    order = await place(client, guest_order(menu))
    for status in ("CONFIRMED", "PREPARING"):
        moved = await client.patch(f"/api/orders/{order['id']}/status", headers=as_cook, json={"status": status})
        assert moved.status_code == 200, moved.text
    cancelled = await client.patch(
        f"/api/orders/{order['id']}/status",
        headers=as_manager,
        json={"status": "CANCELLED", "reason": "  The oven broke down; we called the guest.  "},
    )
    assert cancelled.status_code == 200, cancelled.text

    response = await client.get(f"/api/orders/{order['id']}/history", headers=as_cook)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    history = body["data"]
    assert [(h["status"], h["by"], h["reason"]) for h in history] == [
        ("PENDING", None, None),
        ("CONFIRMED", {"id": cook.id, "name": "Carla Cook", "role": "STAFF"}, None),
        ("PREPARING", {"id": cook.id, "name": "Carla Cook", "role": "STAFF"}, None),
        (
            "CANCELLED",
            {"id": manager.id, "name": "Marco Manager", "role": "MANAGER"},
            "The oven broke down; we called the guest.",
        ),
    ]
    moments = [_moment(h["at"]) for h in history]
    assert moments == sorted(moments)
    assert started <= moments[0] and moments[-1] <= datetime.now(UTC)
    async with services.db.session() as session:
        stored = (
            await session.scalars(select(OrderStatusChange).where(OrderStatusChange.order_id == order["id"]))
        ).all()
        audit = (await session.scalars(select(AuditEntry).where(AuditEntry.entity_id == order["id"]))).all()
    assert {(row.to_status, row.actor_id, row.reason) for row in stored} >= {
        ("CANCELLED", manager.id, "The oven broke down; we called the guest.")
    }
    assert any(
        (entry.changes or {}).get("reason") == [None, "The oven broke down; we called the guest."] for entry in audit
    )


async def test_history_names_the_customer_who_cancelled_and_the_staff_member_who_placed_an_order(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    customer = await make_customer(services, name="Grace Hopper")
    as_customer = bearer(services.auth.issue("customer", customer))
    waiter = await make_staff(services, "STAFF", name="Walter Waiter")
    as_waiter = bearer(services.auth.issue("staff", waiter))

    own = await place(client, guest_order(menu), as_customer)
    cancelled = await client.patch(f"/api/orders/{own['id']}/status", headers=as_customer, json={"status": "CANCELLED"})
    assert cancelled.status_code == 200, cancelled.text
    by_phone = await place(client, guest_order(menu), as_waiter)

    own_history = (await client.get(f"/api/orders/{own['id']}/history", headers=as_waiter)).json()["data"]
    phone_history = (await client.get(f"/api/orders/{by_phone['id']}/history", headers=as_waiter)).json()["data"]

    customer_ref = {"id": customer.id, "name": "Grace Hopper", "role": "CUSTOMER"}
    assert [(h["status"], h["by"], h["reason"]) for h in own_history] == [
        ("PENDING", customer_ref, None),
        ("CANCELLED", customer_ref, None),
    ]
    assert [(h["status"], h["by"]) for h in phone_history] == [
        ("PENDING", {"id": waiter.id, "name": "Walter Waiter", "role": "STAFF"})
    ]


async def test_status_reason_is_trimmed_and_refused_with_a_sentence_when_too_long(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    headers = await staff_headers(services, "MANAGER")
    order = await place(client, guest_order(menu))

    too_long = await client.patch(
        f"/api/orders/{order['id']}/status", headers=headers, json={"status": "CANCELLED", "reason": "x" * 201}
    )
    assert too_long.status_code == 400
    assert too_long.json()["success"] is False
    assert too_long.json()["error"] == "The reason can be at most 200 characters long (this one has 201)"
    assert too_long.json()["code"] == "REASON_TOO_LONG"
    after_refusal = (await client.get(f"/api/orders/{order['id']}/history", headers=headers)).json()["data"]
    assert [h["status"] for h in after_refusal] == ["PENDING"]
    assert (await client.get(f"/api/orders/{order['id']}", headers=headers)).json()["data"]["status"] == "PENDING"

    padded = "   " + "y" * 200 + "\n"
    accepted = await client.patch(
        f"/api/orders/{order['id']}/status", headers=headers, json={"status": "CONFIRMED", "reason": padded}
    )
    assert accepted.status_code == 200, accepted.text
    blank = await client.patch(
        f"/api/orders/{order['id']}/status", headers=headers, json={"status": "CANCELLED", "reason": "   "}
    )
    assert blank.status_code == 200, blank.text
    history = (await client.get(f"/api/orders/{order['id']}/history", headers=headers)).json()["data"]
    assert [(h["status"], h["reason"]) for h in history] == [
        ("PENDING", None),
        ("CONFIRMED", "y" * 200),
        ("CANCELLED", None),
    ]


async def test_history_of_an_unknown_order_is_a_404(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "STAFF")

    response = await client.get("/api/orders/no-such-order/history", headers=headers)

    assert response.status_code == 404
    assert response.json() == {"success": False, "error": "Order not found", "code": "ORDER_NOT_FOUND"}
