"""KitchenAsty benchmarks: every figure next to a baseline measured in the same run.

    python -m benchmarks.run                     # ours and the Node stand-in side by side (benchmarks/compare.py)
    python -m benchmarks.run --compare --quick   # the same, 1 rep of 3 s loads
    python -m benchmarks.run --only a,b,c,d      # ours alone: the workloads below, 3 runs each, 10 s per load
    python -m benchmarks.run --only a,c --runs 1 --seconds 5

Workloads (see benchmarks/README.md): (a) order placement at 1 and 16 clients, (b) status changes fanned out to
5 kitchen + 500 order-room sockets and the end-to-end latency to an order room, (c) whole-menu read (200 items),
(d) one event to 1,000 kitchen subscribers and a burst, (e) server RSS at the end, (g) item taps on the kitchen
line (`--only g`; benchmarks/kitchen_line.py). Baselines: a bare Litestar JSON
endpoint on the same server settings (benchmarks/bare_app.py) and raw sqlite3 inserts of the same rows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import connect

from benchmarks.harness import (
    ROOT,
    Api,
    LoadResult,
    SeededMenu,
    Server,
    bare_server,
    kitchenasty_server,
    lua_post,
    lua_string,
    median,
    require_wrk,
    seed_menu,
    wrk,
)

PICKUP_PATH = ("CONFIRMED", "PREPARING", "READY", "PICKED_UP")
STATUS_POOL = 12_000
"""Orders placed before the status-change load (more than 10 s of changes at the rates measured here)."""


# ---------------------------------------------------------------- baselines


def baseline_bare(seconds: float) -> dict[str, LoadResult]:
    with bare_server() as bare:
        wrk(f"{bare.base_url}/json", connections=16, seconds=2)  # warm-up
        get16 = wrk(f"{bare.base_url}/json", connections=16, seconds=seconds, name="bare GET x16", server=bare)
        get1 = wrk(f"{bare.base_url}/json", connections=1, seconds=seconds, name="bare GET x1", server=bare)
        post16 = wrk(
            f"{bare.base_url}/json",
            connections=16,
            seconds=seconds,
            name="bare POST x16",
            server=bare,
            script=lua_post({"hello": "world", "n": [1, 2, 3]}),
        )
    return {"get16": get16, "get1": get1, "post16": post16}


def baseline_sqlite_inserts(count: int = 5000) -> dict[str, float]:
    """Raw sqlite3 on the real schema (migrated to head, WAL, synchronous=NORMAL, foreign keys on): the rows one
    order writes - the order, 3 items, 6 chosen options, the status-history row, the event, the day counter - in
    one transaction per order, with time-ordered ids like the app's. No validation, no HTTP: the floor."""
    from kitchenasty.core import migrate
    from kitchenasty.core.schema import new_id

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "raw.db"
        migrate.upgrade(f"sqlite:///{path}")
        conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
        now = "2026-11-25 12:00:00.000000"
        conn.execute(
            "INSERT INTO locations (id, name, slug, address, city, postal_code, country, is_active, "
            "delivery_enabled, pickup_enabled, dine_in_enabled, min_order_delivery_cents, "
            "min_order_pickup_cents, delivery_lead_time, pickup_lead_time, is_busy, busy_extra_minutes, created_at, "
            "updated_at) VALUES ('loc', 'L', 'l', 'a', 'c', '1', 'US', 1, 1, 1, 1, 0, 0, 30, 15, 0, 20, ?, ?)",
            (now, now),
        )
        conn.execute(
            "INSERT INTO categories (id, name, slug, sort_order, is_active, created_at, updated_at) "
            "VALUES ('cat', 'C', 'c', 0, 1, ?, ?)",
            (now, now),
        )
        conn.execute(
            "INSERT INTO menu_items (id, name, slug, price_cents, is_active, sort_order, track_stock, "
            "stock_qty, category_id, created_at, updated_at) VALUES ('item', 'Dish', 'd', 950, 1, 0, 0, 0, "
            "'cat', ?, ?)",
            (now, now),
        )
        conn.execute(
            "INSERT INTO menu_options (id, menu_item_id, name, display_type, is_required, min_select, "
            "max_select, sort_order, is_active) VALUES ('opt', 'item', 'Size', 'RADIO', 1, 1, 1, 0, 1)"
        )
        conn.execute(
            "INSERT INTO menu_option_values (id, menu_option_id, name, price_modifier_cents, is_default, "
            "sort_order, is_active) VALUES ('val', 'opt', 'Large', 250, 0, 0, 1)"
        )
        payload = json.dumps({"order": {"id": "x" * 26, "items": [{"name": "Dish", "options": []}] * 3}})
        started = time.perf_counter()
        for _ in range(count):
            oid = new_id()
            conn.execute("BEGIN IMMEDIATE")
            number = conn.execute(
                "INSERT INTO order_counters (day, last_value) VALUES ('2026-11-25', 1) "
                "ON CONFLICT (day) DO UPDATE SET last_value = last_value + 1 RETURNING last_value"
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO orders (id, order_number, tracking_token, location_id, order_type, status, "
                "subtotal_cents, discount_cents, delivery_fee_cents, tax_cents, tip_cents, total_cents, tax_rate_bp, "
                "guest_name, guest_email, guest_phone, payment_method, request_fingerprint, created_at, updated_at, "
                "local_day, local_hour) "
                "VALUES (?, ?, ?, 'loc', 'PICKUP', 'PENDING', 3900, 0, 0, 0, 0, 3900, 0, 'Load Tester', "
                "'load@example.com', '+15550100', 'CASH', 'f', ?, ?, '2026-11-25', 12)",
                (oid, f"KA-251125-{number:03d}", uuid.uuid4().hex, now, now),
            )
            item_ids = [new_id() for _ in range(3)]
            conn.executemany(
                "INSERT INTO order_items (id, order_id, menu_item_id, position, name, quantity, unit_price_cents, "
                "subtotal_cents, stock_taken) VALUES (?, ?, 'item', ?, 'Dish', 2, 1300, 2600, 0)",
                [(iid, oid, position) for position, iid in enumerate(item_ids)],
            )
            conn.executemany(
                "INSERT INTO order_item_options (id, order_item_id, menu_option_value_id, position, name, value, "
                "price_modifier_cents) VALUES (?, ?, 'val', ?, 'Size', 'Large', 250)",
                [(new_id(), iid, k) for iid in item_ids for k in range(2)],
            )
            conn.execute(
                "INSERT INTO order_status_changes (id, order_id, to_status, actor_type, created_at) "
                "VALUES (?, ?, 'PENDING', 'guest', ?)",
                (new_id(), oid, now),
            )
            conn.execute(
                "INSERT INTO events (id, name, payload, created_at) VALUES (?, 'order.created', ?, ?)",
                (new_id(), payload, now),
            )
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
    return {"orders_per_s": count / elapsed, "us_per_order": elapsed / count * 1e6}


# ---------------------------------------------------------------- helpers


@contextmanager
def seeded_server(items: int) -> Iterator[tuple[Server, Api, SeededMenu]]:
    """A fresh server, an admin API client logged in, and a menu of `items` items."""
    with kitchenasty_server() as server:
        api = Api(server.base_url)
        try:
            api.login()
            yield server, api, seed_menu(api, items)
        finally:
            api.close()


async def place_orders(base_url: str, body: dict[str, Any], count: int, concurrency: int = 16) -> list[tuple[str, str]]:
    """Place `count` orders through the API; returns [(id, trackingToken)]."""
    out: list[tuple[str, str]] = []
    retries: list[str] = []
    queue = iter(range(count))
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:

        async def worker() -> None:
            for _ in queue:
                # As a real client would: a dropped connection is retried with the same key, never ordered twice.
                key = uuid.uuid4().hex
                for attempt in range(3):
                    try:
                        response = await client.post("/api/orders", json=body, headers={"Idempotency-Key": key})
                        break
                    except httpx.TransportError:
                        if attempt == 2:
                            raise
                        retries.append(key)
                if response.status_code not in (200, 201):
                    raise RuntimeError(f"order refused: {response.status_code} {response.text[:200]}")
                data = response.json()["data"]
                out.append((data["id"], data["trackingToken"]))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    if retries:
        print(f"place_orders: {len(retries)} dropped connection(s) retried", file=sys.stderr)
    return out


def status_lua(
    order_ids: list[str],
    token: str,
    threads: int,
    steps: tuple[str, ...] = PICKUP_PATH,
    stop_reserve: int | None = None,
) -> str:
    """wrk script: each thread walks its own orders round-robin, one step of `steps` per round, so no two
    in-flight requests ever touch the same order. The pool is large enough that a run stays in the first round
    (every request confirms a fresh order): wrk may build a request it then never sends (connection set-up), and a
    skipped step would make a later step of that order a refused transition. With `stop_reserve`, a thread stops
    sending that many orders before the end of its first round (so it never wraps round, whatever the rate)."""
    ids = ",".join(lua_string(i) for i in order_ids)
    path = ",".join(lua_string(s) for s in steps)
    stop = f"  if k >= #mine - {stop_reserve} then wrk.thread:stop() end\n" if stop_reserve is not None else ""
    return f"""
local ids = {{{ids}}}
local path = {{{path}}}
local threads = {threads}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
function init(args)
  mine = {{}}
  for i = 1, #ids do
    if (i - 1) % threads == tid then mine[#mine + 1] = ids[i] end
  end
  k = 0
end
function request()
  local n = #mine
  local round = math.floor(k / n) % #path
  local id = mine[(k % n) + 1]
  k = k + 1
  local body = '{{"status":"' .. path[round + 1] .. '"}}'
  return wrk.format("PATCH", "/api/orders/" .. id .. "/status",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {token}"}}, body)
end
function response(status, headers, body)
  if status >= 300 then io.write("NON2XX " .. status .. " " .. body .. "\\n") end
{stop}end
"""


class WsClients:
    """benchmarks/ws_clients.py in a separate process."""

    def __init__(
        self,
        server: Server,
        *,
        kitchen: int = 0,
        token: str = "",
        orders: Sequence[tuple[str, str]] = (),
        socketio: bool = False,
    ) -> None:
        self.tmp = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
        json.dump(list(orders), self.tmp)
        self.tmp.close()
        ws_base = server.base_url.replace("http://", "ws://")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "ws_clients.py"),
                "--base",
                ws_base,
                "--kitchen",
                str(kitchen),
                "--token",
                token,
                "--orders",
                self.tmp.name,
                *(["--socketio"] if socketio else []),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if line != "READY":
            raise RuntimeError(f"ws clients did not start: {line!r}")

    def stop(self) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("STOP\n")
        self.proc.stdin.flush()
        summary = json.loads(self.proc.stdout.readline())
        self.proc.wait(60)
        Path(self.tmp.name).unlink()
        return summary


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


