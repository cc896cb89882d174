"""Stripe's webhook (`POST /api/payments/webhook`): verified, then handled once per event id.

The `Stripe-Signature` header must sign the raw body with the webhook secret of the payment settings (DB → TOML →
env) within five minutes, else 400 and nothing changes. Each event is recorded in `payment_events` in the same
transaction as what it changed, so a replay is recognised and changes nothing. A callback changes only the payment
our own row names, and only when its metadata names the same order and its amount and currency are the payment's
(which is the order's total): otherwise the payment is flagged and the order stays unpaid.

Handled: `checkout.session.completed` (paid), `payment_intent.succeeded`, `payment_intent.payment_failed`,
`charge.refunded` (a refund made in Stripe's dashboard is recorded as one). Others are acknowledged and ignored.
"""

from __future__ import annotations

import json
import time
from typing import Any

from kitchenasty.core import audit
from kitchenasty.core.audit import AuditActor
from kitchenasty.core.errors import ValidationFailed
from kitchenasty.core.logging import get_logger
from kitchenasty.core.schema import new_id, utcnow
from kitchenasty.payments import checks, ledger, queries
from kitchenasty.payments.service import PayConfig, PaymentService, mismatch

log = get_logger("kitchenasty.payments.webhook")
WEBHOOK_ACTOR = AuditActor(id=None, email="Stripe webhook", role=None, via="POST /api/payments/webhook")
"""Who the audit log names for a refused callback (no one is signed in)."""


async def handle_stripe(service: PaymentService, payload: bytes, signature: str | None) -> str:
    """Verify and apply one Stripe event; returns what happened (for the log)."""
    cfg = await service.config()
    if not cfg.webhook_secret:
        raise ValidationFailed("Webhook secret not configured", code="WEBHOOK_NOT_CONFIGURED")
    problem = checks.stripe_signature_problem(cfg.webhook_secret, signature or "", payload, int(time.time()))
    if problem is not None:
        raise ValidationFailed(f"Webhook error: {problem}", code="BAD_SIGNATURE")
    try:
        event = json.loads(payload)
    except ValueError:
        event = None
    obj = (
        event.get("data", {}).get("object") if isinstance(event, dict) and isinstance(event.get("data"), dict) else None
    )
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not isinstance(obj, dict):
        raise ValidationFailed("Webhook error: the body is not a Stripe event.", code="BAD_EVENT")
    kind = str(event.get("type") or "")
    outcome = await service.db.run_write(lambda session: _apply(service, cfg, session, event["id"], kind, obj))
    log.info("payment.webhook", provider="STRIPE", event_id=event["id"], kind=kind, outcome=outcome)
    return outcome


def _apply(service: PaymentService, cfg: PayConfig, session: Any, event_id: str, kind: str, obj: dict) -> str:
    if queries.event_seen(session, "STRIPE", event_id):
        return "already handled"
    handler = HANDLERS.get(kind)
    outcome, payment_id = handler(service, cfg, session, obj) if handler else ("ignored", None)
    queries.insert_event(
        session,
        {
            "id": new_id(),
            "provider": "STRIPE",
            "event_id": event_id,
            "kind": kind[:64],
            "outcome": outcome[:300],
            "payment_id": payment_id,
            "created_at": utcnow(),
        },
    )
    return outcome


