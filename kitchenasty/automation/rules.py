"""Automation rules as pure functions: condition parsing and matching, action validation, recipient tokens.

Conditions are `[{"path": "order.status", "op": "eq", "value": "READY"}, ...]` (the original's object form
`{"order.status": "READY"}` is accepted and means `eq`). Every condition must hold. Paths are dot paths into the
event payload (`order.total`, `order.customer.email`, `order.items.0.name`); a missing path is `None`.

Comparisons are strict, as in the original: no coercion between text and numbers, booleans are not numbers.
- eq / ne: equal (ints and floats compare by value) / not equal;
- gt, gte, lt, lte: both numbers, or both text (ISO dates compare correctly as text); anything else is false;
- in: the value is a list and the actual value equals one of its entries;
- contains: text contains the value as a substring, or a list has an entry equal to the value.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from kitchenasty.automation.templates import PATH_RE, TemplateError, lookup, parse
from kitchenasty.core.http_out import RESERVED_HEADERS
from kitchenasty.core.validate import EMAIL_RE

Operator = Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "contains"]
OPERATORS: tuple[str, ...] = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "contains")
ACTION_TYPES: tuple[str, ...] = ("email", "sms", "webhook")
STAFF_ROLES: tuple[str, ...] = ("SUPER_ADMIN", "MANAGER", "STAFF")
MAX_CONDITIONS = 20
MAX_ACTIONS = 20
MAX_HEADERS = 20

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ().-]{2,24}$")
HEADER_NAME_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")


class RuleError(ValueError):
    """A rule that cannot be saved; `message` says which field and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_WHERE_RE = re.compile(r"^((?:conditions|actions)(?:\[\d+\])?(?:\.[\w-]+)*)(?::\s*|\s+)(\S.*)$", re.DOTALL)


def error_detail(message: str) -> dict[str, str] | None:
    """The field a RuleError names, as the error envelope's detail: `actions[0].to is required` ->
    `{"key": "actions[0].to", "message": "is required"}` (None when the message names no field)."""
    match = _WHERE_RE.match(message)
    return {"key": match.group(1), "message": match.group(2)} if match else None


# ---------------------------------------------------------------- paths


def check_root(path: str, roots: Collection[str] | None, event: str, where: str) -> None:
    """Refuse a path whose first segment is not a field of the event's payload (e.g. `status` for `order.status`)."""
    if roots is None:
        return
    root = path.split(".", 1)[0]
    if root not in roots:
        options = ", ".join(sorted(roots))
        example = f" (e.g. {sorted(roots)[0]}.…)" if len(roots) == 1 else ""
        raise RuleError(f"{where}: '{path}' is not in {event} events; paths start with {options}{example}")


# ---------------------------------------------------------------- conditions


