"""The payments domain's pure rules: amounts in the provider's minor units, an order's payment state from its
payments, what may still be refunded, cash change, and Stripe's webhook signature. No I/O."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kitchenasty.core.errors import ValidationFailed

PROVIDERS = ("STRIPE", "PAYPAL", "CASH", "CARD_ON_SITE")
ON_SITE = ("CASH", "CARD_ON_SITE")
CAPTURED = ("SUCCEEDED", "PARTIALLY_REFUNDED", "REFUNDED")
"""Payment states in which the money was taken (and part or all of it maybe given back)."""

ZERO_DECIMAL = frozenset(
    ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]
)
"""Currencies without minor units at Stripe (and PayPal): an amount is sent in whole units."""

SIGNATURE_TOLERANCE_SECONDS = 300


def provider_amount(cents: int, currency: str) -> int:
    """What the provider is asked for, in its minor units: cents as they are, or whole units for a zero-decimal
    currency (an amount with cents in such a currency cannot be charged: refused)."""
    if currency.upper() not in ZERO_DECIMAL:
        return cents
    if cents % 100:
        raise ValidationFailed(
            f"{currency.upper()} has no minor units, so {cents / 100:.2f} cannot be charged; round the prices",
            code="AMOUNT_NOT_CHARGEABLE",
        )
    return cents // 100


def from_provider_amount(amount: int, currency: str) -> int:
    """A provider's minor-unit amount back in our cents."""
    return amount * 100 if currency.upper() in ZERO_DECIMAL else amount


def decimal_amount(cents: int, currency: str) -> str:
    """PayPal's `value`: "12.34" (or "1234" for a zero-decimal currency), exact."""
    if currency.upper() in ZERO_DECIMAL:
        return str(provider_amount(cents, currency))
    return str(Decimal(cents).scaleb(-2).quantize(Decimal("0.01")))


def cents_of_decimal(value: str, currency: str) -> int | None:
    """Our cents from a provider's decimal string ("12.34"); None when it is not a plain amount."""
    try:
        amount = Decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        return None
    if not amount.is_finite():
        return None
    scaled = amount if currency.upper() in ZERO_DECIMAL else amount.scaleb(2)
    if scaled != scaled.to_integral_value():
        return None
    return from_provider_amount(int(scaled), currency)


@dataclass(frozen=True)
class PaymentFacts:
    status: str
    amount_cents: int
    refunded_cents: int


def order_payment_status(payments: Iterable[PaymentFacts]) -> str:
    """An order's `paymentStatus` from its payments: PAID while money taken is kept, REFUNDED when all of it went
    back, PARTIALLY_REFUNDED in between, PENDING while an attempt is open, else UNPAID."""
    taken = kept = 0
    pending = False
    for p in payments:
        if p.status in CAPTURED:
            taken += p.amount_cents
            kept += p.amount_cents - p.refunded_cents
        elif p.status == "PENDING":
            pending = True
    if taken:
        if kept == taken:
            return "PAID"
        return "REFUNDED" if kept <= 0 else "PARTIALLY_REFUNDED"
    return "PENDING" if pending else "UNPAID"


def refund_amount(requested: int | None, *, amount: int, refunded: int, status: str) -> int:
    """The refund to make: `requested` cents (all that is left when None); never more than captured minus refunded."""
    left = amount - refunded
    if status == "REFUNDED" or (status in CAPTURED and left <= 0):
        raise ValidationFailed("This payment has already been refunded in full", code="ALREADY_REFUNDED")
    if status not in ("SUCCEEDED", "PARTIALLY_REFUNDED"):
        raise ValidationFailed("Only a completed payment can be refunded", code="PAYMENT_NOT_REFUNDABLE")
    cents = left if requested is None else requested
    if cents <= 0:
        raise ValidationFailed(
            "The refund amount must be more than zero",
            code="INVALID_AMOUNT",
            details=[{"key": "amount", "message": "must be more than zero"}],
        )
    if cents > left:
        message = f"At most {left / 100:.2f} can still be refunded on this payment"
        raise ValidationFailed(message, code="REFUND_TOO_LARGE", details=[{"key": "amount", "message": message}])
    return cents


def cash_change(total: int, received: int | None) -> tuple[int, int]:
    """(received, change) for a cash payment of `total`; the amount received defaults to the total."""
    got = total if received is None else received
    if got < total:
        message = f"The amount received is less than the total of {total / 100:.2f}"
        raise ValidationFailed(
            message, code="NOT_ENOUGH_RECEIVED", details=[{"key": "amountReceived", "message": message}]
        )
    return got, got - total


# ---------------------------------------------------------------- Stripe's webhook signature


def stripe_signature(secret: str, timestamp: int, payload: bytes) -> str:
    """The `Stripe-Signature` header value for `payload` signed at `timestamp` (what Stripe and the test double send)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def stripe_signature_problem(secret: str, header: str, payload: bytes, now: int) -> str | None:
    """None when `header` (t=..., v1=...) signs `payload` with `secret` within the tolerance; else why not, as a
    sentence (Stripe's scheme: HMAC-SHA256 of "t.payload", any of several v1 values may match)."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                return "The signature's timestamp is not a number."
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        return "No valid Stripe-Signature header (it needs t= and v1=)."
    if abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return "The signature's timestamp is outside the tolerance of five minutes."
    expected = stripe_signature(secret, timestamp, payload).rsplit("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        return "The signature does not match the payload."
    return None
