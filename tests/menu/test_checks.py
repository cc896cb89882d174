"""The menu rules as pure functions: availability and option-group validity."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.menu.checks import (
    OptionSpec,
    ValueSpec,
    Window,
    check_option,
    normalise_selection,
    open_windows,
    out_of_stock,
    unavailable_reason,
)

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
