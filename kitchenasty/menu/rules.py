"""Menu rules as pure functions: when an item can be ordered, and what makes a valid option group."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.locations.hours import in_window

UnavailableReason = Literal["OUT_OF_STOCK", "NOT_NOW"]
DisplayType = Literal["SELECT", "RADIO", "CHECKBOX", "QUANTITY"]
SINGLE_CHOICE: frozenset[str] = frozenset({"SELECT", "RADIO"})


@dataclass(frozen=True)
class Window:
    """An active mealtime as an availability window (inactive mealtimes are no window at all)."""

    id: str
    start_time: str
    end_time: str
    days: tuple[int, ...]


def open_windows(windows: Iterable[Window], local: datetime) -> frozenset[str]:
    """The ids of the windows open at `local` (restaurant time)."""
    return frozenset(w.id for w in windows if in_window(w.start_time, w.end_time, w.days, local))


def out_of_stock(track_stock: bool, stock_qty: int) -> bool:
    return track_stock and stock_qty <= 0


def unavailable_reason(
    *, track_stock: bool, stock_qty: int, window_ids: Sequence[str], open_ids: frozenset[str]
) -> UnavailableReason | None:
    """Why an item cannot be ordered right now, or None when it can.

    `window_ids` are the item's active mealtimes. An item with none sells whenever the location does; an item with
    some sells only while one of them is open (`open_ids`, from `open_windows`). Order placement applies the same
    rule. Stock is checked first: sold out beats "not now".
    """
    if out_of_stock(track_stock, stock_qty):
        return "OUT_OF_STOCK"
    if window_ids and not any(w in open_ids for w in window_ids):
        return "NOT_NOW"
    return None


# ---------------------------------------------------------------- option groups


@dataclass(frozen=True)
class ValueSpec:
    name: str
    price_modifier_cents: int
    is_default: bool


@dataclass(frozen=True)
class OptionSpec:
    name: str
    display_type: str
    is_required: bool
    min_select: int
    max_select: int
    values: tuple[ValueSpec, ...]


def normalise_selection(is_required: bool, min_select: int) -> tuple[bool, int]:
    """`isRequired` and `minSelect` say the same thing twice; make them agree (required <=> at least one)."""
    required = is_required or min_select > 0
    return required, max(min_select, 1) if required else 0


def check_option(option: OptionSpec, price_cents: int) -> None:
    """Refuse an option group a guest could not satisfy or that would make a line cost less than nothing."""
    label = f"Option '{option.name}'"
    if not option.values:
        raise ValidationFailed(f"{label} needs at least one value", code="INVALID_OPTION")
    if option.display_type in SINGLE_CHOICE and option.max_select != 1:
        raise ValidationFailed(
            f"{label}: {option.display_type} allows one choice, so maxSelect must be 1", code="INVALID_OPTION"
        )
    if option.min_select > option.max_select:
        raise ValidationFailed(f"{label}: minSelect cannot exceed maxSelect", code="INVALID_OPTION")
    if option.min_select > len(option.values):
        raise ValidationFailed(f"{label}: minSelect cannot exceed the number of values", code="INVALID_OPTION")
    defaults = sum(1 for v in option.values if v.is_default)
    if defaults > option.max_select:
        raise ValidationFailed(
            f"{label} has {defaults} default values but allows at most {option.max_select}", code="INVALID_OPTION"
        )
    check_modifiers(option.name, (v.price_modifier_cents for v in option.values), price_cents)


def check_modifiers(option_name: str, modifiers: Iterable[int], price_cents: int) -> None:
    for cents in modifiers:
        if cents < -price_cents:
            raise ValidationFailed(
                f"Option '{option_name}': a price modifier cannot take the price below zero",
                code="INVALID_PRICE_MODIFIER",
            )
