"""The database: readers, one writer, and events published only after a commit.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout. Every write transaction
goes through a single writer: an asyncio lock serialises them in this process and `BEGIN IMMEDIATE` takes the
database write lock up front, so concurrent orders queue instead of failing with "database is locked" (another
process, such as the CLI, waits in the busy handler). Reads use their own pool and never wait for the writer.

Four entry points, two paths (docs/DEVELOPING.md says which to use when):
- the ORM for CRUD: `session()` reads, `transaction()` writes (an `AsyncSession`);
- the hot paths: `run_read(fn)` (one read transaction in one hop to a reader thread) and `run_write(fn)` (compiled
  Core statements through `fastsql.fast`, as raw BEGIN IMMEDIATE / COMMIT on the single writer connection on
  SQLite). On PostgreSQL the same functions run through `AsyncSession.run_sync`.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from kitchenasty.core import audit
from kitchenasty.core.events import INTEREST_KEY, DomainEvent, EventBus, take_pending
from kitchenasty.core.fastsql import FastConnection, HotUnit, raw_connection
from kitchenasty.core.logging import get_logger

T = TypeVar("T")
log = get_logger("kitchenasty.db")

SQLITE_BUSY_TIMEOUT_MS = 10_000
CHECKPOINT_INTERVAL_SECONDS = 1.0
CHECKPOINT_PASSES = 5
CHECKPOINT_TAIL_FRAMES = 2000
WAL_RESTART_FRAMES = 2**30 // 4096
"""Past this many frames (4 KiB pages, 1 GB) the WAL is made to start over even in the middle of a rush. Each such
restart holds writers back (order p99 at 16 clients measured ~200 ms with a restart every ~2.5 s at 256 MB), so it
is kept for a rush that never pauses; any pause between commits lets the WAL start over for free."""
WAL_SIZE_LIMIT_BYTES = 2 * 2**30
"""The WAL file is cut back to this size when it starts over; well above the restart point, because cutting the
file back stalls the writer in proportion to what is cut (~2 s for 1.9 GB)."""


def _json_dumps(value: Any) -> str:
    """JSON columns (event payloads, settings) encoded with msgspec: ~10x faster than `json.dumps` for an order."""
    return msgspec.json.encode(value).decode("utf-8")


_JSON = {"json_serializer": _json_dumps, "json_deserializer": msgspec.json.decode}


def async_url(url: str) -> str:
    u = make_url(url)
    if u.drivername in ("sqlite", "sqlite+pysqlite"):
        return str(u.set(drivername="sqlite+aiosqlite"))
    if u.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        return u.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    return u.render_as_string(hide_password=False)


def sync_url(url: str) -> str:
    u = make_url(url)
    if u.drivername.startswith("sqlite"):
        return str(u.set(drivername="sqlite"))
    return u.render_as_string(hide_password=False)


def hide_url_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: hide it entirely
        return "****"


def _install_sqlite_pragmas(sync_engine: Engine, *, begin: str) -> None:
    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's implicit BEGIN is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT_BYTES}")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


class _Writer:
    """The single synchronous writer connection (SQLite), checked out once and shared by every thread under a
    mutex (tests and the CLI may drive the same `Database` from more than one event loop)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(sync_url(url), pool_size=1, max_overflow=0, **_JSON)
        _install_sqlite_pragmas(self.engine, begin="BEGIN IMMEDIATE")
        self.connection = self.engine.connect()
        self.fast = FastConnection(self.connection)
        self.mutex = threading.Lock()
        self.writes = 0

    def autocheckpoint(self, pages: int) -> None:
        with self.mutex:  # on the DBAPI connection: through SQLAlchemy it would autobegin a write transaction
            raw_connection(self.connection).execute(f"PRAGMA wal_autocheckpoint={int(pages)}")

    def checkpoint(self) -> tuple[int, int, int]:
        """`PRAGMA wal_checkpoint(PASSIVE)` on this connection, between transactions: (busy, WAL frames,
        frames checkpointed)."""
        with self.mutex:
            row = raw_connection(self.connection).execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def with_unit(self, fn: Callable[[HotUnit], T], info: dict[str, Any]) -> tuple[T, list[DomainEvent]]:
        with self.mutex:
            raw = raw_connection(self.connection)
            raw.execute("BEGIN IMMEDIATE")
            unit = HotUnit(self.fast)
            unit.info.update(info)
            try:
                out = fn(unit)
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
            self.writes += 1
            return out, take_pending(unit)

    def close(self) -> None:
        self.connection.close()
        self.engine.dispose()


