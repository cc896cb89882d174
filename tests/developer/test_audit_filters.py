"""The audit log screen's filters (issue 13): who, kind of record, action, restaurant-local days, search; and the
facets the filters offer (what the log holds)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from kitchenasty.core.audit import AuditEntry
from kitchenasty.menu.schemas import CategoryIn, MenuItemIn
from kitchenasty.services import Services
from tests.factories import bearer, make_staff

Client = AsyncTestClient[Litestar]


async def listed(client: Client, headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
    response = await client.get("/api/developer/audit-logs", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_audit_log_filters_by_who_kind_action_day_and_search(client: Client, services: Services) -> None:
    await services.settings.update_group("general", {"timezone": "America/New_York"})
    owner = await make_staff(services, "SUPER_ADMIN")
    manager = await make_staff(services, "MANAGER")
    owner_headers = bearer(services.auth.issue("staff", owner))
    manager_headers = bearer(services.auth.issue("staff", manager))
    category = await services.menu.create_category(CategoryIn(name="Mains", slug="mains"))
    item = await services.menu.create_item(
        MenuItemIn(name="Risotto", slug="risotto", price=Decimal("14.50"), category_id=category.id)
    )
    first = await client.patch(f"/api/menu/items/{item.id}", headers=owner_headers, json={"price": 15.25})
    assert first.status_code == 200, first.text
    second = await client.patch(f"/api/menu/items/{item.id}", headers=manager_headers, json={"price": 16})
    assert second.status_code == 200, second.text
    renamed = await client.put("/api/settings/general", headers=owner_headers, json={"restaurantName": "Saffron"})
    assert renamed.status_code == 200, renamed.text

    # the owner's change happened late on 1 March 2025, New York time (01:30 UTC on the 2nd)
    async with services.db.transaction() as session:
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.actor_id == owner.id, AuditEntry.entity == "menu_item")
            .values(created_at=datetime(2025, 3, 2, 1, 30, tzinfo=UTC))
        )

    by_owner = await listed(client, owner_headers, userId=owner.id)
    assert {(e["entity"], e["userEmail"]) for e in by_owner} == {
        ("menu_item", owner.email),
        ("site_settings", owner.email),
    }
    items = await listed(client, owner_headers, entity="menu_item", action="update")
    assert [e["changes"]["price_cents"] for e in items] == [[1525, 1600], [1450, 1525]]
    assert await listed(client, owner_headers, entity="menu_item", action="delete") == []
    on_the_first = await listed(client, owner_headers, entity="menu_item", **{"from": "2025-03-01", "to": "2025-03-01"})
    assert [e["userEmail"] for e in on_the_first] == [owner.email]
    assert await listed(client, owner_headers, entity="menu_item", **{"from": "2025-03-02", "to": "2025-03-02"}) == []
    since_today = await listed(
        client,
        owner_headers,
        entity="menu_item",
        **{"from": datetime.now(ZoneInfo("America/New_York")).date().isoformat()},
    )
    assert [e["userEmail"] for e in since_today] == [manager.email]
    searched = await listed(client, owner_headers, search=manager.email.upper()[:8])
    assert {e["userEmail"] for e in searched} == {manager.email}

    bad = await client.get("/api/developer/audit-logs", headers=owner_headers, params={"from": "1 Dec"})
    assert bad.status_code == 400
    assert bad.json()["details"] == [{"key": "from", "message": "must be a day such as 2026-12-01"}]
    backwards = await client.get(
        "/api/developer/audit-logs", headers=owner_headers, params={"from": "2026-12-02", "to": "2026-12-01"}
    )
    assert backwards.status_code == 400
    assert backwards.json()["details"][0]["key"] == "to"

    facets = await client.get("/api/developer/audit-logs/facets", headers=owner_headers)
    assert facets.status_code == 200, facets.text
    data = facets.json()["data"]
    assert {"menu_item", "site_settings"} <= set(data["entities"])
    assert data["entities"] == sorted(data["entities"])
    assert "update" in data["actions"]
    assert {(u["id"], u["email"]) for u in data["users"]} >= {(owner.id, owner.email), (manager.id, manager.email)}
    assert (await client.get("/api/developer/audit-logs/facets", headers=manager_headers)).status_code == 403
