"""One function per response shape of the payments domain."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, cast

from kitchenasty.core.money import from_cents
from kitchenasty.core.schema import iso
from kitchenasty.payments.schemas import ByOut, PaymentOut, PaymentStatus, Provider, RefundOut, RefundStatus


def _by(actor_id: str | None, name: str | None, staff_view: bool) -> ByOut | None:
    if not staff_view or not actor_id:
        return None
    return ByOut(id=actor_id, name=name or "Former staff member")


def refund_out(row: Any, staff_view: bool) -> RefundOut:
    return RefundOut(
        id=row.id,
        amount=from_cents(row.amount_cents),
        status=cast(RefundStatus, row.status),
        reason=row.reason if staff_view else None,
        by=_by(row.actor_id, getattr(row, "actor_name", None), staff_view),
        created_at=iso(row.created_at) or "",
    )


def payment_out(row: Any, refunds: Iterable[Any] = (), *, staff_view: bool = True) -> PaymentOut:
    """From a `payments` row (with `actor_name` when read through `queries`); guests see no names, flags or reasons."""
    cents = lambda value: None if value is None else from_cents(value)  # noqa: E731
    return PaymentOut(
        id=row.id,
        order_id=row.order_id,
        provider=cast(Provider, row.provider),
        provider_ref=row.provider_ref if staff_view else None,
        status=cast(PaymentStatus, row.status),
        amount=from_cents(row.amount_cents),
        refunded=from_cents(row.refunded_cents),
        currency=row.currency,
        received=cents(row.received_cents),
        change=cents(row.change_cents),
        by=_by(row.actor_id if row.actor_type == "staff" else None, getattr(row, "actor_name", None), staff_view),
        paid_at=iso(row.paid_at),
        flag=row.flag if staff_view else None,
        refunds=[refund_out(r, staff_view) for r in refunds],
        created_at=iso(row.created_at) or "",
        updated_at=iso(row.updated_at) or "",
    )


def payments_out(rows: Sequence[Any], refunds: Iterable[Any], *, staff_view: bool) -> list[PaymentOut]:
    by_payment: dict[str, list[Any]] = defaultdict(list)
    for refund in refunds:
        by_payment[refund.payment_id].append(refund)
    return [payment_out(row, by_payment.get(row.id, []), staff_view=staff_view) for row in rows]
