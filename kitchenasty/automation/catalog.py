"""What the rule form offers, derived from the code that checks and runs rules (no second source of truth):

- the condition paths of an event kind, walked from its payload's type (the event class's msgspec fields: the
  order as the API shows it, ...), each with its value type, its choices when it has a fixed set, and the
  operators `automation.rules.holds` can compare it with;
- the operators, and the action kinds with their fields (which ones take `{{dot.path}}` templates), from
  `automation.rules`.
Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

import msgspec.inspect as mi

from kitchenasty.automation.rules import ACTION_TYPES, OPERATORS, STAFF_ROLES
from kitchenasty.automation.schemas import ActionFieldOut, ActionKindOut, EventKindOut, OperatorOut, PathOut
from kitchenasty.core.events import DomainEvent

MAX_DEPTH = 5
"""Paths go at most this deep (`order.items.0.options.0.name` is five segments below the payload)."""

OPERATOR_HELP: dict[str, tuple[str, str]] = {
    "eq": ("equals", "the same type as the field"),
    "ne": ("does not equal", "the same type as the field"),
    "gt": ("is greater than", "a number, or a text (ISO dates compare as text)"),
    "gte": ("is at least", "a number, or a text (ISO dates compare as text)"),
    "lt": ("is less than", "a number, or a text (ISO dates compare as text)"),
    "lte": ("is at most", "a number, or a text (ISO dates compare as text)"),
    "in": ("is one of", "a list of values"),
    "contains": ("contains", "a text (inside a text) or one value (inside a list)"),
}
_ORDERED = ("eq", "ne", "gt", "gte", "lt", "lte", "in")
_BY_TYPE: dict[str, tuple[str, ...]] = {
    "string": (*_ORDERED, "contains"),
    "number": _ORDERED,
    "boolean": ("eq", "ne"),
    "list": ("contains",),
    "object": ("eq", "ne"),
    "any": OPERATORS,
}

_CHOICE_OPERATORS = ("eq", "ne", "in")
"""For a field with a fixed set of values (a status): ordering or substrings mean nothing there."""

RECIPIENTS = ("customer", *(f"staff:{role}" for role in STAFF_ROLES))
"""The `to` tokens besides literal addresses and templates (see `automation.rules.parse_recipients`)."""

_TO_HELP = (
    "Comma-separated: customer (the customer's or guest's contact), staff:ROLE (every active staff member of the "
    "role), an address, or a {{template}}."
)
ACTION_FIELDS: dict[str, tuple[ActionFieldOut, ...]] = {
    "email": (
        ActionFieldOut(name="to", required=True, template=True, max_length=None, help=_TO_HELP),
        ActionFieldOut(name="subject", required=True, template=True, max_length=500, help="The subject line."),
        ActionFieldOut(
            name="body",
            required=False,
            template=True,
            max_length=50_000,
            help="HTML (values are escaped) or plain text (sent as text and as escaped HTML).",
        ),
    ),
    "sms": (
        ActionFieldOut(name="to", required=True, template=True, max_length=None, help=_TO_HELP),
        ActionFieldOut(name="body", required=True, template=True, max_length=1600, help="The message text."),
    ),
    "webhook": (
        ActionFieldOut(
            name="url",
            required=True,
            template=False,
            max_length=2048,
            help="An http(s) URL; receives the event as signed JSON (X-KitchenAsty-Signature).",
        ),
        ActionFieldOut(
            name="headers", required=False, template=False, max_length=None, help="Extra headers: {name: value}."
        ),
    ),
}


def operators() -> list[OperatorOut]:
    return [OperatorOut(op=op, label=OPERATOR_HELP[op][0], value=OPERATOR_HELP[op][1]) for op in OPERATORS]


def actions() -> list[ActionKindOut]:
    return [ActionKindOut(type=kind, fields=list(ACTION_FIELDS[kind])) for kind in ACTION_TYPES]


def _describe(t: Any) -> tuple[str, bool, list[Any] | None, Any]:
    """(value type, nullable, choices, the type to walk into) of a msgspec type."""
    nullable = False
    if isinstance(t, mi.UnionType):
        members = [m for m in t.types if not isinstance(m, mi.NoneType)]
        nullable = len(members) < len(t.types)
        if len(members) != 1:
            return "any", nullable, None, None
        t = members[0]
    if isinstance(t, mi.LiteralType):
        kinds = {type(v) for v in t.values}
        kind = "number" if kinds <= {int, float} else "string" if kinds == {str} else "any"
        return kind, nullable, list(t.values), None
    if isinstance(t, mi.StrType | mi.DateTimeType | mi.DateType):
        return "string", nullable, None, None
    if isinstance(t, mi.BoolType):
        return "boolean", nullable, None, None
    if isinstance(t, mi.IntType | mi.FloatType | mi.DecimalType):
        return "number", nullable, None, None
    if isinstance(t, mi.ListType | mi.TupleType | mi.VarTupleType | mi.SetType | mi.FrozenSetType):
        item = getattr(t, "item_type", None)
        return "list", nullable, None, item
    if isinstance(t, mi.StructType):
        return "object", nullable, None, t
    return "any", nullable, None, None


def _walk(t: mi.StructType, prefix: str, depth: int, out: list[PathOut]) -> None:
    for field in t.fields:
        path = f"{prefix}{field.encode_name}"
        kind, nullable, choices, inner = _describe(field.type)
        ops = _CHOICE_OPERATORS if choices is not None else _BY_TYPE[kind]
        out.append(PathOut(path=path, type=kind, nullable=nullable, choices=choices, operators=list(ops)))
        if depth >= MAX_DEPTH or inner is None:
            continue
        if kind == "list":
            item_inner = _describe(inner)[3]
            if isinstance(item_inner, mi.StructType):  # the first entry's fields: `order.items.0.name`
                _walk(item_inner, f"{path}.0.", depth + 1, out)
        elif isinstance(inner, mi.StructType):
            _walk(inner, f"{path}.", depth + 1, out)


def event_paths(event: type[DomainEvent]) -> list[PathOut]:
    """Every dot path into the event's payload, in field order (objects before their fields)."""
    info = mi.type_info(event)
    out: list[PathOut] = []
    if isinstance(info, mi.StructType):
        _walk(info, "", 1, out)
    return out


def event_kind(name: str, event: type[DomainEvent]) -> EventKindOut:
    doc = (event.__doc__ or "").strip().split("\n", 1)[0] or None
    if doc and doc.startswith(f"{event.__name__}("):  # msgspec's generated signature, not a description
        doc = None
    return EventKindOut(
        event=name,
        description=doc,
        paths=event_paths(event),
        operators=operators(),
        actions=actions(),
        recipients=list(RECIPIENTS),
    )
