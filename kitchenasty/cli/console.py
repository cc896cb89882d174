"""Shared CLI plumbing: the Rich consoles, common options, one-line errors, and running services."""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console

from kitchenasty.core.audit import AuditActor, set_actor
from kitchenasty.core.config import BootSettings, ConfigError, load_boot_settings
from kitchenasty.core.errors import DomainError
from kitchenasty.core.migrate import MigrationError

T = TypeVar("T")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="KITCHENASTY_DATA_DIR",
        help="Data directory (default ./kitchenasty-data).",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        envvar="KITCHENASTY_CONFIG",
        help="Config file (default <data dir>/kitchenasty.toml).",
        show_default=False,
    ),
]


class CliError(Exception):
    """A refusal to print as one line (exit code 1 unless given)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def fail(message: str, exit_code: int = 1) -> NoReturn:
    raise CliError(message, exit_code)


def one_line(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def handle_errors(fn: Callable[..., T]) -> Callable[..., T]:
    """Turn every expected failure into `error: <one line>` on stderr and a non-zero exit; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except CliError as exc:
            err.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(exc.exit_code) from None
        except (ConfigError, DomainError, MigrationError, OSError) as exc:
            err.print(f"[bold red]error:[/] {one_line(exc)}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None

    return wrapper


def boot_settings(data_dir: Path | None, config: Path | None, **overrides: Any) -> BootSettings:
    return load_boot_settings(data_dir, config, overrides=overrides)


def run(coro_fn: Callable[[Any], Awaitable[T]], boot: BootSettings) -> T:
    """Build the services for `boot`, run `coro_fn(services)` in a fresh event loop, then close the database."""
    from kitchenasty.services import build_services

    async def main() -> T:
        set_actor(AuditActor(None, "command line", None, "kitchenasty " + " ".join(sys.argv[1:2])))
        services = build_services(boot)
        try:
            return await coro_fn(services)
        finally:
            await services.db.dispose()

    return asyncio.run(main())


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