# ---------------------------------------------------------------- workloads


def workload_orders(server: Server, menu: SeededMenu, seconds: float) -> dict[str, LoadResult]:
    script = lua_post(menu.order_body)
    wrk(f"{server.base_url}/api/orders", connections=16, seconds=2, script=script)  # warm-up
    x1 = wrk(
        f"{server.base_url}/api/orders", connections=1, seconds=seconds, script=script, name="orders x1", server=server
    )
    x16 = wrk(
        f"{server.base_url}/api/orders",
        connections=16,
        seconds=seconds,
        script=script,
        name="orders x16",
        server=server,
    )
    return {"x1": x1, "x16": x16}


def workload_status(server: Server, api: Api, menu: SeededMenu, seconds: float) -> dict[str, Any]:
    """(b) status changes at 16 clients with 5 kitchen + 500 order-room sockets listening; then, with the same
    sockets still open, the end-to-end latency of one change to its order-room subscriber at 1 client."""
    kitchens = WsClients(server, kitchen=5, token=api.token)  # the board is empty when the tablets join
    pool = asyncio.run(place_orders(server.base_url, menu.order_body, STATUS_POOL))
    fresh = asyncio.run(place_orders(server.base_url, menu.order_body, 60, concurrency=4))
    rooms = WsClients(server, orders=pool[:500])
    result = wrk(
        server.base_url,
        connections=16,
        seconds=seconds,
        script=status_lua([o for o, _ in pool], api.token, 2),
        name="status x16 (+505 sockets)",
        server=server,
    )
    latencies = []
    ws_base = server.base_url.replace("http://", "ws://")
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {api.token}"}) as http:
        for order_id, tracking in fresh:
            with connect(f"{ws_base}/api/ws/orders/{order_id}?tracking={tracking}", compression=None) as ws:
                json.loads(ws.recv(timeout=10))  # snapshot
                for status in PICKUP_PATH:
                    started = time.perf_counter()
                    response = http.patch(f"/api/orders/{order_id}/status", json={"status": status})
                    response.raise_for_status()
                    while True:
                        message = json.loads(ws.recv(timeout=10))
                        if message["event"] == "order.statusUpdate" and message["data"]["status"] == status:
                            break
                    latencies.append((time.perf_counter() - started) * 1000)
    time.sleep(2.0)
    kitchen_summary, room_summary = kitchens.stop(), rooms.stop()
    kitchen_counts = list(kitchen_summary["per_socket"].values())
    changes = result.requests - result.errors + len(latencies)
    room_counts = room_summary["per_socket"]
    fanout = {
        "deliveries": kitchen_summary["deliveries"] + room_summary["deliveries"],
        "kitchen_min": min(kitchen_counts),
        "kitchen_max": max(kitchen_counts),
        "kitchen_expected_at_least": STATUS_POOL + len(fresh) + changes,
        "order_rooms_with_updates": sum(1 for v in room_counts.values() if v),
        "order_rooms": len(room_counts),
        "seq_gaps": kitchen_summary["seq_gaps"] + room_summary["seq_gaps"],
        "wrong_room": room_summary["wrong_room"],
        "closed": [kitchen_summary["closed"], room_summary["closed"]],
    }
    return {
        "load": result,
        "fanout": fanout,
        "e2e_ms": {"n": len(latencies), "p50": median(latencies), "p99": percentile(latencies, 99)},
    }


