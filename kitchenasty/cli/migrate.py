"""`kitchenasty migrate [--check]`."""

from __future__ import annotations

from typing import Annotated

import typer

from kitchenasty.cli.console import ConfigOption, DataDirOption, boot_settings, fail, handle_errors, out
from kitchenasty.core import migrate as migrations


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def migrate(
        data_dir: DataDirOption = None,
        config: ConfigOption = None,
        check: Annotated[bool, typer.Option("--check", help="Only report; exit 1 if an upgrade is needed.")] = False,
    ) -> None:
        """Upgrade the database to the version this program expects."""
        boot = boot_settings(data_dir, config)
        if boot.is_sqlite and (boot.sqlite_path is None or not boot.sqlite_path.exists()) and check:
            fail(f"no database at {boot.sqlite_path}; run `kitchenasty init`")
        current = migrations.current_revision(boot.database_url)
        head = migrations.head_revision()
        if current == head:
            out.print(f"database is up to date (revision {head})")
            return
        if check:
            out.print(f"database needs an upgrade: revision {current or 'none'} -> {head}")
            raise typer.Exit(1)
        migrations.upgrade(boot.database_url)
        out.print(f"database upgraded: revision {current or 'none'} -> {head}")
