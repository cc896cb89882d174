"""Money is integer minor units (cents) inside; the API speaks major units with at most two decimals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency

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


@dataclass(frozen=True, slots=True)
class MoneyFormat:
    """How amounts read for people: Babel's `format_currency` for the site's currency and locale (CLDR data, the
    same the pages' `Intl.NumberFormat` uses), so an e-mail, a page and an export say `$1,000.00` alike."""

    currency: str = "USD"
    locale: str = "en_US"

    def __call__(self, cents: int) -> str:
        return format_currency(Decimal(cents).scaleb(-2), self.currency, locale=self.locale)


def format_money(cents: int, currency: str = "USD", locale: str = "en_US") -> str:
    return MoneyFormat(currency, locale)(cents)


def percent_of(cents: int, basis_points: int) -> int:
    """`basis_points` hundredths of a percent of `cents`, rounded half up to the cent (integer arithmetic)."""
    numerator = cents * basis_points
    return (numerator + 5000) // 10000 if numerator >= 0 else -((-numerator + 5000) // 10000)


def to_basis_points(percent: Decimal | int | str, *, field: str = "percent") -> int:
    """A percentage with at most two decimals (8.875 is refused, 8.88 is fine) as basis points."""
    return to_cents(percent, field=field)


def from_basis_points(bp: int) -> float:
    return from_cents(bp)
