"""`kitchenasty settings export|show|set`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from kitchenasty.cli.console import ConfigOption, DataDirOption, boot_settings, err, fail, handle_errors, out, run
from kitchenasty.core import datadir
from kitchenasty.core.config import (
    BOOT_SETTINGS,
    SITE_GROUPS,
    BootSettings,
    field_name,
    group_specs,
    mask,
)
from kitchenasty.core.db import hide_url_password
from kitchenasty.services import Services
from kitchenasty.settings.service import ResolvedSettings

app = typer.Typer(help="Show, export and change settings.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="settings")


def _boot_value(boot: BootSettings, name: str) -> Any:
    value = boot.value(name)
    if isinstance(value, tuple):
        return list(value)
    return str(value) if hasattr(value, "__fspath__") else value


def collect(boot: BootSettings, resolved: ResolvedSettings | None, *, show_secrets: bool) -> dict[str, Any]:
    """Effective settings as {section: {key: (value, source)}}; secrets masked unless asked."""
    doc: dict[str, Any] = {"boot": {}, "settings": {}}
    for spec in BOOT_SETTINGS:
        value = _boot_value(boot, spec.name)
        if spec.name == "database_url" and not show_secrets:
            value = hide_url_password(value)
        elif spec.secret and not show_secrets and isinstance(value, str):
            value = mask(value)
        doc["boot"][spec.name] = (value if value is not None else "", boot.sources.get(spec.name, "default"))
    if resolved is not None:
        for group in SITE_GROUPS:
            section = doc["settings"].setdefault(group, {})
            for spec in group_specs(group):
                value = resolved.values[spec.name]
                value = mask(value) if spec.secret and not show_secrets else spec.to_json(value)
                section[field_name(spec)] = (value, resolved.sources[spec.name])
    return doc


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps("" if value is None else str(value))


def render_toml(doc: dict[str, Any], *, sources: bool) -> str:
    lines = ["# effective KitchenAsty settings" + (" (source after each value)" if sources else ""), "", "[boot]"]
    for key, (value, source) in doc["boot"].items():
        lines.append(f"{key} = {_toml_value(value)}" + (f"  # {source}" if sources else ""))
    for group, fields in doc["settings"].items():
        lines += ["", f"[settings.{group}]"]
        for key, (value, source) in fields.items():
            lines.append(f"{key} = {_toml_value(value)}" + (f"  # {source}" if sources else ""))
    return "\n".join(lines) + "\n"


def render_json(doc: dict[str, Any], *, sources: bool) -> str:
    def strip(section: dict[str, Any]) -> dict[str, Any]:
        return {k: ({"value": v, "source": s} if sources else v) for k, (v, s) in section.items()}

    return (
        json.dumps(
            {"boot": strip(doc["boot"]), "settings": {g: strip(f) for g, f in doc["settings"].items()}}, indent=2
        )
        + "\n"
    )


def _resolved(boot: BootSettings) -> ResolvedSettings | None:
    if not datadir.is_initialised(boot):
        err.print(
            f"note: {boot.data_dir} is not initialised (no database there): these are the defaults and what the "
            "config file and environment set; run `kitchenasty init` to create it"
        )
        return None

    async def go(services: Services) -> ResolvedSettings:
        return await services.settings.resolved()

    return run(go, boot)


@app.command("export")
@handle_errors
def export(
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
    fmt: Annotated[str, typer.Option("--format", help="toml or json.")] = "toml",
    sources: Annotated[bool, typer.Option("--sources", help="Show where each value comes from.")] = False,
    show_secrets: Annotated[bool, typer.Option("--show-secrets", help="Print secrets in clear.")] = False,
) -> None:
    """Print the effective boot and site settings (secrets masked unless --show-secrets)."""
    if fmt not in ("toml", "json"):
        fail("--format must be toml or json")
    boot = boot_settings(data_dir, config)
    doc = collect(boot, _resolved(boot), show_secrets=show_secrets)
    text = render_toml(doc, sources=sources) if fmt == "toml" else render_json(doc, sources=sources)
    typer.echo(text, nl=False)


@app.command("show")
@handle_errors
def show(
    group: Annotated[str | None, typer.Argument(help="Only this group (general, orders, mail, ... or boot).")] = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Show settings as a table with the source of each value (secrets masked)."""
    boot = boot_settings(data_dir, config)
    if group is not None and group not in (*SITE_GROUPS, "boot"):
        fail(f"unknown group '{group}'; one of: boot, {', '.join(SITE_GROUPS)}")
    doc = collect(boot, _resolved(boot), show_secrets=False)
    table = Table("key", "value", "source")
    if group in (None, "boot"):
        for key, (value, source) in doc["boot"].items():
            table.add_row(key, str(value), source)
    for name, fields in doc["settings"].items():
        if group in (None, name):
            for key, (value, source) in fields.items():
                table.add_row(f"{name}.{key}", json.dumps(value) if not isinstance(value, str) else value, source)
    out.print(table)


@app.command("set", context_settings={"ignore_unknown_options": True})
@handle_errors
def set_(
    key: Annotated[str, typer.Argument(help="GROUP.FIELD, e.g. mail.smtpHost or orders.taxRate.")],
    value: Annotated[
        str | None, typer.Argument(help="New value (negative numbers too); `-` or nothing prompts (hidden).")
    ] = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Save a site setting in the database (it then wins over the config file and environment)."""
    boot = boot_settings(data_dir, config)
    if not datadir.is_initialised(boot):
        fail(f"{boot.data_dir} is not initialised; run `kitchenasty init` first")
    if value in (None, "-"):
        value = typer.prompt(key, hide_input=True)

    async def go(services: Services) -> None:
        await services.settings.set_value(key, value)

    run(go, boot)
    out.print(f"saved {key}")