def workload_menu(server: Server, menu: SeededMenu, seconds: float) -> LoadResult:
    url = f"{server.base_url}/api/menu?locationId={menu.location_id}"
    wrk(url, connections=16, seconds=2)
    return wrk(url, connections=16, seconds=seconds, name=f"menu read ({menu.item_count} items) x16", server=server)


def workload_burst(
    server: Server, token: str, menu: SeededMenu, burst: int = 100, *, socketio: bool = False
) -> dict[str, Any]:
    """(d) 1,000 kitchen subscribers (two client processes) join an empty board; orders arrive (each fans out to
    all 1,000); then one status change is timed to the last subscriber, then a burst of `burst` changes (server CPU
    per delivery over the burst, RSS with the 1,000 sockets open). `socketio`: the Node stand-in's clients."""
    groups = [WsClients(server, kitchen=500, token=token, socketio=socketio) for _ in range(2)]
    pool = asyncio.run(place_orders(server.base_url, menu.order_body, burst + 1))
    time.sleep(2.0)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}) as http:
        single_id = pool[0][0]
        t0 = time.time()
        http.patch(f"/api/orders/{single_id}/status", json={"status": "CONFIRMED"}).raise_for_status()
        time.sleep(2.0)
        burst_ids = [o for o, _ in pool[1:]]

        async def fire() -> float:
            async with httpx.AsyncClient(
                base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
            ) as client:
                sem = asyncio.Semaphore(16)

                async def one(order_id: str) -> None:
                    async with sem:
                        (
                            await client.patch(f"/api/orders/{order_id}/status", json={"status": "CONFIRMED"})
                        ).raise_for_status()

                start = time.time()
                await asyncio.gather(*(one(i) for i in burst_ids))
                return start

        cpu_before = server.cpu_seconds()
        burst_start = asyncio.run(fire())
        time.sleep(3.0)
        cpu_burst = server.cpu_seconds() - cpu_before
    rss_mb = server.rss_mb()
    summaries = [g.stop() for g in groups]
    single_key = f"{single_id}:CONFIRMED"
    single_last = max(s["arrivals"][single_key][1] for s in summaries if single_key in s["arrivals"])
    single_got = sum(s["arrivals"].get(single_key, [0, 0, 0])[2] for s in summaries)
    burst_keys = [f"{i}:CONFIRMED" for i in burst_ids]
    burst_last = max(s["arrivals"][k][1] for s in summaries for k in burst_keys if k in s["arrivals"])
    burst_deliveries = sum(s["arrivals"][k][2] for s in summaries for k in burst_keys if k in s["arrivals"])
    expected = 1000 * len(burst_ids)
    return {
        "subscribers": sum(s["sockets"] for s in summaries),
        "single_event_ms_to_last_subscriber": (single_last - t0) * 1000,
        "single_event_delivered": single_got,
        "burst_events": len(burst_ids),
        "burst_deliveries": burst_deliveries,
        "burst_expected": expected,
        "burst_deliveries_per_s": burst_deliveries / (burst_last - burst_start),
        "burst_cpu_us_per_delivery": cpu_burst / burst_deliveries * 1e6 if burst_deliveries else float("nan"),
        "rss_mb_with_sockets": rss_mb,
        "seq_gaps": sum(s["seq_gaps"] for s in summaries),
        "sockets_closed": [s["closed"] for s in summaries],
    }


