"""The condition matcher and action validation (pure functions)."""

from __future__ import annotations

from typing import Any

import pytest

from kitchenasty.automation.rules import (
    Condition,
    RuleError,
    customer_contact,
    error_detail,
    holds,
    matches,
    parse_actions,
    parse_conditions,
    parse_recipients,
)
from kitchenasty.automation.templates import lookup

PAYLOAD: dict[str, Any] = {
    "order": {
        "orderNumber": "KA-0042",
        "status": "READY",
        "orderType": "PICKUP",
        "total": 25.5,
        "itemCount": 3,
        "paid": False,
        "comment": "extra napkins please",
        "tags": ["vip", "birthday"],
        "customer": None,
        "guestEmail": "guest@example.com",
        "guestPhone": "+15550101",
        "items": [{"name": "Margherita", "quantity": 2}, {"name": "Tiramisu", "quantity": 1}],
        "createdAt": "2026-11-25T12:00:00.000Z",
    },
    "previousStatus": "PREPARING",
}
ROOTS = ("order", "previousStatus")


def cond(path: str, op: str, value: Any) -> Condition:
    return Condition(path=path, op=op, value=value)


def test_lookup_follows_dot_paths_into_objects_and_lists() -> None:
    assert lookup(PAYLOAD, "order.orderNumber") == "KA-0042"
    assert lookup(PAYLOAD, "order.items.1.name") == "Tiramisu"
    assert lookup(PAYLOAD, "previousStatus") == "PREPARING"


def test_lookup_missing_segments_give_none() -> None:
    assert lookup(PAYLOAD, "order.nope") is None
    assert lookup(PAYLOAD, "order.items.7.name") is None
    assert lookup(PAYLOAD, "order.customer.email") is None  # through a null
    assert lookup(PAYLOAD, "order.orderNumber.deeper") is None  # through a string


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (cond("order.status", "eq", "READY"), True),
        (cond("order.status", "eq", "ready"), False),  # case-sensitive
        (cond("order.total", "eq", 25.5), True),
        (cond("order.itemCount", "eq", 3.0), True),  # int and float compare by value
        (cond("order.itemCount", "eq", "3"), False),  # no coercion from text
        (cond("order.paid", "eq", 0), False),  # booleans are not numbers
        (cond("order.paid", "eq", False), True),
        (cond("order.customer", "eq", None), True),
        (cond("order.missing", "eq", None), True),
        (cond("order.status", "ne", "CANCELLED"), True),
        (cond("order.status", "ne", "READY"), False),
        (cond("order.missing", "ne", "X"), True),
        (cond("order.total", "gt", 25), True),
        (cond("order.total", "gt", 25.5), False),
        (cond("order.total", "gte", 25.5), True),
        (cond("order.total", "lt", 30), True),
        (cond("order.total", "lte", 25), False),
        (cond("order.total", "gt", "10"), False),  # number vs text never compares
        (cond("order.missing", "lt", 10), False),
        (cond("order.createdAt", "gte", "2026-11-25"), True),  # ISO text compares in order
        (cond("order.createdAt", "lt", "2026-11-01"), False),
        (cond("order.status", "in", ["READY", "CONFIRMED"]), True),
        (cond("order.status", "in", ["PENDING"]), False),
        (cond("order.itemCount", "in", [1, 2, 3]), True),
        (cond("order.missing", "in", ["READY"]), False),
        (cond("order.comment", "contains", "napkins"), True),
        (cond("order.comment", "contains", "forks"), False),
        (cond("order.tags", "contains", "vip"), True),
        (cond("order.tags", "contains", "new"), False),
        (cond("order.total", "contains", 5), False),
        (cond("previousStatus", "eq", "PREPARING"), True),
    ],
)
def test_holds_applies_each_operator(condition: Condition, expected: bool) -> None:
    assert holds(condition, PAYLOAD) is expected


def test_matches_requires_every_condition() -> None:
    ready = cond("order.status", "eq", "READY")
    pickup = cond("order.orderType", "eq", "PICKUP")
    delivery = cond("order.orderType", "eq", "DELIVERY")
    assert matches([ready, pickup], PAYLOAD)
    assert not matches([ready, delivery], PAYLOAD)
    assert matches([], PAYLOAD)


def test_parse_conditions_accepts_the_object_form_as_equality() -> None:
    parsed = parse_conditions({"order.status": "READY", "previousStatus": "PREPARING"}, roots=ROOTS)
    assert [c.to_json() for c in parsed] == [
        {"path": "order.status", "op": "eq", "value": "READY"},
        {"path": "previousStatus", "op": "eq", "value": "PREPARING"},
    ]
    assert matches(parsed, PAYLOAD)


