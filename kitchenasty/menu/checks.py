"""The menu's rules as pure functions (no database, no clock, no I/O): prices, when an item can be ordered, what
makes a valid option group (and which rows an edit of them keeps), where a category may move, and which location
the storefront shows. They raise the domain's `ValidationFailed`/`NotFound` with the sentence a person reads."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

from kitchenasty.core.errors import NotFound, ValidationFailed
from kitchenasty.core.validate import bounded_cents, not_blank
from kitchenasty.locations.hours import WEEKDAY_NAMES, in_window

if TYPE_CHECKING:
    from kitchenasty.menu.schemas import OptionIn

T = TypeVar("T")
MAX_PRICE_CENTS = 100_000_00

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


def price_cents(amount: Decimal | int | str) -> int:
    """An item's price as cents: not negative, at most 100,000.00."""
    return bounded_cents(amount, "price", MAX_PRICE_CENTS)


def modifier_cents(amount: Decimal | int | str) -> int:
    """An option value's price modifier as cents (a discount is negative), at most 100,000.00 either way."""
    return bounded_cents(amount, "priceModifier", MAX_PRICE_CENTS, negative=True)


def unique(ids: Iterable[str]) -> list[str]:
    """The ids once each, in the order first sent."""
    return list(dict.fromkeys(ids))


def all_found(wanted: Sequence[str], found: Mapping[str, T], label: str) -> list[T]:
    """The rows for `wanted` in that order; refused, naming the missing ids, unless every one was found."""
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationFailed(f"{label} not found: {', '.join(missing)}", code=f"{label.upper()}_NOT_FOUND")
    return [found[i] for i in wanted]


def mealtime_days(days: Iterable[int]) -> list[int]:
    return sorted(set(days))


# ---------------------------------------------------------------- categories


def check_parent(category_id: str, parent_id: str, parents: Mapping[str, str | None]) -> None:
    """Refuse moving a category under itself, under a category that does not exist (`parents` maps every category
    to its parent) or under one of its own subcategories."""
    if parent_id == category_id:
        raise ValidationFailed("Category cannot be its own parent", code="CATEGORY_CYCLE")
    if parent_id not in parents:
        raise ValidationFailed("Parent category not found", code="PARENT_NOT_FOUND")
    seen: set[str] = set()
    ancestor: str | None = parent_id
    while ancestor is not None and ancestor not in seen:
        if ancestor == category_id:
            raise ValidationFailed(
                "A category cannot be moved under one of its own subcategories", code="CATEGORY_CYCLE"
            )
        seen.add(ancestor)
        ancestor = parents.get(ancestor)


# ---------------------------------------------------------------- the storefront's location


class _Activatable(Protocol):
    is_active: bool


L = TypeVar("L", bound=_Activatable)


def only_active_location(active: Sequence[L]) -> L:
    """With no location named, the storefront shows the one active location (`active`: at most two of them)."""
    if not active:
        raise NotFound("No active location", code="NO_ACTIVE_LOCATION")
    if len(active) > 1:
        raise ValidationFailed("Several locations are active: choose one with ?locationId=", code="LOCATION_REQUIRED")
    return active[0]


def shown_location(location: L | None) -> L:
    """A location named by the storefront must exist and be active."""
    if location is None:
        raise NotFound("Location not found", code="LOCATION_NOT_FOUND")
    if not location.is_active:
        raise NotFound("Location is not active", code="LOCATION_INACTIVE")
    return location


# ---------------------------------------------------------------- availability


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


class _Served(Protocol):
    """A mealtime as the storefront shows it (`MealtimeRef`)."""

    @property
    def name(self) -> str: ...
    @property
    def start_time(self) -> str: ...
    @property
    def end_time(self) -> str: ...
    @property
    def days(self) -> Sequence[int]: ...


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def days_text(days: Iterable[int]) -> str:
    """ "", " on weekdays", " at weekends" or " on Monday and Friday" (0 = Sunday; the week read from Monday)."""
    chosen = sorted(set(days), key=lambda d: (d - 1) % 7)
    if len(chosen) == 7 or not chosen:
        return ""
    if chosen == [1, 2, 3, 4, 5]:
        return " on weekdays"
    if chosen == [6, 0]:
        return " at weekends"
    return " on " + _and([WEEKDAY_NAMES[d] for d in chosen])


