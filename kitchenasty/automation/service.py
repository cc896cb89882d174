"""Automation: rules (CRUD + validation), deliveries (the outbox as owners see it), the mail test, and the worker.

Rules are validated against the events the app records (`core.events.EVENT_TYPES`): an unknown event, an
unknown operator, a malformed template, a path that is not in the event's payload, a non-http(s) webhook URL or
a missing recipient/subject is refused with a 400 naming the field; so is a webhook URL the outbound guard
refuses (this box, its network, link-local or other non-public addresses; `core.outbound`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kitchenasty.automation import catalog
from kitchenasty.automation.models import AutomationRule
from kitchenasty.automation.planner import Planner, builtin_interest
from kitchenasty.automation.rules import EMAIL_RE, RuleError, error_detail, parse_actions, parse_conditions
from kitchenasty.automation.schemas import (
    ConditionOut,
    DeliveryOut,
    EventKindOut,
    MailTestOut,
    PreviewDeliveryOut,
    PreviewIn,
    PreviewOut,
    RuleIn,
    RuleOut,
    RuleUpdateIn,
)
from kitchenasty.automation.worker import OutboxWorker
from kitchenasty.core import audit, events, outbox
from kitchenasty.core.api import PageParams, provided
from kitchenasty.core.config import BootSettings
from kitchenasty.core.db import Database
from kitchenasty.core.emails import render_email
from kitchenasty.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from kitchenasty.core.events import EVENT_TYPES, DomainEvent
from kitchenasty.core.fastsql import FastConnection, HotUnit, fast
from kitchenasty.core.mail import MailTransport
from kitchenasty.core.outbound import TargetRefused
from kitchenasty.core.outbox import FAILED, PENDING, SENDING, SENT, OutboxMessage
from kitchenasty.core.schema import iso, new_id, utcnow
from kitchenasty.core.security import Principal
from kitchenasty.settings.service import SettingsService

MAIL_TEST_WAIT_SECONDS = 12.0
MAIL_TEST_SOURCE = "builtin:mail_test"


class DeliveryFailed(DomainError):
    """The mail server refused or could not be reached (rendered as 502 with its error)."""

    status_code = 502
    default_code = "MAIL_SEND_FAILED"


class DeliveryTimedOut(DomainError):
    status_code = 504
    default_code = "MAIL_TEST_TIMEOUT"


def event_roots(event: str) -> Collection[str] | None:
    """The top-level fields of an event's payload (`order`, `previousStatus`), for checking rule paths."""
    cls = EVENT_TYPES.get(event)
    fields = getattr(cls, "__struct_encode_fields__", None)
    return tuple(fields) if fields else None


def rule_out(rule: AutomationRule) -> RuleOut:
    return RuleOut(
        id=rule.id,
        name=rule.name,
        event=rule.event,
        conditions=[ConditionOut(path=c["path"], op=c["op"], value=c.get("value")) for c in rule.conditions or []],
        actions=list(rule.actions or []),
        is_active=rule.is_active,
        created_at=iso(rule.created_at) or "",
        updated_at=iso(rule.updated_at) or "",
    )


def delivery_out(message: OutboxMessage, default_max_attempts: int) -> DeliveryOut:
    waiting = message.status in (PENDING, SENDING)
    return DeliveryOut(
        id=message.id,
        channel=message.channel,
        source=message.source,
        event_id=message.event_id,
        rule_id=message.rule_id,
        recipient=message.recipient,
        subject=message.subject,
        status=message.status,
        attempts=message.attempts,
        max_attempts=message.max_attempts or default_max_attempts,
        next_attempt_at=iso(message.next_attempt_at) if waiting else None,
        last_error=message.last_error,
        last_response=message.last_response,
        sent_at=iso(message.sent_at),
        created_at=iso(message.created_at) or "",
        updated_at=iso(message.updated_at) or "",
    )


class EventInterest:
    """`EventBus.durable_interest`: whether any active rule or built-in notification acts on an event name.

    It answers "no" (the event is written already processed) only when it is sure: it knows the names, and the
    writer connection's `PRAGMA data_version` has not moved since they were read, i.e. no other connection or
    process (another server on the same database, the CLI) has committed anything meanwhile. Saving a rule or the
    mail/orders settings here forgets the names first. Whenever it is unsure it answers "yes" and the worker reads
    the names again. On databases without `data_version` it always answers "yes".
    """

    def __init__(self) -> None:
        self._names: frozenset[str] | None = None
        self._version: int | None = None

    def __call__(self, name: str, session: Any = None) -> bool:
        names = self._names
        if names is None or self._version is None:
            return True
        if session is not None:
            if not isinstance(session, Session | HotUnit):  # an AsyncSession: cannot check without awaiting
                return True
            conn = fast(session)
            if not isinstance(conn, FastConnection) or conn.data_version() != self._version:
                self._names = None
                return True
        return name in names

    def known(self, names: set[str], version: int | None) -> None:
        self._names = frozenset(names)
        self._version = version

    def forget(self) -> None:
        self._names = None

    @property
    def is_known(self) -> bool:
        return self._names is not None


