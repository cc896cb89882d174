"""A separate process holding many WebSocket subscribers (kitchen room and/or order rooms).

Prints "READY" once every socket has its snapshot, counts every message until it reads "STOP" on stdin (or the
timeout passes), then prints one JSON line: deliveries, per-socket counts, gaps in seq, arrival times per event.

The client is a bare asyncio Protocol speaking just enough RFC 6455 (handshake, unmasked server frames, pong,
close) so that it costs a few microseconds per message: a full client library parsing JSON per message could not
keep up with the server and the benchmark would measure the client.

    python benchmarks/ws_clients.py --base ws://127.0.0.1:8000 --kitchen 5 --token JWT --orders orders.json

`--socketio` speaks to the Node stand-in instead (benchmarks/node/server.js): Engine.IO v4 / Socket.IO v5 over the
same bare websocket (`/socket.io/?EIO=4&transport=websocket`): the open packet "0{...}" is answered with "40", the
namespace's "40{...}" with `42["join",{...}]`, a ping "2" with a pong "3"; the first `42[...]` event is the snapshot,
every later one a delivery (those events carry no `seq`, so no gap is counted).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class Stats:
    def __init__(self) -> None:
        self.deliveries = 0
        self.first: float | None = None
        self.last: float | None = None
        self.per_socket: dict[str, int] = {}
        self.seq_gaps = 0
        self.wrong_room = 0
        self.closed: dict[str, int] = {}
        self.arrivals: dict[bytes, list[float]] = {}


def _field(payload: bytes, name: bytes) -> bytes:
    start = payload.find(name)
    if start < 0:
        return b""
    start += len(name)
    return payload[start : payload.find(b'"', start)]


class Subscriber(asyncio.Protocol):
    def __init__(
        self, name: str, order_id: str | None, stats: Stats, on_ready: Any, request: bytes, join: bytes = b""
    ) -> None:
        self.name = name
        self.join = join  # the Socket.IO join event to send once the namespace is connected; b"" for ours
        self.order_id = order_id.encode() if order_id else None
        self.stats = stats
        self.on_ready = on_ready
        self.request = request
        self.buffer = bytearray()
        self.upgraded = False
        self.seq = 0
        self.snapshot = False
        self.transport: asyncio.Transport | None = None
        self.done = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        transport.write(self.request)  # type: ignore[attr-defined]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(None)

    def data_received(self, data: bytes) -> None:
        buf = self.buffer
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            if not buf.startswith(b"HTTP/1.1 101"):
                raise RuntimeError(f"{self.name}: upgrade refused: {bytes(buf[:80])!r}")
            del buf[: end + 4]
            self.upgraded = True
        i, size = 0, len(buf)
        while size - i >= 2:
            b0, b1 = buf[i], buf[i + 1]
            length, head = b1 & 0x7F, 2
            if length == 126:
                if size - i < 4:
                    break
                length, head = int.from_bytes(buf[i + 2 : i + 4], "big"), 4
            elif length == 127:
                if size - i < 10:
                    break
                length, head = int.from_bytes(buf[i + 2 : i + 10], "big"), 10
            if size - i < head + length:
                break
            payload = bytes(buf[i + head : i + head + length])
            i += head + length
            self.frame(b0 & 0x0F, payload)
        del buf[:i]

    def frame(self, opcode: int, payload: bytes) -> None:
        if opcode == 0x9:  # ping: answer with a masked pong
            self.send(0xA, payload)
            return
        if opcode == 0x8:
            code = str(int.from_bytes(payload[:2], "big")) if len(payload) >= 2 else "no-code"
            self.stats.closed[code] = self.stats.closed.get(code, 0) + 1
            if self.transport is not None:
                self.transport.close()
            return
        if opcode != 0x1:
            return
        if self.join:
            self.socketio_frame(payload)
            return
        now = time.time()
        tail = payload.rfind(b'"seq":')
        seq = int(payload[tail + 6 : -1]) if tail >= 0 else -1
        if seq != self.seq + 1:
            self.stats.seq_gaps += 1
        self.seq = seq
        if not self.snapshot:
            self.joined()
            return
        self.delivered(now, payload, b'"data":{"id":"')

    def joined(self) -> None:
        """The snapshot came: this socket is subscribed."""
        self.snapshot = True
        self.stats.per_socket[self.name] = 0
        self.on_ready()

    def delivered(self, now: float, payload: bytes, id_marker: bytes) -> None:
        """One event: counted for its socket, checked against the room, its arrival kept per order and status."""
        order_id = _field(payload, id_marker)
        stats = self.stats
        if self.order_id is not None and order_id != self.order_id:
            stats.wrong_room += 1
        stats.deliveries += 1
        stats.per_socket[self.name] += 1
        key = order_id + b":" + _field(payload, b'"status":"')
        stats.first = now if stats.first is None else stats.first
        stats.last = now
        seen = stats.arrivals.get(key)
        if seen is None:
            stats.arrivals[key] = [now, now, 1]
        else:
            seen[1] = now
            seen[2] += 1

    def socketio_frame(self, payload: bytes) -> None:
        """One Engine.IO packet (one websocket text frame): open, ping, connect, event, disconnect."""
        if payload.startswith(b"42"):
            now = time.time()
            if not self.snapshot:
                if not payload.startswith(b'42["snapshot"'):
                    raise RuntimeError(f"{self.name}: join refused: {payload[:120]!r}")
                self.joined()
                return
            self.delivered(now, payload, b'{"id":"')
        elif payload == b"2":
            self.send(0x1, b"3")
        elif payload.startswith(b"0{"):
            self.send(0x1, b"40")
        elif payload.startswith(b"40"):
            self.send(0x1, self.join)
        elif payload.startswith((b"41", b"1")):
            self.stats.closed["socketio-disconnect"] = self.stats.closed.get("socketio-disconnect", 0) + 1

    def send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        masked = bytes(b ^ mask[n % 4] for n, b in enumerate(payload))
        size = len(payload)
        head = (
            bytes([0x80 | opcode, 0x80 | size])
            if size < 126
            else bytes([0x80 | opcode, 0xFE]) + size.to_bytes(2, "big")
        )
        if self.transport is not None:
            self.transport.write(head + mask + masked)


def handshake(url: str) -> tuple[str, int, bytes]:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
    return parts.hostname or "127.0.0.1", parts.port or 80, request


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--kitchen", type=int, default=0)
    parser.add_argument("--token", default="")
    parser.add_argument("--orders", help="JSON file: [[orderId, trackingToken], ...]")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--socketio", action="store_true", help="speak Socket.IO to the Node stand-in")
    args = parser.parse_args()
    orders = json.loads(Path(args.orders).read_text()) if args.orders else []
    rooms: list[tuple[str, str, str | None, bytes]] = []
    if args.socketio:
        url = f"{args.base}/socket.io/?EIO=4&transport=websocket"
        kitchen_join = json.dumps(["join", {"room": "kitchen", "token": args.token}], separators=(",", ":"))
        rooms += [(url, f"kitchen-{n}", None, b"42" + kitchen_join.encode()) for n in range(args.kitchen)]
        for order_id, tracking in orders:
            message = json.dumps(["join", {"room": "order", "id": order_id, "token": tracking}], separators=(",", ":"))
            rooms.append((url, f"order-{order_id}", order_id, b"42" + message.encode()))
    else:
        rooms += [
            (f"{args.base}/api/ws/kitchen?token={args.token}", f"kitchen-{n}", None, b"") for n in range(args.kitchen)
        ]
        for order_id, tracking in orders:
            rooms.append(
                (f"{args.base}/api/ws/orders/{order_id}?tracking={tracking}", f"order-{order_id}", order_id, b"")
            )
    loop = asyncio.get_running_loop()
    stats, ready = Stats(), asyncio.Event()
    joined = [0]

    def on_ready() -> None:
        joined[0] += 1
        if joined[0] == len(rooms):
            ready.set()

    subscribers: list[Subscriber] = []
    for index, (url, name, order_id, join) in enumerate(rooms):
        host, port, request = handshake(url)

        def factory(
            name: str = name, order_id: str | None = order_id, request: bytes = request, join: bytes = join
        ) -> Subscriber:
            return Subscriber(name, order_id, stats, on_ready, request, join)

        _, protocol = await loop.create_connection(factory, host, port)
        subscribers.append(protocol)
        if index % 50 == 49:
            await asyncio.sleep(0.02)  # do not stampede the accept queue
    if rooms:
        await asyncio.wait_for(ready.wait(), 120)
    print("READY", flush=True)
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(reader.readline(), args.timeout)
    for protocol in subscribers:
        if protocol.transport is not None:
            protocol.transport.close()
    summary: dict[str, Any] = {
        "sockets": len(rooms),
        "deliveries": stats.deliveries,
        "first": stats.first,
        "last": stats.last,
        "seq_gaps": stats.seq_gaps,
        "wrong_room": stats.wrong_room,
        "closed": stats.closed,
        "per_socket": stats.per_socket,
        "arrivals": {k.decode(): v for k, v in stats.arrivals.items()},
    }
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
