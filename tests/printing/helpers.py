"""Setting up printers, stations and orders for the printing tests (through the real API)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.printing.models import PrintJob
from kitchenasty.services import Services
from tests.orders.fixtures import GUEST, Menu
from tests.servers import eventually

Client = AsyncTestClient[Litestar]


async def station(client: Client, headers: dict[str, str], name: str, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/stations", headers=headers, json={"name": name, **body})
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def printer(client: Client, headers: dict[str, str], name: str, port: int, **body: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/printers", headers=headers, json={"name": name, "host": "127.0.0.1", "port": port, **body}
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def place(client: Client, menu: Menu, lines: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    body = {"orderType": "PICKUP", "items": lines, **GUEST, **fields}
    response = await client.post("/api/orders", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def burger(menu: Menu, quantity: int = 1, **fields: Any) -> dict[str, Any]:
    return {
        "menuItemId": menu.burger,
        "quantity": quantity,
        "options": [{"menuOptionValueId": menu.values["large"]}, {"menuOptionValueId": menu.values["cheese"]}],
        **fields,
    }


def plain(item_id: str, quantity: int = 1, **fields: Any) -> dict[str, Any]:
    return {"menuItemId": item_id, "quantity": quantity, **fields}


async def jobs(services: Services) -> list[PrintJob]:
    async with services.db.session() as session:
        return list((await session.scalars(select(PrintJob).order_by(PrintJob.id))).all())


async def all_printed(services: Services, count: int, timeout: float = 15.0) -> list[PrintJob]:
    async def check() -> list[PrintJob] | None:
        rows = await jobs(services)
        return rows if len(rows) >= count and all(j.status == "PRINTED" for j in rows) else None

    return await eventually(check, timeout=timeout)
