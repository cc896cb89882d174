"""The rollups kept by the triggers in the order and status transactions always equal a recount from the orders."""

from __future__ import annotations

import random
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import create_engine, select, text

from kitchenasty.core import migrate
from kitchenasty.core.config import BootSettings
from kitchenasty.core.db import sync_url
from kitchenasty.orders import rollups
from kitchenasty.orders.models import HourRollup, ItemRollup, OrderRollup
from kitchenasty.services import Services
from tests.factories import staff_headers
from tests.orders.fixtures import burger_line, guest_order, make_menu

MOVES = {
    "PENDING": ["CONFIRMED", "CANCELLED"],
    "CONFIRMED": ["PREPARING", "CANCELLED"],
    "PREPARING": ["READY"],
    "READY": ["PICKED_UP"],
}


async def rows(services: Services, model: Any, counted: str) -> set[tuple[Any, ...]]:
    """The rows with something in them (a moved order leaves a zero row behind: it counts for nothing)."""
    async with services.db.session() as session:
        return {
            tuple(getattr(r, c.key) for c in model.__table__.columns)
            for r in await session.scalars(select(model))
            if getattr(r, counted)
        }


async def snapshot(services: Services) -> tuple[set[tuple[Any, ...]], ...]:
    return (
        await rows(services, OrderRollup, "orders"),
        await rows(services, HourRollup, "orders"),
        await rows(services, ItemRollup, "quantity"),
    )


async def test_rollups_kept_while_ordering_equal_a_recount(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    menu = await make_menu(services, soda_stock=1000)
    staff = await staff_headers(services, "MANAGER")
    rng = random.Random(7)
    placed: dict[str, str] = {}
    for n in range(30):
        lines = [burger_line(menu, quantity=rng.randint(1, 3), size=rng.choice(["regular", "large"]))]
        if rng.random() < 0.5:
            lines.append({"menuItemId": menu.soda, "quantity": rng.randint(1, 4)})
        order_type = rng.choice(["PICKUP", "DINE_IN"])
        extra = {"tableId": menu.table_id} if order_type == "DINE_IN" else {}
        response = await client.post("/api/orders", json=guest_order(menu, items=lines, orderType=order_type, **extra))
        assert response.status_code == 201, response.text
        placed[response.json()["data"]["id"]] = "PENDING"
        for order_id, status in list(placed.items()):
            if status in MOVES and rng.random() < 0.4:
                target = rng.choice(MOVES[status])
                if order_type == "DINE_IN" and target == "PICKED_UP":
                    target = "DELIVERED"
                moved = await client.patch(f"/api/orders/{order_id}/status", headers=staff, json={"status": target})
                if moved.status_code == 200:
                    placed[order_id] = target
        if n % 10 == 9:
            kept = await snapshot(services)
            await services.db.run_write(rollups.rebuild)
            assert await snapshot(services) == kept, f"after {n + 1} orders"

    orders = (await snapshot(services))[0]
    by_status: dict[str, int] = {}
    for row in orders:
        status, count = row[4], row[5]
        by_status[status] = by_status.get(status, 0) + count
    expected: dict[str, int] = {}
    for status in placed.values():
        expected[status] = expected.get(status, 0) + 1
    assert by_status == expected


async def test_rows_changed_by_hand_move_their_rollups_too(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    """The triggers follow any change of an order's bucket or amounts, not only the service's status moves."""
    menu = await make_menu(services, soda_stock=100)
    ids = []
    for _ in range(3):
        response = await client.post("/api/orders", json=guest_order(menu, items=[burger_line(menu, quantity=2)]))
        assert response.status_code == 201, response.text
        ids.append(response.json()["data"]["id"])
    async with services.db.session() as session:
        await session.execute(text("UPDATE orders SET total_cents = total_cents + 150 WHERE id = :id"), {"id": ids[0]})
        await session.execute(text("UPDATE orders SET status = 'CANCELLED' WHERE id = :id"), {"id": ids[1]})
        await session.execute(text("UPDATE order_items SET quantity = 5 WHERE order_id = :id"), {"id": ids[2]})
        await session.commit()
    kept = await snapshot(services)
    await services.db.run_write(rollups.rebuild)
    assert await snapshot(services) == kept
    statuses = {row[4]: row[5] for row in kept[0]}
    assert statuses == {"PENDING": 2, "CANCELLED": 1}
    assert sum(row[3] for row in kept[1]) == 2  # the cancelled order left revenue by hour


async def test_every_migration_leaves_the_triggers_this_code_defines(boot: BootSettings) -> None:
    engine = create_engine(sync_url(boot.database_url))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER rollups_order_inserted")
            conn.exec_driver_sql("DROP TRIGGER rollups_item_updated")
        migrate.upgrade(boot.database_url)
        with engine.connect() as conn:
            names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
    finally:
        engine.dispose()
    assert {
        "rollups_order_inserted",
        "rollups_order_updated",
        "rollups_order_deleted",
        "rollups_item_inserted",
        "rollups_item_updated",
    } <= names
