"""`kitchenasty doctor`: one line per check (ok / FAIL), non-zero exit when any check fails.

Checks: data dir (exists, not open to other users), secret key (present, mode 0600), config (parses), database
(integrity), migrations (at head), mail (SMTP host reachable; not configured is fine), port (free, or served by
KitchenAsty), each ticket printer (answers on its port) and disk space.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.markup import escape

from kitchenasty.cli.console import ConfigOption, DataDirOption, handle_errors, one_line, out
from kitchenasty.core import migrate as migrations
from kitchenasty.core import paths
from kitchenasty.core.backup import integrity_problems, server_pid
from kitchenasty.core.config import (
    BootSettings,
    ConfigError,
    SiteSettingsSources,
    load_boot_settings,
    resolve_data_dir,
)
from kitchenasty.core.db import hide_url_password

SMTP_TIMEOUT_SECONDS = 3.0
PRINTER_TIMEOUT_SECONDS = 2.0
DEFAULT_MIN_FREE_MB = 200


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "ok" | "FAIL" | "skip"
    detail: str

    @property
    def failed(self) -> bool:
        return self.status != "ok"


def ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def failed(name: str, detail: str) -> Check:
    return Check(name, "FAIL", detail)


def skipped(name: str, detail: str) -> Check:
    return Check(name, "skip", detail)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def check_data_dir(data_dir: Path) -> Check:
    if not data_dir.exists():
        return failed("data dir", f"{data_dir} does not exist; run `kitchenasty init`")
    if not data_dir.is_dir():
        return failed("data dir", f"{data_dir} is not a directory")
    mode = _mode(data_dir)
    if mode & 0o007:
        return failed("data dir", f"{data_dir} is open to other users (mode {mode:04o}); chmod 700 {data_dir}")
    return ok("data dir", f"{data_dir} (mode {mode:04o})")


def check_secret(data_dir: Path, boot: BootSettings | None) -> Check:
    source = boot.sources.get("secret_key") if boot else None
    if source in ("toml", "env", "cli"):
        return ok("secret key", f"from the {'config file' if source == 'toml' else 'environment'}")
    secret_file = data_dir / paths.SECRET_FILE_NAME
    if not secret_file.is_file():
        return failed("secret key", f"{secret_file} is missing; run `kitchenasty init` (or restore a backup)")
    mode = _mode(secret_file)
    if mode & 0o077:
        return failed("secret key", f"{secret_file} is readable by others (mode {mode:04o}); chmod 600 {secret_file}")
    if len(secret_file.read_text(encoding="utf-8").strip()) < 32:
        return failed("secret key", f"{secret_file} holds fewer than 32 characters")
    return ok("secret key", f"{secret_file} (mode {mode:04o})")


def load_config(
    data_dir: Path | None, config: Path | None, overrides: dict[str, Any]
) -> tuple[BootSettings | None, Check]:
    try:
        boot = load_boot_settings(data_dir, config, overrides=overrides)
        SiteSettingsSources.load(boot)
    except ConfigError as exc:
        return None, failed("config", one_line(exc))
    if boot.config_path is None:
        return boot, ok("config", "no config file; defaults and environment")
    return boot, ok("config", f"{boot.config_path} parses")


def check_database(boot: BootSettings) -> Check:
    if not boot.is_sqlite:
        return _check_server_database(boot)
    path = boot.sqlite_path
    if path is None or not path.is_file():
        return failed("database", f"no database at {path}; run `kitchenasty init`")
    problems = integrity_problems(path)
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        return failed("database", f"{path} fails PRAGMA integrity_check: {problems[0]}{more}; restore a backup")
    return ok("database", f"{path} integrity ok")


def _check_server_database(boot: BootSettings) -> Check:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from kitchenasty.core.db import async_url

    async def ping() -> None:
        engine = create_async_engine(async_url(boot.database_url))
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    shown = hide_url_password(boot.database_url)
    try:
        asyncio.run(ping())
    except Exception as exc:  # any driver error is the finding
        return failed("database", f"{shown}: {one_line(exc)}")
    return ok("database", f"{shown} answers")


def check_migrations(boot: BootSettings) -> Check:
    if boot.sqlite_path is not None and not boot.sqlite_path.exists():
        return skipped("migrations", "no database to check yet")
    try:
        current = migrations.current_revision(boot.database_url)
    except migrations.MigrationError as exc:
        return failed("migrations", one_line(exc))
    head = migrations.head_revision()
    if current == head:
        return ok("migrations", f"at head ({head})")
    if not migrations.is_known(current):
        return failed("migrations", f"database at {current}, newer than this program ({head}); upgrade KitchenAsty")
    return failed(
        "migrations", f"database at {current or 'none'}, this program needs {head}; run `kitchenasty migrate`"
    )


def _site_values(boot: BootSettings) -> tuple[dict[str, Any], str]:
    """Effective site settings without services: the saved row (if readable), then TOML, env, defaults."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from kitchenasty.core.db import sync_url
    from kitchenasty.settings.service import load_db_values_sync

    sources = SiteSettingsSources.load(boot)
    note = ""
    db_values: dict[str, Any] = {}
    engine = create_engine(sync_url(boot.database_url))
    try:
        with Session(engine) as session:
            db_values = load_db_values_sync(session)
    except Exception:  # an unreadable database is reported by its own check
        note = " (database unreadable: settings from config and environment only)"
    finally:
        engine.dispose()
    values, _ = sources.resolve(db_values)
    return values, note


