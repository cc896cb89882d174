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
import math
import os
import re
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from kitchenasty.core import paths
from kitchenasty.core.errors import ValidationFailed

ValueType = Literal[
    "str",
    "int",
    "float",
    "bool",
    "money",
    "percent",
    "int_list",
    "email",
    "timezone",
    "url",
    "currency",
    "locale",
    "host_list",
]
Source = Literal["db", "toml", "env", "default", "file", "cli"]

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ConfigError(Exception):
    """A configuration problem an owner must fix; rendered as one line by the CLI."""


@dataclass(frozen=True)
class SettingSpec:
    """One declared key. `name` is `field` for boot keys and `group.field` (camelCase field) for site keys."""

    name: str
    type: ValueType
    default: Any
    help: str
    toml: tuple[str, ...]
    env: str
    aliases: tuple[str, ...] = ()
    secret: bool = False
    choices: tuple[str, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    max_length: int | None = None
    example: str | None = None

    @property
    def env_names(self) -> tuple[str, ...]:
        return (self.env, *self.aliases)

    def parse(self, raw: Any, *, origin: str) -> Any:
        """Coerce a raw value (TOML value, env string or API JSON) to this key's type, or raise ValidationFailed."""
        return _coerce(self, raw, origin)

    def to_json(self, value: Any) -> Any:
        """The value as the API and JSON exports show it (money and percent as numbers)."""
        if self.type in ("money", "percent") and value is not None:
            return float(value)
        return value

    def to_storage(self, value: Any) -> Any:
        """The value as stored in the site_settings JSON column (decimals as exact strings)."""
        if self.type in ("money", "percent") and value is not None:
            return str(value)
        return value


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _site(
    group: str,
    name: str,
    type_: ValueType,
    default: Any,
    help_: str,
    *,
    aliases: tuple[str, ...] = (),
    secret: bool = False,
    choices: tuple[str, ...] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    max_length: int | None = None,
) -> SettingSpec:
    snake = _snake(name)
    return SettingSpec(
        name=f"{group}.{name}",
        type=type_,
        default=default,
        help=help_,
        toml=("settings", group, snake),
        env=f"KITCHENASTY_{group.upper()}__{snake.upper()}",
        aliases=aliases,
        secret=secret,
        choices=choices,
        minimum=minimum,
        maximum=maximum,
        max_length=max_length,
    )


def _boot(
    name: str,
    type_: ValueType,
    default: Any,
    help_: str,
    toml: tuple[str, ...],
    *,
    aliases: tuple[str, ...] = (),
    secret: bool = False,
    choices: tuple[str, ...] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    example: str | None = None,
) -> SettingSpec:
    return SettingSpec(
        name=name,
        type=type_,
        default=default,
        help=help_,
        toml=toml,
        env=f"KITCHENASTY_{name.upper()}",
        aliases=aliases,
        secret=secret,
        choices=choices,
        minimum=minimum,
        maximum=maximum,
        example=example,
    )


BOOT_SETTINGS: tuple[SettingSpec, ...] = (
    _boot(
        "host",
        "str",
        "0.0.0.0",  # noqa: S104 - LAN appliance: tablets must reach it
        "Address `serve` binds to (0.0.0.0 = every interface, so LAN tablets reach it).",
        ("server", "host"),
    ),
    _boot(
        "port",
        "int",
        8000,
        "TCP port `serve` listens on.",
        ("server", "port"),
        aliases=("PORT",),
        minimum=1,
        maximum=65535,
    ),
    _boot(
        "public_url",
        "url",
        "",
        "Base URL guests and staff use to reach this box, used in links sent by e-mail "
        "(e.g. http://192.168.1.20:8000). Empty: derived from host and port.",
        ("server", "public_url"),
        example="http://192.168.1.20:8000",
    ),
    _boot(
        "max_body_kb",
        "int",
        256,
        "Largest request body accepted, in KiB; larger bodies get 413.",
        ("server", "max_body_kb"),
        minimum=1,
        maximum=65536,
    ),
    _boot(
        "trusted_proxies",
        "str",
        "",
        "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto "
        "are believed (e.g. 127.0.0.1 when a proxy on this box forwards to it). Empty: none, the peer address "
        "is the client's.",
        ("server", "trusted_proxies"),
        example="127.0.0.1, 10.0.0.0/8",
    ),
    _boot(
        "database_url",
        "str",
        "",
        "Database URL. Empty: the SQLite file kitchenasty.db in the data dir. "
        "PostgreSQL: postgresql://user:pass@host/db (needs the `postgres` extra).",
        ("database", "url"),
        aliases=("DATABASE_URL",),
        secret=True,
        example="postgresql://kitchenasty:secret@localhost/kitchenasty",
    ),
    _boot(
        "secret_key",
        "str",
        None,
        "Key that signs login tokens. Generated by `kitchenasty init` into "
        "<data dir>/secret_key (mode 0600); set it here or in the environment only to share it between boxes.",
        ("security", "secret_key"),
        aliases=("JWT_SECRET",),
        secret=True,
    ),
    _boot(
        "jwt_expiry_hours",
        "int",
        12,
        "Hours a login token stays valid; a token used after half of them is renewed, so a device in use "
        "stays logged in.",
        ("security", "jwt_expiry_hours"),
        minimum=1,
        maximum=24 * 365,
    ),
    _boot(
        "login_attempts_per_minute",
        "int",
        10,
        "Failed logins allowed per account and per client a minute (registrations and password-reset "
        "requests: per client); more get 429.",
        ("security", "login_attempts_per_minute"),
        minimum=1,
        maximum=10000,
    ),
    _boot(
        "log_level",
        "str",
        "info",
        "Log level.",
        ("logging", "level"),
        aliases=("LOG_LEVEL",),
        choices=("debug", "info", "warning", "error"),
    ),
    _boot("log_format", "str", "keyvalue", "Log line format.", ("logging", "format"), choices=("keyvalue", "json")),
    _boot(
        "channels_backend",
        "str",
        "memory",
        "Where live rooms are fanned out: `memory` (one process) or a "
        "redis:// URL (several processes; needs the `redis` extra).",
        ("realtime", "channels_backend"),
        example="redis://localhost:6379/0",
    ),
    _boot(
        "outbox_max_attempts",
        "int",
        8,
        "Attempts to deliver one e-mail, SMS or webhook before it is marked failed.",
        ("outbox", "max_attempts"),
        minimum=1,
        maximum=50,
    ),
    _boot(
        "outbox_base_delay_seconds",
        "float",
        30.0,
        "Delay before the first retry; it doubles each attempt (8 attempts from 30 s span about an hour).",
        ("outbox", "base_delay_seconds"),
        minimum=0.01,
        maximum=3600,
    ),
    _boot(
        "backup_schedule_hours",
        "int",
        0,
        "Take a backup every N hours while serving (0 = off).",
        ("backup", "schedule_hours"),
        minimum=0,
        maximum=24 * 30,
    ),
    _boot("backup_keep", "int", 7, "How many scheduled backups to keep.", ("backup", "keep"), minimum=1, maximum=1000),
    _boot("backup_dir", "str", "", "Where backups go. Empty: <data dir>/backups.", ("backup", "dir")),
    _boot(
        "outbound_allowed_hosts",
        "host_list",
        (),
        "Hosts (`host` or `host:port`) that webhooks and SMS may reach even though they are on this box or the "
        'local network, e.g. ["127.0.0.1:9000", "pos.lan"]: a receiver you run yourself. Only here or in the '
        "environment (comma-separated), never through the API.",
        ("outbound", "allowed_hosts"),
    ),
)

_SMTP = ("none", "tls", "ssl")

SITE_SETTINGS: tuple[SettingSpec, ...] = (
    # general
    _site(
        "general",
        "restaurantName",
        "str",
        "KitchenAsty",
        "Name shown on the storefront and in e-mails.",
        max_length=120,
    ),
    _site("general", "contactEmail", "email", "", "Contact e-mail shown to guests."),
    _site("general", "contactPhone", "str", "", "Contact phone shown to guests.", max_length=40),
    _site("general", "timezone", "timezone", "UTC", "IANA time zone of the restaurant (opening hours, schedules)."),
    _site("general", "distanceUnit", "str", "km", "Distance unit.", choices=("km", "mi")),
    _site("general", "defaultCurrency", "currency", "USD", "ISO 4217 currency code of every price (USD, EUR, GBP...)."),
    _site(
        "general",
        "locale",
        "locale",
        "en_US",
        "Language and region amounts are written for (en_US: $1,000.50; de_DE: 1.000,50 €; fr_FR: 1 000,50 €).",
    ),
    _site(
        "general",
        "googleMapsApiKey",
        "str",
        "",
        "Browser Maps key (public by nature; not a secret).",
        aliases=("GOOGLE_MAPS_API_KEY",),
    ),
    # orders
    _site("orders", "enabled", "bool", True, "Accept online orders."),
    _site("orders", "minOrderDelivery", "money", Decimal("0"), "Default minimum delivery order for new locations."),
    _site("orders", "minOrderPickup", "money", Decimal("0"), "Default minimum pickup order for new locations."),
    _site(
        "orders",
        "deliveryLeadTime",
        "int",
        30,
        "Default delivery lead time (minutes) for new locations.",
        minimum=0,
        maximum=24 * 60,
    ),
    _site(
        "orders",
        "pickupLeadTime",
        "int",
        15,
        "Default pickup lead time (minutes) for new locations.",
        minimum=0,
        maximum=24 * 60,
    ),
    _site("orders", "enableFutureOrdering", "bool", False, "Let guests schedule an order for later."),
    _site(
        "orders", "maxScheduleDays", "int", 7, "How many days ahead an order may be scheduled.", minimum=1, maximum=60
    ),
    _site("orders", "enableTipping", "bool", False, "Let guests add a tip."),
    _site("orders", "tipOptions", "int_list", [10, 15, 20, 25], "Tip percentages offered at checkout."),
    _site(
        "orders",
        "taxRate",
        "percent",
        Decimal("0"),
        "Tax rate in percent (at most 2 decimals), added to the discounted subtotal.",
        minimum=0,
        maximum=100,
    ),
    _site("orders", "deliveryFee", "money", Decimal("0"), "Flat delivery fee."),
    _site("orders", "sendConfirmationEmail", "bool", True, "E-mail the guest a confirmation when an order is placed."),
    _site(
        "orders",
        "kitchenWarnMinutes",
        "int",
        10,
        "Kitchen display: a ticket older than this turns amber.",
        minimum=1,
        maximum=24 * 60,
    ),
    _site(
        "orders",
        "kitchenLateMinutes",
        "int",
        20,
        "Kitchen display: a ticket older than this turns red.",
        minimum=1,
        maximum=24 * 60,
    ),
    # reservations
    _site("reservations", "enabled", "bool", True, "Accept table reservations."),
    _site("reservations", "timeInterval", "int", 30, "Minutes between reservation slots.", minimum=1, maximum=240),
    _site(
        "reservations", "stayTime", "int", 90, "Minutes a table is held per reservation.", minimum=1, maximum=24 * 60
    ),
    _site("reservations", "maxAdvanceBookingDays", "int", 30, "How far ahead guests may book.", minimum=1, maximum=365),
    _site(
        "reservations",
        "minCancellationNoticeHours",
        "int",
        2,
        "Hours of notice needed to cancel.",
        minimum=0,
        maximum=24 * 30,
    ),
    _site("reservations", "autoConfirm", "bool", False, "Confirm reservations without staff review."),
    # mail
    _site(
        "mail",
        "smtpHost",
        "str",
        "",
        "SMTP server. Empty: mail is not configured and nothing is sent.",
        aliases=("SMTP_HOST",),
    ),
    _site("mail", "smtpPort", "int", 587, "SMTP port.", aliases=("SMTP_PORT",), minimum=1, maximum=65535),
    _site("mail", "smtpUser", "str", "", "SMTP user name.", aliases=("SMTP_USER",)),
    _site("mail", "smtpPass", "str", "", "SMTP password.", aliases=("SMTP_PASS", "SMTP_PASSWORD"), secret=True),
    _site("mail", "senderName", "str", "KitchenAsty", "Name in the From header.", max_length=120),
    _site("mail", "senderEmail", "email", "", "Address in the From header.", aliases=("SMTP_FROM", "EMAIL_FROM")),
    _site("mail", "encryption", "str", "tls", "none, tls (STARTTLS) or ssl (implicit TLS).", choices=_SMTP),
    # payments
    _site("payments", "cashEnabled", "bool", True, "Accept cash (pay on pickup, delivery or at the table)."),
    _site("payments", "stripeEnabled", "bool", False, "Accept card payments through Stripe."),
    _site(
        "payments",
        "stripePublishableKey",
        "str",
        "",
        "Stripe publishable key (public).",
        aliases=("STRIPE_PUBLISHABLE_KEY",),
    ),
    _site("payments", "stripeSecretKey", "str", "", "Stripe secret key.", aliases=("STRIPE_SECRET_KEY",), secret=True),
    _site(
        "payments",
        "stripeWebhookSecret",
        "str",
        "",
        "Stripe webhook signing secret.",
        aliases=("STRIPE_WEBHOOK_SECRET",),
        secret=True,
    ),
    _site("payments", "paypalEnabled", "bool", False, "Accept PayPal."),
    _site("payments", "paypalClientId", "str", "", "PayPal client id.", aliases=("PAYPAL_CLIENT_ID",)),
    _site(
        "payments",
        "paypalClientSecret",
        "str",
        "",
        "PayPal client secret.",
        aliases=("PAYPAL_CLIENT_SECRET",),
        secret=True,
    ),
    _site("payments", "paypalSandbox", "bool", True, "Use PayPal's sandbox.", aliases=("PAYPAL_SANDBOX",)),
    # reviews
    _site("reviews", "enabled", "bool", True, "Accept reviews."),
    _site("reviews", "requireOrder", "bool", False, "Only guests with an order may review."),
    _site("reviews", "autoApprove", "bool", False, "Publish reviews without moderation."),
    _site("reviews", "minimumRating", "int", 1, "Lowest rating accepted.", minimum=1, maximum=5),
    # advanced
    _site("advanced", "maintenanceMode", "bool", False, "Close the storefront with a message."),
    _site("advanced", "maintenanceMessage", "str", "", "Message shown in maintenance mode.", max_length=500),
    _site("advanced", "enableRateLimiting", "bool", True, "Throttle login and password-reset attempts per client."),
    _site("advanced", "smsBaseUrl", "url", "https://api.twilio.com", "Base URL of the Twilio-compatible SMS API."),
    _site("advanced", "smsAccountSid", "str", "", "SMS account id.", aliases=("TWILIO_ACCOUNT_SID",)),
    _site("advanced", "smsAuthToken", "str", "", "SMS auth token.", aliases=("TWILIO_AUTH_TOKEN",), secret=True),
    _site("advanced", "smsFromNumber", "str", "", "Sender number for SMS.", aliases=("TWILIO_FROM_NUMBER",)),
    _site(
        "advanced",
        "allowPrivateNetworkTargets",
        "bool",
        False,
        "Let webhooks and SMS reach private LAN addresses (10.x, 172.16-31.x, 192.168.x, 100.64-127.x, fc00::/7). "
        "Loopback, link-local (169.254.x, the cloud metadata address) and unspecified addresses stay refused.",
    ),
    _site(
        "advanced",
        "webhookSigningSecret",
        "str",
        "",
        "Key for the X-KitchenAsty-Signature HMAC on webhooks; generated by `kitchenasty init`.",
        secret=True,
    ),
)

SITE_GROUPS: tuple[str, ...] = ("general", "orders", "reservations", "mail", "payments", "reviews", "advanced")
SITE_SPECS: dict[str, SettingSpec] = {s.name: s for s in SITE_SETTINGS}
BOOT_SPECS: dict[str, SettingSpec] = {s.name: s for s in BOOT_SETTINGS}


def group_specs(group: str) -> list[SettingSpec]:
    return [s for s in SITE_SETTINGS if s.name.split(".", 1)[0] == group]


def field_name(spec: SettingSpec) -> str:
    return spec.name.split(".", 1)[1]


# ---------------------------------------------------------------- coercion

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


MONEY_SETTING_MAX = Decimal(1_000_000)
"""The largest amount a money setting takes when its spec names no maximum (a fee or minimum, in major units)."""
_INT_TEXT = re.compile(r"\s*-?[0-9]{1,18}\s*")
_LIST_ITEM = re.compile(r"[0-9]{1,3}")


def _coerce(spec: SettingSpec, raw: Any, origin: str) -> Any:
    # "(request)" is no news to the person who sent it; a file or variable is named so it can be found
    label = spec.name if origin == "request" else f"{spec.name} ({origin})"
    if raw is None:
        raise ValidationFailed(f"{label} must not be null")
    t = spec.type
    value: Any
    if t == "bool":
        if isinstance(raw, bool):
            value = raw
        elif isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            value = raw.strip().lower() in _TRUE
        else:
            raise ValidationFailed(f"{label} must be true or false")
    elif t == "int":
        if isinstance(raw, bool):
            raise ValidationFailed(f"{label} must be a whole number")
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, str) and _INT_TEXT.fullmatch(raw):
            value = int(raw)
        else:
            raise ValidationFailed(f"{label} must be a whole number")
    elif t == "float":
        if isinstance(raw, bool):
            raise ValidationFailed(f"{label} must be a number")
        try:
            value = float(raw)
        except (TypeError, ValueError, OverflowError):
            raise ValidationFailed(f"{label} must be a number") from None
        if not math.isfinite(value):
            raise ValidationFailed(f"{label} must be a number")
    elif t in ("money", "percent"):
        value = _decimal(raw, label)
        if value < 0:
            raise ValidationFailed(f"{label} must not be negative")
        # bounds before the decimals check: quantizing 1e300 overflows the decimal context
        limit = Decimal(str(spec.maximum)) if spec.maximum is not None else MONEY_SETTING_MAX
        if value > limit:
            raise ValidationFailed(f"{label} must be at most {spec.maximum if spec.maximum is not None else limit}")
        if value != value.quantize(Decimal("0.01")):
            raise ValidationFailed(f"{label} must have at most 2 decimals")
    elif t == "int_list":
        items: list[Any]
        if isinstance(raw, str):
            items = [p.strip() for p in raw.split(",") if p.strip()]
        elif isinstance(raw, list):
            items = raw
        else:
            raise ValidationFailed(f"{label} must be a list of whole numbers")
        out = []
        for item in items:
            if isinstance(item, bool) or not (
                isinstance(item, int) or (isinstance(item, str) and _LIST_ITEM.fullmatch(item))
            ):
                raise ValidationFailed(f"{label} must be a list of whole numbers")
            out.append(int(item))
        if len(out) > 10 or any(n < 0 or n > 100 for n in out):
            raise ValidationFailed(f"{label} takes at most 10 numbers between 0 and 100")
        value = out
    elif t == "host_list":
        value = _host_list(raw, label)
    else:  # str, email, timezone, url, currency, locale
        if not isinstance(raw, str):
            raise ValidationFailed(f"{label} must be text")
        value = raw.strip()
        if t == "email" and value and not EMAIL_RE.match(value):
            raise ValidationFailed(f"{label} must be an e-mail address")
        if t == "timezone":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValidationFailed(f"{label} must be an IANA time zone such as Europe/Berlin") from None
        if t == "url" and value and not re.match(r"^https?://[^\s/]+", value):
            raise ValidationFailed(f"{label} must be an http(s) URL")
        if t == "currency":
            value = value.upper()
            if value not in list_currencies():
                raise ValidationFailed(f"{label} must be an ISO 4217 currency code such as USD or EUR")
        if t == "locale":
            try:
                value = str(Locale.parse(value.replace("-", "_")))
            except (ValueError, TypeError, UnknownLocaleError):
                raise ValidationFailed(f"{label} must be a locale such as en_US or de_DE") from None
        if spec.max_length is not None and len(value) > spec.max_length:
            raise ValidationFailed(f"{label} must be at most {spec.max_length} characters")
    if spec.choices is not None and value not in spec.choices:
        raise ValidationFailed(f"{label} must be one of: {', '.join(spec.choices)}")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            raise ValidationFailed(f"{label} must be at least {spec.minimum}")
        if spec.maximum is not None and value > spec.maximum:
            raise ValidationFailed(f"{label} must be at most {spec.maximum}")
    return value


