"""Shared steps for the automation tests: events shaped as the orders service records them, mail settings."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.core.events import EventRecord, record
from kitchenasty.core.outbox import OutboxMessage
from kitchenasty.orders.events import OrderCreated, OrderStatusChanged
from kitchenasty.orders.schemas import OrderOut
from kitchenasty.services import Services
from tests.servers import eventually

GUEST_EMAIL = "ana.guest@example.com"
GUEST_PHONE = "+15550101"


def order(**changes: Any) -> OrderOut:
    """An order as the API shows it (the `order` inside order events)."""
    doc: dict[str, Any] = {
        "id": "cord0000000000000000000001",
        "orderNumber": "KA-0042",
        "trackingToken": "track-0042",
        "status": "CONFIRMED",
        "nextStatus": None,
        "orderType": "PICKUP",
        "locationId": "cloc",
        "location": {"id": "cloc", "name": "Main Street"},
        "customerId": None,
        "customer": None,
        "customerName": "Ana Guest",
        "guestName": "Ana Guest",
        "guestEmail": GUEST_EMAIL,
        "guestPhone": GUEST_PHONE,
        "deliveryAddress": None,
        "tableId": None,
        "tableName": None,
        "scheduledAt": None,
        "comment": None,
        "couponCode": None,
        "paymentMethod": "CASH",
        "subtotal": 22.0,
        "discount": 0.0,
        "deliveryFee": 0.0,
        "tax": 1.76,
        "taxRate": 8.0,
        "tip": 0.0,
        "total": 23.76,
        "items": [
            {
                "id": "citem1",
                "menuItemId": "cmenu1",
                "name": "Margherita",
                "quantity": 2,
                "unitPrice": 11.0,
                "subtotal": 22.0,
                "comment": None,
                "options": [
                    {"id": "copt1", "menuOptionValueId": "cval1", "name": "Size", "value": "Large", "priceModifier": 0}
                ],
            }
        ],
        "createdAt": "2026-11-25T12:00:00.000Z",
        "updatedAt": "2026-11-25T12:00:00.000Z",
    }
    doc.update(changes)
    return msgspec.convert(doc, OrderOut)


async def status_changed(services: Services, status: str, previous: str = "PENDING", **changes: Any) -> None:
    """Record `order.statusChanged` in a transaction, as the orders service does."""
    async with services.db.transaction() as session:
        record(session, OrderStatusChanged(order=order(status=status, **changes), previous_status=previous))


async def order_created(services: Services, **changes: Any) -> None:
    async with services.db.transaction() as session:
        record(session, OrderCreated(order=order(status="PENDING", **changes)))


async def configure_mail(client: AsyncTestClient[Litestar], admin: dict[str, str], port: int, **extra: Any) -> None:
    response = await client.put(
        "/api/settings/mail",
        headers=admin,
        json={
            "smtpHost": "127.0.0.1",
            "smtpPort": port,
            "encryption": "none",
            "senderName": "Pizzeria Uno",
            "senderEmail": "kitchen@pizzeria.example",
            **extra,
        },
    )
    assert response.status_code == 200, response.text


async def create_rule(client: AsyncTestClient[Litestar], headers: dict[str, str], **rule: Any) -> dict[str, Any]:
    response = await client.post("/api/automation-rules", headers=headers, json={"name": "rule", **rule})
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def deliveries(services: Services) -> list[OutboxMessage]:
    async with services.db.session() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at))).all())


async def all_events_processed(services: Services) -> bool:
    async with services.db.session() as session:
        waiting = await session.scalar(select(EventRecord.id).where(EventRecord.processed_at.is_(None)))
    return waiting is None


async def sent(services: Services, count: int = 1) -> list[OutboxMessage]:
    """Wait until `count` deliveries are marked SENT (the SMTP server may see a mail just before that)."""

    async def check() -> list[OutboxMessage] | None:
        rows = [m for m in await deliveries(services) if m.status == "SENT"]
        return rows if len(rows) >= count else None

    return await eventually(check)
