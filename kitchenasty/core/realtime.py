"""Live rooms on Litestar channels: what any room needs, whatever the domain (the order rooms, `kitchen` and
`order:{id}`, are `orders.rooms`; `kitchenasty.services` subscribes them to the events they forward).

The contract (DESIGN §6): a socket joins one room; its first message is a `snapshot` read from the database after
it subscribed (so no committed change can fall between the snapshot and the stream), then the room's events. Every
message is a JSON text frame `{"event", "data", "seq"}` whose `seq` rises by one per message on that socket; a
client that sees a gap or reconnects takes a new snapshot. Refusals close with 4401 / 4403 / 4404 and a reason.

`RoomPublisher` hands a frame head (encoded once per event) to rooms from any thread or loop; `core.fanout.RoomHub`
hands it to each local socket of the room in one pass, and a socket only appends its own `seq`.

Sessions: a socket admitted on a login (the kitchen; an order room without a tracking token) is closed with 4401
as soon as that session ends (logout, password change, deactivation: the `auth.sessionsEnded` event), and every
`LiveSessions.SWEEP_SECONDS` each such socket's token is verified again, which catches a session another process
ended (the CLI's `set-password`, a second server on the same database).

Heartbeat: a client may send `ping` (or `{"event":"ping"}`) and gets a `pong` message back, so a browser notices a
dead server or network (it cannot see protocol-level pings). The server notices dead tablets through the
WebSocket protocol pings uvicorn sends (every 20 s, 20 s timeout) and closes sockets whose backlog grows past
`MAX_BACKLOG` (a stuck client) with 1013, so the client reconnects and resyncs (dropped if it still reads nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.config.app import AppConfig
from litestar.connection import WebSocket
from litestar.exceptions import WebSocketDisconnect
from litestar.plugins import InitPlugin

from kitchenasty.core.config import BootSettings, ConfigError
from kitchenasty.core.errors import DomainError
from kitchenasty.core.fanout import DirectWire, RoomHub
from kitchenasty.core.guards import PrincipalVerifier, renewal_header, session_claims
from kitchenasty.core.http import json_too_deep
from kitchenasty.core.logging import get_logger
from kitchenasty.core.security import SessionsEnded, TokenClaims

log = get_logger("kitchenasty.realtime")

SNAPSHOT = "snapshot"
PONG = "pong"

CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TRY_AGAIN = 1013
MAX_BACKLOG = 1000
"""Undelivered messages a socket may have queued before it is closed as stuck (it reconnects and resyncs)."""
STUCK_GRACE_SECONDS = 5.0
SESSION_ENDED_REASON = "Your session has ended; log in again."

encode_json = msgspec.json.Encoder().encode
_encode = encode_json


# ---------------------------------------------------------------- frames


def frame_head(event: str, data_json: bytes) -> bytes:
    """`{"event": …, "data": …` — the part of a frame every socket in a room shares."""
    return b'{"event":' + _encode(event) + b',"data":' + data_json


def finish_frame(head: bytes, seq: int) -> str:
    """The frame one socket sends: the shared head plus that socket's `seq`."""
    return head.decode("utf-8") + ',"seq":' + str(seq) + "}"


# ---------------------------------------------------------------- backend and bridge


def channels_backend(url: str) -> ChannelsBackend:
    """The channels backend for the boot setting `channels_backend`: `memory`, or a Redis URL (several processes)."""
    value = (url or "memory").strip()
    if value == "memory":
        return MemoryChannelsBackend()
    if value.startswith(("redis://", "rediss://", "unix://")):
        try:
            from redis.asyncio import Redis
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise ConfigError(
                "channels_backend is a Redis URL but the redis package is missing; "
                "install the extra: pip install 'kitchenasty[redis]'"
            ) from None
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend

        class ClosingRedisBackend(RedisChannelsPubSubBackend):
            """Litestar's backend closes its pub/sub connection on shutdown but not the client's publishing pool."""

            async def on_shutdown(self) -> None:
                await super().on_shutdown()
                await self._redis.aclose()

        return ClosingRedisBackend(redis=Redis.from_url(value))
    raise ConfigError(f"channels_backend must be 'memory' or a redis:// URL, not {value!r}")