class Database:
    def __init__(self, url: str, bus: EventBus | None = None, *, readers: int = 4) -> None:
        self.url = url
        self.bus = bus or EventBus()
        self.is_sqlite = make_url(url).drivername.startswith("sqlite")
        aurl = async_url(url)
        if self.is_sqlite:
            self.read_engine: AsyncEngine = create_async_engine(aurl, pool_size=readers, max_overflow=0, **_JSON)
            self.write_engine: AsyncEngine = create_async_engine(aurl, pool_size=1, max_overflow=0, **_JSON)
            _install_sqlite_pragmas(self.read_engine.sync_engine, begin="BEGIN")
            _install_sqlite_pragmas(self.write_engine.sync_engine, begin="BEGIN IMMEDIATE")
        else:
            self.read_engine = create_async_engine(
                aurl, pool_size=readers, max_overflow=readers, pool_pre_ping=True, **_JSON
            )
            self.write_engine = self.read_engine
        self._read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self._write_sessions = async_sessionmaker(self.write_engine, expire_on_commit=False)
        self._locks: dict[int, asyncio.Lock] = {}
        self._locks_guard = threading.Lock()
        self._writer: _Writer | None = None
        self._checkpointer: asyncio.Task[None] | None = None
        self.checkpoints = 0
        self.wal_restart_frames = WAL_RESTART_FRAMES
        """Background WAL checkpoints done (for `doctor`-style checks and tests)."""
        self._reader_threads: ThreadPoolExecutor | None = None
        self._sync_read_engine: Engine | None = None
        self._sync_read_sessions: sessionmaker[Session] | None = None
        self._readers = readers
        audit.install()  # the ORM writes of staff are recorded in their own transaction

    def _info(self) -> dict[str, Any]:
        """What every write transaction's `info` starts with (see `events.record`)."""
        return {INTEREST_KEY: self.bus.durable_interest}

    # ------------------------------------------------------------------ locks

    def _write_lock(self) -> asyncio.Lock:
        loop_id = id(asyncio.get_running_loop())
        with self._locks_guard:
            lock = self._locks.get(loop_id)
            if lock is None:
                lock = self._locks[loop_id] = asyncio.Lock()
            return lock

    @asynccontextmanager
    async def _serialised(self) -> AsyncIterator[None]:
        if not self.is_sqlite:
            yield
            return
        async with self._write_lock():
            yield

    # ------------------------------------------------------------------ async sessions

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A read session (a consistent snapshot while it is open). Do not write through it."""
        async with self._read_sessions() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One write transaction; commits on success, rolls back on error, then publishes recorded events."""
        async with self._serialised(), self._write_sessions() as session:
            session.info.update(self._info())
            async with session.begin():
                yield session
            events = take_pending(session)
        await self.bus.publish_all(events)

    # ------------------------------------------------------------------ hot paths: one transaction, no hop per statement

    def _sync_writer(self) -> _Writer:
        if self._writer is None:
            self._writer = _Writer(self.url)
        return self._writer

    def _sync_reader(self) -> tuple[sessionmaker[Session], ThreadPoolExecutor]:
        if self._sync_read_sessions is None or self._reader_threads is None:
            engine = create_engine(sync_url(self.url), pool_size=self._readers, max_overflow=0, **_JSON)
            _install_sqlite_pragmas(engine, begin="BEGIN")
            self._sync_read_engine = engine
            self._sync_read_sessions = sessionmaker(engine, expire_on_commit=False)
            self._reader_threads = ThreadPoolExecutor(
                max_workers=self._readers, thread_name_prefix="kitchenasty-reader"
            )
        return self._sync_read_sessions, self._reader_threads

    async def run_write(self, fn: Callable[[Any], T]) -> T:
        """The hot write path (placing an order, changing its status, the outbox worker): `fn(unit)` runs one write
        transaction and may only use `fastsql.fast(unit)` statements, `events.record(unit, ...)` and
        `events.notify`, no ORM. On SQLite the transaction is raw BEGIN IMMEDIATE / COMMIT on the single writer
        connection, on the event loop's own thread (~20 us instead of ~350 us for a Session and a pooled
        connection; a thread hop cost more than the work: see DEVELOPING.md); elsewhere a `Session.run_sync`.
        `fn` must be short and must not wait on anything. Events are published after the commit."""
        if not self.is_sqlite:
            async with self._write_sessions() as session:
                session.info.update(self._info())
                async with session.begin():
                    result = await session.run_sync(fn)
                events = take_pending(session)
            await self.bus.publish_all(events)
            return result
        writer = self._sync_writer()
        async with self._write_lock():
            result, events = writer.with_unit(fn, self._info())
        await self.bus.publish_all(events)
        return result

    async def run_read(self, fn: Callable[[Session], T]) -> T:
        """Run `fn(session)` as one read-only transaction in a single hop (hot read paths)."""
        if not self.is_sqlite:
            async with self._read_sessions() as session:
                return await session.run_sync(fn)
        makers, executor = self._sync_reader()

        def call() -> T:
            with makers() as session, session.begin():
                return fn(session)

        return await asyncio.get_running_loop().run_in_executor(executor, call)

    def writer_data_version(self) -> int | None:
        """SQLite's `PRAGMA data_version` on the writer connection (None elsewhere): it moves when any other
        connection or process commits."""
        if not self.is_sqlite:
            return None
        writer = self._sync_writer()
        with writer.mutex:
            return writer.fast.data_version()

    # ------------------------------------------------------------------ WAL checkpoints off the hot path

    async def start_checkpoints(self) -> None:
        """While the app runs, WAL checkpoints happen here, in the background, instead of inside a commit.

        SQLite's automatic checkpoint runs in whichever commit crosses 1000 WAL pages and fsyncs the database file:
        measured here it added ~0.4 ms to every order on average (commit 639 us -> 221 us without it).
        """
        if not self.is_sqlite or self._checkpointer is not None:
            return
        self._sync_writer().autocheckpoint(0)
        self._checkpointer = asyncio.create_task(self._checkpoint_loop(), name="kitchenasty-checkpoints")

    async def stop_checkpoints(self) -> None:
        task, self._checkpointer = self._checkpointer, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if self._writer is not None:
            self._writer.autocheckpoint(1000)
            await asyncio.get_running_loop().run_in_executor(self._sync_reader()[1], self._checkpoint)

    async def _checkpoint_loop(self) -> None:
        done = 0
        while True:
            await asyncio.sleep(CHECKPOINT_INTERVAL_SECONDS)
            writes = self._writer.writes if self._writer is not None else 0
            if writes == done:
                continue
            done = writes
            try:
                await self._checkpoint_and_restart()
                self.checkpoints += 1
            except Exception:  # a failed checkpoint is retried next time; SQLite stays consistent either way
                log.warning("sqlite.checkpoint_failed", exc_info=True)

    async def _checkpoint_and_restart(self) -> None:
        """Copy the WAL into the database, then let the next write start the WAL over from its beginning.

        A checkpoint on another connection never catches up with a writer that keeps committing, and SQLite only
        rewinds the WAL when every frame in it has been copied: under a steady stream of orders the WAL grew
        without bound (1.9 GB after 12,000 orders, for an 82 MB database), and the first write after the rush
        then stalled for ~2 s truncating it. So: the bulk of the copy runs on a reader connection while orders
        keep landing. At the first pause between commits the WAL is fully copied and the next commit rewinds it.
        If commits never pause and the WAL passes `wal_restart_frames` (1 GB), reader passes copy it down to a
        short tail and the writer connection copies the tail with writers held back; the next commit rewinds it.
        """
        loop = asyncio.get_running_loop()
        executor = self._sync_reader()[1]
        frames = await loop.run_in_executor(executor, self._checkpoint)
        writer = self._writer
        if writer is None or frames <= self.wal_restart_frames:
            return  # it starts over by itself at the first pause between commits
        # A rush that never pauses. Each pass copies what the previous one left, and copies faster than orders
        # write, so a few passes leave only a short tail for the writer (profiled: holding writers for the whole
        # remainder after one pass took 45-120 ms; running the passes every second instead of only past the
        # limit cost a core of copying and doubled order p99).
        previous = frames
        for _ in range(CHECKPOINT_PASSES):
            frames = await loop.run_in_executor(executor, self._checkpoint)
            if frames - previous <= CHECKPOINT_TAIL_FRAMES:
                break
            previous = frames
        async with self._write_lock():
            await loop.run_in_executor(executor, writer.checkpoint)

    def _checkpoint(self) -> int:
        """A PASSIVE checkpoint on a reader connection; returns the frames in the WAL."""
        with self._sync_reader()[0]() as session:
            row = session.connection().exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").first()
        return int(row[1]) if row is not None else 0

    async def dispose(self) -> None:
        await self.stop_checkpoints()
        await self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            await self.write_engine.dispose()
        if self._reader_threads is not None:
            self._reader_threads.shutdown(wait=True)
        if self._writer is not None:
            self._writer.close()
        if self._sync_read_engine is not None:
            self._sync_read_engine.dispose()
        self._reader_threads = None
        self._writer = None
        self._sync_read_sessions = None
        self._sync_read_engine = None