class AutomationService:
    def __init__(self, db: Database, settings: SettingsService, boot: BootSettings) -> None:
        self.db = db
        self.settings = settings
        self.boot = boot
        self.mail = MailTransport(self._mail_settings)
        self.worker = OutboxWorker(db, settings, boot, self.mail)
        self.interest = EventInterest()
        self.worker.interest = self.interest
        self.worker.refresh_interest = self.refresh_interest

    async def _mail_settings(self) -> dict[str, Any]:
        # read fresh (one hop) so a change saved by another process (the CLI) applies to the next mail too
        return (await self.worker.resolved_settings()).group("mail")

    def on_settings_changed(self, event: DomainEvent) -> None:
        if getattr(event, "group", None) == "mail":
            self.mail.invalidate()
        if getattr(event, "group", None) in ("mail", "orders", "reservations"):
            self.interest.forget()  # the built-in confirmation may have been switched on or off

    async def start(self) -> None:
        self.db.bus.durable_interest = self.interest
        await self.refresh_interest()
        await self.worker.start()

    async def stop(self) -> None:
        await self.worker.stop()

    async def refresh_interest(self) -> None:
        """Which events something acts on: the events of active rules, and those of the built-in confirmations
        while they are on and mail is configured (`planner.builtin_interest`)."""
        version = self.db.writer_data_version()  # before reading: a commit after this point moves it
        names = await self.db.run_read(
            lambda s: set(s.scalars(select(AutomationRule.event).where(AutomationRule.is_active.is_(True))).all())
        )
        names |= builtin_interest(await self.worker.resolved_settings())
        self.interest.known(names, version)

    # ---------------------------------------------------------------- rules

    def _validated(
        self, *, event: str, conditions: Any, actions: Any
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        if event not in EVENT_TYPES:
            raise ValidationFailed(
                f"Event must be one of: {', '.join(sorted(EVENT_TYPES))}",
                code="UNKNOWN_EVENT",
                details=[{"key": "event", "message": f"must be one of: {', '.join(sorted(EVENT_TYPES))}"}],
            )
        roots = event_roots(event)
        try:
            parsed = parse_conditions(conditions, roots=roots, event=event)
            normalised = parse_actions(actions, roots=roots, event=event)
        except RuleError as exc:
            detail = error_detail(exc.message)
            raise ValidationFailed(exc.message, code="INVALID_RULE", details=[detail] if detail else None) from None
        return [c.to_json() for c in parsed], normalised

    async def _check_targets(self, actions: list[dict[str, Any]]) -> None:
        """Refuse a webhook URL that points where the server may not call (checked again at every send)."""
        for index, action in enumerate(actions):
            if action["type"] != "webhook":
                continue
            try:
                await self.worker.policy.check_url(action["url"])
            except ValueError:
                raise ValidationFailed(
                    f"actions[{index}].url {action['url']!r} is not a valid URL",
                    code="INVALID_RULE",
                    details=[{"key": f"actions[{index}].url", "message": "is not a valid URL"}],
                ) from None
            except TargetRefused as exc:
                hint = (
                    "A SUPER_ADMIN can allow private network targets (advanced.allowPrivateNetworkTargets)."
                    if exc.private
                    else "Webhooks may not call this server, link-local or other non-public addresses."
                )
                raise ValidationFailed(
                    f"actions[{index}].url is not allowed: {exc.detail}. {hint}",
                    code="TARGET_REFUSED",
                    details=[{"key": f"actions[{index}].url", "message": f"is not allowed: {exc.detail}. {hint}"}],
                ) from None

    async def list_rules(self, params: PageParams) -> tuple[list[RuleOut], int]:
        async with self.db.session() as session:
            total = await session.scalar(select(func.count()).select_from(AutomationRule)) or 0
            rows = await session.scalars(
                select(AutomationRule)
                .order_by(AutomationRule.created_at.desc(), AutomationRule.id)
                .limit(params.limit)
                .offset(params.offset)
            )
            return [rule_out(rule) for rule in rows.all()], total

    async def get_rule(self, rule_id: str) -> RuleOut:
        async with self.db.session() as session:
            rule = await session.get(AutomationRule, rule_id)
        if rule is None:
            raise NotFound("Automation rule not found", code="RULE_NOT_FOUND")
        return rule_out(rule)

    async def create_rule(self, data: RuleIn, actor: Principal | None = None) -> RuleOut:
        conditions, actions = self._validated(event=data.event, conditions=data.conditions, actions=data.actions)
        await self._check_targets(actions)
        self.interest.forget()  # before the rule is visible: no event may be written as "nothing acts on it"
        async with self.db.transaction() as session:
            rule = AutomationRule(
                name=data.name.strip(),
                event=data.event,
                conditions=conditions,
                actions=actions,
                is_active=data.is_active,
                created_by=actor.id if actor else None,
            )
            session.add(rule)
        return rule_out(rule)

    async def update_rule(self, rule_id: str, changes: RuleUpdateIn) -> RuleOut:
        fields = provided(changes)
        async with self.db.session() as session:
            current = await session.get(AutomationRule, rule_id)
        if current is None:
            raise NotFound("Automation rule not found", code="RULE_NOT_FOUND")
        conditions, actions = self._validated(
            event=fields.get("event", current.event),
            conditions=fields.get("conditions", current.conditions),
            actions=fields.get("actions", current.actions),
        )
        await self._check_targets(actions)  # outside the write transaction: it may wait for DNS
        self.interest.forget()
        async with self.db.transaction() as session:
            rule = await session.get(AutomationRule, rule_id)
            if rule is None:
                raise NotFound("Automation rule not found", code="RULE_NOT_FOUND")
            if "name" in fields:
                rule.name = fields["name"].strip()
            if "event" in fields:
                rule.event = fields["event"]
            if "is_active" in fields:
                rule.is_active = fields["is_active"]
            rule.conditions = conditions
            rule.actions = actions
            rule.updated_at = utcnow()
        return rule_out(rule)

    async def delete_rule(self, rule_id: str) -> None:
        self.interest.forget()
        async with self.db.transaction() as session:
            rule = await session.get(AutomationRule, rule_id)
            if rule is None:
                raise NotFound("Automation rule not found", code="RULE_NOT_FOUND")
            await session.delete(rule)

    # ---------------------------------------------------------------- the rule form's helpers

    def event_catalog(self) -> list[EventKindOut]:
        """Every event kind rules can react to, with its condition paths, the operators and the action kinds."""
        return [catalog.event_kind(name, cls) for name, cls in sorted(EVENT_TYPES.items())]

    async def preview(self, data: PreviewIn) -> PreviewOut:
        """Render one action against the last real event of its kind, exactly as the worker would plan it
        (`automation.planner`: recipients resolved, templates filled); nothing is sent or stored."""
        _, [action] = self._validated(event=data.event, conditions=None, actions=[data.action])
        resolved = await self.worker.resolved_settings()
        rule = SimpleNamespace(id="preview")

        def plan(session: Any) -> tuple[Any, list[dict[str, Any]]]:
            event = events.latest(session, data.event)
            if event is None:
                return None, []
            return event, Planner(session, resolved, self.boot.base_url).action_messages(event, rule, 0, action)

        event, rows = await self.db.run_read(plan)
        if event is None:
            return PreviewOut(
                event=data.event,
                event_id=None,
                occurred_at=None,
                deliveries=[],
                note=f"No {data.event} event has happened yet, so there is nothing to preview with; "
                "the preview uses the last real one.",
            )
        deliveries = [
            PreviewDeliveryOut(
                channel=row["channel"],
                to=row["recipient"],
                subject=row["subject"],
                html=row["body"] if row["channel"] == "email" else None,
                text=row["text_body"] if row["channel"] == "email" else row["body"],
            )
            for row in rows
        ]
        note = (
            None
            if deliveries
            else f"The last {data.event} event has no recipient for to = {action.get('to')!r}; nothing would be sent."
        )
        return PreviewOut(
            event=data.event,
            event_id=event.id,
            occurred_at=iso(event.created_at),
            deliveries=deliveries,
            note=note,
        )

    # ---------------------------------------------------------------- deliveries

    async def list_deliveries(
        self, params: PageParams, *, status: str | None = None, channel: str | None = None
    ) -> tuple[list[DeliveryOut], int]:
        conditions = []
        if status:
            conditions.append(OutboxMessage.status == status)
        if channel:
            conditions.append(OutboxMessage.channel == channel)
        async with self.db.session() as session:
            total = await session.scalar(select(func.count()).select_from(OutboxMessage).where(*conditions)) or 0
            rows = await session.scalars(
                select(OutboxMessage)
                .where(*conditions)
                .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id)
                .limit(params.limit)
                .offset(params.offset)
            )
            default = self.boot.outbox_max_attempts
            return [delivery_out(message, default) for message in rows.all()], total

    async def get_delivery(self, delivery_id: str) -> DeliveryOut:
        async with self.db.session() as session:
            message = await session.get(OutboxMessage, delivery_id)
        if message is None:
            raise NotFound("Delivery not found", code="DELIVERY_NOT_FOUND")
        return delivery_out(message, self.boot.outbox_max_attempts)

    async def retry_delivery(self, delivery_id: str) -> DeliveryOut:
        """Send a FAILED (or waiting) delivery again now; a FAILED one gets a fresh set of attempts.

        A SENT delivery is never sent again (409), nor one that is being sent right now (409).
        """

        def retry(session: Any) -> None:
            now = utcnow()
            message = outbox.get(session, delivery_id)
            if message is None:
                raise NotFound("Delivery not found", code="DELIVERY_NOT_FOUND")
            if message.status == SENT:
                raise Conflict("This delivery was already sent; it is never sent twice", code="ALREADY_SENT")
            if message.status == SENDING and message.lease_until is not None and message.lease_until > now:
                raise Conflict("This delivery is being sent right now", code="DELIVERY_IN_PROGRESS")
            outbox.send_again(session, delivery_id, now, fresh_attempts=message.status == FAILED)
            audit.record(
                session,
                action="retry",
                entity="delivery",
                entity_id=delivery_id,
                changes={"status": [message.status, PENDING]},
            )

        await self.db.run_write(retry)
        return await self.get_delivery(delivery_id)

    async def mark_failures_seen(self) -> int:
        """The failed deliveries have been looked at; returns how many were newly marked."""

        def seen(session: Any) -> int:
            count = outbox.mark_failures_seen(session, utcnow())
            if count:
                audit.record(session, action="seen", entity="delivery", entity_id=None, changes={"count": count})
            return count

        return await self.db.run_write(seen)

    async def retry_failed(self) -> int:
        """Every FAILED delivery back to PENDING with a fresh set of attempts; returns how many."""

        def retry_all(session: Any) -> int:
            count = outbox.send_failed_again(session, utcnow())
            if count:
                audit.record(session, action="retry", entity="delivery", entity_id=None, changes={"count": count})
            return count

        return await self.db.run_write(retry_all)

    # ---------------------------------------------------------------- mail test

    async def send_test_mail(self, to: str | None) -> MailTestOut:
        """Queue a test e-mail through the outbox (one attempt), wait for the outcome and report it."""
        to = (to or "").strip()
        if not to:
            raise ValidationFailed("Recipient email (to) is required", code="RECIPIENT_REQUIRED")
        if not EMAIL_RE.fullmatch(to):
            raise ValidationFailed(f"'{to}' is not an e-mail address", code="INVALID_RECIPIENT")
        config = await self.mail.config()
        if config is None:
            raise ValidationFailed(
                "mail is not configured: set the SMTP host in the mail settings", code="MAIL_NOT_CONFIGURED"
            )
        restaurant = (await self.settings.resolved()).get("general.restaurantName")
        delivery_id = new_id()
        mail = render_email(
            "mail_test",
            f"{restaurant} — Test Email",
            restaurant=restaurant,
            host=config.host,
            port=config.port,
            encryption=config.encryption,
        )
        row = outbox.message_row(
            id=delivery_id,
            channel="email",
            source=MAIL_TEST_SOURCE,
            recipient=to,
            subject=mail.subject,
            body=mail.html,
            text_body=mail.text,
            max_attempts=1,
        )

        def queue(session: Any) -> None:
            outbox.insert_messages(session, [row])
            audit.record(session, action="create", entity="delivery", entity_id=delivery_id, changes={"to": [None, to]})

        await self.db.run_write(queue)
        message = await self._wait_settled(delivery_id, MAIL_TEST_WAIT_SECONDS)
        if message.status == SENT:
            answer = message.last_response
            return MailTestOut(
                message=f"Test email sent successfully; the server answered {answer}"
                if answer
                else "Test email sent successfully",
                to=to,
                delivery_id=delivery_id,
                status=message.status,
                attempts=message.attempts,
                server_answer=answer,
            )
        if message.status == FAILED:
            raise DeliveryFailed(f"Test email failed: {message.last_error}", details=[{"deliveryId": delivery_id}])
        raise DeliveryTimedOut(
            f"No outcome within {MAIL_TEST_WAIT_SECONDS:g} s; the test e-mail is delivery {delivery_id}",
            details=[{"deliveryId": delivery_id}],
        )

    async def _wait_settled(self, delivery_id: str, seconds: float) -> OutboxMessage:
        deadline = time.monotonic() + seconds
        while True:
            async with self.db.session() as session:
                message = await session.get(OutboxMessage, delivery_id)
            assert message is not None
            if message.status in (SENT, FAILED) or time.monotonic() >= deadline:
                return message
            await asyncio.sleep(0.05)
