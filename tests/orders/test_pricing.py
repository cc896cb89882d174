"""Totals in integer cents: examples, and properties over random carts (components add up, nothing negative)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.orders.checks import check_tip, compute_totals, delivery_fee, line_subtotal, unit_price


def test_unit_price_adds_option_modifiers() -> None:
    assert unit_price(1000, [250, 100, 75]) == 1425


def test_unit_price_never_goes_below_zero() -> None:
    assert unit_price(300, [-500]) == 0


def test_compute_totals_example_with_tax_discount_delivery_and_tip() -> None:
    totals = compute_totals(
        [2850, 600], order_type="DELIVERY", delivery_fee_cents=499, discount_cents=345, tax_rate_bp=825, tip_cents=300
    )
    # tax = 8.25 % of 31.05 = 2.561625 -> 2.56
    assert (totals.subtotal, totals.discount, totals.delivery_fee, totals.tax, totals.tip) == (3450, 345, 499, 256, 300)
    assert totals.total == 3450 - 345 + 499 + 256 + 300


def test_tax_rounds_half_up_to_the_cent() -> None:
    assert compute_totals([1000], order_type="PICKUP", tax_rate_bp=125).tax == 13  # 12.5 cents -> 13
    assert compute_totals([1000], order_type="PICKUP", tax_rate_bp=124).tax == 12  # 12.4 cents -> 12


def test_discount_is_capped_at_the_subtotal() -> None:
    totals = compute_totals([500], order_type="DELIVERY", delivery_fee_cents=300, discount_cents=2000, tax_rate_bp=1000)
    assert (totals.discount, totals.tax, totals.total) == (500, 0, 300)


def test_delivery_fee_applies_to_delivery_only_and_free_delivery_waives_it() -> None:
    assert delivery_fee("DELIVERY", 499) == 499
    assert delivery_fee("PICKUP", 499) == 0
    assert delivery_fee("DINE_IN", 499) == 0
    assert delivery_fee("DELIVERY", 499, free_delivery=True) == 0


def test_check_tip_refuses_a_tip_when_tipping_is_off() -> None:
    assert check_tip(0, tipping_enabled=False) == 0
    assert check_tip(250, tipping_enabled=True) == 250
    with pytest.raises(ValidationFailed) as refused:
        check_tip(250, tipping_enabled=False)
    assert refused.value.code == "TIPPING_DISABLED"
    with pytest.raises(ValidationFailed):
        check_tip(-1, tipping_enabled=True)


def test_compute_totals_rejects_negative_inputs() -> None:
    with pytest.raises(ValueError):
        compute_totals([-1], order_type="PICKUP")
    with pytest.raises(ValueError):
        compute_totals([100], order_type="PICKUP", tip_cents=-5)


carts = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=100_000),
        st.lists(st.integers(min_value=-2_000, max_value=5_000), max_size=5),
        st.integers(min_value=1, max_value=100),
    ),
    min_size=1,
    max_size=20,
)


@given(
    cart=carts,
    order_type=st.sampled_from(["DELIVERY", "PICKUP", "DINE_IN"]),
    fee=st.integers(min_value=0, max_value=5_000),
    discount=st.integers(min_value=0, max_value=10_000_000),
    free_delivery=st.booleans(),
    tax_bp=st.integers(min_value=0, max_value=10_000),
    tip=st.integers(min_value=0, max_value=100_000),
)
def test_compute_totals_components_add_up_and_are_never_negative(
    cart: list[tuple[int, list[int], int]],
    order_type: str,
    fee: int,
    discount: int,
    free_delivery: bool,
    tax_bp: int,
    tip: int,
) -> None:
    lines = [line_subtotal(unit_price(base, mods), qty) for base, mods, qty in cart]
    totals = compute_totals(
        lines,
        order_type=order_type,
        delivery_fee_cents=fee,
        discount_cents=discount,
        free_delivery=free_delivery,
        tax_rate_bp=tax_bp,
        tip_cents=tip,
    )
    parts = (totals.subtotal, totals.discount, totals.delivery_fee, totals.tax, totals.tip, totals.total)
    assert all(isinstance(p, int) and p >= 0 for p in parts)
    assert totals.subtotal == sum(lines)
    assert totals.discount <= totals.subtotal
    assert totals.total == totals.subtotal - totals.discount + totals.delivery_fee + totals.tax + totals.tip
    taxable = totals.subtotal - totals.discount
    assert abs(totals.tax * 10_000 - taxable * tax_bp) <= 5_000  # within half a cent of the exact tax
    if order_type != "DELIVERY" or free_delivery:
        assert totals.delivery_fee == 0
    else:
        assert totals.delivery_fee == fee
