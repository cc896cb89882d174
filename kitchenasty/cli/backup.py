"""`kitchenasty backup [PATH] [--keep N]`: one archive with a consistent copy of the live database."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kitchenasty.cli.console import ConfigOption, DataDirOption, boot_settings, fail, handle_errors, out
from kitchenasty.core.backup import BackupError, create_backup


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def backup(
        path: Annotated[
            Path | None,
            typer.Argument(
                help="Directory to write the archive into, or the archive's file name (*.tar.gz). "
                "Default: the backup dir (<data dir>/backups).",
                show_default=False,
            ),
        ] = None,
        keep: Annotated[
            int | None,
            typer.Option(help="Afterwards keep only the newest N `kitchenasty backup` archives in that directory."),
        ] = None,
        data_dir: DataDirOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Back up the database, secret key and config into one archive (safe while the server runs)."""
        boot = boot_settings(data_dir, config)
        try:
            result = create_backup(boot, path, keep=keep)
        except BackupError as exc:
            fail(str(exc))
        except sqlite3.Error as exc:
            fail(f"cannot read the database {boot.sqlite_path}: {exc}")
        manifest = result.manifest
        out.print(f"[green]backup written[/]: {escape(str(result.path))} ({human_size(result.size)})")
        out.print(
            f"  database: revision {manifest.revision or 'none'}, {human_size(manifest.database_bytes)}, "
            f"sha256 {manifest.database_sha256[:16]}"
        )
        out.print(
            f"  secret key: {'included' if manifest.has_secret else 'not a file in the data dir; not included'}; "
            f"config: {'included' if manifest.has_config else 'no config file; not included'}"
        )
        out.print("  the archive holds the secret key: keep it somewhere private (it is written with mode 0600)")
        for removed in result.removed:
            out.print(f"removed old backup {escape(removed.name)}")
