"""`/api/automation-rules`: CRUD, validation messages, roles."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.automation.helpers import create_rule
from tests.factories import staff_headers

EMAIL_ACTION = {"type": "email", "to": "customer", "subject": "Order {{order.orderNumber}}", "body": "Hi"}


async def test_rules_api_creates_lists_gets_updates_and_deletes(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    manager = await staff_headers(services, "MANAGER")
    admin = await staff_headers(services, "SUPER_ADMIN")
    first = await create_rule(client, manager, name="first", event="order.created", actions=[EMAIL_ACTION])
    second = await create_rule(
        client,
        manager,
        name="Ready SMS",
        event="order.statusChanged",
        conditions={"order.status": "READY"},
        actions=[{"type": "sms", "to": "customer", "body": "Ready!"}],
        isActive=False,
    )
    assert second["conditions"] == [{"path": "order.status", "op": "eq", "value": "READY"}]
    assert (second["isActive"], second["actions"]) == (False, [{"type": "sms", "to": "customer", "body": "Ready!"}])
    assert first["conditions"] == [] and first["isActive"] is True

    listed = await client.get("/api/automation-rules", headers=manager, params={"limit": 1})
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["data"]] == [second["id"]]  # newest first
    assert listed.json()["pagination"] == {"page": 1, "limit": 1, "total": 2, "totalPages": 2}

    fetched = await client.get(f"/api/automation-rules/{first['id']}", headers=manager)
    assert fetched.json()["data"] == first

    patched = await client.patch(
        f"/api/automation-rules/{second['id']}",
        headers=manager,
        json={"isActive": True, "conditions": [{"path": "order.total", "op": "gte", "value": 50}]},
    )
    assert patched.status_code == 200, patched.text
    data = patched.json()["data"]
    assert data["isActive"] is True
    assert data["conditions"] == [{"path": "order.total", "op": "gte", "value": 50}]
    assert data["name"] == "Ready SMS"
    cleared = await client.patch(f"/api/automation-rules/{second['id']}", headers=manager, json={"conditions": None})
    assert cleared.json()["data"]["conditions"] == []

    refused = await client.delete(f"/api/automation-rules/{first['id']}", headers=manager)
    assert refused.status_code == 403
    deleted = await client.delete(f"/api/automation-rules/{first['id']}", headers=admin)
    assert deleted.status_code == 200
    assert deleted.json() == {"success": True, "message": "Automation rule deleted"}
    gone = await client.get(f"/api/automation-rules/{first['id']}", headers=manager)
    assert (gone.status_code, gone.json()["error"]) == (404, "Automation rule not found")


async def test_rules_api_patch_revalidates_against_the_new_event(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    manager = await staff_headers(services, "MANAGER")
    rule = await create_rule(client, manager, event="order.created", actions=[EMAIL_ACTION])
    response = await client.patch(
        f"/api/automation-rules/{rule['id']}", headers=manager, json={"event": "customer.registered"}
    )
    assert response.status_code == 400
    assert "'order.orderNumber' is not in customer.registered events" in response.json()["error"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"event": "order.teleported"}, "Event must be one of: "),
        (
            {"conditions": [{"path": "order.status", "op": "like", "value": "R%"}]},
            "conditions[0].op: unknown operator 'like'; use one of eq, ne, gt, gte, lt, lte, in, contains",
        ),
        (
            {"conditions": {"status": "CONFIRMED"}},
            "conditions[0].path: 'status' is not in order.statusChanged events",
        ),
        (
            {"actions": [{**EMAIL_ACTION, "subject": "Order {{order.orderNumber"}]},
            "actions[0].subject: '{{' at position 6 is never closed with '}}'",
        ),
        (
            {"actions": [{"type": "webhook", "url": "ftp://example.com/in"}]},
            "actions[0].url must be an http:// or https:// URL, got 'ftp://example.com/in'",
        ),
        ({"actions": [{"type": "email", "subject": "s", "body": "b"}]}, "actions[0].to is required"),
        ({"actions": [{"type": "email", "to": "customer", "body": "b"}]}, "actions[0].subject is required"),
        ({"actions": []}, "actions must be a list with at least one action"),
        ({"actions": [{"type": "pigeon"}]}, "actions[0].type must be one of email, sms, webhook"),
    ],
)
async def test_rules_api_refuses_invalid_rules_saying_what_is_wrong(
    client: AsyncTestClient[Litestar], services: Services, rule: dict[str, Any], message: str
) -> None:
    manager = await staff_headers(services, "MANAGER")
    body = {"name": "bad", "event": "order.statusChanged", "actions": [EMAIL_ACTION], **rule}
    response = await client.post("/api/automation-rules", headers=manager, json=body)
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]
    listed = await client.get("/api/automation-rules", headers=manager)
    assert listed.json()["data"] == []


async def test_rules_api_unknown_event_lists_the_valid_events(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    manager = await staff_headers(services, "MANAGER")
    response = await client.post(
        "/api/automation-rules", headers=manager, json={"name": "x", "event": "nope", "actions": [EMAIL_ACTION]}
    )
    error = response.json()["error"]
    for name in ("order.created", "order.statusChanged", "customer.registered", "staff.invited"):
        assert name in error
    assert response.json()["code"] == "UNKNOWN_EVENT"


async def test_rules_api_is_for_managers_and_admins_only(client: AsyncTestClient[Litestar], services: Services) -> None:
    cook = await staff_headers(services, "STAFF")
    response = await client.post(
        "/api/automation-rules", headers=cook, json={"name": "x", "event": "order.created", "actions": [EMAIL_ACTION]}
    )
    assert response.status_code == 403
    assert (await client.get("/api/automation-rules")).status_code == 401


@pytest.mark.parametrize(
    ("rule", "detail"),
    [
        ({"event": "order.teleported"}, "event"),
        ({"conditions": [{"path": "order.status", "op": "in", "value": "READY"}]}, "conditions[0].value"),
        ({"actions": [EMAIL_ACTION, {"type": "email", "to": "customer", "body": "b"}]}, "actions[1].subject"),
        ({"actions": [{"type": "webhook", "url": "http://169.254.169.254/latest"}]}, "actions[0].url"),
        ({"actions": []}, "actions"),
    ],
)
async def test_rules_api_refusals_name_the_field_in_details(
    client: AsyncTestClient[Litestar], services: Services, rule: dict[str, Any], detail: str
) -> None:
    """The rule form marks the row and field a refusal is about (the envelope's `details`)."""
    manager = await staff_headers(services, "MANAGER")
    body = {"name": "bad", "event": "order.statusChanged", "actions": [EMAIL_ACTION], **rule}
    response = await client.post("/api/automation-rules", headers=manager, json=body)
    assert response.status_code == 400, response.text
    [first] = response.json()["details"]
    assert first["key"] == detail
    assert first["message"] and first["message"] in response.json()["error"]