class RoomChannels(ChannelsPlugin):
    """Litestar's channels plugin, forgetting a room once its last socket leaves unless it is one of the
    `lasting` rooms (an appliance running for months would otherwise keep an entry for every order ever tracked)."""

    def __init__(self, *args: Any, lasting: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lasting = lasting
        self.hub = RoomHub(self)

    async def unsubscribe(self, subscriber: Any, channels: str | Iterable[str] | None = None) -> None:
        await super().unsubscribe(subscriber, channels)
        names = [channels] if isinstance(channels, str) else list(channels or ())
        for name in names:
            if name not in self.lasting and not self._channels.get(name, True):
                del self._channels[name]

    def rooms(self) -> dict[str, int]:
        """Open rooms and how many of this process's sockets are in each."""
        return {name: self.hub.members(name) for name, subscribers in self._channels.items() if subscribers}


class LiveSessions:
    """The open room sockets admitted on a login session, each with the event that closes it (4401)."""

    SWEEP_SECONDS = 2.0
    """How often open sockets' tokens are verified again (for sessions ended by another process)."""

    def __init__(self, verifier: PrincipalVerifier) -> None:
        self.verifier = verifier
        self._open: dict[asyncio.Event, TokenClaims] = {}
        self._sweeper: asyncio.Task[None] | None = None

    def watch(self, claims: TokenClaims) -> asyncio.Event:
        ended = asyncio.Event()
        self._open[ended] = claims
        return ended

    def unwatch(self, ended: asyncio.Event) -> None:
        self._open.pop(ended, None)

    def end(self, principal_type: str, principal_id: str, session_id: str | None) -> None:
        """Close the sockets of one session, or (`session_id` None) of every session of a principal."""
        for ended, claims in list(self._open.items()):
            if claims.type == principal_type and claims.id == principal_id and session_id in (None, claims.session):
                ended.set()

    async def sweep(self) -> None:
        """Verify every open socket's token again; close those whose session or account is gone."""
        for ended, claims in list(self._open.items()):
            if ended.is_set():
                continue
            try:
                still = await self.verifier.verify(claims)
            except DomainError:
                still = None
            except Exception:  # a database hiccup must not close every kitchen display
                log.exception("session sweep failed")
                return
            if still is None:
                ended.set()

    def start(self) -> None:
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep_forever())

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.SWEEP_SECONDS)
            if self._open:
                await self.sweep()