def _metadata(obj: dict) -> dict[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


def _succeed(
    service: PaymentService, cfg: PayConfig, session: Any, row: Any, obj: dict, amount: Any, intent: Any
) -> tuple[str, str | None]:
    now = utcnow()
    if row.status in checks.CAPTURED:
        if intent and not row.intent_ref:
            queries.save_payment(session, row, now, intent_ref=intent)
        return "already recorded", row.id
    meta = _metadata(obj)
    currency = obj.get("currency") if isinstance(obj.get("currency"), str) else None
    cents = checks.from_provider_amount(amount, currency or "") if isinstance(amount, int) else None
    problem = None
    if meta.get("orderId") != row.order_id or meta.get("paymentId", row.id) != row.id:
        problem = "The callback names another order than our payment does."
    else:
        problem = mismatch(row, queries.order_facts(session, row.order_id), cents, currency)
    if problem is not None:
        with audit.acting_as(WEBHOOK_ACTOR):
            changes = {"flag": [row.flag, problem]}
            audit.record(session, action="update", entity="payment", entity_id=row.id, changes=changes)
        ledger.flag(session, row, now, problem, source="stripe")
        return f"refused: {problem}", row.id
    facts = queries.order_facts(session, row.order_id)
    flag = row.flag
    if facts.payment_status in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED"):
        flag = "The order was already paid by another payment: refund one of them."
        log.warning("payment.paid_twice", payment_id=row.id, order_id=row.order_id)
    intent_ref = intent if isinstance(intent, str) else row.intent_ref
    queries.save_payment(session, row, now, status="SUCCEEDED", paid_at=now, intent_ref=intent_ref, flag=flag)
    ledger.succeeded(session, cfg.ctx, row.id, now, confirm=facts.status == "PENDING")
    return "paid", row.id


def _session_completed(service: PaymentService, cfg: PayConfig, session: Any, obj: dict) -> tuple[str, str | None]:
    if obj.get("payment_status") != "paid":
        return "not paid yet", None
    row = queries.payment_by_ref(session, "STRIPE", str(obj.get("id")))
    if row is None:
        log.warning("payment.unmatched", provider="STRIPE", ref=obj.get("id"))
        return "no matching payment", None
    return _succeed(service, cfg, session, row, obj, obj.get("amount_total"), obj.get("payment_intent"))


def _intent_row(session: Any, obj: dict) -> Any:
    row = queries.payment_by_ref(session, "STRIPE", str(obj.get("id")))
    if row is None:
        # An intent behind a Checkout Session can arrive before the session's own event: our payment id is in the
        # metadata Stripe copied onto it; the row must be a Stripe payment of the same order.
        claimed = _metadata(obj).get("paymentId")
        found = queries.payment(session, claimed) if isinstance(claimed, str) else None
        if found is not None and found.provider == "STRIPE" and found.order_id == _metadata(obj).get("orderId"):
            row = found
    return row


def _intent_succeeded(service: PaymentService, cfg: PayConfig, session: Any, obj: dict) -> tuple[str, str | None]:
    row = _intent_row(session, obj)
    if row is None:
        log.warning("payment.unmatched", provider="STRIPE", ref=obj.get("id"))
        return "no matching payment", None
    return _succeed(service, cfg, session, row, obj, obj.get("amount_received"), obj.get("id"))


def _intent_failed(service: PaymentService, cfg: PayConfig, session: Any, obj: dict) -> tuple[str, str | None]:
    row = _intent_row(session, obj)
    if row is None:
        return "no matching payment", None
    if row.status != "PENDING":
        return f"payment already {row.status}", row.id
    now = utcnow()
    queries.save_payment(session, row, now, status="FAILED")
    ledger.failed(session, row.id, now, "The card payment failed")
    return "failed", row.id


def _charge_refunded(service: PaymentService, cfg: PayConfig, session: Any, obj: dict) -> tuple[str, str | None]:
    intent = obj.get("payment_intent")
    row = queries.payment_by_ref(session, "STRIPE", intent) if isinstance(intent, str) else None
    if row is None:
        return "no matching payment", None
    refunded = obj.get("amount_refunded")
    currency = str(obj.get("currency") or row.currency)
    if not isinstance(refunded, int) or row.status not in checks.CAPTURED:
        return "nothing to record", row.id
    cents = min(checks.from_provider_amount(refunded, currency), row.amount_cents)
    extra = cents - row.refunded_cents  # refunds made here were counted when they were asked for
    if extra <= 0:
        return "already recorded", row.id
    now = utcnow()
    reason = "Refunded in the Stripe dashboard"
    refund = {"id": new_id(), "payment_id": row.id, "amount_cents": extra, "status": "SUCCEEDED", "reason": reason}
    queries.insert_refund(session, {**refund, "provider_ref": obj.get("id"), "actor_id": None, "created_at": now})
    queries.save_payment(session, row, now, refunded_cents=cents)
    ledger.refunded(session, row.id, now, extra, reason)
    return "refund recorded", row.id


HANDLERS = {
    "checkout.session.completed": _session_completed,
    "payment_intent.succeeded": _intent_succeeded,
    "payment_intent.payment_failed": _intent_failed,
    "charge.refunded": _charge_refunded,
}
