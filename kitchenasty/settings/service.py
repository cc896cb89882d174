"""Site settings: resolved DB -> TOML -> env -> default, cached in-process, masked whenever they leave the server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from kitchenasty.core import config
from kitchenasty.core.config import SITE_GROUPS, SiteSettingsSources, Source, field_name, group_specs, mask
from kitchenasty.core.db import Database
from kitchenasty.core.errors import NotFound, ValidationFailed
from kitchenasty.core.events import DomainEvent, notify
from kitchenasty.core.fastsql import fast
from kitchenasty.core.money import MoneyFormat
from kitchenasty.core.schema import table_of
from kitchenasty.core.settings_registry import snake_case
from kitchenasty.settings.models import SiteSettings
from kitchenasty.settings.schemas import FieldSource, SettingFieldOut

SETTINGS_ROW_ID = "default"
FIELD_SOURCES: dict[str, FieldSource] = {"db": "database", "toml": "toml", "env": "environment", "default": "default"}
"""How the admin API names a value's source (the CLI keeps the short names)."""
CACHE_TTL_SECONDS = 5.0


class SettingsChanged(DomainEvent, frozen=True):
    """In-process: a settings group was saved (caches such as the mail transport rebuild on it)."""

    name = "settings.changed"
    group: str


@dataclass(frozen=True)
class ResolvedSettings:
    values: dict[str, Any]
    sources: dict[str, Source]

    def get(self, key: str) -> Any:
        return self.values[key]

    @property
    def money(self) -> MoneyFormat:
        """How amounts are written for people (the site's currency and locale)."""
        return MoneyFormat(self.values["general.defaultCurrency"], self.values["general.locale"])

    def group(self, group: str) -> dict[str, Any]:
        return {field_name(s): self.values[s.name] for s in group_specs(group)}