# ---------------------------------------------------------------- report


def run_once(only: set[str], seconds: float) -> dict[str, Any]:
    """One run: the baselines, then each workload on its own fresh server (a restaurant's board holds tens of
    active orders, not the thousands an earlier load would leave on it)."""
    out: dict[str, Any] = {}
    bare = baseline_bare(seconds)
    out["baseline"] = {k: v.as_dict() for k, v in bare.items()}
    out["baseline"]["sqlite_inserts"] = baseline_sqlite_inserts()
    bare_rps = bare["get16"].rps
    rss: dict[str, float] = {}
    if only & {"a", "c"}:
        with seeded_server(200) as (server, api, menu):
            if "c" in only:
                menu_read = workload_menu(server, menu, seconds)
                out["c_menu"] = {**menu_read.as_dict(), "ratio_vs_bare": menu_read.rps / bare_rps}
            if "a" in only:
                orders = workload_orders(server, menu, seconds)
                out["a_orders"] = {k: v.as_dict() for k, v in orders.items()}
                out["a_orders"]["ratio_x16_vs_bare"] = orders["x16"].rps / bare_rps
            rss["a_c"] = server.rss_mb()
    if "b" in only:
        with seeded_server(20) as (server, api, menu):
            status = workload_status(server, api, menu, seconds)
            out["b_status"] = {
                "load": status["load"].as_dict(),
                "fanout": status["fanout"],
                "e2e_ms": status["e2e_ms"],
                "ratio_x16_vs_bare": status["load"].rps / bare_rps,
            }
            rss["b"] = server.rss_mb()
    if "g" in only:
        from benchmarks.kitchen_line import workload_prep

        with seeded_server(20) as (server, api, menu):
            kitchens = WsClients(server, kitchen=5, token=api.token)
            prep = workload_prep(server, api, menu, seconds, kitchens)
            kitchens.stop()
            out["g_prep"] = {**prep.as_dict(), "ratio_x16_vs_bare": prep.rps / bare_rps}
            rss["g"] = server.rss_mb()
    if "d" in only:
        with seeded_server(20) as (server, api, menu):
            out["d_burst"] = workload_burst(server, api.token, menu)
            rss["d"] = server.rss_mb()
    out["e_rss_mb"] = rss
    out["e_rss_mb_max"] = max(rss.values()) if rss else float("nan")
    return out