class RoomPublisher(InitPlugin):
    """Hands room messages to the channels, and closes the sockets of ended sessions. Safe to call from another
    thread or event loop (the work is handed to the app's loop), and a no-op while the app is not running."""

    def __init__(self, channels: ChannelsPlugin, sessions: LiveSessions) -> None:
        self.channels = channels
        self.sessions = sessions
        self._loop: asyncio.AbstractEventLoop | None = None

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.on_startup.append(self._started)
        app_config.on_shutdown.append(self._stopped)
        app_config.state["live_sessions"] = self.sessions
        return app_config

    async def _started(self, *_: Any) -> None:
        self._loop = asyncio.get_running_loop()
        self.sessions.start()

    async def _stopped(self, *_: Any) -> None:
        self._loop = None
        await self.sessions.stop()

    def on_sessions_ended(self, event: SessionsEnded) -> None:
        self._in_loop(self.sessions.end, event.principal_type, event.principal_id, event.session_id)

    def publish(self, head: bytes, rooms: list[str]) -> None:
        """Send one frame head (`frame_head`) to every socket in these rooms."""
        self._in_loop(self.channels.publish, head, rooms)

    def _in_loop(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn(*args)` on the app's loop: now when called on it, else handed over from the other thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            fn(*args)
        else:
            loop.call_soon_threadsafe(self._if_running, fn, args)

    def _if_running(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        if self._loop is not None:
            fn(*args)


def realtime_plugins(
    settings: BootSettings, verifier: PrincipalVerifier, *, lasting_rooms: frozenset[str]
) -> tuple[RoomChannels, RoomPublisher]:
    """The channels plugin (rooms; `lasting_rooms` are kept while empty) and the publisher in front of it."""
    channels = RoomChannels(
        backend=channels_backend(settings.channels_backend), arbitrary_channels_allowed=True, lasting=lasting_rooms
    )
    return channels, RoomPublisher(channels, LiveSessions(verifier))


# ---------------------------------------------------------------- one socket in a room


@dataclass(frozen=True)
class RoomJoin:
    """What an authorised socket joins: its rooms, and how to read the snapshot it starts from."""

    rooms: list[str]
    snapshot: Callable[[], Awaitable[Any]]
    by_session: bool = False
    """Admitted on the caller's login session: the socket closes (4401) when that session ends."""


class RoomSocket:
    """One accepted socket in its rooms: numbered frames in order, heartbeat replies.

    Room messages arrive through `deliver` (from the `RoomHub`): written at once when nothing is ahead of them,
    else kept in order in `_waiting` and sent by `drain` (until the snapshot is out, while the socket is paused by
    back-pressure or a reply is being sent)."""

    def __init__(self, socket: WebSocket[Any, Any, Any]) -> None:
        self.socket = socket
        self.seq = 0
        self._lock = asyncio.Lock()
        self._wire = DirectWire.of(socket)
        self._waiting: list[bytes] | None = []
        self._drainer: asyncio.Future[None] | None = None
        self.stuck = asyncio.Event()
        """Set when more than `MAX_BACKLOG` messages wait: the socket is closed and its client resyncs."""

    @property
    def behind(self) -> int:
        """Room messages waiting to be sent to this socket."""
        return len(self._waiting or ())

    async def send_head(self, head: bytes) -> None:
        async with self._lock:
            self.seq += 1
            await self.socket.send_text(finish_frame(head, self.seq))

    async def send(self, event: str, data: Any) -> None:
        await self.send_head(frame_head(event, _encode(data)))

    def deliver(self, heads: list[bytes]) -> None:
        waiting = self._waiting
        if waiting is None:
            wire = self._wire
            if wire is not None and not self._lock.locked() and wire.ready():
                self.seq = wire.write_frames(heads, self.seq)
                return
            self._waiting = list(heads)
            self._drainer = asyncio.ensure_future(self.drain())
            return
        waiting.extend(heads)
        if len(waiting) > MAX_BACKLOG:
            self.stuck.set()

    async def drain(self) -> None:
        """Send the messages that waited, in order, until none is left; then new ones may be written at once."""
        while self._waiting:
            heads, self._waiting = self._waiting, []
            for head in heads:
                await self.send_head(head)
        self._waiting = None

    async def close_when_stuck(self) -> None:
        """Close with 1013 once too far behind. The close frame queues behind what the client has not read yet: a
        client that reads nothing for `STUCK_GRACE_SECONDS` more has its connection dropped."""
        await self.stuck.wait()
        log.warning("socket too slow, closing", path=self.socket.url.path, backlog=self.behind)
        try:
            async with asyncio.timeout(STUCK_GRACE_SECONDS):
                await self.socket.close(CLOSE_TRY_AGAIN, "Too far behind; reconnect for a fresh snapshot")
        except TimeoutError:
            if self._wire is not None:
                self._wire.abort()

    async def close_when(self, ended: asyncio.Event) -> None:
        """Close with 4401 once the login session that admitted this socket has ended."""
        await ended.wait()
        async with self._lock:
            await self.socket.close(CLOSE_UNAUTHORIZED, SESSION_ENDED_REASON)

    async def stop(self) -> None:
        if self._drainer is not None and not self._drainer.done():
            self._drainer.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, OSError, RuntimeError):
                await self._drainer

    async def listen(self) -> None:
        """Answer heartbeats until the client goes away."""
        while True:
            message = await self.socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            data = message.get("bytes")
            if text is None and isinstance(data, bytes):
                text = data.decode("utf-8", "replace")
            if isinstance(text, str) and text and _is_ping(text):
                await self.send(PONG, None)


def _is_ping(text: str) -> bool:
    stripped = text.strip()
    if stripped == "ping":
        return True
    if stripped.startswith("{") and not json_too_deep(stripped.encode()):
        try:
            decoded = msgspec.json.decode(stripped)
        except msgspec.DecodeError:
            return False
        return isinstance(decoded, dict) and decoded.get("event") == "ping"
    return False


def _close_code(error: DomainError) -> int:
    return {401: CLOSE_UNAUTHORIZED, 403: CLOSE_FORBIDDEN, 404: CLOSE_NOT_FOUND}.get(
        error.status_code, 4000 + error.status_code
    )


async def serve_room(
    socket: WebSocket[Any, Any, Any], channels: ChannelsPlugin, join: Callable[[], Awaitable[RoomJoin]]
) -> None:
    """Accept `socket`, authorise it with `join` (a refusal closes with 4401/4403/4404 and the reason), subscribe it
    to its rooms, send the snapshot, then stream the rooms' messages until it disconnects or its session ends.

    An admitted handshake renews a login cookie past half its lifetime (`Set-Cookie` on the upgrade response), so
    it is authorised before it is accepted; a refusal still needs an accepted socket to carry its close code."""
    try:
        joined = await join()
    except DomainError as refusal:
        await socket.accept()
        reason = refusal.message.encode("utf-8")[:120].decode("utf-8", "ignore")  # a close reason fits 123 bytes
        await socket.close(_close_code(refusal), reason)
        return
    renewed = renewal_header(socket.scope)
    await socket.accept(headers=[renewed] if renewed else None)
    room = RoomSocket(socket)
    sessions: LiveSessions | None = getattr(socket.app.state, "live_sessions", None)
    claims = session_claims(socket) if joined.by_session else None
    ended = sessions.watch(claims) if sessions is not None and claims is not None else None
    hub = channels.hub if isinstance(channels, RoomChannels) else RoomHub(channels)
    try:
        with contextlib.suppress(WebSocketDisconnect):
            await hub.join(room, joined.rooms)
            try:
                await room.send(SNAPSHOT, await joined.snapshot())
                await room.drain()
                watchers = [room.close_when(ended)] if ended is not None else []
                await _run_until_first_done(room.close_when_stuck(), room.listen(), *watchers)
            finally:
                await hub.leave(room, joined.rooms)
                await room.stop()
    finally:
        if sessions is not None and ended is not None:
            sessions.unwatch(ended)


async def _run_until_first_done(*coros: Awaitable[None]) -> None:
    tasks = [asyncio.ensure_future(coro) for coro in coros]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, OSError, RuntimeError):
                await task
    for task in done:
        exc = task.exception()
        if exc is not None and not isinstance(exc, WebSocketDisconnect | OSError | RuntimeError):
            raise exc
