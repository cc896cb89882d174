"""Ours and the Node stand-in side by side (issue 17): every figure of both stacks measured in the same run, with
interleaved reps (ours, node, ours, node, ...), the server pinned to CPU 0 and every load process to CPU 1.

    python -m benchmarks.run                  # this comparison, 3 reps, 10 s loads (needs npm ci, see README)
    python -m benchmarks.run --compare --quick

Workloads (benchmarks/README.md, "Ours and the Node stand-in"): hello (bare GET), order placement on fresh
servers, the same N times on one long-running server pair, status changes fanned out to 5 kitchen + 200 order
sockets, a burst to 1,000 kitchen sockets and one event timed to the last of them, storage per order, RSS."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    Api,
    SeededMenu,
    Server,
    bare_server,
    kitchenasty_server,
    lua_post,
    require_wrk,
    seed_menu,
    wrk,
)
from benchmarks.run import WsClients, status_lua, workload_burst
from benchmarks.standin import STANDIN_TOKEN, database_file, node_server, require_node, seed_node

STACKS = ("ours", "node")
SERVER_CPU = "0"
LOAD_CPU = 1
MENU_ITEMS = 20
ORDER_ROOMS = 200
ROOMS_FROM = 64
"""The order rooms watch pool orders from here on: wrk may build a connection's first request and never send it
(`status_lua`), which left one of the first orders unconfirmed and its room (1 of 200) without a change."""
POOL_FACTOR = 2.5
"""Orders placed before the status load: this times the stack's order rate (of the same rep) times the load's
seconds, so that every change confirms a fresh order (a status change ran at 0.9-1.7x the order rate in the
issue's figures); a load that exhausts its pool stops sending and is flagged POOL RAN OUT."""
STATUS_RESERVE = 16
CHECKPOINT_TRIES = 40
"""Storage is measured once the WAL is folded into the db: a checkpoint found busy is tried again (a busy one
left the WAL unrewound and printed 125 KB per order)."""


@dataclass
class Settings:
    reps: int = 3
    seconds: float = 10.0
    long_reps: int = 5
    long_seconds: float = 10.0
    long_pause: float = 2.0

    @classmethod
    def quick(cls) -> Settings:
        return cls(reps=1, seconds=3.0, long_reps=3, long_seconds=3.0, long_pause=1.0)


def pin_load() -> None:
    """This process and everything it starts (wrk, ws_clients, the seeding clients) on the load CPU; each server
    is started under `taskset -c 0`."""
    if len(os.sched_getaffinity(0)) < 2:
        print("warning: fewer than 2 CPUs: server and load share one", file=sys.stderr)
        return
    os.sched_setaffinity(0, {LOAD_CPU})


# ---------------------------------------------------------------- servers


@contextmanager
def stack_server(stack: str) -> Iterator[tuple[Server, str, SeededMenu]]:
    """A fresh pinned server of `stack` with the benchmark menu: (server, staff token, menu)."""
    if stack == "ours":
        with kitchenasty_server(cpus=SERVER_CPU) as server:
            api = Api(server.base_url)
            try:
                token = api.login()
                menu = seed_menu(api, MENU_ITEMS)
            finally:
                api.close()
            yield server, token, menu
    else:
        with node_server(cpus=SERVER_CPU) as server:
            yield server, STANDIN_TOKEN, seed_node(server, MENU_ITEMS)


def database_path(stack: str, server: Server) -> Path:
    if stack == "node":
        return database_file(server)
    from kitchenasty.core.paths import DATABASE_FILE_NAME

    assert server.data_dir is not None
    return server.data_dir / DATABASE_FILE_NAME


def storage(path: Path) -> dict[str, int]:
    """db + wal bytes after `PRAGMA wal_checkpoint(TRUNCATE)` from a separate connection (the same for both stacks,
    with the server idle), and the number of orders: what the orders wrote once the WAL is folded into the db."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        for _ in range(CHECKPOINT_TRIES):  # the server's own background checkpoint may hold the lock for a moment
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if not busy:
                break
            time.sleep(0.25)
        orders = conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    finally:
        conn.close()
    wal = path.with_name(path.name + "-wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return {"bytes": size, "orders": orders, "checkpoint_busy": busy}


def pool_orders(path: Path) -> list[tuple[str, str]]:
    """The PENDING orders and their tracking tokens, oldest first (ids are time-ordered in both stacks)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute("SELECT id, tracking_token FROM orders WHERE status = 'PENDING' ORDER BY id").fetchall()
    finally:
        conn.close()
    return [(str(a), str(b)) for a, b in rows]


# ---------------------------------------------------------------- wrk scripts


def fill_pool(server: Server, body: dict[str, Any], count: int) -> None:
    """POST `count` orders as fast as wrk (one thread, 16 connections) places them, then exit: the status load's
    pool, placed by the same load generator as every other figure, not by a Python client."""
    script = lua_post(body) + (
        "local done = 0\n"
        "function response(status, headers, body)\n"
        "  done = done + 1\n"
        f"  if done >= {count} then os.exit(0) end\n"
        "end\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        subprocess.run(
            [require_wrk(), "-t1", "-c16", "-d600s", "-s", lua.name, f"{server.base_url}/api/orders"],
            capture_output=True,
            timeout=900,
            check=False,
        )


# ---------------------------------------------------------------- workloads


def hello(stack: str, seconds: float) -> dict[str, Any]:
    """GET /hello at 16 connections: ours on benchmarks/bare_app.py (bare Litestar, `serve`'s uvicorn settings),
    the stand-in on its own Express app."""
    manager = bare_server(cpus=SERVER_CPU) if stack == "ours" else node_server(cpus=SERVER_CPU)
    with manager as server:
        url = f"{server.base_url}/hello"
        wrk(url, connections=16, seconds=1)  # warm-up
        return wrk(url, connections=16, seconds=seconds, name=f"{stack} hello x16", server=server).as_dict()


def orders_fresh(stack: str, seconds: float) -> dict[str, Any]:
    """POST /api/orders at 16 connections on a fresh server; storage per order over the warm-up and the load."""
    with stack_server(stack) as (server, _token, menu):
        path = database_path(stack, server)
        script = lua_post(menu.order_body)
        url = f"{server.base_url}/api/orders"
        before = storage(path)
        wrk(url, connections=16, seconds=2, script=script)  # warm-up
        load = wrk(url, connections=16, seconds=seconds, script=script, name=f"{stack} orders x16", server=server)
        after = storage(path)
        placed = after["orders"] - before["orders"]
        return {
            "load": load.as_dict(),
            "storage": {
                "before": before,
                "after": after,
                "bytes_per_order": (after["bytes"] - before["bytes"]) / placed,
            },
            "rss_mb": server.rss_mb(),
        }


def orders_long_running(settings: Settings) -> dict[str, Any]:
    """ONE server per stack, both up for the whole row: the order load `long_reps` times back to back, the stacks
    interleaved, with a short pause; each rep's rate and the server's CPU-busy fraction (CPU s / wall s)."""
    out: dict[str, Any] = {stack: [] for stack in STACKS}
    with ExitStack() as stack_of_servers:
        servers = {stack: stack_of_servers.enter_context(stack_server(stack)) for stack in STACKS}
        for stack in STACKS:
            server, _token, menu = servers[stack]
            wrk(f"{server.base_url}/api/orders", connections=16, seconds=2, script=lua_post(menu.order_body))
        for rep in range(settings.long_reps):
            for stack in STACKS:
                server, _token, menu = servers[stack]
                cpu, wall = server.cpu_seconds(), time.monotonic()
                load = wrk(
                    f"{server.base_url}/api/orders",
                    connections=16,
                    seconds=settings.long_seconds,
                    script=lua_post(menu.order_body),
                    name=f"{stack} orders x16, long-running rep {rep + 1}",
                    server=server,
                )
                busy = (server.cpu_seconds() - cpu) / (time.monotonic() - wall)
                out[stack].append({**load.as_dict(), "cpu_busy": busy})
                time.sleep(settings.long_pause)
        for stack in STACKS:
            out[f"{stack}_rss_mb"] = servers[stack][0].rss_mb()
    return out


def status_fanout(stack: str, seconds: float, order_rate: float) -> dict[str, Any]:
    """5 kitchen sockets join an empty board; a pool of orders is placed (wrk); 200 order-room sockets join; wrk
    confirms pool orders at 16 connections, each change fanned out to the 5 kitchens and its order room."""
    socketio = stack == "node"
    with stack_server(stack) as (server, token, menu):
        kitchens = WsClients(server, kitchen=5, token=token, socketio=socketio)
        fill_pool(server, menu.order_body, max(2000, int(order_rate * seconds * POOL_FACTOR)))
        pool = pool_orders(database_path(stack, server))
        rooms = WsClients(server, orders=pool[ROOMS_FROM : ROOMS_FROM + ORDER_ROOMS], socketio=socketio)
        load = wrk(
            server.base_url,
            connections=16,
            seconds=seconds,
            script=status_lua([o for o, _ in pool], token, 2, ("CONFIRMED",), STATUS_RESERVE),
            name=f"{stack} status x16 (+{5 + ORDER_ROOMS} sockets)",
            server=server,
        )
        time.sleep(1.0)
        rss_mb = server.rss_mb()
        kitchen, room = kitchens.stop(), rooms.stop()
    changes = load.requests - load.errors
    kitchen_counts = list(kitchen["per_socket"].values())
    return {
        "load": load.as_dict(),
        "pool": len(pool),
        "pool_ran_out": load.requests >= len(pool) - 2 * STATUS_RESERVE - 16,
        "fanout": {
            "kitchen_min": min(kitchen_counts),
            "kitchen_max": max(kitchen_counts),
            "kitchen_expected_at_least": len(pool) + changes,
            "order_rooms_with_updates": sum(1 for v in room["per_socket"].values() if v),
            "order_rooms": len(room["per_socket"]),
            "wrong_room": room["wrong_room"],
            "seq_gaps": kitchen["seq_gaps"] + room["seq_gaps"],
            "closed": [kitchen["closed"], room["closed"]],
        },
        "rss_mb": rss_mb,
    }


def burst(stack: str) -> dict[str, Any]:
    """run.py's (d) on either stack: 1,000 kitchen sockets, one event timed to the last, a burst of 100 changes."""
    with stack_server(stack) as (server, token, menu):
        return workload_burst(server, token, menu, socketio=stack == "node")


def run_rep(settings: Settings) -> dict[str, Any]:
    """One rep of every fresh-server workload, each measured for ours then the stand-in."""
    rep: dict[str, Any] = {}
    steps: list[tuple[str, Callable[[str], dict[str, Any]]]] = [
        ("hello", lambda stack: hello(stack, settings.seconds)),
        ("orders", lambda stack: orders_fresh(stack, settings.seconds)),
        ("status", lambda stack: status_fanout(stack, settings.seconds, rep["orders"][stack]["load"]["rps"])),
        ("burst", burst),
    ]
    for name, step in steps:
        for stack in STACKS:
            print(f"  {name} / {stack} ...", file=sys.stderr, flush=True)
            rep.setdefault(name, {})[stack] = step(stack)
    return rep


def run_compare(settings: Settings, json_path: Path | None = None) -> dict[str, Any]:
    require_node()
    pin_load()
    started = time.monotonic()
    reps = []
    for n in range(settings.reps):
        print(f"rep {n + 1}/{settings.reps} ...", file=sys.stderr, flush=True)
        reps.append(run_rep(settings))
    print(f"long-running pair: {settings.long_reps} x {settings.long_seconds:g} s ...", file=sys.stderr, flush=True)
    long_running = orders_long_running(settings)
    document = {
        "settings": settings.__dict__,
        "reps": reps,
        "long_running": long_running,
        "elapsed_s": time.monotonic() - started,
    }
    from benchmarks.compare_report import print_report

    print_report(document)
    if json_path:
        json_path.write_text(json.dumps(document, indent=2, default=str))
    return document
