"""The data directory: created with tight permissions, holding the secret key, the config file and the DB."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kitchenasty.core import migrate, paths
from kitchenasty.core.config import BootSettings, render_example_config
from kitchenasty.core.security import generate_secret


@dataclass
class DataDirReport:
    created: list[str] = field(default_factory=list)
    migrated_from: str | None = None
    migrated_to: str | None = None


def write_private(path: Path, text: str) -> None:
    """Create `path` with mode 0600 from the start (never briefly world-readable)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def is_initialised(boot: BootSettings) -> bool:
    """A data dir is initialised once it has a secret key and a database file (whatever its revision: a database
    behind head is reported by `serve` and `migrate --check`, not silently re-initialised)."""
    if not boot.secret_key:
        return False
    if boot.is_sqlite:
        return boot.sqlite_path is not None and boot.sqlite_path.exists()
    return True


def prepare(boot: BootSettings) -> DataDirReport:
    """Create what is missing (dir, secret, config, database at head); never overwrite what exists."""
    report = DataDirReport()
    data_dir = boot.data_dir
    if not data_dir.exists():
        data_dir.mkdir(parents=True, mode=0o700)
        report.created.append(f"data dir {data_dir}")
    secret_file = data_dir / paths.SECRET_FILE_NAME
    if not secret_file.exists() and boot.sources.get("secret_key") in (None, "default", "file"):
        write_private(secret_file, generate_secret() + "\n")
        report.created.append(f"secret key {secret_file} (mode 0600)")
    config_file = boot.config_path or data_dir / paths.CONFIG_FILE_NAME
    if not config_file.exists():
        write_private(config_file, render_example_config())
        report.created.append(f"config file {config_file}")
    current = migrate.current_revision(boot.database_url)
    head = migrate.head_revision()
    if current != head:
        migrate.upgrade(boot.database_url)
        report.migrated_from, report.migrated_to = current, head
    if boot.is_sqlite and boot.sqlite_path is not None and boot.sqlite_path.exists():
        boot.sqlite_path.chmod(0o600)  # orders and password hashes: the owner's eyes only
    return report
