"""What a setting is: its declaration (`SettingSpec`), how a raw value from TOML, the environment or the API
becomes a value of its type (or a one-line refusal naming where it came from), and how secrets are masked."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.core.validate import EMAIL_RE

ValueType = Literal[
    "str",
    "int",
    "float",
    "bool",
    "money",
    "percent",
    "int_list",
    "int_pairs",
    "email",
    "timezone",
    "url",
    "currency",
    "locale",
    "host_list",
]
Source = Literal["db", "toml", "env", "default", "file", "cli"]


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
    elif t == "int_pairs":
        value = _int_pairs(raw, label, spec.maximum)
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


MAX_PAIRS = 20
_PAIR_TEXT = re.compile(r"\s*([0-9]{1,6})\s*:\s*([0-9]{1,6})\s*")


def _int_pairs(raw: Any, label: str, maximum: float | None) -> list[list[int]]:
    """Thresholds and values: `[[2, 75], [4, 90]]` (JSON, TOML) or `"2:75, 4:90"` (TOML, environment). Every number
    is a whole number of at least 1, the second at most `maximum`; the first numbers rise strictly."""
    shape = f'{label} must be a list of [number, number] pairs such as [[2, 75], [4, 90]] (or "2:75, 4:90")'
    pairs: list[Any]
    if isinstance(raw, str):
        pairs = []
        for part in (p for p in raw.split(",") if p.strip()):
            found = _PAIR_TEXT.fullmatch(part)
            if found is None:
                raise ValidationFailed(shape)
            pairs.append([int(found.group(1)), int(found.group(2))])
    elif isinstance(raw, list | tuple):
        pairs = list(raw)
    else:
        raise ValidationFailed(shape)
    if len(pairs) > MAX_PAIRS:
        raise ValidationFailed(f"{label} takes at most {MAX_PAIRS} pairs")
    out: list[list[int]] = []
    for pair in pairs:
        if not (
            isinstance(pair, list | tuple)
            and len(pair) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in pair)
        ):
            raise ValidationFailed(shape)
        first, second = int(pair[0]), int(pair[1])
        if first < 1 or second < 1 or first > 100_000:
            raise ValidationFailed(f"{label}: every number must be a whole number of at least 1")
        if maximum is not None and second > maximum:
            raise ValidationFailed(f"{label}: the second number of each pair must be at most {maximum:g}")
        if out and first <= out[-1][0]:
            raise ValidationFailed(f"{label}: the first numbers must rise from pair to pair ({out[-1][0]}, {first})")
        out.append([first, second])
    return out


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
