"""The print worker: durable print jobs -> ESC/POS bytes -> the printer's TCP port, once per job.

One asyncio task (started and stopped with the app) loops:
1. At start, jobs a crash left PRINTING go back to PENDING. That is the one case where a ticket may print twice
   (the bytes may have reached the printer before the crash): "a crash mid-print retries". The ticket's last line
   carries the job id, so a person (or a print server) can tell a repeat.
2. Each printer's next job (its oldest PENDING one, in order, when due) is claimed with a compare-and-set UPDATE
   (PENDING -> PRINTING, attempts + 1) committed before anything is sent; printers are served concurrently, a
   printer's own tickets one after the other.
3. The ticket is rendered (`printing.render`, python-escpos) from the payload frozen in the job and sent over
   TCP with timeouts; after the bytes are written the worker asks the printer for its status (DLE EOT 1) and waits
   briefly for the answer byte, so the bytes have left before the job is marked PRINTED (printers that do not
   answer still count as printed once the write succeeded). A PRINTED job never prints again.
4. On an error the job goes back to PENDING after base x 2^(attempts-1) seconds, with the error kept; FAILED after
   `max_attempts`. A PrintJobsQueued event (a committed order change) wakes the worker at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from typing import Any

from kitchenasty.core.db import Database
from kitchenasty.core.logging import get_logger
from kitchenasty.core.schema import utcnow
from kitchenasty.printing import checks, queries, render

log = get_logger("kitchenasty.printing")

POLL_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 3.0
WRITE_TIMEOUT_SECONDS = 10.0
STATUS_WAIT_SECONDS = 1.5
STOP_GRACE_SECONDS = 3.0
MAX_ERROR_CHARS = 500
STATUS_REQUEST = b"\x10\x04\x01"
"""DLE EOT 1: transmit the printer status (one byte back)."""


async def send(host: str, port: int, data: bytes, *, connect_timeout: float = CONNECT_TIMEOUT_SECONDS) -> None:
    """Write a ticket to a raw-TCP printer; raises OSError/TimeoutError when it cannot."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=connect_timeout)
    try:
        writer.write(data + STATUS_REQUEST)
        await asyncio.wait_for(writer.drain(), timeout=WRITE_TIMEOUT_SECONDS)
        with contextlib.suppress(TimeoutError, ConnectionError):
            await asyncio.wait_for(reader.read(1), timeout=STATUS_WAIT_SECONDS)
    finally:
        writer.close()
        with contextlib.suppress(OSError, TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), timeout=1.0)


async def reachable(host: str, port: int, wait: float = 1.5) -> bool:
    """Whether something answers on the printer's port (a TCP connect, closed at once)."""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=wait)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), timeout=1.0)
    return True


class PrintWorker:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.max_attempts = checks.MAX_ATTEMPTS
        self.backoff_base = checks.BACKOFF_BASE_SECONDS
        self.backoff_cap = checks.BACKOFF_CAP_SECONDS
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = False
        self._busy: dict[str, asyncio.Task[None]] = {}
        """printer id -> the task printing its current job."""

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if self.running:
            return
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        reset = await self.db.run_write(lambda session: queries.reset_printing(session, utcnow()))
        if reset:
            log.warning("printing.interrupted_jobs_requeued", jobs=reset)
        self._task = asyncio.create_task(self._run(), name="kitchenasty-print-worker")

    async def stop(self) -> None:
        task = self._task
        if task is None:
            return
        self._stopping = True
        self.wake()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), timeout=STOP_GRACE_SECONDS)
        task.cancel()
        busy = list(self._busy.values())
        if busy:
            _, pending = await asyncio.wait(busy, timeout=STOP_GRACE_SECONDS)
            for pending_task in pending:
                pending_task.cancel()
        await asyncio.gather(task, *busy, return_exceptions=True)
        self._task = self._wake = self._loop = None
        self._busy = {}

    def wake(self, _event: Any = None) -> None:
        """Look for jobs now (safe from any thread)."""
        loop, event = self._loop, self._wake
        if loop is None or event is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            self._wake.clear()
            delay = POLL_SECONDS
            try:
                delay = await self.dispatch()
            except Exception:
                log.exception("printing.worker_error")
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    async def dispatch(self) -> float:
        """Start printing each idle printer's next due job; returns how long to wait before looking again."""
        now = utcnow()
        due, earliest = await self.db.run_read(
            lambda session: (queries.next_per_printer(session, now), queries.earliest_retry(session))
        )
        for job_id, printer_id in due:
            if printer_id in self._busy or self._stopping:
                continue
            row = await self.db.run_write(functools.partial(self._claim, job_id=job_id))
            if row is not None:
                self._busy[printer_id] = asyncio.create_task(self._print(printer_id, row))
        if earliest is None:
            return POLL_SECONDS
        return max(0.05, min(POLL_SECONDS, (earliest - utcnow()).total_seconds()))

    @staticmethod
    def _claim(session: Any, job_id: str) -> Any:
        return queries.claim(session, job_id, utcnow())

    async def _print(self, printer_id: str, row: Any) -> None:
        try:
            error: str | None = None
            try:
                if not row.active:
                    raise ConnectionError("The printer is switched off in the back office")
                data = render.escpos_bytes(checks.layout(row.payload, row.width_mm, row.id))
                await send(row.host, row.port, data)
            except (OSError, TimeoutError, ValueError) as exc:
                error = describe(exc, row.host, row.port)
            await self.db.run_write(functools.partial(self._settle, row=row, error=error))
        except Exception:
            log.exception("printing.job_error", job=row.id)
        finally:
            self._busy.pop(printer_id, None)
            self.wake()

    def _settle(self, session: Any, row: Any, error: str | None) -> None:
        now = utcnow()
        if error is None:
            queries.mark_printed(session, row.id, now)
            log.info("printing.printed", job=row.id, attempts=row.attempts)
            return
        attempts = int(row.attempts)
        next_at = None
        if attempts < self.max_attempts:
            next_at = now + checks.next_attempt_delay(attempts, self.backoff_base, self.backoff_cap)
        queries.mark_attempt_failed(session, row.id, now, error[:MAX_ERROR_CHARS], next_at)
        log.warning("printing.attempt_failed", job=row.id, attempts=attempts, error=error, final=next_at is None)


def describe(exc: BaseException, host: str, port: int) -> str:
    """A failed attempt in words."""
    if isinstance(exc, TimeoutError):
        return f"The printer at {host}:{port} did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return f"The printer at {host}:{port} refused the connection (is it on and on the network?)"
    text = str(exc) or type(exc).__name__
    return f"Could not print on {host}:{port}: {text}"
