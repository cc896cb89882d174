"""The settings registry: every key is declared once, with its type, default, help, env names and TOML key.

Two kinds of keys:
- boot settings (cannot live in the DB): resolved TOML -> env -> default;
- site settings (the owner's, seven groups): resolved DB -> TOML -> env -> default, the first one set wins.

Reading the environment or files happens only in `load_boot_settings` / `SiteSettingsSources.load`, never at import.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import os
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kitchenasty.core import paths
from kitchenasty.core.errors import ValidationFailed
from kitchenasty.core.setting_types import (
    EMAIL_RE,
    ConfigError,
    SettingSpec,
    Source,
    ValueType,
    looks_masked,
    mask,
)
from kitchenasty.core.settings_registry import (
    BOOT_SETTINGS,
    BOOT_SPECS,
    SITE_GROUPS,
    SITE_SETTINGS,
    SITE_SPECS,
    field_name,
    group_specs,
)

__all__ = [
    "BOOT_SETTINGS",
    "BOOT_SPECS",
    "EMAIL_RE",
    "SITE_GROUPS",
    "SITE_SETTINGS",
    "SITE_SPECS",
    "BootSettings",
    "ConfigError",
    "SettingSpec",
    "SiteSettingsSources",
    "Source",
    "ValueType",
    "field_name",
    "group_specs",
    "load_boot_settings",
    "looks_masked",
    "mask",
    "read_toml",
    "render_example_config",
]


# ---------------------------------------------------------------- TOML + env


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None


def _dig(doc: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    node: Any = doc
    for key in keys:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _known_toml_paths() -> set[tuple[str, ...]]:
    return {s.toml for s in BOOT_SETTINGS} | {s.toml for s in SITE_SETTINGS}


def check_unknown_toml_keys(doc: Mapping[str, Any], path: Path) -> None:
    known = _known_toml_paths()
    prefixes = {k[:i] for k in known for i in range(1, len(k))}

    def walk(node: Mapping[str, Any], trail: tuple[str, ...]) -> None:
        for key, value in node.items():
            here = (*trail, key)
            if here in known:
                continue
            if here in prefixes and isinstance(value, Mapping):
                walk(value, here)
                continue
            raise ConfigError(f"unknown key '{'.'.join(here)}' in {path}; see kitchenasty.toml.example")

    walk(doc, ())


def _from_env(spec: SettingSpec, env: Mapping[str, str]) -> tuple[str, str] | None:
    for name in spec.env_names:
        value = env.get(name)
        if value is not None and value != "":
            return name, value
    return None


# ---------------------------------------------------------------- boot settings


@dataclass(frozen=True)
class BootSettings:
    data_dir: Path
    config_path: Path | None
    database_url: str
    secret_key: str | None = field(repr=False)
    host: str
    port: int
    public_url: str
    max_body_kb: int
    jwt_expiry_hours: int
    login_attempts_per_minute: int
    trusted_proxies: str
    log_level: str
    log_format: str
    channels_backend: str
    outbox_max_attempts: int
    outbox_base_delay_seconds: float
    backup_schedule_hours: int
    backup_keep: int
    backup_dir: Path
    outbound_allowed_hosts: tuple[str, ...]
    sources: dict[str, Source] = field(default_factory=dict, repr=False, compare=False)
    toml: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    env: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def secret_file(self) -> Path:
        return self.data_dir / paths.SECRET_FILE_NAME

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        return Path(self.database_url.split("///", 1)[1])

    @property
    def base_url(self) -> str:
        """Where people reach this box, for links in e-mails and printed by the CLI: `public_url`, else the bind
        address, else (bound to every interface) the box's own address on the LAN, so a tablet can open it."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = lan_address() if self.host in ("0.0.0.0", "::", "") else self.host  # noqa: S104
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    @property
    def base_url_source(self) -> str:
        """How `base_url` was chosen, in words for the CLI."""
        if self.public_url:
            return "public_url"
        if self.host in ("0.0.0.0", "::", ""):  # noqa: S104
            return "this box's address on the local network (set [server] public_url if guests use another)"
        return "the address serve binds to"

    @property
    def trusted_proxy_list(self) -> list[str]:
        """`trusted_proxies` as addresses and networks; a malformed entry is a ConfigError naming it."""
        found = []
        for entry in (part.strip() for part in self.trusted_proxies.split(",")):
            if not entry:
                continue
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ConfigError(f"trusted_proxies: '{entry}' is not an IP address or network") from None
            found.append(entry)
        return found

    def value(self, name: str) -> Any:
        return getattr(self, name)