def print_table(runs: list[dict[str, Any]]) -> None:
    def med(path: list[str]) -> tuple[float, float, float] | None:
        values = []
        for run in runs:
            node: Any = run
            for key in path:
                if not isinstance(node, dict) or key not in node:
                    node = None
                    break
                node = node[key]
            if isinstance(node, int | float):
                values.append(float(node))
        return (median(values), min(values), max(values)) if values else None

    rows = [
        ("bare GET x16 req/s (baseline)", ["baseline", "get16", "rps"], ""),
        ("bare GET x1 req/s (baseline)", ["baseline", "get1", "rps"], ""),
        ("bare POST x16 req/s (baseline)", ["baseline", "post16", "rps"], ""),
        ("raw sqlite3 orders/s (baseline)", ["baseline", "sqlite_inserts", "orders_per_s"], ""),
        ("(a) orders x1 /s", ["a_orders", "x1", "rps"], ""),
        ("(a) orders x1 p99 ms", ["a_orders", "x1", "p99_ms"], ""),
        ("(a) orders x16 /s", ["a_orders", "x16", "rps"], ""),
        ("(a) orders x16 vs bare", ["a_orders", "ratio_x16_vs_bare"], ">= 0.15"),
        ("(a) orders x16 p99 ms", ["a_orders", "x16", "p99_ms"], "<= 100"),
        ("(a) orders x16 errors", ["a_orders", "x16", "errors"], "0"),
        ("(a) server CPU us/order", ["a_orders", "x16", "cpu_us_per_request"], ""),
        ("(b) status x16 /s", ["b_status", "load", "rps"], ""),
        ("(b) status x16 vs bare", ["b_status", "ratio_x16_vs_bare"], ">= 0.12"),
        ("(b) status x16 errors", ["b_status", "load", "errors"], "0"),
        ("(b) fan-out deliveries", ["b_status", "fanout", "deliveries"], ""),
        ("(b) e2e to order room p50 ms", ["b_status", "e2e_ms", "p50"], ""),
        ("(b) e2e to order room p99 ms", ["b_status", "e2e_ms", "p99"], "<= 50"),
        ("(g) item taps x16 /s", ["g_prep", "rps"], ""),
        ("(g) item taps x16 vs bare", ["g_prep", "ratio_x16_vs_bare"], ""),
        ("(g) item taps x16 p99 ms", ["g_prep", "p99_ms"], ""),
        ("(g) item taps x16 errors", ["g_prep", "errors"], "0"),
        ("(c) menu read /s", ["c_menu", "rps"], ""),
        ("(c) menu read vs bare", ["c_menu", "ratio_vs_bare"], ">= 0.30"),
        ("(c) menu p99 ms", ["c_menu", "p99_ms"], ""),
        ("(d) 1 event to 1000 subs, ms", ["d_burst", "single_event_ms_to_last_subscriber"], ""),
        ("(d) burst deliveries/s", ["d_burst", "burst_deliveries_per_s"], ">= 50000"),
        ("(d) burst delivered", ["d_burst", "burst_deliveries"], "= expected"),
        ("(d) burst expected", ["d_burst", "burst_expected"], ""),
        ("(e) server RSS MB after (a)+(c)", ["e_rss_mb", "a_c"], ""),
        ("(e) server RSS MB after (b)", ["e_rss_mb", "b"], ""),
        ("(e) server RSS MB after (d)", ["e_rss_mb", "d"], ""),
        ("(e) server RSS MB, largest", ["e_rss_mb_max"], "<= 150"),
    ]
    print(f"{'figure':38} {'median':>12} {'min':>12} {'max':>12}  target")
    for label, path, target in rows:
        value = med(path)
        if value is None:
            continue
        print(f"{label:38} {value[0]:12.2f} {value[1]:12.2f} {value[2]:12.2f}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--only",
        help="the workloads of ours alone, as a comma list: a,b,c,d,g (e is always reported; g: item taps); "
        "without it, the side-by-side comparison with the Node stand-in runs",
    )
    parser.add_argument(
        "--compare",
        nargs="?",
        const="node",
        choices=["node"],
        help="ours and the Node stand-in side by side (the default when --only is not given)",
    )
    parser.add_argument("--quick", action="store_true", help="comparison: 1 rep, 3 s loads, 3 long-running reps")
    parser.add_argument("--runs", type=int, help="runs (reps of the comparison); default 3")
    parser.add_argument("--seconds", type=float, help="duration of each wrk load; default 10")
    parser.add_argument("--long-reps", type=int, help="comparison: loads on the long-running server pair; default 5")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    args = parser.parse_args()
    require_wrk()
    if args.only is None or args.compare:
        from benchmarks.compare import Settings, run_compare

        settings = Settings.quick() if args.quick else Settings()
        if args.runs is not None:
            settings.reps = args.runs
        if args.seconds is not None:
            settings.seconds = settings.long_seconds = args.seconds
        if args.long_reps is not None:
            settings.long_reps = args.long_reps
        run_compare(settings, args.json)
        return
    only = set(args.only.split(","))
    runs = []
    for n in range(args.runs or 3):
        print(f"run {n + 1}/{args.runs or 3} ...", file=sys.stderr, flush=True)
        runs.append(run_once(only, args.seconds or 10.0))
    print_table(runs)
    document = json.dumps({"runs": runs}, indent=2, default=str)
    print(document)
    if args.json:
        args.json.write_text(document)


if __name__ == "__main__":
    main()
