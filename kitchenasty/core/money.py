"""Money is integer minor units (cents) inside; the API speaks major units with at most two decimals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kitchenasty.core.errors import ValidationFailed

CENT = Decimal("0.01")


def to_cents(amount: Decimal | int | str, *, field: str = "amount") -> int:
    """Convert a major-unit amount to cents exactly; more than two decimals is a client error."""
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except InvalidOperation:
        raise ValidationFailed(f"{field} must be a number", code="INVALID_AMOUNT") from None
    if not value.is_finite():
        raise ValidationFailed(f"{field} must be a number", code="INVALID_AMOUNT")
    try:
        cents = value * 100
    except ArithmeticError:  # an exponent beyond the decimal context (1e999999999): not an amount anyone means
        raise ValidationFailed(f"{field} is too large", code="INVALID_AMOUNT") from None
    if cents != cents.to_integral_value():
        raise ValidationFailed(f"{field} must have at most 2 decimals", code="INVALID_AMOUNT")
    return int(cents)


def from_cents(cents: int) -> float:
    """Major units for JSON output. The float is the shortest repr of the exact decimal (1299 -> 12.99)."""
    return float(Decimal(cents).scaleb(-2))


def format_money(cents: int, symbol: str = "$", *, symbol_after: bool = False) -> str:
    text = f"{Decimal(cents).scaleb(-2):.2f}"
    return f"{text} {symbol}" if symbol_after else f"{symbol}{text}"


def percent_of(cents: int, basis_points: int) -> int:
    """`basis_points` hundredths of a percent of `cents`, rounded half up to the cent (integer arithmetic)."""
    numerator = cents * basis_points
    return (numerator + 5000) // 10000 if numerator >= 0 else -((-numerator + 5000) // 10000)


def to_basis_points(percent: Decimal | int | str, *, field: str = "percent") -> int:
    """A percentage with at most two decimals (8.875 is refused, 8.88 is fine) as basis points."""
    return to_cents(percent, field=field)


def from_basis_points(bp: int) -> float:
    return from_cents(bp)
