"""Coupon rules: every refusal with the reference's message, the discount of each type, and properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.core.money import MoneyFormat
from kitchenasty.coupons.rules import CouponTerms, check, effect, evaluate

NOW = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)
TEN_PERCENT = CouponTerms(code="WELCOME10", type="PERCENTAGE", value_units=1000, min_order_cents=2000)


def refusal(terms: CouponTerms, **kwargs: object) -> tuple[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        check(terms, **{"subtotal_cents": 5000, "now": NOW, **kwargs})  # type: ignore[arg-type]
    return refused.value.message, refused.value.code


@pytest.mark.parametrize(
    ("change", "message", "code"),
    [
        ({"is_active": False}, "Coupon is not active", "COUPON_INACTIVE"),
        ({"starts_at": NOW + timedelta(minutes=1)}, "Coupon is not yet valid", "COUPON_NOT_YET_VALID"),
        ({"expires_at": NOW - timedelta(seconds=1)}, "Coupon has expired", "COUPON_EXPIRED"),
        ({"usage_limit": 3, "usage_count": 3}, "Coupon usage limit reached", "COUPON_EXHAUSTED"),
        ({"min_order_cents": 5001}, "Minimum order amount is $50.01", "COUPON_MIN_ORDER"),
    ],
)
def test_check_refuses_with_the_reference_message(change: dict, message: str, code: str) -> None:
    assert refusal(replace(TEN_PERCENT, **change)) == (message, code)


def test_check_refuses_in_the_reference_order() -> None:
    everything_wrong = replace(
        TEN_PERCENT, is_active=False, expires_at=NOW - timedelta(days=1), usage_limit=1, usage_count=1
    )
    assert refusal(everything_wrong)[1] == "COUPON_INACTIVE"
    assert refusal(replace(everything_wrong, is_active=True))[1] == "COUPON_EXPIRED"


def test_check_per_customer_limit() -> None:
    once = replace(TEN_PERCENT, per_customer=1)
    assert refusal(once, customer_uses=1) == ("You have already used this coupon", "COUPON_CUSTOMER_LIMIT")
    check(once, subtotal_cents=5000, now=NOW, customer_uses=0)
    check(once, subtotal_cents=5000, now=NOW, customer_uses=None)  # unknown caller: not checked
    thrice = replace(TEN_PERCENT, per_customer=3)
    assert refusal(thrice, customer_uses=3)[1] == "COUPON_CUSTOMER_LIMIT"
    check(thrice, subtotal_cents=5000, now=NOW, customer_uses=2)


def test_check_accepts_the_edges_of_the_window() -> None:
    check(replace(TEN_PERCENT, starts_at=NOW, expires_at=NOW), subtotal_cents=2000, now=NOW)


def test_min_order_message_uses_the_currency_format() -> None:
    euro = MoneyFormat("EUR", "de_DE")
    with pytest.raises(ValidationFailed) as refused:
        check(TEN_PERCENT, subtotal_cents=100, now=NOW, money=euro)
    assert refused.value.message == "Minimum order amount is 20,00\xa0€"


def test_percentage_discount_rounds_half_up_and_respects_max_discount() -> None:
    assert effect(TEN_PERCENT, 12345).discount_cents == 1235  # 12.345 -> 12.35
    capped = replace(TEN_PERCENT, max_discount_cents=1500)
    assert effect(capped, 50000).discount_cents == 1500
    assert effect(capped, 10000).discount_cents == 1000


def test_fixed_discount_is_capped_at_the_subtotal() -> None:
    five_off = CouponTerms(code="FIVE", type="FIXED", value_units=500)
    assert effect(five_off, 2000).discount_cents == 500
    assert effect(five_off, 300).discount_cents == 300


def test_free_delivery_discounts_nothing_and_waives_delivery() -> None:
    result = evaluate(
        CouponTerms(code="FREEDELIVERY", type="FREE_DELIVERY", value_units=0), subtotal_cents=4000, now=NOW
    )
    assert (result.discount_cents, result.free_delivery) == (0, True)


@given(
    kind=st.sampled_from(["PERCENTAGE", "FIXED", "FREE_DELIVERY"]),
    value=st.integers(min_value=0, max_value=10_000_000),
    max_discount=st.none() | st.integers(min_value=0, max_value=10_000_000),
    subtotal=st.integers(min_value=0, max_value=10_000_000),
)
def test_effect_is_never_negative_nor_above_the_subtotal(
    kind: str, value: int, max_discount: int | None, subtotal: int
) -> None:
    if kind == "PERCENTAGE":
        value = value % 10_001
    terms = CouponTerms(code="X", type=kind, value_units=value, max_discount_cents=max_discount)
    result = effect(terms, subtotal)
    assert 0 <= result.discount_cents <= subtotal
    if kind == "PERCENTAGE" and max_discount is not None:
        assert result.discount_cents <= max_discount
    assert result.free_delivery == (kind == "FREE_DELIVERY")