def test_parse_conditions_list_form_defaults_to_eq_and_allows_null() -> None:
    assert parse_conditions(None) == []
    parsed = parse_conditions([{"path": " order.total ", "op": "gte", "value": 20}, {"path": "order.x", "value": 1}])
    assert parsed == [cond("order.total", "gte", 20), cond("order.x", "eq", 1)]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([{"path": "order.status", "op": "like", "value": "R%"}], "conditions[0].op: unknown operator 'like'"),
        ([{"path": "order.total", "op": "in", "value": 3}], "conditions[0].value: 'in' needs a list"),
        ([{"path": "order.total", "op": "gt", "value": [1]}], "conditions[0].value: 'gt' compares"),
        ([{"path": "order..status", "value": 1}], "conditions[0].path must be a dot path"),
        ([{"path": "order.status"}], "conditions[0].value is required"),
        ([{"path": "order.status", "value": 1, "extra": True}], "unknown field(s) extra"),
        ([{"path": "status", "value": "READY"}], "'status' is not in order.statusChanged events"),
        ("READY", "conditions must be a list"),
        ([1], "conditions[0] must be an object"),
    ],
)
def test_parse_conditions_refuses_bad_input_naming_the_field(raw: Any, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_conditions(raw, roots=ROOTS, event="order.statusChanged")
    assert message in caught.value.message


def test_parse_actions_normalises_each_type() -> None:
    actions = parse_actions(
        [
            {"type": "email", "to": " customer ", "subject": "Order {{ order.orderNumber }}", "body": "<p>Hi</p>"},
            {"type": "sms", "to": "customer, +15550123", "body": "Ready: {{order.orderNumber}}"},
            {"type": "webhook", "url": "https://hooks.example.com/x", "headers": {"X-Token": "abc"}},
            {"type": "webhook", "url": "http://127.0.0.1:9000/hook"},
        ],
        roots=ROOTS,
    )
    assert actions == [
        {"type": "email", "to": "customer", "subject": "Order {{ order.orderNumber }}", "body": "<p>Hi</p>"},
        {"type": "sms", "to": "customer, +15550123", "body": "Ready: {{order.orderNumber}}"},
        {"type": "webhook", "url": "https://hooks.example.com/x", "headers": {"X-Token": "abc"}},
        {"type": "webhook", "url": "http://127.0.0.1:9000/hook"},
    ]


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"type": "fax", "to": "x"}, "actions[0].type must be one of email, sms, webhook"),
        ({"type": "email", "subject": "s", "body": "b"}, "actions[0].to is required"),
        ({"type": "email", "to": "customer", "body": "b"}, "actions[0].subject is required"),
        ({"type": "email", "to": "not-an-address", "subject": "s"}, "'not-an-address' is not an e-mail address"),
        ({"type": "email", "to": "staff:CHEF", "subject": "s"}, "unknown staff role"),
        ({"type": "email", "to": "customer", "subject": "{{order.id"}, "is never closed"),
        ({"type": "email", "to": "customer", "subject": "s", "body": "x }} y"}, "has no opening"),
        ({"type": "email", "to": "customer", "subject": "{{ status }}"}, "'status' is not in order.statusChanged"),
        ({"type": "sms", "to": "customer", "message": "hi"}, "unknown field(s) message"),
        ({"type": "sms", "to": "call me", "body": "hi"}, "is not a phone number"),
        ({"type": "webhook", "url": "ftp://example.com/x"}, "must be an http:// or https:// URL"),
        ({"type": "webhook", "url": "javascript:alert(1)"}, "must be an http:// or https:// URL"),
        ({"type": "webhook"}, "actions[0].url is required"),
        ({"type": "webhook", "url": "https://x.example", "headers": {"X-KitchenAsty-Signature": "x"}}, "cannot be"),
        ({"type": "webhook", "url": "https://x.example", "headers": {"X-A": "a\r\nb"}}, "must be one line"),
    ],
)
def test_parse_actions_refuses_bad_actions_naming_the_field(action: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_actions([action], roots=ROOTS, event="order.statusChanged")
    assert message in caught.value.message


def test_parse_actions_needs_at_least_one_action() -> None:
    with pytest.raises(RuleError, match="at least one action"):
        parse_actions([])


def test_parse_recipients_reads_every_kind_of_token() -> None:
    tokens = parse_recipients(
        "customer, staff:manager, owner@example.com, {{order.guestEmail}}", "email", "to", roots=ROOTS, event="e"
    )
    assert [(t.kind, t.value) for t in tokens] == [
        ("customer", "customer"),
        ("staff", "MANAGER"),
        ("literal", "owner@example.com"),
        ("template", "{{order.guestEmail}}"),
    ]


def test_customer_contact_prefers_the_customer_then_the_guest() -> None:
    guest = {"order": {"customer": None, "guestEmail": "g@example.com", "guestPhone": "+1555"}}
    member = {"order": {"customer": {"email": "c@example.com", "phone": "+1666"}, "guestEmail": "g@example.com"}}
    registered = {"customer": {"id": "c1", "email": "new@example.com", "phone": None}}
    assert customer_contact(guest, "email") == "g@example.com"
    assert customer_contact(guest, "sms") == "+1555"
    assert customer_contact(member, "email") == "c@example.com"
    assert customer_contact(member, "sms") == "+1666"
    assert customer_contact(registered, "email") == "new@example.com"
    assert customer_contact(registered, "sms") is None
    assert customer_contact({"order": {"customer": None}}, "email") is None


@pytest.mark.parametrize(
    ("message", "detail"),
    [
        ("actions[0].to is required", {"key": "actions[0].to", "message": "is required"}),
        (
            "conditions[2].op: unknown operator 'like'",
            {"key": "conditions[2].op", "message": "unknown operator 'like'"},
        ),
        (
            "actions[1].headers.X-Api-Key must be one line",
            {"key": "actions[1].headers.X-Api-Key", "message": "must be one line"},
        ),
        ("conditions: at most 20 conditions", {"key": "conditions", "message": "at most 20 conditions"}),
        ("Something else went wrong", None),
    ],
)
def test_error_detail_names_the_field_of_a_rule_error(message: str, detail: dict[str, str] | None) -> None:
    assert error_detail(message) == detail
