"""`kitchenasty`: the owner's command line (Typer + Rich)."""

from __future__ import annotations

from typing import Annotated

import typer

from kitchenasty import __version__

app = typer.Typer(
    name="kitchenasty",
    help="KitchenAsty: restaurant ordering and kitchen display on one box.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kitchenasty {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Run `kitchenasty init`, then `kitchenasty serve`."""


# One line per command module; each module has `register(app)`.
COMMAND_MODULES = (
    "init",
    "migrate",
    "serve",
    "staff",
    "settings",
    "backup",
    "restore",
    "doctor",
    "outbox",
)


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"kitchenasty.cli.{name}").register(app)


_register()


def main() -> None:
    app()