@dataclass(frozen=True)
class Condition:
    path: str
    op: str
    value: Any

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "op": self.op, "value": self.value}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_value(op: str, value: Any, where: str) -> None:
    if op in ("gt", "gte", "lt", "lte") and not (_is_number(value) or isinstance(value, str)):
        raise RuleError(f"{where}.value: '{op}' compares with a number or a text, got {_kind(value)}")
    if op == "in" and not isinstance(value, list):
        raise RuleError(f"{where}.value: 'in' needs a list of values, got {_kind(value)}")
    if op == "contains" and not (isinstance(value, str | bool) or _is_number(value) or value is None):
        raise RuleError(f"{where}.value: 'contains' looks for one text or number, got {_kind(value)}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if _is_number(value):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def parse_conditions(raw: Any, *, roots: Collection[str] | None = None, event: str = "this event") -> list[Condition]:
    """Validate conditions (list form or the original's object form) into a list; raise RuleError."""
    if raw is None:
        return []
    if isinstance(raw, Mapping):
        items: list[Any] = [{"path": path, "op": "eq", "value": value} for path, value in raw.items()]
    elif isinstance(raw, list):
        items = raw
    else:
        raise RuleError("conditions must be a list of {path, op, value} (or an object of path: value)")
    if len(items) > MAX_CONDITIONS:
        raise RuleError(f"conditions: at most {MAX_CONDITIONS} conditions")
    out: list[Condition] = []
    for i, item in enumerate(items):
        where = f"conditions[{i}]"
        if not isinstance(item, Mapping):
            raise RuleError(f"{where} must be an object {{path, op, value}}")
        unknown = sorted(set(item) - {"path", "op", "value"})
        if unknown:
            raise RuleError(f"{where}: unknown field(s) {', '.join(unknown)}; a condition has path, op and value")
        path = item.get("path")
        if not isinstance(path, str) or not PATH_RE.fullmatch(path.strip()):
            raise RuleError(f"{where}.path must be a dot path such as order.status")
        path = path.strip()
        op = item.get("op", "eq")
        if op not in OPERATORS:
            raise RuleError(f"{where}.op: unknown operator {op!r}; use one of {', '.join(OPERATORS)}")
        if "value" not in item:
            raise RuleError(f"{where}.value is required")
        value = item["value"]
        _check_value(op, value, where)
        check_root(path, roots, event, f"{where}.path")
        out.append(Condition(path=path, op=op, value=value))
    return out


def _equal(a: Any, b: Any) -> bool:
    if _is_number(a) and _is_number(b):
        return a == b
    if type(a) is not type(b):
        return False
    return a == b


def holds(condition: Condition, payload: Any) -> bool:
    actual = lookup(payload, condition.path)
    op, expected = condition.op, condition.value
    if op == "eq":
        return _equal(actual, expected)
    if op == "ne":
        return not _equal(actual, expected)
    if op in ("gt", "gte", "lt", "lte"):
        comparable = (_is_number(actual) and _is_number(expected)) or (
            isinstance(actual, str) and isinstance(expected, str)
        )
        if not comparable:
            return False
        if op == "gt":
            return actual > expected
        if op == "gte":
            return actual >= expected
        if op == "lt":
            return actual < expected
        return actual <= expected
    if op == "in":
        return isinstance(expected, list) and any(_equal(actual, option) for option in expected)
    if op == "contains":
        if isinstance(actual, str) and isinstance(expected, str):
            return expected in actual
        if isinstance(actual, list):
            return any(_equal(entry, expected) for entry in actual)
        return False
    return False


def matches(conditions: list[Condition], payload: Any) -> bool:
    """True when every condition holds (no conditions: always)."""
    return all(holds(condition, payload) for condition in conditions)


# ---------------------------------------------------------------- recipients


@dataclass(frozen=True)
class Recipient:
    """One token of an action's `to`: the customer/guest, every active staff member of a role, a literal, or a
    template rendered per event."""

    kind: Literal["customer", "staff", "literal", "template"]
    value: str


def parse_recipients(
    raw: Any, channel: str, where: str, *, roots: Collection[str] | None, event: str
) -> list[Recipient]:
    if not isinstance(raw, str) or not raw.strip():
        raise RuleError(f"{where} is required ('customer', 'staff:ROLE', an address or a {{{{template}}}})")
    out: list[Recipient] = []
    for part in (t.strip() for t in raw.split(",")):
        if not part:
            continue
        if part == "customer":
            out.append(Recipient("customer", part))
        elif part.lower().startswith("staff:"):
            role = part.split(":", 1)[1].strip().upper()
            if role not in STAFF_ROLES:
                raise RuleError(f"{where}: unknown staff role in {part!r}; use staff:{', staff:'.join(STAFF_ROLES)}")
            out.append(Recipient("staff", role))
        elif "{{" in part or "}}" in part:
            try:
                template = parse(part)
            except TemplateError as exc:
                raise RuleError(f"{where}: {exc.message}") from None
            for path in template.paths:
                check_root(path, roots, event, where)
            out.append(Recipient("template", part))
        elif channel == "email":
            if not EMAIL_RE.fullmatch(part):
                raise RuleError(f"{where}: {part!r} is not an e-mail address, 'customer' or 'staff:ROLE'")
            out.append(Recipient("literal", part))
        else:
            if not PHONE_RE.fullmatch(part):
                raise RuleError(f"{where}: {part!r} is not a phone number, 'customer' or 'staff:ROLE'")
            out.append(Recipient("literal", part))
    if not out:
        raise RuleError(f"{where} is required")
    return out


def customer_contact(payload: Any, channel: str) -> str | None:
    """`to: customer`: the registered customer's e-mail/phone, else the guest's (orders, reservations, reviews),
    or the customer of a customer event."""
    field, guest_field = ("email", "guestEmail") if channel == "email" else ("phone", "guestPhone")
    for path in (
        f"order.customer.{field}",
        f"order.{guest_field}",
        f"reservation.customer.{field}",
        f"reservation.{guest_field}",
        f"review.customer.{field}",
        f"customer.{field}",
    ):
        value = lookup(payload, path)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# ---------------------------------------------------------------- actions


def _template(
    action: Mapping[str, Any],
    key: str,
    where: str,
    roots: Collection[str] | None,
    event: str,
    *,
    required: bool,
    max_length: int,
) -> str:
    value = action.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RuleError(f"{where}.{key} must be text")
    if required and not value.strip():
        raise RuleError(f"{where}.{key} is required")
    if len(value) > max_length:
        raise RuleError(f"{where}.{key} must be at most {max_length} characters")
    try:
        template = parse(value)
    except TemplateError as exc:
        raise RuleError(f"{where}.{key}: {exc.message}") from None
    for path in template.paths:
        check_root(path, roots, event, f"{where}.{key}")
    return value


_FIELDS = {
    "email": ("type", "to", "subject", "body"),
    "sms": ("type", "to", "body"),
    "webhook": ("type", "url", "headers"),
}


def parse_actions(raw: Any, *, roots: Collection[str] | None = None, event: str = "this event") -> list[dict[str, Any]]:
    """Validate actions; returns them normalised (only known keys). Raises RuleError naming the bad field."""
    if not isinstance(raw, list) or not raw:
        raise RuleError("actions must be a list with at least one action (email, sms or webhook)")
    if len(raw) > MAX_ACTIONS:
        raise RuleError(f"actions: at most {MAX_ACTIONS} actions")
    out: list[dict[str, Any]] = []
    for i, action in enumerate(raw):
        where = f"actions[{i}]"
        if not isinstance(action, Mapping):
            raise RuleError(f"{where} must be an object with a type (email, sms or webhook)")
        kind = action.get("type")
        if kind not in ACTION_TYPES:
            raise RuleError(f"{where}.type must be one of {', '.join(ACTION_TYPES)}")
        unknown = sorted(set(action) - set(_FIELDS[kind]))
        if unknown:
            raise RuleError(
                f"{where}: unknown field(s) {', '.join(unknown)}; {kind} takes {', '.join(_FIELDS[kind][1:])}"
            )
        if kind == "email":
            parse_recipients(action.get("to"), "email", f"{where}.to", roots=roots, event=event)
            out.append(
                {
                    "type": "email",
                    "to": action["to"].strip(),
                    "subject": _template(action, "subject", where, roots, event, required=True, max_length=500),
                    "body": _template(action, "body", where, roots, event, required=False, max_length=50_000),
                }
            )
        elif kind == "sms":
            parse_recipients(action.get("to"), "sms", f"{where}.to", roots=roots, event=event)
            out.append(
                {
                    "type": "sms",
                    "to": action["to"].strip(),
                    "body": _template(action, "body", where, roots, event, required=True, max_length=1600),
                }
            )
        else:
            out.append({"type": "webhook", "url": _webhook_url(action.get("url"), where), **_headers(action, where)})
    return out


def _webhook_url(url: Any, where: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise RuleError(f"{where}.url is required")
    url = url.strip()
    if len(url) > 2048:
        raise RuleError(f"{where}.url must be at most 2048 characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        raise RuleError(f"{where}.url {url!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise RuleError(f"{where}.url must be an http:// or https:// URL, got {url!r}")
    if not host:
        raise RuleError(f"{where}.url {url!r} has no host")
    return url


def _headers(action: Mapping[str, Any], where: str) -> dict[str, Any]:
    headers = action.get("headers")
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise RuleError(f"{where}.headers must be an object of header name: value")
    if len(headers) > MAX_HEADERS:
        raise RuleError(f"{where}.headers: at most {MAX_HEADERS} headers")
    out: dict[str, str] = {}
    for name, value in headers.items():
        if not HEADER_NAME_RE.fullmatch(name):
            raise RuleError(f"{where}.headers: {name!r} is not a valid header name")
        if name.lower() in RESERVED_HEADERS:
            raise RuleError(f"{where}.headers: {name} is set by KitchenAsty and cannot be overridden")
        if not isinstance(value, str) or "\n" in value or "\r" in value or len(value) > 2000:
            raise RuleError(f"{where}.headers.{name} must be one line of text")
        out[name] = value
    return {"headers": out}
