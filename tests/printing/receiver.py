"""A network ticket printer for the tests: an asyncio TCP server on 127.0.0.1 (in its own thread) that keeps the
bytes of every connection and parses the ESC/POS stream into lines of text with their flags (bold, inverted,
double width/height) and whether the paper was cut. It answers the status request (DLE EOT n) with "online",
unless `hold` is set: then the answer waits until `release()` (a printer still busy when the server is killed).
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False
    invert: bool = False
    double_width: bool = False
    double_height: bool = False
    centered: bool = False


@dataclass
class Ticket:
    lines: list[Line] = field(default_factory=list)
    cut: bool = False
    raw: bytes = b""

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def job_id(self) -> str | None:
        for text in self.texts:
            found = re.fullmatch(r"Job (\S+)", text.strip())
            if found:
                return found.group(1)
        return None

    def line(self, needle: str) -> Line:
        for line in self.lines:
            if needle in line.text:
                return line
        raise AssertionError(f"no line with {needle!r} in {self.texts}")

    def has(self, needle: str) -> bool:
        return any(needle in text for text in self.texts)

    @property
    def item_lines(self) -> list[str]:
        """The lines between the two rules of dashes (the items, their options and comments)."""
        rules = [i for i, text in enumerate(self.texts) if text and set(text) == {"-"}]
        if len(rules) < 2:
            return []
        return [t.strip() for t in self.texts[rules[0] + 1 : rules[1]]]


_ONE_ARG = {ord(c) for c in "!EMat-GdJ"}


def parse(data: bytes) -> Ticket:
    """The ESC/POS commands python-escpos writes for text: sizes, bold, invert, font, align, code page, feed, cut."""
    ticket = Ticket(raw=data)
    state = {"bold": False, "invert": False, "dw": False, "dh": False, "center": False}
    text: list[str] = []
    flags: dict[str, bool] | None = None
    i = 0

    def end_line() -> None:
        nonlocal text, flags
        f = flags or state
        ticket.lines.append(Line("".join(text), f["bold"], f["invert"], f["dw"], f["dh"], f["center"]))
        text, flags = [], None

    while i < len(data):
        b = data[i]
        if b == 0x1B:  # ESC
            cmd = data[i + 1]
            if cmd == ord("@"):
                state.update(bold=False, invert=False, dw=False, dh=False, center=False)
                i += 2
                continue
            if cmd == ord("p"):
                i += 5
                continue
            if cmd not in _ONE_ARG:
                raise AssertionError(f"unknown ESC command {cmd:#x} at {i}")
            arg = data[i + 2]
            if cmd == ord("!"):
                state.update(dw=bool(arg & 0x20), dh=bool(arg & 0x10))
                if arg & 0x08:
                    state["bold"] = True
            elif cmd == ord("E"):
                state["bold"] = bool(arg)
            elif cmd == ord("a"):
                state["center"] = arg == 1
            i += 3
            continue
        if b == 0x1D:  # GS
            cmd = data[i + 1]
            if cmd == ord("B"):
                state["invert"] = bool(data[i + 2])
                i += 3
            elif cmd == ord("V"):
                ticket.cut = True
                i += 4 if data[i + 2] in (65, 66) else 3
            elif cmd == ord("!"):
                arg = data[i + 2]
                state.update(dw=(arg >> 4) > 0, dh=(arg & 0x0F) > 0)
                i += 3
            else:
                raise AssertionError(f"unknown GS command {cmd:#x} at {i}")
            continue
        if b == 0x10:  # DLE EOT n: a status request
            i += 3
            continue
        if b == 0x0A:
            end_line()
            i += 1
            continue
        if flags is None:
            flags = dict(state)
        text.append(chr(b))
        i += 1
    if text:
        end_line()
    return ticket


class PrinterReceiver:
    """`with PrinterReceiver() as printer:` ... `printer.port`, `printer.tickets`, `printer.wait_for(n)`."""

    def __init__(self, port: int = 0, *, hold: bool = False) -> None:
        self.requested_port = port
        self.port = port
        self.hold = hold
        self.connections: list[bytes] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._released: asyncio.Event | None = None
        self._ready = threading.Event()

    # ---------------------------------------------------------------- lifecycle

    def __enter__(self) -> PrinterReceiver:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._ready.clear()
        self._thread = threading.Thread(target=self._serve, name="printer-receiver", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the printer receiver did not start")

    def stop(self) -> None:
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._thread = self._loop = None

    def release(self) -> None:
        """Answer the status requests that `hold` kept waiting (and stop holding)."""
        self.hold = False
        loop, released = self._loop, self._released
        if loop is not None and released is not None:
            loop.call_soon_threadsafe(released.set)

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._released = asyncio.Event()
        self._server = loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.requested_port, reuse_address=True)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            # A connection still open (a printer client the server under test keeps) is ended here, in this loop:
            # left pending, its task was collected in a later test, after its loop had closed.
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in pending:
                task.cancel()
            loop.run_until_complete(_settled(pending))
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        data = bytearray()
        index = None
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    break
                data += chunk
                with self._lock:
                    if index is None:
                        self.connections.append(bytes(data))
                        index = len(self.connections) - 1
                    else:
                        self.connections[index] = bytes(data)
                if data.endswith(b"\x10\x04\x01"):
                    if self.hold:
                        assert self._released is not None
                        await self._released.wait()
                    writer.write(b"\x12")  # online, no error
                    await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    # ---------------------------------------------------------------- what arrived

    @property
    def tickets(self) -> list[Ticket]:
        with self._lock:
            raw = list(self.connections)
        return [parse(data) for data in raw if data.strip(b"\x10\x04\x01")]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Ticket]:
        deadline = time.monotonic() + timeout
        while True:
            tickets = [t for t in self.tickets if t.cut]
            if len(tickets) >= count:
                return tickets
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(tickets)} tickets printed, expected {count}: {[t.texts for t in tickets]}")
            time.sleep(0.02)


async def _settled(tasks: list[asyncio.Task[Any]]) -> None:
    await asyncio.gather(*tasks, return_exceptions=True)