def _db_values(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if row is None:
        return out
    for group in SITE_GROUPS:
        stored = getattr(row, group) or {}
        for spec in group_specs(group):
            raw = stored.get(field_name(spec))
            if raw is not None:
                out[spec.name] = spec.parse(raw, origin="database")
    return out


_SETTINGS = table_of(SiteSettings)
_SAVED_ROW = select(_SETTINGS).where(_SETTINGS.c.id == SETTINGS_ROW_ID)


def load_db_values_sync(session: Any) -> dict[str, Any]:
    """The saved settings from a synchronous transaction (a Session or a hot-path unit): one Core read."""
    return _db_values(fast(session).execute(_SAVED_ROW).first())


def resolve_sync(session: Any, sources: SiteSettingsSources) -> ResolvedSettings:
    """Site settings resolved DB -> TOML -> env -> default, read fresh inside a synchronous transaction."""
    values, origins = sources.resolve(load_db_values_sync(session))
    return ResolvedSettings(values, origins)


def check_group(group: str) -> str:
    if group not in SITE_GROUPS:
        raise NotFound(f"Unknown settings group '{group}'", code="UNKNOWN_SETTINGS_GROUP")
    return group


class SettingsService:
    def __init__(self, db: Database, sources: SiteSettingsSources) -> None:
        self.db = db
        self.sources = sources
        self._cached: ResolvedSettings | None = None
        self._cached_at = 0.0
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        self._cached = None

    async def resolved(self) -> ResolvedSettings:
        """Every effective value with its source; cached for a few seconds and dropped on every write."""
        cached = self._cached
        if cached is not None and time.monotonic() - self._cached_at < CACHE_TTL_SECONDS:
            return cached
        async with self._lock:
            if self._cached is not None and time.monotonic() - self._cached_at < CACHE_TTL_SECONDS:
                return self._cached
            async with self.db.session() as session:
                row = await session.get(SiteSettings, SETTINGS_ROW_ID)
                db_values = _db_values(row)
            values, sources = self.sources.resolve(db_values)
            self._cached = ResolvedSettings(values, sources)
            self._cached_at = time.monotonic()
            return self._cached

    async def view_group(self, group: str) -> tuple[dict[str, Any], dict[str, Source]]:
        """A group as the API shows it: JSON values, secrets masked, and the source of each value."""
        check_group(group)
        resolved = await self.resolved()
        values: dict[str, Any] = {}
        sources: dict[str, Source] = {}
        for spec in group_specs(group):
            value = resolved.values[spec.name]
            name = field_name(spec)
            values[name] = mask(value) if spec.secret else spec.to_json(value)
            sources[name] = resolved.sources[spec.name]
        return values, sources

    async def describe_group(self, group: str) -> list[SettingFieldOut]:
        """Every field of a group for the admin form: value (secrets masked), source, help and the registry's type,
        bounds and choices."""
        check_group(group)
        resolved = await self.resolved()
        out: list[SettingFieldOut] = []
        for spec in group_specs(group):
            value = resolved.values[spec.name]
            source = resolved.sources[spec.name]
            detail: str | None = None
            if source == "env" and spec.name in self.sources.env:
                detail = self.sources.env[spec.name][0]
            elif source == "toml":
                detail = ".".join(spec.toml)
            out.append(
                SettingFieldOut(
                    name=field_name(spec),
                    key=spec.name,
                    type=spec.type,
                    value=mask(value) if spec.secret else spec.to_json(value),
                    source=FIELD_SOURCES.get(source, "default"),
                    source_detail=detail,
                    help=spec.help,
                    secret=spec.secret,
                    default=mask(spec.default) if spec.secret else spec.to_json(spec.default),
                    choices=list(spec.choices) if spec.choices is not None else None,
                    minimum=spec.minimum,
                    maximum=spec.maximum,
                    max_length=spec.max_length,
                    env_vars=list(spec.env_names),
                    toml_key=".".join(spec.toml),
                )
            )
        return out

    async def update_group(self, group: str, changes: Mapping[str, Any]) -> None:
        """Save some fields of a group. `null` removes the saved value (the TOML/env/default applies again).

        A secret sent back exactly as it was shown masked keeps the stored value; any other value that still
        looks masked is refused, so a mask is never saved as a password.
        """
        check_group(group)
        specs = {field_name(s): s for s in group_specs(group)}
        unknown = sorted(set(changes) - set(specs))
        if unknown:
            raise ValidationFailed(
                f"Unknown field(s) in {group} settings: {', '.join(unknown)}", code="UNKNOWN_SETTING"
            )
        current = await self.resolved()
        updates: dict[str, Any] = {}
        removals: set[str] = set()
        for name, raw in changes.items():
            spec = specs[name]
            if raw is None:
                removals.add(name)
                continue
            if spec.secret and isinstance(raw, str) and config.looks_masked(raw):
                if raw == mask(current.values[spec.name]):
                    continue
                raise ValidationFailed(
                    f"{group}.{name} looks like a masked value; send the real secret or leave the field out",
                    code="MASKED_SECRET",
                )
            value = spec.parse(raw, origin="request")
            updates[name] = spec.to_storage(value)
        if not updates and not removals:
            return
        async with self.db.transaction() as session:
            row = await session.get(SiteSettings, SETTINGS_ROW_ID)
            if row is None:
                row = SiteSettings(id=SETTINGS_ROW_ID)
                session.add(row)
            stored = dict(getattr(row, group) or {})
            stored.update(updates)
            for name in removals:
                stored.pop(name, None)
            setattr(row, group, stored)
            notify(session, SettingsChanged(group=group))
        self.invalidate()

    async def set_value(self, key: str, raw: Any) -> None:
        """`group.field` = value (the CLI's `settings set`)."""
        group, _, name = key.partition(".")
        if not name:
            raise ValidationFailed("Use GROUP.FIELD, e.g. mail.smtpHost", code="UNKNOWN_SETTING")
        check_group(group)
        spec = config.SITE_SPECS.get(key) or next(
            (s for s in group_specs(group) if snake_case(field_name(s)) == name), None
        )
        if spec is None:
            raise ValidationFailed(f"Unknown setting {key}", code="UNKNOWN_SETTING")
        await self.update_group(group, {field_name(spec): raw})

    async def mail_context(self) -> tuple[bool, str]:
        """Whether mail is configured (an SMTP host is set) and the restaurant's name, for built-in e-mails."""
        resolved = await self.resolved()
        return bool(resolved.get("mail.smtpHost")), resolved.get("general.restaurantName")

    async def saved_exists(self) -> bool:
        async with self.db.session() as session:
            return (await session.scalar(select(SiteSettings.id))) is not None


PUBLIC_FIELDS = (
    "general.restaurantName",
    "general.contactEmail",
    "general.contactPhone",
    "general.timezone",
    "general.defaultCurrency",
    "general.locale",
    "orders.enabled",
    "orders.enableFutureOrdering",
    "orders.maxScheduleDays",
    "orders.enableTipping",
    "orders.tipOptions",
    "orders.taxRate",
    "orders.deliveryFee",
    "payments.cashEnabled",
    "payments.stripeEnabled",
    "payments.paypalEnabled",
    "advanced.maintenanceMode",
    "advanced.maintenanceMessage",
)


async def public_settings(service: SettingsService) -> dict[str, dict[str, Any]]:
    """What the storefront may know (never a secret): grouped like the admin API."""
    resolved = await service.resolved()
    out: dict[str, dict[str, Any]] = {}
    for key in PUBLIC_FIELDS:
        group, name = key.split(".", 1)
        out.setdefault(group, {})[name] = config.SITE_SPECS[key].to_json(resolved.values[key])
    return out


def audit_changes(_table: str, group: str, before: Any, after: Any) -> dict[str, list[Any]]:
    """How the audit log shows a change of one settings group: the fields that changed, secrets masked."""
    old, new = before or {}, after or {}
    changed: dict[str, list[Any]] = {}
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            continue
        spec = config.SITE_SPECS.get(f"{group}.{name}")
        if spec is not None and spec.secret:
            changed[name] = [mask(old.get(name)) or None, mask(new.get(name)) or None]
        else:
            changed[name] = [old.get(name), new.get(name)]
    return changed
