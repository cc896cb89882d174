"""API shapes of automation rules, deliveries (outbox rows) and the mail test."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
EventName = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
# conditions and actions are validated by automation.rules, which names the offending field in its message
Conditions = list[Any] | dict[str, Any] | None
Actions = Annotated[list[Any], msgspec.Meta(max_length=50)]


class RuleIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    name: Name
    event: EventName
    actions: Actions
    conditions: Conditions = None
    is_active: bool = True


class RuleUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel", omit_defaults=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    event: EventName | msgspec.UnsetType = msgspec.UNSET
    actions: Actions | msgspec.UnsetType = msgspec.UNSET
    conditions: Conditions | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class ConditionOut(msgspec.Struct, kw_only=True):
    path: str
    op: str
    value: Any


class RuleOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    event: str
    conditions: list[ConditionOut]
    actions: list[dict[str, Any]]
    is_active: bool
    created_at: str
    updated_at: str


class DeliveryOut(msgspec.Struct, kw_only=True, rename="camel"):
    """One outbox row: an e-mail, SMS or webhook and how its delivery went."""

    id: str
    channel: str
    source: str
    event_id: str | None
    rule_id: str | None
    recipient: str
    subject: str | None
    status: str
    attempts: int
    max_attempts: int
    next_attempt_at: str | None
    last_error: str | None
    last_response: str | None
    """What the receiver answered when it took the delivery (`250 2.0.0 Ok: queued as …`, `HTTP 200`)."""
    sent_at: str | None
    created_at: str
    updated_at: str


class MailTestIn(msgspec.Struct, kw_only=True, rename="camel"):
    to: Annotated[str, msgspec.Meta(max_length=254)] | None = None


class MailTestOut(msgspec.Struct, kw_only=True, rename="camel"):
    message: str
    to: str
    delivery_id: str
    status: str
    attempts: int
    server_answer: str | None
    """The SMTP server's answer to the message (code and text, e.g. `250 2.0.0 Ok: queued as 4Xk2`)."""


class CountOut(msgspec.Struct, kw_only=True):
    count: int
    """How many deliveries the action concerned."""


# ---------------------------------------------------------------- the rule form's helpers


class PathOut(msgspec.Struct, kw_only=True):
    """A dot path into an event's payload that conditions and templates can use."""

    path: str
    type: str
    """string, number, boolean, list, object or any."""
    nullable: bool
    choices: list[Any] | None
    """The fixed set of values (an order's status, its type), or null."""
    operators: list[str]
    """The operators that can hold for a value of this type."""


class OperatorOut(msgspec.Struct, kw_only=True):
    op: str
    label: str
    value: str
    """What the condition's value must be."""


class ActionFieldOut(msgspec.Struct, kw_only=True, rename="camel"):
    name: str
    required: bool
    template: bool
    """Takes `{{dot.path}}` placeholders (rendered per event)."""
    max_length: int | None
    help: str


class ActionKindOut(msgspec.Struct, kw_only=True):
    type: str
    fields: list[ActionFieldOut]


class EventKindOut(msgspec.Struct, kw_only=True):
    event: str
    description: str | None
    paths: list[PathOut]
    operators: list[OperatorOut]
    actions: list[ActionKindOut]
    recipients: list[str]
    """The `to` tokens besides literal addresses and templates."""


class PreviewIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    event: EventName
    action: dict[str, Any]
    """One action as a rule holds it: {type: email, to, subject, body} | {type: sms, to, body} |
    {type: webhook, url, headers?}."""


class PreviewDeliveryOut(msgspec.Struct, kw_only=True):
    """What the action would send for that event (nothing is sent or stored)."""

    channel: str
    to: str
    """E-mail addresses (comma-separated), a phone number, or the webhook URL."""
    subject: str | None
    """The e-mail subject (webhook: the event name)."""
    html: str | None
    """E-mail: the HTML body."""
    text: str | None
    """E-mail: the text body; SMS: the message; webhook: the JSON body."""


class PreviewOut(msgspec.Struct, kw_only=True, rename="camel"):
    event: str
    event_id: str | None
    """The event rendered against: the last one of this kind recorded (null when none yet)."""
    occurred_at: str | None
    deliveries: list[PreviewDeliveryOut]
    note: str | None
    """A sentence when there is nothing to show (no such event yet, or no recipient for it)."""
