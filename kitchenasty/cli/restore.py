"""`kitchenasty restore ARCHIVE`: verify a backup, keep the current database aside, put the backup in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kitchenasty.cli.console import ConfigOption, DataDirOption, boot_settings, fail, handle_errors, out
from kitchenasty.core import migrate as migrations
from kitchenasty.core.backup import BackupError
from kitchenasty.core.restore import restore_backup


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def restore(
        archive: Annotated[Path, typer.Argument(help="A .tar.gz written by `kitchenasty backup`.", show_default=False)],
        with_secrets: Annotated[
            bool,
            typer.Option(
                "--with-secrets",
                help="Also replace an existing secret key and config file with the archive's "
                "(without it they are restored only when missing).",
            ),
        ] = False,
        no_migrate: Annotated[
            bool,
            typer.Option("--no-migrate", help="Leave a database from an older version at its revision."),
        ] = False,
        data_dir: DataDirOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Restore a backup into the data dir (the server must be stopped; the current database is kept aside)."""
        boot = boot_settings(data_dir, config)
        try:
            report = restore_backup(boot, archive, with_secrets=with_secrets, run_migrations=not no_migrate)
        except BackupError as exc:
            fail(str(exc))
        except sqlite3.Error as exc:
            fail(f"cannot read the database: {exc}")
        m = report.manifest
        out.print(
            f"verified {escape(archive.name)}: KitchenAsty {m.version} {m.kind} of {m.created_at}, database revision "
            f"{m.revision or 'none'}, sha256 ok, integrity ok"
        )
        previous = [p for p in report.previous if p.name.startswith(report.database.name + ".before-restore-")]
        if previous:
            out.print(f"kept the previous database as {escape(str(previous[0]))}")
        else:
            out.print("there was no previous database")
        out.print(f"[green]restored[/] the database to {escape(str(report.database))}")
        if report.migrated_to:
            out.print(f"database migrated: revision {report.migrated_from or 'none'} -> {report.migrated_to}")
        elif report.not_migrated:
            out.print(
                f"database left at revision {m.revision or 'none'} (this program needs "
                f"{migrations.head_revision()}): run `kitchenasty migrate` before `serve`"
            )
        else:
            out.print(f"database is at revision {m.revision} (current)")
        out.print(escape(report.secret))
        out.print(escape(report.config))
        out.print("done: start the server again (e.g. `systemctl start kitchenasty`)")