_HOST_ENTRY_RE = re.compile(r"^(?:\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::[0-9]{1,5})?$|^[0-9a-f:.]*:[0-9a-f:.]*:[0-9a-f:.]*$")


def _host_list(raw: Any, label: str) -> tuple[str, ...]:
    """`host` / `host:port` / `[v6]:port` / a bare IPv6 address, from a list or a comma-separated string."""
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(item, str) for item in items):
        raise ValidationFailed(f"{label} must be a list of host or host:port entries")
    out: list[str] = []
    for item in (entry.strip().lower() for entry in items):
        if not item:
            continue
        if not _HOST_ENTRY_RE.match(item) or (item.count(":") == 1 and int(item.rsplit(":", 1)[1]) > 65535):
            raise ValidationFailed(f"{label}: '{item}' is not a host or host:port entry")
        out.append(item)
    return tuple(out)


def _decimal(raw: Any, label: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ValidationFailed(f"{label} must be a number")
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{label} must be a number") from None
    if not value.is_finite():
        raise ValidationFailed(f"{label} must be a number")
    return value


# ---------------------------------------------------------------- masking

MASK_SHORT = "****"
MASK_REVEAL_FROM = 16
"""Only a secret at least this long shows its last 4 characters: they narrow it down by 4 of 16+, not by 8 of 8."""
_MASK_RE = re.compile(r"^\*{4}.{0,4}$|^.{4}\.\.\..{4}$", re.DOTALL)  # the second form: masks of earlier versions


def mask(value: str | None) -> str:
    """`****wxyz` (the last 4) for values of 16+ characters, `****` for shorter ones, "" for empty."""
    if not value:
        return ""
    return f"{MASK_SHORT}{value[-4:]}" if len(value) >= MASK_REVEAL_FROM else MASK_SHORT


def looks_masked(value: str) -> bool:
    return bool(_MASK_RE.match(value))


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
