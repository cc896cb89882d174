"""Order totals as pure integer-cent arithmetic (no DB, no floats).

subtotal = sum of (unit price + chosen option modifiers) x quantity
discount = the coupon's discount, never more than the subtotal
delivery = the flat delivery fee for DELIVERY orders (0 otherwise; a free-delivery coupon zeroes it)
tax      = tax rate (basis points) x (subtotal - discount), half up to the cent
tip      = what the guest adds (only when tipping is enabled)
total    = subtotal - discount + delivery + tax + tip
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.core.money import percent_of


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: int
    discount: int
    delivery_fee: int
    tax: int
    tip: int
    total: int


def unit_price(base_cents: int, modifiers: Iterable[int] = ()) -> int:
    """The price of one unit with its chosen options; a discounting option never makes it negative."""
    return max(0, base_cents + sum(modifiers))


def line_subtotal(unit_price_cents: int, quantity: int) -> int:
    if quantity < 0:
        raise ValueError("quantity must not be negative")
    return unit_price_cents * quantity


def delivery_fee(order_type: str, fee_cents: int, *, free_delivery: bool = False) -> int:
    if order_type != "DELIVERY" or free_delivery:
        return 0
    return max(0, fee_cents)


def check_tip(tip_cents: int, *, tipping_enabled: bool) -> int:
    """The tip to charge; a tip when tipping is off is refused (0 is always fine)."""
    if tip_cents < 0:
        raise ValidationFailed("The tip cannot be negative", code="INVALID_TIP")
    if tip_cents and not tipping_enabled:
        raise ValidationFailed("Tips are not accepted online; please leave the tip out", code="TIPPING_DISABLED")
    return tip_cents


def compute_totals(
    line_subtotals: Iterable[int],
    *,
    order_type: str,
    delivery_fee_cents: int = 0,
    discount_cents: int = 0,
    free_delivery: bool = False,
    tax_rate_bp: int = 0,
    tip_cents: int = 0,
) -> Totals:
    """All components of an order's total. Inputs are non-negative cents (and basis points)."""
    lines = list(line_subtotals)
    if any(x < 0 for x in lines) or min(delivery_fee_cents, discount_cents, tax_rate_bp, tip_cents) < 0:
        raise ValueError("amounts must not be negative")
    subtotal = sum(lines)
    discount = min(discount_cents, subtotal)
    delivery = delivery_fee(order_type, delivery_fee_cents, free_delivery=free_delivery)
    tax = percent_of(subtotal - discount, tax_rate_bp)
    total = subtotal - discount + delivery + tax + tip_cents
    return Totals(subtotal=subtotal, discount=discount, delivery_fee=delivery, tax=tax, tip=tip_cents, total=total)
