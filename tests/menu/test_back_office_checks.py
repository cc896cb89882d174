"""The back office's pure menu rules: reprice maths, copies' names and slugs, the tree's branches, availability."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.menu.checks import (
    availability_note,
    copy_name,
    copy_slug,
    hidden_categories,
    item_availability,
    scaled_cents,
    sibling_order,
    subtree,
    unavailable_reason,
)


@pytest.mark.parametrize(
    ("cents", "percent", "step", "expected"),
    [
        (1235, "10", 1, 1359),  # 13.585 -> 13.59: half up, not to even
        (1225, "10", 1, 1348),  # 13.475 -> 13.48
        (225, "-50", 1, 113),  # 1.125 -> 1.13
        (-100, "12.5", 1, -113),  # a discount grows away from zero on a tie (-1.125 -> -1.13)
        (1235, "10", 5, 1360),  # 13.585 -> 13.60 in steps of 0.05
        (1000, "3", 50, 1050),  # 10.30 -> 10.50 in steps of 0.50 (10.25 is the midpoint)
        (1000, "2", 50, 1000),  # 10.20 -> 10.00
        (999, "0", 1, 999),
        (0, "200", 5, 0),
        (100_000_00, "200", 1, 300_000_00),
        (1, "-50", 1, 1),  # 0.005 -> 0.01
    ],
)
def test_scaled_cents_rounds_half_up_once_to_the_step(cents: int, percent: str, step: int, expected: int) -> None:
    assert scaled_cents(cents, Decimal(percent), step) == expected


def test_copy_name_and_slug_fit_and_find_a_free_slug() -> None:
    assert copy_name("Margherita") == "Margherita (copy)"
    assert len(copy_name("x" * 120)) == 120
    assert copy_slug("pizza", set()) == "pizza-copy"
    assert copy_slug("pizza", {"pizza-copy", "pizza-copy-2", "pizza-copy-4"}) == "pizza-copy-3"
    long = copy_slug("a" * 119 + "-", {"a" * 115 + "-copy"})
    assert len(long) <= 120 and long.endswith("-copy-2") and "--" not in long


def test_subtree_and_hidden_categories_follow_the_branches() -> None:
    parents: dict[str, str | None] = {"mains": None, "pizza": "mains", "white": "pizza", "drinks": None}
    assert sorted(subtree("mains", parents)) == ["mains", "pizza", "white"]
    assert subtree("white", parents) == ["white"]
    assert subtree("missing", parents) == ["missing"]
    looped: dict[str, str | None] = {"a": "b", "b": "a"}
    assert sorted(subtree("a", looped)) == ["a", "b"]
    states = {"mains": (None, True), "pizza": ("mains", False), "white": ("pizza", True), "drinks": (None, True)}
    assert hidden_categories(states) == {"pizza", "white"}
    assert hidden_categories({"a": ("b", True), "b": ("a", True)}) == frozenset()


def test_sibling_order_wants_every_sibling_once() -> None:
    siblings = {"a": "Drinks", "b": "Mains"}
    assert sibling_order(["b", "a"], siblings) == ["b", "a"]
    for ids, text in (
        (["a"], "missing: Mains"),
        (["a", "b", "c"], "not under this parent: c"),
        (["a", "a", "b"], "once"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            sibling_order(ids, siblings)
        assert text in refused.value.message
        assert refused.value.details == [{"key": "ids", "message": refused.value.message}]


def test_sold_out_flag_beats_stock_and_windows() -> None:
    reason = unavailable_reason(
        track_stock=False, stock_qty=0, window_ids=("lunch",), open_ids=frozenset(), sold_out=True
    )
    assert reason == "SOLD_OUT"
    assert availability_note(reason, []) == "Sold out"
    available = {"is_active": True, "category_hidden": False, "track_stock": True, "stock_qty": 0}
    assert item_availability(**available, sold_out=False) == "OUT_OF_STOCK"
    assert item_availability(**available, sold_out=True) == "SOLD_OUT"
    assert item_availability(**{**available, "category_hidden": True}, sold_out=True) == "HIDDEN"
    assert item_availability(**{**available, "stock_qty": 1}, sold_out=False) == "AVAILABLE"
