"""Room fan-out: one channels subscription per room per process, and every message of a room handed to each of
its local sockets in one pass (`RoomHub`).

Why not a subscription per socket (what Litestar's channels offer): each delivery then cost a queue put, a task
wake-up and five layers of `send` wrappers, about half of a delivery's CPU beside the socket write itself. The hub
calls each member synchronously instead, and a member writes its frames straight to the socket's transport
(`DirectWire`) when uvicorn's sans-I/O WebSocket protocol carries it and the socket can take them (open, not paused
by TCP back-pressure); messages that waited for the hub go out to a socket in one write. In every other case (a
socket paused, a reply in flight, another ASGI server) the member falls back to ASGI `send` from its own task, in
order, and a socket that falls `MAX_BACKLOG` messages behind is closed so it reconnects and resyncs.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any, Protocol

from litestar import Litestar
from litestar.channels import ChannelsPlugin
from litestar.channels.subscriber import Subscriber
from litestar.connection import WebSocket
from litestar.types import LifeSpanReceive, LifeSpanScope, LifeSpanSend, Receive, Scope, Send

from kitchenasty.core.logging import get_logger

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from websockets.protocol import State as WebSocketState
except ImportError:  # pragma: no cover - uvicorn without the websockets package
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]

log = get_logger("kitchenasty.realtime")

SERVER_SEND = "kitchenasty.server_send"
"""Key in a WebSocket scope's `state`: the ASGI server's own `send`, before Litestar wraps it."""
MAX_BATCH = 64
"""Messages of one room handed to its sockets together at most (they go out in one write per socket)."""


class ServerSendApp(Litestar):
    """Litestar, remembering for each WebSocket the server's own `send` (`DirectWire` needs the protocol behind it)."""

    async def __call__(
        self, scope: Scope | LifeSpanScope, receive: Receive | LifeSpanReceive, send: Send | LifeSpanSend
    ) -> None:
        if scope["type"] == "websocket":
            scope.setdefault("state", {})[SERVER_SEND] = send
        await super().__call__(scope, receive, send)


def text_frame(payload: bytes) -> bytes:
    """An unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2), as a server sends it."""
    size = len(payload)
    if size < 126:
        return bytes((0x81, size)) + payload
    if size < 1 << 16:
        return b"\x81\x7e" + size.to_bytes(2, "big") + payload
    return b"\x81\x7f" + size.to_bytes(8, "big") + payload


class DirectWire:
    """The transport under one uvicorn sans-I/O WebSocket, written to directly while the connection is open."""

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.transport = protocol.transport

    @classmethod
    def of(cls, socket: WebSocket[Any, Any, Any]) -> DirectWire | None:
        """The wire under an accepted `socket`, or None when it is not one we can write to directly."""
        send = socket.scope.get("state", {}).get(SERVER_SEND)
        protocol = getattr(send, "__self__", None)
        if WebSocketsSansIOProtocol is None or not isinstance(protocol, WebSocketsSansIOProtocol):
            return None
        if protocol.conn.extensions:  # permessage-deflate: frames would have to be compressed
            return None
        return cls(protocol)

    def ready(self) -> bool:
        """Open, and not paused by back-pressure (then frames wait in order for ASGI `send`)."""
        protocol = self.protocol
        return (
            protocol.writable.is_set()
            and not protocol.close_sent
            and not protocol.disconnected
            and protocol.conn.state is WebSocketState.OPEN
            and not self.transport.is_closing()
        )

    def abort(self) -> None:
        """Drop the connection at once, with whatever it had not taken yet (a client that stopped reading)."""
        self.transport.abort()

    def write_frames(self, heads: list[bytes], seq: int) -> int:
        """Write each frame head finished with the next `seq` (one write for all); returns the last `seq`."""
        frames = []
        for head in heads:
            seq += 1
            frames.append(text_frame(head + b',"seq":%d}' % seq))
        self.transport.write(frames[0] if len(frames) == 1 else b"".join(frames))
        return seq


class RoomMember(Protocol):
    def deliver(self, heads: list[bytes]) -> None:
        """Take these messages of a room now (without waiting); called on the event loop."""


@dataclass(eq=False)
class _Room:
    subscriber: Subscriber
    members: set[RoomMember] = field(default_factory=set)
    pump: asyncio.Task[None] | None = None


class RoomHub:
    """The local sockets of each room, fed from one channels subscription per room."""

    def __init__(self, channels: ChannelsPlugin) -> None:
        self.channels = channels
        self._rooms: dict[str, _Room] = {}
        self._changing: asyncio.Lock | None = None

    def _lock(self) -> asyncio.Lock:
        if self._changing is None:
            self._changing = asyncio.Lock()
        return self._changing

    async def join(self, member: RoomMember, names: list[str]) -> None:
        """Add `member` to these rooms; it gets every message published to them from now on."""
        async with self._lock():
            for name in names:
                room = self._rooms.get(name)
                if room is None:
                    room = _Room(await self.channels.subscribe([name]))
                    room.pump = asyncio.ensure_future(self._pump(name, room))
                    self._rooms[name] = room
                room.members.add(member)

    async def leave(self, member: RoomMember, names: list[str]) -> None:
        """Take `member` out of these rooms; a room left empty drops its subscription."""
        async with self._lock():
            for name in names:
                room = self._rooms.get(name)
                if room is None:
                    continue
                room.members.discard(member)
                if not room.members:
                    del self._rooms[name]
                    if room.pump is not None:
                        room.pump.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await room.pump
                    await self.channels.unsubscribe(room.subscriber, [name])

    def members(self, name: str) -> int:
        room = self._rooms.get(name)
        return len(room.members) if room is not None else 0

    async def _pump(self, name: str, room: _Room) -> None:
        events = room.subscriber.iter_events()
        async for head in events:
            batch = [head]
            while room.subscriber.qsize and len(batch) < MAX_BATCH:
                try:
                    batch.append(await anext(events))  # returns at once: the queue holds messages
                except StopAsyncIteration:
                    break
            for member in tuple(room.members):
                try:
                    member.deliver(batch)
                except Exception:  # one broken socket must not starve the rest of the room
                    log.exception("room delivery failed", room=name)
