"""Real servers for tests: the app on uvicorn (127.0.0.1), an SMTP server (aiosmtpd), an HTTP receiver."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from litestar import Litestar

from kitchenasty.cli.serve import proxy_settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class UvicornThread:
    """The real app on a real socket, in a background thread with its own event loop. Forwarded headers are
    handled as `serve` handles them (`proxy_settings`: believed only from the app's `trusted_proxies`)."""

    def __init__(self, app: Litestar, port: int | None = None) -> None:
        self.port = port or free_port()
        services = getattr(app.state, "services", None)
        proxies = proxy_settings(services.boot) if services is not None else {"proxy_headers": False}
        self.config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_config=None,
            access_log=False,
            ws="websockets-sansio",
            ws_per_message_deflate=False,
            lifespan="on",
            **proxies,
        )
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> UvicornThread:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self) -> UvicornThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def serve(app: Litestar, port: int | None = None) -> Iterator[UvicornThread]:
    with UvicornThread(app, port) as server:
        yield server


# ---------------------------------------------------------------- SMTP


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> Message:
        return message_from_bytes(self.data)

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def text(self) -> str:
        """All text parts, decoded."""
        parts = []
        for part in self.message.walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    parts.append(payload.decode(part.get_content_charset() or "utf-8"))
        return "\n".join(parts)


class _Collector:
    def __init__(
        self,
        inbox: list[ReceivedMail],
        lock: threading.Condition,
        hold: frozenset[str],
        released: threading.Event,
        answer: str = "250 OK",
    ) -> None:
        self.inbox = inbox
        self.lock = lock
        self.hold = hold
        self.released = released
        self.answer = answer

    async def _held(self, command: str) -> None:
        while command in self.hold and not self.released.is_set():
            await asyncio.sleep(0.02)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer.startswith("2"):
            with self.lock:
                self.inbox.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
                self.lock.notify_all()
        await self._held("DATA")
        return self.answer

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        await self._held("QUIT")
        return "221 Bye"


class _ClosingController(Controller):
    """aiosmtpd's `stop()` closes the listening socket but not the sessions still open (Python 3.11's
    `Server.close()` leaves them): a client that never sent QUIT left a transport behind, collected with a
    ResourceWarning during whichever later test the garbage collector happened to run in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions: list[Any] = []

    def factory(self) -> Any:
        session = super().factory()
        self.sessions.append(session)
        return session

    def stop(self, no_assert: bool = False) -> None:
        async def close_sessions() -> None:
            for session in self.sessions:
                transport = getattr(session, "transport", None)
                if transport is not None and not transport.is_closing():
                    transport.close()
            await asyncio.sleep(0.05)  # let connection_lost run

        if self.loop.is_running():
            asyncio.run_coroutine_threadsafe(close_sessions(), self.loop).result(5)
        super().stop(no_assert=no_assert)


class SMTPServer:
    """A real SMTP server on 127.0.0.1 that keeps every message it receives (when DATA arrives). `hold` names
    commands ("DATA", "QUIT") whose answer waits until `release()`, like a slow server holding its "250 OK".
    `answer` is its reply to DATA: a 5xx one refuses the message (it is not kept)."""

    def __init__(self, port: int | None = None, *, hold: tuple[str, ...] = (), answer: str = "250 OK") -> None:
        self.port = port or free_port()
        self.inbox: list[ReceivedMail] = []
        self._cond = threading.Condition()
        self._released = threading.Event()
        collector = _Collector(self.inbox, self._cond, frozenset(hold), self._released, answer)
        self.controller = _ClosingController(collector, hostname="127.0.0.1", port=self.port)

    def release(self) -> None:
        """Answer the held commands, and every later one at once."""
        self._released.set()

    def start(self) -> SMTPServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.release()
        self.controller.stop()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.inbox) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} mail(s), got {len(self.inbox)}")
                self._cond.wait(remaining)
            return list(self.inbox)

    def __enter__(self) -> SMTPServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---------------------------------------------------------------- HTTP receiver


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HTTPReceiver:
    """A real HTTP server that records requests; `responses` is consumed in order (then 200 forever), each answered
    with `body` and `headers`. With `hold`, answers wait until `release()`; with `tls`, it speaks HTTPS."""

    responses: list[int] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    requests: list[ReceivedRequest] = field(default_factory=list)
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    hold: bool = False
    tls: ssl.SSLContext | None = None

    def __post_init__(self) -> None:
        receiver = self
        self._cond = threading.Condition()
        self._released = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with receiver._cond:
                    receiver.requests.append(
                        ReceivedRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = receiver.responses.pop(0) if receiver.responses else 200
                    receiver._cond.notify_all()
                if receiver.hold:
                    receiver._released.wait(30)
                self.send_response(status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            do_POST = do_GET = do_PUT = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        if self.tls is not None:
            self.server.socket = self.tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedRequest]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} request(s), got {len(self.requests)}")
                self._cond.wait(remaining)
            return list(self.requests)

    def __enter__(self) -> HTTPReceiver:
        self.thread.start()
        return self

    def release(self) -> None:
        self._released.set()

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


async def eventually(check: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll `check` until it returns a truthy value (async tests waiting on background work)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)
