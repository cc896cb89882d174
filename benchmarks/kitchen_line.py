"""Workload (g): item taps on the kitchen line (`PATCH /api/orders/{id}/items/{itemId}/prep`) at 16 clients with
5 kitchen sockets listening. Every tap is the costliest kind: the first item started on a CONFIRMED order, which
moves the order to PREPARING by itself in the same transaction (history, rollups, two frames to each kitchen)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from benchmarks.harness import Api, LoadResult, SeededMenu, Server, lua_string, wrk

PREP_POOL = 6_000
"""Confirmed orders placed before the load: more than 10 s of taps at the rates measured here."""


async def confirmed_items(base_url: str, token: str, body: dict[str, Any], count: int) -> list[tuple[str, str]]:
    """Place and confirm `count` orders; returns [(order id, its first item's id)]."""
    out: list[tuple[str, str]] = []
    queue = iter(range(count))
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:

        async def worker() -> None:
            for _ in queue:
                placed = await client.post("/api/orders", json=body)
                placed.raise_for_status()
                order = placed.json()["data"]
                moved = await client.patch(
                    f"/api/orders/{order['id']}/status", json={"status": "CONFIRMED"}, headers=headers
                )
                moved.raise_for_status()
                out.append((order["id"], order["items"][0]["id"]))

        await asyncio.gather(*(worker() for _ in range(16)))
    return out


def prep_lua(items: list[tuple[str, str]], token: str, threads: int) -> str:
    """wrk script: each thread taps its own items once each (QUEUED -> PREPARING at version 0), never one twice."""
    paths = ",".join(lua_string(f"/api/orders/{order}/items/{item}/prep") for order, item in items)
    return f"""
local paths = {{{paths}}}
local threads = {threads}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
function init(args)
  mine = {{}}
  for i = 1, #paths do
    if (i - 1) % threads == tid then mine[#mine + 1] = paths[i] end
  end
  k = 0
end
function request()
  k = k + 1
  local path = mine[((k - 1) % #mine) + 1]
  return wrk.format("PATCH", path,
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {token}"}},
    '{{"state":"PREPARING","expectedVersion":0}}')
end
function response(status, headers, body)
  if status >= 300 then io.write("NON2XX " .. status .. " " .. body .. "\\n") end
end
"""


def workload_prep(server: Server, api: Api, menu: SeededMenu, seconds: float, kitchens: Any) -> LoadResult:
    """`kitchens`: a started `WsClients(server, kitchen=5, ...)` (stopped by the caller)."""
    items = asyncio.run(confirmed_items(server.base_url, api.token, menu.order_body, PREP_POOL))
    return wrk(
        server.base_url,
        connections=16,
        seconds=seconds,
        script=prep_lua(items, api.token, 2),
        name="item taps x16 (+5 kitchen sockets)",
        server=server,
    )
