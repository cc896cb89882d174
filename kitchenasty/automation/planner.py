"""Events -> deliveries: the built-in order confirmation and every active rule whose conditions hold produce outbox
rows (one per action, `dedupe_key = f"{event_id}:{rule_id}:{index}"`), inside the transaction that marks the
events processed, so an event is turned into deliveries exactly once even across crashes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kitchenasty.automation.models import AutomationRule
from kitchenasty.automation.rules import (
    EMAIL_RE,
    PHONE_RE,
    RuleError,
    customer_contact,
    matches,
    parse_conditions,
    parse_recipients,
)
from kitchenasty.automation.templates import render, render_email_body
from kitchenasty.core import http_out
from kitchenasty.core.emails import render_email
from kitchenasty.core.fastsql import fast
from kitchenasty.core.logging import get_logger
from kitchenasty.core.outbox import message_row
from kitchenasty.core.schema import iso, new_id, table_of
from kitchenasty.settings.service import ResolvedSettings
from kitchenasty.staff.models import StaffUser

log = get_logger("kitchenasty.automation")

ORDER_CONFIRMATION = "builtin:order_confirmation"
RESERVATION_CONFIRMATION = "builtin:reservation_confirmation"
rules_t = table_of(AutomationRule)
staff_t = table_of(StaffUser)


def active_rules(session: Any, events: set[str]) -> list[Any]:
    """The active rules for these event names, oldest first."""
    stmt = (
        select(rules_t)
        .where(rules_t.c.event.in_(events), rules_t.c.is_active.is_(True))
        .order_by(rules_t.c.created_at, rules_t.c.id)
    )
    return list(fast(session).execute(stmt).all())


def builtin_interest(settings: ResolvedSettings) -> set[str]:
    """The events the built-in notifications act on with these settings: order.created while order
    confirmations are on, reservation.created while booking confirmations are on (both need mail)."""
    if not settings.get("mail.smtpHost"):
        return set()
    names = set()
    if settings.get("orders.sendConfirmationEmail"):
        names.add("order.created")
    if settings.get("reservations.sendConfirmationEmail"):
        names.add("reservation.created")
    return names


def _how(order: dict[str, Any]) -> tuple[str, str]:
    """What the guest should expect, said for the type of order (and what "done" is called for it)."""
    location = (order.get("location") or {}).get("name") or "the restaurant"
    kind = order.get("orderType")
    if kind == "DELIVERY":
        address = order.get("deliveryAddress") or {}
        where = ", ".join(p for p in (address.get("line1"), address.get("city")) if p)
        return f"We will deliver it to {where}." if where else "We will deliver it to you.", "on its way to you"
    if kind == "DINE_IN":
        table = order.get("tableName")
        return (
            f"We will bring it to {table}." if table else "We will bring it to your table.",
            "on its way to your table",
        )
    return f"Collect it at {location}; give the order number at the counter.", "ready to collect"


def _order_id(payload: Any) -> str | None:
    """The order an event is about (`order.id` of the order events' payload), which its deliveries are linked to."""
    order = payload.get("order") if isinstance(payload, dict) else None
    order_id = order.get("id") if isinstance(order, dict) else None
    return order_id if isinstance(order_id, str) and 0 < len(order_id) <= 32 else None


class Planner:
    """Turns one batch of events into outbox rows (inside the transaction that marks them processed)."""

    def __init__(self, session: Any, settings: ResolvedSettings, base_url: str = "") -> None:
        self.session = session
        self.settings = settings
        self.base_url = base_url.rstrip("/")
        self._staff: dict[tuple[str, str], list[str]] = {}

    def messages_for(self, event: Any, rules: Sequence[Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        builtin = {"order.created": self.order_confirmation, "reservation.created": self.reservation_confirmation}
        if event.name in builtin:
            confirmation = builtin[event.name](event)
            if confirmation is not None:
                out.append(confirmation)
        for rule in rules:
            try:
                if not matches(parse_conditions(rule.conditions), event.payload):
                    continue
                for index, action in enumerate(rule.actions):
                    out.extend(self.action_messages(event, rule, index, action))
            except (RuleError, KeyError, TypeError, ValueError) as exc:
                log.error("automation.rule_skipped", rule_id=rule.id, event_id=event.id, error=str(exc))
        order_id = _order_id(event.payload)
        if order_id is not None:
            for row in out:
                row["order_id"] = order_id
        return out

    def action_messages(self, event: Any, rule: Any, index: int, action: dict[str, Any]) -> list[dict[str, Any]]:
        payload = event.payload
        key = f"{event.id}:{rule.id}:{index}"
        kind = action["type"]
        common = {"source": "rule", "event_id": event.id, "rule_id": rule.id}
        if kind == "webhook":
            delivery_id = new_id()
            body = {
                "event": event.name,
                "eventId": event.id,
                "deliveryId": delivery_id,
                "occurredAt": iso(event.created_at),
                "data": payload,
            }
            return [
                message_row(
                    id=delivery_id,
                    channel="webhook",
                    dedupe_key=key,
                    recipient=action["url"],
                    subject=event.name,
                    body=json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str),
                    headers=action.get("headers") or None,
                    **common,
                )
            ]
        recipients = self.recipients(action["to"], kind, payload)
        if not recipients:
            log.info("automation.no_recipient", rule_id=rule.id, event_id=event.id, action=index, to=action["to"])
            return []
        if kind == "email":
            html, text = render_email_body(action.get("body") or "", payload)
            subject = " ".join(render(action["subject"], payload).split())[:500]
            return [
                message_row(
                    channel="email",
                    dedupe_key=key,
                    recipient=", ".join(recipients),
                    subject=subject,
                    body=html,
                    text_body=text,
                    **common,
                )
            ]
        text = render(action["body"], payload)[: http_out.SMS_MAX_CHARS]
        return [
            message_row(
                channel="sms",
                dedupe_key=key if len(recipients) == 1 else f"{key}:{n}",
                recipient=number,
                body=text,
                **common,
            )
            for n, number in enumerate(recipients)
        ]

    def recipients(self, to: str, channel: str, payload: Any) -> list[str]:
        found: list[str] = []
        for token in parse_recipients(to, channel, "to", roots=None, event=""):
            if token.kind == "customer":
                contact = customer_contact(payload, channel)
                found.extend([contact] if contact else [])
            elif token.kind == "staff":
                found.extend(self.staff(token.value, channel))
            elif token.kind == "template":
                value = render(token.value, payload).strip()
                pattern = EMAIL_RE if channel == "email" else PHONE_RE
                if pattern.fullmatch(value):
                    found.append(value)
                elif value:
                    log.info("automation.bad_recipient", channel=channel, template=token.value)
            else:
                found.append(token.value)
        unique: dict[str, str] = {}
        for address in found:
            unique.setdefault(address.lower(), address)
        return list(unique.values())

    def staff(self, role: str, channel: str) -> list[str]:
        key = (role, channel)
        if key not in self._staff:
            column = staff_t.c.email if channel == "email" else staff_t.c.phone
            stmt = (
                select(column)
                .where(staff_t.c.role == role, staff_t.c.is_active.is_(True), column.is_not(None), column != "")
                .order_by(staff_t.c.created_at, staff_t.c.id)
            )
            self._staff[key] = [value for value in fast(self.session).execute(stmt).scalars().all() if value]
        return self._staff[key]

    # ---------------------------------------------------------------- built-in notifications

    def order_confirmation(self, event: Any) -> dict[str, Any] | None:
        """On order.created, when enabled and mail is configured: what was ordered, how it reaches the guest, the
        total, and the link to follow it live (no later e-mail is promised: the tracking page is the news)."""
        if not self.settings.get("orders.sendConfirmationEmail") or not self.settings.get("mail.smtpHost"):
            return None
        order = event.payload.get("order") if isinstance(event.payload, dict) else None
        if not isinstance(order, dict):
            return None
        to = customer_contact(event.payload, "email")
        if not to or not EMAIL_RE.fullmatch(to):
            return None
        restaurant = str(self.settings.get("general.restaurantName") or "KitchenAsty")
        number = str(order.get("orderNumber") or "")
        name = (order.get("customer") or {}).get("name") or order.get("guestName") or order.get("customerName")
        lines = []
        for item in order.get("items") or []:
            options = ", ".join(
                f"{o.get('name')}: {o.get('value')}" for o in item.get("options") or [] if isinstance(o, dict)
            )
            label = f"{item.get('quantity', 1)} x {item.get('name', '')}" + (f" ({options})" if options else "")
            lines.append({"label": label, "amount": self.money(item.get("subtotal"))})
        totals = [
            (label, self.money(value))
            for label, value in (
                ("Subtotal", order.get("subtotal")),
                ("Discount", -(order.get("discount") or 0) if order.get("discount") else None),
                ("Delivery", order.get("deliveryFee") or None),
                ("Tax", order.get("tax") or None),
                ("Tip", order.get("tip") or None),
            )
            if value is not None
        ]
        how, ready_words = _how(order)
        track_url = (
            f"{self.base_url}/track/{order['id']}?t={order['trackingToken']}"
            if order.get("id") and order.get("trackingToken")
            else ""
        )
        mail = render_email(
            "order_confirmation",
            f"Your order {number} at {restaurant}",
            restaurant=restaurant,
            greeting=f"Hello {name}," if name else "Hello,",
            number=number,
            how=how,
            ready_words=ready_words,
            scheduled=order.get("scheduledAt") or "",
            lines=lines,
            totals=totals,
            total=self.money(order.get("total")),
            payment="You pay when you receive it (cash)." if order.get("paymentMethod") == "CASH" else "",
            track_url=track_url,
        )
        return message_row(
            channel="email",
            source=ORDER_CONFIRMATION,
            event_id=event.id,
            dedupe_key=f"{event.id}:{ORDER_CONFIRMATION}",
            recipient=to,
            subject=mail.subject,
            body=mail.html,
            text_body=mail.text,
        )

    def reservation_confirmation(self, event: Any) -> dict[str, Any] | None:
        """On reservation.created (not for walk-ins), when enabled and mail is configured: where, when, for how
        many, how long the table is held, and the manage link (see or cancel, until the cut-off)."""
        if not self.settings.get("reservations.sendConfirmationEmail") or not self.settings.get("mail.smtpHost"):
            return None
        booking = event.payload.get("reservation") if isinstance(event.payload, dict) else None
        if not isinstance(booking, dict) or booking.get("source") == "walk_in":
            return None
        to = customer_contact(event.payload, "email")
        if not to or not EMAIL_RE.fullmatch(to):
            return None
        restaurant = str(self.settings.get("general.restaurantName") or "KitchenAsty")
        location = (booking.get("location") or {}).get("name") or restaurant
        name = booking.get("customerName") or booking.get("guestName")
        try:
            day = date.fromisoformat(str(booking.get("date")))
            when = f"{day:%A} {day.day} {day:%B %Y} at {booking.get('time')}"
            zone = ZoneInfo(str(self.settings.get("general.timezone")))
            until = datetime.fromisoformat(str(booking.get("cancellableUntil")).replace("Z", "+00:00")).astimezone(zone)
        except (TypeError, ValueError):
            return None
        guests = int(booking.get("partySize") or 0)
        minutes = int(booking.get("durationMinutes") or 0)
        stay = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} minutes"
        confirmed = booking.get("status") == "CONFIRMED"
        lead = (
            f"Your table at {restaurant} is booked."
            if confirmed
            else f"Thank you for booking a table at {restaurant}. We will confirm it shortly."
        )
        manage = booking.get("manageUrl") or ""
        mail = render_email(
            "reservation_confirmation",
            f"Your table at {location}: {when}",
            restaurant=restaurant,
            greeting=f"Hello {name}," if name else "Hello,",
            lead=lead,
            location=location,
            when=when,
            guests=f"{guests} guest{'s' if guests != 1 else ''}",
            table=(booking.get("table") or {}).get("name") or "",
            comment=booking.get("comment") or "",
            stay=stay,
            manage_url=f"{self.base_url}{manage}" if manage else "",
            cancel_until=f"{until:%A} {until.day} {until:%B} at {until:%H:%M}",
        )
        return message_row(
            channel="email",
            source=RESERVATION_CONFIRMATION,
            event_id=event.id,
            dedupe_key=f"{event.id}:{RESERVATION_CONFIRMATION}",
            recipient=to,
            subject=mail.subject,
            body=mail.html,
            text_body=mail.text,
        )

    def money(self, value: Any) -> str:
        """An amount of the event payload (major units, as the API shows it), written for people."""
        try:
            cents = int((Decimal(str(value if value is not None else 0)) * 100).to_integral_value(ROUND_HALF_UP))
        except ArithmeticError:
            return str(value)
        return self.settings.money(cents)
