"""Migrations shipped in the package: an empty database upgraded to head equals the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from kitchenasty.core import migrate, paths
from kitchenasty.core.schema import Base
from kitchenasty.models import load_models


def test_migrations_from_an_empty_database_equal_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate.upgrade(url)
    assert migrate.current_revision(url) == migrate.head_revision()
    load_models()
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
    assert set(Base.metadata.tables) <= tables


def test_migrations_live_inside_the_package() -> None:
    assert paths.MIGRATIONS_DIR.is_relative_to(paths.PACKAGE_DIR)
    assert list((paths.MIGRATIONS_DIR / "versions").glob("*.py"))
    assert migrate.head_revision() is not None


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    migrate.upgrade(url)
    migrate.upgrade(url)
    assert migrate.is_at_head(url)
