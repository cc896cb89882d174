"""The audit log records who changed what, with before -> after, in the transaction of the change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from kitchenasty.core.audit import AuditEntry
from kitchenasty.menu.schemas import CategoryIn, MenuItemIn
from kitchenasty.services import Services
from tests.factories import bearer, customer_headers, make_staff
from tests.orders.fixtures import guest_order, make_menu


async def entries(services: Services, **where: Any) -> list[AuditEntry]:
    async with services.db.session() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.created_at, AuditEntry.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEntry, key) == value)
        return list((await session.scalars(stmt)).all())


async def admin(services: Services) -> tuple[Any, dict[str, str]]:
    user = await make_staff(services, "SUPER_ADMIN")
    return user, bearer(services.auth.issue("staff", user))


async def test_a_price_change_is_recorded_with_before_and_after_and_who(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    category = await services.menu.create_category(CategoryIn(name="Mains", slug="mains"))
    item = await services.menu.create_item(
        MenuItemIn(name="Risotto", slug="risotto", price=Decimal("14.50"), category_id=category.id)
    )
    user, headers = await admin(services)
    response = await client.patch(f"/api/menu/items/{item.id}", headers=headers, json={"price": 15.25})
    assert response.status_code == 200, response.text
    [entry] = await entries(services, entity="menu_item", entity_id=item.id, action="update")
    assert entry.changes["price_cents"] == [1450, 1525]
    assert (entry.actor_id, entry.actor_email, entry.actor_role) == (user.id, user.email, "SUPER_ADMIN")
    assert entry.via == f"PATCH /api/menu/items/{item.id}"

    listed = await client.get("/api/developer/audit-logs", headers=headers, params={"entity": "menu_item"})
    assert listed.status_code == 200
    first = listed.json()["data"][0]
    assert (first["action"], first["entityId"], first["userEmail"]) == ("update", item.id, user.email)
    assert first["changes"]["price_cents"] == [1450, 1525]


async def test_settings_changes_are_recorded_per_field_with_secrets_masked(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    _, headers = await admin(services)
    secret = "correct-horse-battery-staple"
    saved = await client.put("/api/settings/mail", headers=headers, json={"smtpHost": "mx", "smtpPass": secret})
    assert saved.status_code == 200, saved.text
    [entry] = await entries(services, entity="site_settings")
    assert entry.changes["mail"]["smtpHost"] == [None, "mx"]
    assert entry.changes["mail"]["smtpPass"] == [None, "****aple"]
    assert secret not in msgspec.json.encode(entry.changes).decode()


async def test_a_refused_change_leaves_no_audit_row(client: AsyncTestClient[Litestar], services: Services) -> None:
    _, headers = await admin(services)
    await services.menu.create_category(CategoryIn(name="Mains", slug="mains"))
    refused = await client.post("/api/menu/categories", headers=headers, json={"name": "Again", "slug": "mains"})
    assert refused.status_code == 409
    assert [e.action for e in await entries(services, entity="category")] == []


async def test_customers_and_guests_leave_no_audit_rows(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await customer_headers(services)
    response = await client.post("/api/auth/logout", headers=headers)
    assert response.status_code == 200
    async with services.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0


async def test_a_staff_status_change_on_the_hot_path_is_recorded(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services)
    placed = await client.post("/api/orders", json=guest_order(menu))
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["data"]["id"]
    assert await entries(services, entity="order") == []  # a guest's order is its own record
    user, headers = await admin(services)
    moved = await client.patch(f"/api/orders/{order_id}/status", headers=headers, json={"status": "CONFIRMED"})
    assert moved.status_code == 200, moved.text
    [entry] = await entries(services, entity="order", entity_id=order_id)
    assert (entry.action, entry.changes, entry.actor_id) == ("update", {"status": ["PENDING", "CONFIRMED"]}, user.id)