def check_mail(boot: BootSettings, timeout: float) -> Check:
    values, note = _site_values(boot)
    host, port = values["mail.smtpHost"], values["mail.smtpPort"]
    if not host:
        return ok("mail", "not configured (nothing is e-mailed)" + note)
    started = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        return failed("mail", f"cannot reach SMTP server {host}:{port}: {reason}{note}")
    return ok("mail", f"SMTP server {host}:{port} reachable ({time.monotonic() - started:.2f} s){note}")


def check_printers(boot: BootSettings, timeout: float = PRINTER_TIMEOUT_SECONDS) -> list[Check]:
    """One line per ticket printer: whether it answers on its port (a TCP connect); switched-off ones are said so."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from kitchenasty.core.db import sync_url
    from kitchenasty.printing.models import Printer

    if boot.sqlite_path is not None and not boot.sqlite_path.exists():
        return []
    engine = create_engine(sync_url(boot.database_url))
    try:
        with Session(engine) as session:
            rows = [(p.name, p.host, p.port, p.active) for p in session.scalars(select(Printer).order_by(Printer.name))]
    except Exception:  # an unreadable or unmigrated database is reported by its own checks
        return []
    finally:
        engine.dispose()
    if not rows:
        return [ok("printers", "none set up (no tickets are printed)")]
    checks = []
    for name, host, port, active in rows:
        label = f"printer {name}"
        if not active:
            checks.append(ok(label, f"{host}:{port} switched off in the back office (not checked)"))
            continue
        try:
            with socket.create_connection((host, port), timeout=timeout):
                pass
        except OSError as exc:
            reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
            checks.append(failed(label, f"{host}:{port} does not answer: {reason}"))
            continue
        checks.append(ok(label, f"{host}:{port} answers"))
    return checks


def _kitchenasty_answers(host: str, port: int) -> str | None:
    target = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104
    if ":" in target:
        target = f"[{target}]"
    try:
        response = httpx.get(f"http://{target}:{port}/api/health", timeout=2.0)
        data = response.json().get("data") or {}
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    return str(data["version"]) if isinstance(data, dict) and "version" in data and "database" in data else None


def check_port(boot: BootSettings) -> Check:
    host, port = boot.host, boot.port
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as exc:
        version = _kitchenasty_answers(host, port)
        pid = server_pid(boot.data_dir) if boot.data_dir.is_dir() else None
        if version is not None and pid is not None:
            return ok("port", f"{host}:{port} is served by this data dir's KitchenAsty {version} (pid {pid})")
        if version is not None:
            return failed(
                "port",
                f"{host}:{port} is served by another KitchenAsty (not the one of {boot.data_dir}); "
                "stop it or choose another port with --port or [server] port",
            )
        return failed("port", f"{host}:{port} is not available: {exc.strerror or exc}; free it or set [server] port")
    return ok("port", f"{host}:{port} is free")


def check_disk(data_dir: Path, boot: BootSettings | None, min_free_mb: int) -> Check:
    where = data_dir if data_dir.exists() else next((p for p in data_dir.parents if p.exists()), Path("/"))
    usage = shutil.disk_usage(where)
    db_bytes = 0
    if boot is not None and boot.sqlite_path is not None and boot.sqlite_path.is_file():
        db_bytes = boot.sqlite_path.stat().st_size
    needed = max(min_free_mb * 1024 * 1024, 2 * db_bytes)  # room for a backup and a restore of the database
    free_mb = usage.free / (1024 * 1024)
    shown = f"{free_mb / 1024:.1f} GiB" if free_mb >= 1024 else f"{free_mb:.0f} MiB"
    if usage.free < needed:
        return failed("disk space", f"only {shown} free on {where} (want {needed / (1024 * 1024):.0f} MiB)")
    return ok("disk space", f"{shown} free on {where}")


def run_checks(
    data_dir: Path | None,
    config: Path | None,
    *,
    host: str | None = None,
    port: int | None = None,
    min_free_mb: int = DEFAULT_MIN_FREE_MB,
    smtp_timeout: float = SMTP_TIMEOUT_SECONDS,
) -> list[Check]:
    resolved_dir = resolve_data_dir(data_dir, os.environ)
    boot, config_check = load_config(data_dir, config, {"host": host, "port": port})
    checks = [check_data_dir(resolved_dir), check_secret(resolved_dir, boot), config_check]
    needs_config: list[tuple[str, Callable[[BootSettings], Check]]] = [
        ("database", check_database),
        ("migrations", check_migrations),
        ("mail", lambda b: check_mail(b, smtp_timeout)),
        ("port", check_port),
    ]
    for name, check in needs_config:
        checks.append(check(boot) if boot is not None else skipped(name, "the config does not parse"))
    if boot is not None:
        checks.extend(check_printers(boot))
    checks.append(check_disk(resolved_dir, boot, min_free_mb))
    return checks


_STYLE = {"ok": "[green]  ok[/]", "FAIL": "[bold red]FAIL[/]", "skip": "[yellow]skip[/]"}


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def doctor(
        data_dir: DataDirOption = None,
        config: ConfigOption = None,
        host: Annotated[str | None, typer.Option(help="Address `serve` will bind (default from config).")] = None,
        port: Annotated[int | None, typer.Option(help="Port `serve` will listen on (default from config).")] = None,
        min_free_mb: Annotated[
            int, typer.Option(help="Free disk space below this many MiB is a failure.")
        ] = DEFAULT_MIN_FREE_MB,
        smtp_timeout: Annotated[
            float, typer.Option(help="Seconds to wait for the SMTP server to accept a connection.")
        ] = SMTP_TIMEOUT_SECONDS,
    ) -> None:
        """Check the data dir, secret, config, database, migrations, mail, port and disk; exit 1 if any fails."""
        checks = run_checks(data_dir, config, host=host, port=port, min_free_mb=min_free_mb, smtp_timeout=smtp_timeout)
        width = max(len(c.name) for c in checks)
        for check in checks:
            out.print(f"{_STYLE[check.status]}  {check.name:<{width}}  {escape(check.detail)}")
        bad = [c for c in checks if c.failed]
        if bad:
            out.print(f"[bold red]{len(bad)} of {len(checks)} checks did not pass[/]")
            raise typer.Exit(1)
        out.print(f"[green]all {len(checks)} checks passed[/]")
