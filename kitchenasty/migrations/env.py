"""Alembic environment. The URL comes from `core.migrate.alembic_config`; async drivers run through run_sync."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection, create_engine, pool
from sqlalchemy.ext.asyncio import create_async_engine

from kitchenasty.core.db import async_url, sync_url
from kitchenasty.core.schema import Base
from kitchenasty.models import load_models
from kitchenasty.orders import rollups

load_models()
target_metadata = Base.metadata
config = context.config
url: str = config.attributes["database_url"]


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if not config.attributes.get("autogenerate"):
            # objects the code owns rather than the schema: recreated as this version defines them
            rollups.install_triggers(connection)


def run_offline() -> None:
    context.configure(url=sync_url(url), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(async_url(url), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
    await engine.dispose()


def run_online() -> None:
    if url.startswith("sqlite"):
        engine = create_engine(sync_url(url), poolclass=pool.NullPool)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            _configure(connection)
        engine.dispose()
    else:
        asyncio.run(_run_async())


if context.is_offline_mode():
    run_offline()
else:
    run_online()
