"""Alembic, driven from package paths (no cwd-relative alembic.ini), so it works from a wheel or the binary."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError

from kitchenasty.core import paths
from kitchenasty.core.db import sync_url


class MigrationError(Exception):
    pass


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(paths.MIGRATIONS_DIR))
    cfg.attributes["database_url"] = url
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(url: str) -> str | None:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise MigrationError(
            f"cannot read the database: {exc.__class__.__name__}: {exc.args[0] if exc.args else ''}"
        ) from None
    finally:
        engine.dispose()


def is_at_head(url: str) -> bool:
    return current_revision(url) == head_revision()


def is_known(revision: str | None) -> bool:
    """Whether this program knows `revision` (a database written by a newer version is not known)."""
    if revision is None:
        return True
    try:
        return ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(url: str, revision: str = "head") -> None:
    current = current_revision(url)
    if not is_known(current):
        raise MigrationError(
            f"the database is at revision {current}, which is newer than this program knows; "
            "upgrade KitchenAsty instead"
        )
    try:
        command.upgrade(alembic_config(url), revision)
    except (CommandError, SQLAlchemyError) as exc:
        raise MigrationError(f"migration failed: {exc}") from None


def autogenerate(url: str, message: str, rev_id: str | None = None) -> None:
    """Maintainers: write a new revision comparing the models with the database at `url` (at head)."""
    cfg = alembic_config(url)
    cfg.attributes["autogenerate"] = True
    command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