@functools.cache
def lan_address() -> str:
    """The address other machines on the LAN reach this box by: the source address of the route to a private
    address (a UDP "connect" sends nothing), else 127.0.0.1 (no network)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 9))
        address = str(probe.getsockname()[0])
        if address and not address.startswith("0."):
            return address
    return "127.0.0.1"


def resolve_data_dir(data_dir: str | Path | None, env: Mapping[str, str]) -> Path:
    raw = data_dir if data_dir not in (None, "") else env.get("KITCHENASTY_DATA_DIR") or paths.DEFAULT_DATA_DIR
    return Path(raw).expanduser().resolve()


def resolve_config_path(data_dir: Path, config_path: str | Path | None, env: Mapping[str, str]) -> tuple[Path, bool]:
    """The config file to read and whether it was named explicitly (a named file must exist)."""
    if config_path not in (None, ""):
        return Path(config_path).expanduser().resolve(), True
    if env.get("KITCHENASTY_CONFIG"):
        return Path(env["KITCHENASTY_CONFIG"]).expanduser().resolve(), True
    return data_dir / paths.CONFIG_FILE_NAME, False


def load_boot_settings(
    data_dir: str | Path | None = None,
    config_path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> BootSettings:
    """Resolve boot settings: explicit overrides (CLI flags) -> TOML -> env -> secret file -> default."""
    env = dict(os.environ if env is None else env)
    resolved_dir = resolve_data_dir(data_dir, env)
    cfg_path, explicit = resolve_config_path(resolved_dir, config_path, env)
    doc: dict[str, Any] = {}
    used_path: Path | None = None
    if explicit or cfg_path.exists():
        doc = read_toml(cfg_path)
        check_unknown_toml_keys(doc, cfg_path)
        used_path = cfg_path
    values: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    overrides = overrides or {}
    for spec in BOOT_SETTINGS:
        if spec.name in overrides and overrides[spec.name] is not None:
            values[spec.name] = _parse_config(spec, overrides[spec.name], "command line")
            sources[spec.name] = "cli"
            continue
        raw = _dig(doc, spec.toml)
        if raw is not None and raw != "":
            values[spec.name] = _parse_config(spec, raw, f"{cfg_path}")
            sources[spec.name] = "toml"
            continue
        found = _from_env(spec, env)
        if found:
            values[spec.name] = _parse_config(spec, found[1], f"env {found[0]}")
            sources[spec.name] = "env"
            continue
        values[spec.name] = spec.default
        sources[spec.name] = "default"
    if not values["secret_key"]:
        secret_file = resolved_dir / paths.SECRET_FILE_NAME
        if secret_file.exists():
            values["secret_key"] = secret_file.read_text(encoding="utf-8").strip() or None
            sources["secret_key"] = "file"  # noqa: S105 - the source label
    if values["secret_key"] is not None and len(values["secret_key"]) < 32:
        raise ConfigError("secret_key must be at least 32 characters; `kitchenasty init` generates one")
    if not values["database_url"]:
        values["database_url"] = f"sqlite:///{resolved_dir / paths.DATABASE_FILE_NAME}"
    values["backup_dir"] = (
        Path(values["backup_dir"]).expanduser().resolve() if values["backup_dir"] else resolved_dir / "backups"
    )
    return BootSettings(
        data_dir=resolved_dir,
        config_path=used_path,
        sources=sources,
        toml=doc,
        env=env,
        **values,
    )


def _parse_config(spec: SettingSpec, raw: Any, origin: str) -> Any:
    try:
        return spec.parse(raw, origin=origin)
    except ValidationFailed as exc:
        raise ConfigError(exc.message) from None


# ---------------------------------------------------------------- site settings sources


@dataclass(frozen=True)
class SiteSettingsSources:
    """The static sources of site settings (TOML and env), parsed once at boot; the DB layer is dynamic."""

    toml: dict[str, Any]
    env: dict[str, tuple[str, Any]]

    @classmethod
    def load(cls, boot: BootSettings) -> SiteSettingsSources:
        toml_values: dict[str, Any] = {}
        env_values: dict[str, tuple[str, Any]] = {}
        origin = str(boot.config_path) if boot.config_path else "config"
        for spec in SITE_SETTINGS:
            raw = _dig(boot.toml, spec.toml)
            if raw is not None:
                toml_values[spec.name] = _parse_config(spec, raw, origin)
            found = _from_env(spec, boot.env)
            if found:
                env_values[spec.name] = (found[0], _parse_config(spec, found[1], f"env {found[0]}"))
        return cls(toml=toml_values, env=env_values)

    def resolve(self, db_values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Source]]:
        """Effective value and source of every site key; `db_values` maps `group.field` to the stored value."""
        values: dict[str, Any] = {}
        sources: dict[str, Source] = {}
        for spec in SITE_SETTINGS:
            if db_values.get(spec.name) is not None:
                values[spec.name], sources[spec.name] = db_values[spec.name], "db"
            elif spec.name in self.toml:
                values[spec.name], sources[spec.name] = self.toml[spec.name], "toml"
            elif spec.name in self.env:
                values[spec.name], sources[spec.name] = self.env[spec.name][1], "env"
            else:
                values[spec.name], sources[spec.name] = spec.default, "default"
        return values, sources


# ---------------------------------------------------------------- example file


def _toml_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    if value is None:
        return '""'
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


_SECTION_HELP = {
    "server": "How `kitchenasty serve` listens.",
    "database": "Where orders live.",
    "security": "Tokens and login throttling.",
    "logging": "Log output (stderr).",
    "realtime": "Live rooms for the kitchen display and order tracking.",
    "outbox": "Retries for e-mail, SMS and webhooks.",
    "backup": "Backups taken by `kitchenasty backup` and the scheduler.",
    "outbound": "Where webhooks and SMS may go (they never reach this box or its network unless listed here).",
}


def render_example_config() -> str:
    """The annotated example config: every key, commented out at its default. `init` writes this file."""
    lines = [
        "# KitchenAsty configuration.",
        "#",
        "# Boot settings are read from this file, then from the environment (KITCHENASTY_<KEY>), then defaults.",
        "# Site settings ([settings.<group>]) resolve: value saved in the admin API/CLI (database) -> this file",
        "# -> environment (KITCHENASTY_<GROUP>__<FIELD>, and the usual aliases such as SMTP_HOST) -> default.",
        "# Every key is commented out, showing its default (or an example); uncomment to set it.",
        "",
    ]
    section: tuple[str, ...] | None = None
    for spec in (*BOOT_SETTINGS, *SITE_SETTINGS):
        table = spec.toml[:-1]
        if table != section:
            section = table
            lines.append("")
            if len(table) == 1:
                lines.append(f"# {_SECTION_HELP.get(table[0], '')}".rstrip())
            lines.append(f"[{'.'.join(table)}]")
        lines.append(f"# {spec.help}")
        env = ", ".join(spec.env_names)
        lines.append(f"#   key: {spec.name}   env: {env}" + ("   (secret: masked everywhere)" if spec.secret else ""))
        if spec.choices:
            lines.append(f"#   one of: {', '.join(spec.choices)}")
        shown = spec.example if spec.example is not None else spec.default
        if spec.secret and spec.example is None:
            shown = ""
        lines.append(f"# {spec.toml[-1]} = {_toml_literal(shown)}")
    return "\n".join(lines).lstrip("\n") + "\n"
