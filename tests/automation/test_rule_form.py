"""The rule form's helpers (issue 13): the paths, operators and action kinds per event kind, and a preview of an
action rendered against the last real event of its kind by the worker's own planner (nothing sent or stored)."""

from __future__ import annotations

import json
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from kitchenasty.core.events import EventRecord
from kitchenasty.core.outbox import OutboxMessage
from kitchenasty.services import Services
from tests.automation.helpers import GUEST_EMAIL, GUEST_PHONE, order_created, status_changed
from tests.factories import make_customer, make_staff, staff_headers


async def catalog(client: AsyncTestClient[Litestar], services: Services) -> dict[str, dict[str, Any]]:
    response = await client.get("/api/automation/events", headers=await staff_headers(services, "MANAGER"))
    assert response.status_code == 200, response.text
    return {kind["event"]: kind for kind in response.json()["data"]}


async def test_events_list_each_kinds_paths_operators_and_actions(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    kinds = await catalog(client, services)

    assert set(kinds) == {
        "order.created",
        "order.statusChanged",
        "customer.registered",
        "staff.invited",
        "reservation.created",
        "reservation.statusChanged",
        "payment.succeeded",
        "payment.failed",
        "payment.refunded",
    }
    paid = {p["path"] for p in kinds["payment.succeeded"]["paths"]}
    assert {"order.paymentStatus", "order.total", "payment.amount", "payment.provider"} <= paid
    booked = {p["path"] for p in kinds["reservation.created"]["paths"]}
    assert {"reservation.partySize", "reservation.guestEmail", "reservation.status"} <= booked
    assert "reservation.manageUrl" in booked  # a rule's e-mail can give the guest their manage link, as orders do
    changed = kinds["order.statusChanged"]
    paths = {p["path"]: p for p in changed["paths"]}
    status = paths["order.status"]
    assert (status["type"], status["operators"]) == ("string", ["eq", "ne", "in"])
    assert "READY" in status["choices"] and "CANCELLED" in status["choices"]
    assert paths["order.total"]["type"] == "number"
    assert "gt" in paths["order.total"]["operators"] and "contains" not in paths["order.total"]["operators"]
    assert (paths["order.customer"]["type"], paths["order.customer"]["nullable"]) == ("object", True)
    assert paths["order.items"]["operators"] == ["contains"]
    assert "order.items.0.name" in paths and "order.deliveryAddress.city" in paths
    assert "previousStatus" in paths
    assert [o["op"] for o in changed["operators"]] == ["eq", "ne", "gt", "gte", "lt", "lte", "in", "contains"]
    actions = {a["type"]: {f["name"]: f for f in a["fields"]} for a in changed["actions"]}
    assert set(actions) == {"email", "sms", "webhook"}
    assert actions["email"]["subject"]["template"] is True and actions["email"]["subject"]["required"] is True
    assert actions["webhook"]["url"]["template"] is False
    assert "customer" in changed["recipients"] and "staff:MANAGER" in changed["recipients"]
    assert {p["path"] for p in kinds["customer.registered"]["paths"]} >= {"customer.email", "customer.name"}
    invited = {p["path"] for p in kinds["staff.invited"]["paths"]}
    assert {"invite.email", "invite.role", "invite.expiresAt"} <= invited
    assert not any("token" in p.lower() for p in invited)
    assert (
        await client.get("/api/automation/events", headers=await staff_headers(services, "STAFF"))
    ).status_code == 403


async def test_every_offered_path_is_accepted_by_the_rule_validator(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    kinds = await catalog(client, services)
    headers = await staff_headers(services, "MANAGER")
    for name, kind in kinds.items():
        conditions = [{"path": p["path"], "op": p["operators"][0], "value": None} for p in kind["paths"]][:20]
        body = {
            "name": f"every path of {name}",
            "event": name,
            "conditions": conditions,
            "actions": [
                {
                    "type": "email",
                    "to": "owner@example.com",
                    "subject": " ".join(f"{{{{{p['path']}}}}}" for p in kind["paths"])[:500].rsplit(" ", 1)[0],
                }
            ],
        }
        response = await client.post("/api/automation-rules", headers=headers, json=body)
        assert response.status_code == 201, (name, response.text)


async def test_preview_renders_an_email_against_the_last_event_of_its_kind(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    await status_changed(services, "CONFIRMED", orderNumber="KA-0001")
    await status_changed(services, "READY", orderNumber="KA-0002", guestName="Ana <b>Guest</b>")
    await order_created(services, orderNumber="KA-0003")  # another kind: not this one
    headers = await staff_headers(services, "MANAGER")
    async with services.db.session() as session:
        before = (
            await session.scalar(select(func.count()).select_from(EventRecord)),
            await session.scalar(select(func.count()).select_from(OutboxMessage)),
        )
    action = {
        "type": "email",
        "to": "customer",
        "subject": "Order {{ order.orderNumber }} is {{order.status}}",
        "body": "<p>Hello {{order.guestName}}, total {{order.total}}</p>",
    }

    response = await client.post(
        "/api/automation/preview", headers=headers, json={"event": "order.statusChanged", "action": action}
    )

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["event"] == "order.statusChanged" and data["eventId"] and data["occurredAt"]
    assert data["note"] is None
    [mail] = data["deliveries"]
    assert (mail["channel"], mail["to"], mail["subject"]) == ("email", GUEST_EMAIL, "Order KA-0002 is READY")
    assert mail["html"] == "<p>Hello Ana &lt;b&gt;Guest&lt;/b&gt;, total 23.76</p>"
    async with services.db.session() as session:
        after = (
            await session.scalar(select(func.count()).select_from(EventRecord)),
            await session.scalar(select(func.count()).select_from(OutboxMessage)),
        )
    assert after == before  # nothing sent, nothing recorded


async def test_preview_of_sms_webhook_and_staff_recipients(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    await make_staff(services, "MANAGER", email="boss@example.com")
    customer = await make_customer(services, email="newbie@example.com", name="Newbie")
    headers = await staff_headers(services, "SUPER_ADMIN")
    await status_changed(services, "READY")

    sms = await client.post(
        "/api/automation/preview",
        headers=headers,
        json={"event": "order.statusChanged", "action": {"type": "sms", "to": "customer", "body": "{{order.status}}"}},
    )
    assert [(d["channel"], d["to"], d["text"]) for d in sms.json()["data"]["deliveries"]] == [
        ("sms", GUEST_PHONE, "READY")
    ]
    hook = await client.post(
        "/api/automation/preview",
        headers=headers,
        json={"event": "order.statusChanged", "action": {"type": "webhook", "url": "https://hooks.example.com/x"}},
    )
    [delivery] = hook.json()["data"]["deliveries"]
    assert (delivery["to"], delivery["subject"]) == ("https://hooks.example.com/x", "order.statusChanged")
    assert json.loads(delivery["text"])["data"]["order"]["status"] == "READY"
    welcome = await client.post(
        "/api/automation/preview",
        headers=headers,
        json={
            "event": "customer.registered",
            "action": {"type": "email", "to": "staff:MANAGER", "subject": "New customer {{customer.name}}"},
        },
    )
    [mail] = welcome.json()["data"]["deliveries"]
    assert (mail["to"], mail["subject"]) == ("boss@example.com", f"New customer {customer.name}")


async def test_preview_says_so_when_there_is_no_event_or_no_recipient(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    headers = await staff_headers(services, "MANAGER")
    action = {"type": "email", "to": "customer", "subject": "Hi"}
    none_yet = await client.post(
        "/api/automation/preview", headers=headers, json={"event": "order.created", "action": action}
    )
    assert none_yet.status_code == 200
    data = none_yet.json()["data"]
    assert (data["eventId"], data["deliveries"]) == (None, [])
    assert data["note"].startswith("No order.created event has happened yet")

    await order_created(services, guestEmail=None)
    nobody = (
        await client.post("/api/automation/preview", headers=headers, json={"event": "order.created", "action": action})
    ).json()["data"]
    assert nobody["eventId"] and nobody["deliveries"] == []
    assert "no recipient" in nobody["note"]


async def test_preview_refuses_what_a_rule_would_refuse(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "MANAGER")
    for body, words in (
        ({"event": "order.nope", "action": {"type": "sms", "to": "customer", "body": "x"}}, "Event must be one of"),
        (
            {"event": "order.created", "action": {"type": "email", "to": "customer", "subject": "{{ order.id "}},
            "actions[0].subject",
        ),
        (
            {"event": "order.created", "action": {"type": "email", "to": "customer", "subject": "{{status}}"}},
            "'status' is not in order.created events",
        ),
        ({"event": "order.created", "action": {"type": "fax"}}, "actions[0].type"),
    ):
        response = await client.post("/api/automation/preview", headers=headers, json=body)
        assert response.status_code == 400, body
        assert words in response.json()["error"]
