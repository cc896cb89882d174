"""(f) The dashboard's cost does not grow with the number of orders: `GET /api/dashboard/stats` on a restaurant with
1,000 orders and on one with 100,000 (the same 30 days, seeded straight into SQLite, rollups rebuilt once), in the
same run, one client at a time. Compared with: each other (the target: within 1.5x).

    python -m benchmarks.dashboard [--seconds 5] [--small 1000] [--large 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.harness import Api, kitchenasty_server, seed_menu, wrk
from kitchenasty.core.db import Database
from kitchenasty.core.schema import new_id
from kitchenasty.orders import rollups

STATUSES = ("PICKED_UP", "PICKED_UP", "PICKED_UP", "DELIVERED", "CANCELLED", "PENDING", "PREPARING")


def seed_orders(db_path: Path, location_id: str, item_ids: list[str], count: int) -> float:
    """`count` orders with 1-3 lines each over the last 30 days, written with plain sqlite3; returns seconds."""
    rng = random.Random(count)
    started = time.perf_counter()
    now = datetime.now(UTC)
    conn = sqlite3.connect(db_path)
    orders, items = [], []
    for n in range(count):
        created = now - timedelta(minutes=rng.randint(0, 30 * 24 * 60))
        order_id = new_id()
        lines = rng.randint(1, 3)
        subtotal = 0
        for position in range(lines):
            quantity, price = rng.randint(1, 3), rng.choice((350, 1000, 1250, 1450))
            items.append(
                (
                    new_id(),
                    order_id,
                    rng.choice(item_ids),
                    position,
                    f"Dish {position}",
                    quantity,
                    price,
                    price * quantity,
                )
            )
            subtotal += price * quantity
        orders.append(
            (
                order_id,
                f"KB-{n:07d}",
                new_id() + new_id(),
                location_id,
                rng.choice(("PICKUP", "DELIVERY", "DINE_IN")),
                rng.choice(STATUSES),
                subtotal,
                subtotal,
                created.date().isoformat(),
                created.hour,
                created.strftime("%Y-%m-%d %H:%M:%S.%f"),
            )
        )
    conn.executemany(
        "INSERT INTO orders (id, order_number, tracking_token, location_id, order_type, status, subtotal_cents,"
        " discount_cents, delivery_fee_cents, tax_cents, tip_cents, total_cents, tax_rate_bp, payment_method,"
        " local_day, local_hour, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, 0, 'CASH', ?, ?, ?, ?11)",
        orders,
    )
    conn.executemany(
        "INSERT INTO order_items (id, order_id, menu_item_id, position, name, quantity, unit_price_cents,"
        " subtotal_cents, stock_taken) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        items,
    )
    conn.commit()
    conn.close()
    return time.perf_counter() - started


async def rebuild(url: str) -> tuple[int, int]:
    db = Database(url)
    try:
        return await db.run_write(rollups.rebuild)
    finally:
        await db.dispose()


def one_size(count: int, seconds: float) -> dict[str, Any]:
    with kitchenasty_server() as server:
        api = Api(server.base_url)
        try:
            token = api.login()
            menu = seed_menu(api, 40)
            location_id = menu.location_id
            item_ids = [line["menuItemId"] for line in menu.order_body["items"]]
            assert server.data_dir is not None
            db_path = server.data_dir / "kitchenasty.db"
            seeded = seed_orders(db_path, location_id, item_ids, count)
            started = time.perf_counter()
            order_rows, item_rows = asyncio.run(rebuild(f"sqlite:///{db_path}"))
            rebuilt = time.perf_counter() - started
            script = f'wrk.headers["Authorization"] = "Bearer {token}"\n'
            url = f"{server.base_url}/api/dashboard/stats"
            wrk(url, connections=1, seconds=1, script=script)  # warm-up
            load = wrk(
                url, connections=1, seconds=seconds, script=script, name=f"stats at {count} orders", server=server
            )
            check = api.call("GET", "/api/dashboard/stats")
        finally:
            api.close()
    return {
        "orders": count,
        "seed_s": round(seeded, 2),
        "rebuild_s": round(rebuilt, 2),
        "rollup_rows": order_rows,
        "item_rollup_rows": item_rows,
        "total_orders_seen": check["metrics"]["totalOrders"],
        "load": load.as_dict(),
        "ms_per_request": 1000 / load.rps if load.rps else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    small, large = one_size(args.small, args.seconds), one_size(args.large, args.seconds)
    ratio = large["ms_per_request"] / small["ms_per_request"]
    print(f"{'figure':<44}{'small':>14}{'large':>14}")
    for label, key in (
        ("orders", "orders"),
        ("rollup rows", "rollup_rows"),
        ("orders the dashboard counts", "total_orders_seen"),
    ):
        print(f"{label:<44}{small[key]:>14}{large[key]:>14}")
    print(f"{'stats ms per request (1 client)':<44}{small['ms_per_request']:>14.2f}{large['ms_per_request']:>14.2f}")
    print(f"{'stats p99 ms':<44}{small['load']['p99_ms']:>14.2f}{large['load']['p99_ms']:>14.2f}")
    print(
        f"{'server CPU us per request':<44}{small['load']['cpu_us_per_request']:>14.0f}{large['load']['cpu_us_per_request']:>14.0f}"
    )
    print(f"{'rollups rebuilt from the orders, s':<44}{small['rebuild_s']:>14}{large['rebuild_s']:>14}")
    print(f"large / small time per request: {ratio:.2f} (target <= 1.5)")
    result = {"small": small, "large": large, "ratio": ratio}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if small["total_orders_seen"] != args.small or large["total_orders_seen"] != args.large:
        sys.exit("the dashboard did not count every seeded order")


if __name__ == "__main__":
    main()
