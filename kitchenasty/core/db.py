"""The database: readers, one writer, and events published only after a commit.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout. Every write transaction
goes through a single writer: an asyncio lock serialises them in this process and `BEGIN IMMEDIATE` takes the
database write lock up front, so concurrent orders queue instead of failing with "database is locked" (another
process, such as the CLI, waits in the busy handler). Reads use their own pool and never wait for the writer.

`transaction()` is the general-purpose write path (an `AsyncSession`). `run_write(fn)` is the hot path: the
whole transaction runs as plain synchronous SQLAlchemy in one hop to the writer thread, instead of one thread hop
per statement (on PostgreSQL the same function runs through `AsyncSession.run_sync`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from kitchenasty.core.events import DomainEvent, EventBus, take_pending

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 10_000


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
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


class Database:
    def __init__(self, url: str, bus: EventBus | None = None, *, readers: int = 4) -> None:
        self.url = url
        self.bus = bus or EventBus()
        self.is_sqlite = make_url(url).drivername.startswith("sqlite")
        aurl = async_url(url)
        if self.is_sqlite:
            self.read_engine: AsyncEngine = create_async_engine(aurl, pool_size=readers, max_overflow=0)
            self.write_engine: AsyncEngine = create_async_engine(aurl, pool_size=1, max_overflow=0)
            _install_sqlite_pragmas(self.read_engine.sync_engine, begin="BEGIN")
            _install_sqlite_pragmas(self.write_engine.sync_engine, begin="BEGIN IMMEDIATE")
        else:
            self.read_engine = create_async_engine(aurl, pool_size=readers, max_overflow=readers, pool_pre_ping=True)
            self.write_engine = self.read_engine
        self._read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self._write_sessions = async_sessionmaker(self.write_engine, expire_on_commit=False)
        self._locks: dict[int, asyncio.Lock] = {}
        self._locks_guard = threading.Lock()
        self._sync_engine: Engine | None = None
        self._sync_sessions: sessionmaker[Session] | None = None
        self._writer_thread: ThreadPoolExecutor | None = None
        self._reader_threads: ThreadPoolExecutor | None = None
        self._sync_read_engine: Engine | None = None
        self._sync_read_sessions: sessionmaker[Session] | None = None
        self._readers = readers

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
            async with session.begin():
                yield session
            events = take_pending(session)
        await self.bus.publish_all(events)

    # ------------------------------------------------------------------ hot path: one hop per transaction

    def _sync_writer(self) -> tuple[sessionmaker[Session], ThreadPoolExecutor]:
        if self._sync_sessions is None or self._writer_thread is None:
            engine = create_engine(sync_url(self.url), pool_size=1, max_overflow=0)
            _install_sqlite_pragmas(engine, begin="BEGIN IMMEDIATE")
            self._sync_engine = engine
            self._sync_sessions = sessionmaker(engine, expire_on_commit=False)
            self._writer_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kitchenasty-writer")
        return self._sync_sessions, self._writer_thread

    def _sync_reader(self) -> tuple[sessionmaker[Session], ThreadPoolExecutor]:
        if self._sync_read_sessions is None or self._reader_threads is None:
            engine = create_engine(sync_url(self.url), pool_size=self._readers, max_overflow=0)
            _install_sqlite_pragmas(engine, begin="BEGIN")
            self._sync_read_engine = engine
            self._sync_read_sessions = sessionmaker(engine, expire_on_commit=False)
            self._reader_threads = ThreadPoolExecutor(
                max_workers=self._readers, thread_name_prefix="kitchenasty-reader"
            )
        return self._sync_read_sessions, self._reader_threads

    async def run_write(self, fn: Callable[[Session], T]) -> T:
        """Run `fn(session)` as one write transaction in a single hop; publish its events after commit."""
        if not self.is_sqlite:
            async with self._write_sessions() as session:
                async with session.begin():
                    result = await session.run_sync(fn)
                events = take_pending(session)
            await self.bus.publish_all(events)
            return result
        makers, executor = self._sync_writer()

        def call() -> tuple[T, list[DomainEvent]]:
            with makers() as session:
                with session.begin():
                    out = fn(session)
                return out, take_pending(session)

        async with self._write_lock():
            result, events = await asyncio.get_running_loop().run_in_executor(executor, call)
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

    @contextmanager
    def sync_transaction(self) -> Any:
        """A synchronous write transaction for code outside an event loop (the CLI).

        Events are still recorded durably (the outbox worker of a running server picks them up); there is no
        in-process subscriber to publish to.
        """
        makers, _ = self._sync_writer()
        with makers() as session:
            with session.begin():
                yield session
            take_pending(session)

    async def dispose(self) -> None:
        await self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            await self.write_engine.dispose()
        for executor in (self._writer_thread, self._reader_threads):
            if executor is not None:
                executor.shutdown(wait=True)
        for engine in (self._sync_engine, self._sync_read_engine):
            if engine is not None:
                engine.dispose()
        self._writer_thread = self._reader_threads = None
        self._sync_sessions = self._sync_read_sessions = None
        self._sync_engine = self._sync_read_engine = None