def availability_note(reason: UnavailableReason | None, mealtimes: Sequence[_Served]) -> str | None:
    """What a guest reads instead of `reason`: "Sold out", "Served 11:00–15:00 (Lunch)", or None when the item can
    be ordered. `mealtimes` are the item's active mealtimes."""
    if reason is None:
        return None
    if reason == "OUT_OF_STOCK":
        return "Sold out"
    if not mealtimes:
        return "Not available right now"
    return "Served " + _and([f"{m.start_time}–{m.end_time}{days_text(m.days)} ({m.name})" for m in mealtimes])


# ---------------------------------------------------------------- option groups


@dataclass(frozen=True)
class ValueSpec:
    """An option value as it will be written; `id` names the row it updates (None: a new row)."""

    name: str
    price_modifier_cents: int
    is_default: bool
    id: str | None = None
    sort_order: int = 0


@dataclass(frozen=True)
class OptionSpec:
    """An option group as it will be written; `id` names the row it updates (None: a new row)."""

    name: str
    display_type: str
    is_required: bool
    min_select: int
    max_select: int
    values: tuple[ValueSpec, ...]
    id: str | None = None
    sort_order: int = 0


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


def _sort(given: int | None, position: int) -> int:
    return position if given is None else given


def option_spec(option: OptionIn, price_cents: int, position: int = 0) -> OptionSpec:
    """Validate one option group as sent, against the item's price; returns the normalised rule values. Groups and
    values sent without a sort order keep their position."""
    required, min_select = normalise_selection(option.is_required, option.min_select)
    spec = OptionSpec(
        name=not_blank(option.name, "Option name"),
        display_type=option.display_type,
        is_required=required,
        min_select=min_select,
        max_select=option.max_select,
        values=tuple(
            ValueSpec(
                name=not_blank(v.name, "Option value name"),
                price_modifier_cents=modifier_cents(v.price_modifier),
                is_default=v.is_default,
                id=v.id,
                sort_order=_sort(v.sort_order, index),
            )
            for index, v in enumerate(option.values)
        ),
        id=option.id,
        sort_order=_sort(option.sort_order, position),
    )
    check_option(spec, price_cents)
    return spec


def option_specs(options: Sequence[OptionIn], price_cents: int) -> list[OptionSpec]:
    return [option_spec(o, price_cents, position) for position, o in enumerate(options)]


def check_no_ids(options: Sequence[OptionIn]) -> None:
    """A new item's option groups and values are new rows: none may name one."""
    if any(o.id is not None or any(v.id is not None for v in o.values) for o in options):
        raise ValidationFailed("A new menu item's options cannot carry ids", code="INVALID_OPTION")


def replacement_options(existing: Mapping[str, Collection[str]], options: Sequence[OptionIn]) -> list[OptionSpec]:
    """`options` checked as an item's new option groups, where `existing` maps each of its groups (retired ones
    too) to its values' ids. Ids sent name rows to update and must be the item's own, once each; prices are checked
    by the caller once the item's new price is known."""
    specs = option_specs(options, MAX_PRICE_CENTS)
    sent_options = [o.id for o in specs if o.id is not None]
    sent_values = [v.id for o in specs for v in o.values if v.id is not None]
    if len(set(sent_options)) != len(sent_options) or len(set(sent_values)) != len(sent_values):
        raise ValidationFailed("An option or value id appears more than once", code="INVALID_OPTION")
    for spec in specs:
        if spec.id is None:
            if any(v.id is not None for v in spec.values):
                raise ValidationFailed(
                    f"Option '{spec.name}' is new, so its values cannot carry ids", code="INVALID_OPTION"
                )
            continue
        values = existing.get(spec.id)
        if values is None:
            raise ValidationFailed(f"Option {spec.id} does not belong to this item", code="INVALID_OPTION")
        for value in spec.values:
            if value.id is not None and value.id not in values:
                raise ValidationFailed(
                    f"Value {value.id} does not belong to option '{spec.name}'", code="INVALID_OPTION"
                )
    return specs
