"""The shared input checks (slugs, names, bounded amounts, times of day) as pure functions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.core.validate import bounded_cents, check_slug, check_time, not_blank, valid_hhmm


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("00:00", True),
        ("09:30", True),
        ("23:59", True),
        ("24:00", False),
        ("12:60", False),
        ("9:30", False),
        ("09:3", False),
        ("0930", False),
        ("ab:cd", False),
        ("09:30 ", False),
        ("", False),
    ],
)
def test_valid_hhmm_accepts_only_24_hour_times(value: str, valid: bool) -> None:
    assert valid_hhmm(value) is valid


@pytest.mark.parametrize("slug", ["pizza", "hot-drinks", "a1", "2-for-1"])
def test_check_slug_returns_a_valid_slug(slug: str) -> None:
    assert check_slug(slug) == slug


@pytest.mark.parametrize("slug", ["Pizza", "hot drinks", "pasta!", "", "café"])
def test_check_slug_refuses_anything_else_with_a_sentence(slug: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_slug(slug)
    assert (refused.value.message, refused.value.code) == (
        "Slug must be lowercase alphanumeric with hyphens",
        "INVALID_SLUG",
    )


def test_not_blank_strips_and_refuses_only_whitespace() -> None:
    assert not_blank("  Margherita ", "name") == "Margherita"
    with pytest.raises(ValidationFailed) as refused:
        not_blank(" \t ", "Option name")
    assert (refused.value.message, refused.value.code) == ("Option name must not be blank", "VALIDATION_ERROR")


@pytest.mark.parametrize(
    ("amount", "kwargs", "cents"),
    [
        (Decimal("12.99"), {}, 1299),
        ("0", {}, 0),
        (Decimal("1000.00"), {}, 100000),
        (Decimal("-2.50"), {"negative": True}, -250),
        (Decimal("-1000.00"), {"negative": True}, -100000),
    ],
)
def test_bounded_cents_converts_amounts_within_the_bounds(amount: object, kwargs: dict[str, bool], cents: int) -> None:
    assert bounded_cents(amount, "price", 100000, **kwargs) == cents  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "kwargs", "message"),
    [
        (Decimal("-0.01"), {}, "price must not be negative"),
        (Decimal("1000.01"), {}, "price is too large"),
        (Decimal("-1000.01"), {"negative": True}, "price is too large"),
        (Decimal("1000.01"), {"say_maximum": True}, "price must be at most 1000"),
        (Decimal("1.005"), {}, "price must have at most 2 decimals"),
    ],
)
def test_bounded_cents_refuses_out_of_bounds_amounts(amount: Decimal, kwargs: dict[str, bool], message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        bounded_cents(amount, "price", 100000, **kwargs)
    assert (refused.value.message, refused.value.code) == (message, "INVALID_AMOUNT")


def test_check_time_refuses_with_or_without_the_value_sent() -> None:
    assert check_time("11:30", "startTime") == "11:30"
    with pytest.raises(ValidationFailed) as plain:
        check_time("11am", "startTime")
    assert (plain.value.message, plain.value.code) == ("startTime must be HH:MM (00:00 to 23:59)", "INVALID_TIME")
    with pytest.raises(ValidationFailed) as echoed:
        check_time("24:00", "closeTime", echo=True)
    assert echoed.value.message == "closeTime must be HH:MM (00:00 to 23:59), got '24:00'"
