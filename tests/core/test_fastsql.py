"""The hot-path executor gives the same results as SQLAlchemy Core on the same statements."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DefaultClause,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    insert,
    select,
    text,
)
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kitchenasty.core.fastsql import FastConnection, fast
from kitchenasty.core.schema import UTCDateTime, new_id, utcnow

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", String, primary_key=True, default=new_id),
    Column("name", String, nullable=False),
    Column("count", Integer, nullable=False, default=7),
    Column("active", Boolean, nullable=False, default=True),
    Column("doc", JSON),
    Column("at", UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow),
)
INSERT = insert(things)
BY_NAMES = (
    select(things.c.id, things.c.name, things.c.active, things.c.doc, things.c.at)
    .where(things.c.name.in_(bindparam("names", expanding=True)))
    .order_by(things.c.name)
)
ACTIVE_ONLY = select(things.c.name).where(things.c.active.is_(True), things.c.name.in_(["a", "b"])).limit(5)
RENAME = sql_update(things).where(things.c.id == bindparam("tid")).values(name=bindparam("new_name"))


@pytest.fixture
def session(tmp_path: Path) -> Session:
    engine = create_engine(f"sqlite:///{tmp_path / 'fast.db'}")
    metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        yield session
    engine.dispose()


def test_fast_executor_is_used_on_sqlite(session: Session) -> None:
    assert isinstance(fast(session), FastConnection)


def test_fast_insert_applies_defaults_and_types_like_core(session: Session) -> None:
    when = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)
    fast(session).execute(INSERT, {"id": "t1", "name": "a", "doc": {"k": [1, 2]}, "at": when})
    fast(session).execute(INSERT, [{"name": "b", "active": False}, {"name": "c"}])
    core = session.connection().execute(BY_NAMES, {"names": ["a", "b", "c"]}).all()
    quick = fast(session).execute(BY_NAMES, {"names": ["a", "b", "c"]}).all()
    assert [tuple(r) for r in quick] == [tuple(r) for r in core]
    first = quick[0]
    assert (first.id, first.name, first.active, first.doc, first.at) == ("t1", "a", True, {"k": [1, 2]}, when)
    assert quick[1].active is False and quick[1].at.tzinfo is not None
    assert session.connection().execute(select(things.c.count).where(things.c.name == "c")).scalar() == 7


def test_fast_literal_binds_limits_and_empty_in_lists(session: Session) -> None:
    fast(session).execute(INSERT, [{"name": "a"}, {"name": "b", "active": False}, {"name": "z"}])
    assert fast(session).execute(ACTIVE_ONLY).scalars().all() == ["a"]
    assert fast(session).execute(BY_NAMES, {"names": []}).all() == []


def test_fast_update_sets_onupdate_columns_and_reports_rowcount(session: Session) -> None:
    fast(session).execute(INSERT, {"id": "t1", "name": "a", "at": datetime(2020, 1, 1, tzinfo=UTC)})
    result = fast(session).execute(RENAME, {"tid": "t1", "new_name": "renamed"})
    assert result.rowcount == 1
    row = fast(session).execute(BY_NAMES, {"names": ["renamed"]}).one()
    assert row.at.year >= 2026  # onupdate ran, as Core would have done
    assert fast(session).execute(RENAME, {"tid": "missing", "new_name": "x"}).rowcount == 0


def test_fast_errors_are_sqlalchemy_errors(session: Session) -> None:
    fast(session).execute(INSERT, {"id": "dup", "name": "a"})
    with pytest.raises(IntegrityError):
        fast(session).execute(INSERT, {"id": "dup", "name": "b"})


def test_new_ids_are_unique_time_ordered_and_unguessable_in_shape() -> None:
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == 2000
    assert all(len(i) == 26 and i[0] == "c" and int(i[1:], 16) >= 0 for i in ids)
    assert [i[:12] for i in ids] == sorted(i[:12] for i in ids)  # the time part never goes backwards


def test_fast_insert_leaves_out_a_column_it_has_no_value_for_so_its_server_default_applies(session: Session) -> None:
    conn = fast(session)
    session.execute(text("ALTER TABLE things ADD COLUMN channel VARCHAR(8) NOT NULL DEFAULT 'web'"))
    with_channel = Table(
        "things",
        MetaData(),
        *(c._copy() for c in things.columns),
        Column("channel", String(8), nullable=False, server_default=DefaultClause("web")),
    )
    conn.execute(insert(with_channel), {"name": "x"})
    conn.execute(insert(with_channel), [{"name": "y"}, {"name": "z"}])
    assert [tuple(r) for r in conn.execute(select(with_channel.c.name, with_channel.c.channel))] == [
        ("x", "web"),
        ("y", "web"),
        ("z", "web"),
    ]
    conn.execute(sql_update(with_channel).where(with_channel.c.name == "x"), {"count": 9})
    assert tuple(
        conn.execute(select(with_channel.c.channel, with_channel.c.count).where(with_channel.c.name == "x")).one()
    ) == ("web", 9)


ORDER_WITH_A_NEW_COLUMN = """
import asyncio, sys
from sqlalchemy import Column, String, create_engine, text
from kitchenasty.orders.models import Order

# A column added the normal Alembic way: NOT NULL with a server default, no value in the code that inserts orders.
Order.__table__.append_column(Column("channel", String(16), nullable=False, server_default="web"))

from litestar.testing import AsyncTestClient
from kitchenasty.app import create_app
from kitchenasty.core.config import load_boot_settings
from kitchenasty.menu.demo import seed_demo

data_dir = sys.argv[1]
boot = load_boot_settings(data_dir, env={})
engine = create_engine(boot.database_url)
with engine.begin() as c:
    c.execute(text("ALTER TABLE orders ADD COLUMN channel VARCHAR(16) NOT NULL DEFAULT 'web'"))
engine.dispose()


async def main() -> None:
    app = create_app(boot)
    services = app.state.services
    await seed_demo(services)
    async with AsyncTestClient(app=app) as client:
        menu = (await client.get("/api/menu")).json()["data"]
        item = next(
            i for c in menu["categories"] for i in c["items"]
            if i["isAvailable"] and not any(o["isRequired"] for o in i["options"])
        )
        placed = await client.post("/api/orders", json={
            "orderType": "PICKUP", "items": [{"menuItemId": item["id"], "quantity": 1}],
            "guestName": "Ada", "guestEmail": "ada@example.com", "guestPhone": "+1 555 0100",
        })
        assert placed.status_code == 201, placed.text
    with create_engine(boot.database_url).connect() as c:
        print(c.execute(text("SELECT channel FROM orders")).scalar_one())


asyncio.run(main())
"""


def test_an_order_is_placed_after_a_not_null_column_with_a_server_default_is_added(data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", ORDER_WITH_A_NEW_COLUMN, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "web"
