"""API shapes of the settings groups: the values (as before), their sources, and each field described from the
registry (`core.settings_registry`) for the admin forms."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

FieldSource = Literal["database", "toml", "environment", "default"]


class SettingFieldOut(msgspec.Struct, kw_only=True, rename="camel"):
    """One field of a settings group, as a form needs it."""

    name: str
    """The field's name in `data` and in PUT bodies (`smtpHost`)."""
    key: str
    """`group.field` (`mail.smtpHost`), as `kitchenasty settings set` takes it."""
    type: str
    """str, int, float, bool, money, percent, int_list, email, timezone, url, currency, locale or host_list."""
    value: Any
    """The effective value; secrets masked (`****wxyz`, `****`, or "" when unset)."""
    source: FieldSource
    """Where the value comes from: saved here (`database`), the config file (`toml`), an environment variable
    (`environment`), or the built-in `default`. Saving the field makes it `database`; sending null removes the
    saved value so the next source applies again."""
    source_detail: str | None
    """The environment variable or TOML key that supplied it (null for database and default)."""
    help: str
    secret: bool
    """A masked field: sending the mask back keeps the stored secret."""
    default: Any
    choices: list[str] | None
    minimum: float | None
    maximum: float | None
    max_length: int | None
    env_vars: list[str]
    """The environment variables that set this field (the first is KitchenAsty's own name)."""
    toml_key: str
    """Where the config file sets it, as a dotted key (`settings.mail.smtp_host`)."""


class GroupView(msgspec.Struct, kw_only=True):
    success: bool = True
    data: dict[str, Any]
    """The effective values by field name (secrets masked), as before."""
    sources: dict[str, str]
    """The source of each value as `kitchenasty settings export --sources` says it (db, toml, env, default)."""
    fields: list[SettingFieldOut]
    """Every field of the group in the registry's order, with its help, type, bounds, choices and source."""
