"""The Node stand-in (benchmarks/node/server.js) driven like `harness.kitchenasty_server` drives ours: a fresh data
dir per server, 127.0.0.1 on a free port, a `Server` for /proc CPU and RSS readings, the menu seeded through its
`POST /seed`, and the same order body ours is sent.

The stand-in needs its dependencies once: `npm ci --prefix benchmarks/node`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from benchmarks.harness import ROOT, SeededMenu, Server, free_port, order_body, pinned, running_in

NODE_DIR = ROOT / "benchmarks" / "node"
STANDIN_TOKEN = "standin-staff-token"  # noqa: S105 - the stand-in's fixed staff token (a string compare, no login)
DATABASE_FILE_NAME = "standin.db"


def require_node() -> str:
    """The node binary, once the stand-in's dependencies are installed."""
    node = shutil.which("node")
    if node is None:
        sys.exit("node (v20) is required for the Node stand-in")
    for package in ("express", "socket.io", "zod", "better-sqlite3"):
        if not (NODE_DIR / "node_modules" / package).is_dir():
            sys.exit(f"the Node stand-in lacks {package}: run `npm ci --prefix benchmarks/node` first")
    return node


@contextmanager
def node_server(cpus: str | None = None) -> Iterator[Server]:
    """`node server.js PORT DATA_DIR` on a fresh data dir; `cpus` pins it (`taskset -c`)."""
    node = require_node()
    tmp = Path(tempfile.mkdtemp(prefix="kitchenasty-node-"))
    port = free_port()
    env = {**os.environ, "STANDIN_TOKEN": STANDIN_TOKEN, "NODE_ENV": "production"}
    proc = subprocess.Popen(
        pinned([node, str(NODE_DIR / "server.js"), str(port), str(tmp / "data")], cpus),
        env=env,
        stdout=subprocess.DEVNULL,
    )
    with running_in(proc, port, "/health", tmp) as server:
        yield server


def seed_node(server: Server, items: int = 20) -> SeededMenu:
    """One location and `items` items with the two option groups of `harness.seed_menu` (Size: Regular/Large
    +2.50; Extras: Cheese +1.00, Bacon +1.50, Olives +0.75, at most 2), so the same order body applies."""
    response = httpx.post(
        f"{server.base_url}/seed",
        json={"items": items},
        headers={"Authorization": f"Bearer {STANDIN_TOKEN}"},
        timeout=30,
    )
    response.raise_for_status()
    data = response.json()["data"]
    return SeededMenu(
        location_id=data["locationId"], order_body=order_body(data["locationId"], data["items"]), item_count=items
    )


def database_file(server: Server) -> Path:
    assert server.data_dir is not None
    return server.data_dir / DATABASE_FILE_NAME
