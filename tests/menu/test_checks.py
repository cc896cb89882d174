"""The menu rules as pure functions: prices, availability, option groups and their edits, category moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kitchenasty.core.errors import NotFound, ValidationFailed
from kitchenasty.menu.checks import (
    OptionSpec,
    ValueSpec,
    Window,
    all_found,
    availability_note,
    check_no_ids,
    check_option,
    check_parent,
    days_text,
    modifier_cents,
    normalise_selection,
    only_active_location,
    open_windows,
    option_specs,
    out_of_stock,
    price_cents,
    replacement_options,
    shown_location,
    unavailable_reason,
)
from kitchenasty.menu.schemas import MealtimeRef, OptionIn, OptionValueIn

MONDAY_NOON = datetime(2025, 6, 2, 12, 0)
LUNCH = Window(id="lunch", start_time="11:00", end_time="15:00", days=(1, 2, 3, 4, 5))
DINNER = Window(id="dinner", start_time="17:00", end_time="22:00", days=(0, 1, 2, 3, 4, 5, 6))


def test_open_windows_lists_the_windows_open_now() -> None:
    assert open_windows([LUNCH, DINNER], MONDAY_NOON) == frozenset({"lunch"})
    assert open_windows([LUNCH, DINNER], MONDAY_NOON.replace(hour=18)) == frozenset({"dinner"})
    assert open_windows([LUNCH], MONDAY_NOON.replace(day=7)) == frozenset()  # Saturday


@pytest.mark.parametrize(
    ("track", "qty", "windows", "open_ids", "reason"),
    [
        (False, 0, (), frozenset(), None),
        (True, 5, (), frozenset(), None),
        (True, 0, (), frozenset(), "OUT_OF_STOCK"),
        (True, -1, (), frozenset(), "OUT_OF_STOCK"),
        (False, 0, ("lunch",), frozenset({"lunch"}), None),
        (False, 0, ("lunch",), frozenset({"dinner"}), "NOT_NOW"),
        (False, 0, ("lunch", "dinner"), frozenset({"dinner"}), None),
        (True, 0, ("lunch",), frozenset(), "OUT_OF_STOCK"),  # sold out wins over "not now"
    ],
)
def test_unavailable_reason_covers_stock_and_windows(
    track: bool, qty: int, windows: tuple[str, ...], open_ids: frozenset[str], reason: str | None
) -> None:
    assert unavailable_reason(track_stock=track, stock_qty=qty, window_ids=windows, open_ids=open_ids) == reason


@pytest.mark.parametrize(
    ("days", "text"),
    [
        ([0, 1, 2, 3, 4, 5, 6], ""),
        ([5, 1, 2, 3, 4], " on weekdays"),
        ([0, 6], " at weekends"),
        ([3], " on Wednesday"),
        ([0, 1, 5], " on Monday, Friday and Sunday"),
    ],
)
def test_days_text_reads_the_week_from_monday(days: list[int], text: str) -> None:
    assert days_text(days) == text


def test_availability_note_says_why_in_words() -> None:
    lunch = MealtimeRef(id="l", name="Lunch", start_time="11:00", end_time="15:00", days=list(range(7)))
    brunch = MealtimeRef(id="b", name="Brunch", start_time="10:00", end_time="14:00", days=[0, 6])
    assert availability_note(None, [lunch]) is None
    assert availability_note("OUT_OF_STOCK", [lunch]) == "Sold out"
    assert availability_note("NOT_NOW", [lunch]) == "Served 11:00–15:00 (Lunch)"
    assert availability_note("NOT_NOW", [lunch, brunch]) == (
        "Served 11:00–15:00 (Lunch) and 10:00–14:00 at weekends (Brunch)"
    )
    assert availability_note("NOT_NOW", []) == "Not available right now"


def test_out_of_stock_only_when_tracked() -> None:
    assert out_of_stock(True, 0)
    assert not out_of_stock(False, 0)
    assert not out_of_stock(True, 1)


@given(required=st.booleans(), min_select=st.integers(min_value=0, max_value=50))
def test_normalise_selection_makes_required_and_minimum_agree(required: bool, min_select: int) -> None:
    is_required, minimum = normalise_selection(required, min_select)
    assert is_required == (minimum >= 1)
    assert minimum >= min_select
    assert is_required == (required or min_select > 0)


def option(display: str = "RADIO", *, min_select: int = 0, max_select: int = 1, values: int = 3, defaults: int = 1,
           modifier: int = 0) -> OptionSpec:  # fmt: skip
    return OptionSpec(
        name="Size",
        display_type=display,
        is_required=min_select > 0,
        min_select=min_select,
        max_select=max_select,
        values=tuple(ValueSpec(f"v{i}", modifier, i < defaults) for i in range(values)),
    )


def test_check_option_accepts_sensible_groups() -> None:
    check_option(option(), 1000)
    check_option(option("CHECKBOX", max_select=3, defaults=2), 1000)
    check_option(option("QUANTITY", max_select=5, defaults=0), 1000)
    check_option(option(modifier=-1000), 1000)  # down to exactly zero is fine


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        (option("RADIO", max_select=2), "maxSelect must be 1"),
        (option("SELECT", max_select=3), "maxSelect must be 1"),
        (option("CHECKBOX", min_select=3, max_select=2), "minSelect cannot exceed maxSelect"),
        (option("CHECKBOX", min_select=4, max_select=5, values=3), "minSelect cannot exceed the number of values"),
        (option("RADIO", defaults=2), "2 default values"),
        (option(values=0, defaults=0), "at least one value"),
        (option(modifier=-1001), "below zero"),
    ],
)
def test_check_option_refuses_groups_a_guest_could_not_satisfy(spec: OptionSpec, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_option(spec, 1000)
    assert fragment in caught.value.message
    assert caught.value.status_code == 400


# ---------------------------------------------------------------- prices


def test_price_cents_bounds_a_price_and_modifier_cents_allows_discounts() -> None:
    assert price_cents(Decimal("12.99")) == 1299
    assert modifier_cents(Decimal("-1.50")) == -150
    for check, amount, message in (
        (price_cents, Decimal("-0.01"), "price must not be negative"),
        (price_cents, Decimal("100000.01"), "price is too large"),
        (modifier_cents, Decimal("-100000.01"), "priceModifier is too large"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            check(amount)
        assert (refused.value.message, refused.value.code) == (message, "INVALID_AMOUNT")


def test_all_found_keeps_the_order_sent_and_names_what_is_missing() -> None:
    assert all_found(["b", "a"], {"a": 1, "b": 2}, "Allergen") == [2, 1]
    with pytest.raises(ValidationFailed) as refused:
        all_found(["a", "x", "y"], {"a": 1}, "Mealtime")
    assert (refused.value.message, refused.value.code) == ("Mealtime not found: x, y", "MEALTIME_NOT_FOUND")


# ---------------------------------------------------------------- category moves

PARENTS = {"food": None, "mains": "food", "pizza": "mains", "drinks": None}


@pytest.mark.parametrize(("category", "parent"), [("pizza", "drinks"), ("mains", "drinks"), ("drinks", "pizza")])
def test_check_parent_allows_moves_that_keep_a_tree(category: str, parent: str) -> None:
    check_parent(category, parent, PARENTS)


@pytest.mark.parametrize(
    ("category", "parent", "message", "code"),
    [
        ("mains", "mains", "Category cannot be its own parent", "CATEGORY_CYCLE"),
        ("food", "pizza", "A category cannot be moved under one of its own subcategories", "CATEGORY_CYCLE"),
        ("mains", "pizza", "A category cannot be moved under one of its own subcategories", "CATEGORY_CYCLE"),
        ("mains", "gone", "Parent category not found", "PARENT_NOT_FOUND"),
    ],
)
def test_check_parent_refuses_cycles_and_missing_parents(category: str, parent: str, message: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_parent(category, parent, PARENTS)
    assert (refused.value.message, refused.value.code) == (message, code)


# ---------------------------------------------------------------- the storefront's location


@dataclass
class Place:
    name: str
    is_active: bool = True


def test_only_active_location_needs_exactly_one() -> None:
    only = Place("Saffron")
    assert only_active_location([only]) is only
    with pytest.raises(NotFound) as none:
        only_active_location([])
    assert (none.value.message, none.value.code) == ("No active location", "NO_ACTIVE_LOCATION")
    with pytest.raises(ValidationFailed) as several:
        only_active_location([only, Place("Sage")])
    assert several.value.code == "LOCATION_REQUIRED"
    assert several.value.message == "Several locations are active: choose one with ?locationId="


def test_shown_location_must_exist_and_be_active() -> None:
    place = Place("Saffron")
    assert shown_location(place) is place
    for missing, message, code in (
        (None, "Location not found", "LOCATION_NOT_FOUND"),
        (Place("Closed", is_active=False), "Location is not active", "LOCATION_INACTIVE"),
    ):
        with pytest.raises(NotFound) as refused:
            shown_location(missing)
        assert (refused.value.message, refused.value.code) == (message, code)


# ---------------------------------------------------------------- option groups as sent


def size(option_id: str | None = None, *value_ids: str | None, **fields: object) -> OptionIn:
    ids = value_ids or (None, None)
    values = [OptionValueIn(id=value_id, name=f"Value {n}") for n, value_id in enumerate(ids)]
    return OptionIn(id=option_id, name="Size", display_type="CHECKBOX", max_select=2, values=values, **fields)  # type: ignore[arg-type]


def test_option_specs_normalise_names_and_sort_orders() -> None:
    sent = OptionIn(
        name="  Size ",
        display_type="RADIO",
        min_select=1,
        sort_order=7,
        values=[OptionValueIn(name=" Small ", price_modifier=Decimal("-1.00")), OptionValueIn(name="Large")],
    )
    first, second = option_specs([sent, size()], 1000)
    assert (first.name, first.is_required, first.min_select, first.sort_order) == ("Size", True, 1, 7)
    assert [(v.name, v.price_modifier_cents, v.sort_order) for v in first.values] == [
        ("Small", -100, 0),
        ("Large", 0, 1),
    ]
    assert second.sort_order == 1  # no sort order sent: its position


def test_check_no_ids_refuses_ids_on_a_new_item() -> None:
    check_no_ids([size()])
    for sent in (size("opt-1"), size(None, "val-1")):
        with pytest.raises(ValidationFailed) as refused:
            check_no_ids([sent])
        assert refused.value.message == "A new menu item's options cannot carry ids"


def test_replacement_options_keeps_the_item_own_rows_and_adds_new_ones() -> None:
    existing = {"opt-1": {"val-1", "val-2"}, "opt-old": {"val-9"}}
    specs = replacement_options(existing, [size("opt-1", "val-2", None), size()])
    assert [(s.id, [v.id for v in s.values]) for s in specs] == [("opt-1", ["val-2", None]), (None, [None, None])]


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ([size("opt-1"), size("opt-1")], "An option or value id appears more than once"),
        ([size("opt-1", "val-1", "val-1")], "An option or value id appears more than once"),
        ([size(None, "val-1")], "Option 'Size' is new, so its values cannot carry ids"),
        ([size("opt-other")], "Option opt-other does not belong to this item"),
        ([size("opt-1", "val-9")], "Value val-9 does not belong to option 'Size'"),
    ],
)
def test_replacement_options_refuses_ids_that_are_not_the_item_own(sent: list[OptionIn], message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        replacement_options({"opt-1": {"val-1", "val-2"}, "opt-old": {"val-9"}}, sent)
    assert (refused.value.message, refused.value.code) == (message, "INVALID_OPTION")
