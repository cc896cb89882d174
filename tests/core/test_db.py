"""The database layer: one writer, raw hot-path transactions, events after commit, background checkpoints."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kitchenasty.core import migrate
from kitchenasty.core.db import Database
from kitchenasty.core.events import DomainEvent, EventRecord, record


class Ping(DomainEvent, frozen=True):
    name = "test.ping"
    n: int


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    migrate.upgrade(url)
    return url


async def count_events(db: Database) -> int:
    return await db.run_read(lambda s: s.scalar(select(func.count()).select_from(EventRecord)))


async def test_run_write_commits_and_publishes_after_commit(url: str) -> None:
    db = Database(url)
    seen: list[int] = []
    db.bus.subscribe(Ping, lambda e: seen.append(e.n))
    await db.run_write(lambda unit: record(unit, Ping(n=1)))
    assert seen == [1]
    assert await count_events(db) == 1
    await db.dispose()


async def test_run_write_rolls_back_everything_and_publishes_nothing_on_error(url: str) -> None:
    db = Database(url)
    seen: list[int] = []
    db.bus.subscribe(Ping, lambda e: seen.append(e.n))

    def failing(unit: object) -> None:
        record(unit, Ping(n=2))
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        await db.run_write(failing)
    assert seen == []
    assert await count_events(db) == 0
    await db.run_write(lambda unit: record(unit, Ping(n=3)))  # the writer is usable again
    assert await count_events(db) == 1
    await db.dispose()


async def test_concurrent_writes_are_serialised_without_database_is_locked(url: str) -> None:
    db = Database(url)

    async def orm_write(n: int) -> None:
        async with db.transaction() as session:
            record(session, Ping(n=n))
            await asyncio.sleep(0)  # a real await inside the async transaction

    async def fast_write(n: int) -> None:
        await db.run_write(lambda unit: record(unit, Ping(n=n)))

    await asyncio.gather(*(orm_write(n) if n % 2 else fast_write(n) for n in range(60)))
    assert await count_events(db) == 60
    await db.dispose()


async def test_uninteresting_events_are_written_already_processed(url: str) -> None:
    db = Database(url)
    db.bus.durable_interest = lambda name, session=None: name != "test.ping"
    await db.run_write(lambda unit: record(unit, Ping(n=1)))
    processed = await db.run_read(lambda s: s.scalar(select(EventRecord.processed_at)))
    assert processed is not None
    await db.dispose()


async def test_checkpoints_run_in_the_background_not_in_commits(url: str) -> None:
    db = Database(url)

    def autocheckpoint() -> int:
        writer = db._sync_writer()
        return writer.connection.connection.driver_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0]

    await db.start_checkpoints()
    assert autocheckpoint() == 0  # commits never stop to checkpoint while the app runs
    for n in range(200):
        await db.run_write(lambda unit, n=n: record(unit, Ping(n=n)))
    await asyncio.sleep(2.5)  # two checkpoint intervals
    assert db.checkpoints >= 1
    await db.stop_checkpoints()
    assert autocheckpoint() == 1000  # SQLite's own default again (the CLI, a stopped app)
    await db.dispose()


async def test_the_wal_starts_over_while_writes_never_stop(url: str) -> None:
    """Under a steady stream of commits the WAL must still be rewound: a checkpoint on another connection never
    catches up with the writer, and the WAL used to grow without bound (1.9 GB after a 12,000-order rush)."""
    db = Database(url)
    writer = db._sync_writer()
    writer.autocheckpoint(0)
    for n in range(100):
        await db.run_write(lambda unit, n=n: record(unit, Ping(n=n)))
    frames_per_write = writer.checkpoint()[1] / 100

    db.wal_restart_frames = 1000  # 256 MB by default: a test writes less
    await db.start_checkpoints()
    writes = 0
    deadline = asyncio.get_running_loop().time() + 3.5
    while asyncio.get_running_loop().time() < deadline:  # no pause between commits (yield only)
        await db.run_write(lambda unit, n=writes: record(unit, Ping(n=n)))
        writes += 1
        await asyncio.sleep(0)
    frames_in_wal = writer.checkpoint()[1]
    await db.stop_checkpoints()
    await db.dispose()
    assert db.checkpoints >= 2
    assert frames_in_wal < 0.6 * frames_per_write * writes, (frames_in_wal, frames_per_write, writes)
