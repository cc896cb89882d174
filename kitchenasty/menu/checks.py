"""The menu's rules as pure functions (no database, no clock, no I/O): prices, when an item can be ordered, what
makes a valid option group (and which rows an edit of them keeps), where a category may move, and which location
the storefront shows. They raise the domain's `ValidationFailed`/`NotFound` with the sentence a person reads."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from kitchenasty.core.errors import NotFound, ValidationFailed, field_refusal
from kitchenasty.core.validate import bounded_cents, not_blank
from kitchenasty.locations.hours import WEEKDAY_NAMES, in_window

if TYPE_CHECKING:
    from kitchenasty.menu.schemas import OptionIn

T = TypeVar("T")
MAX_PRICE_CENTS = 100_000_00

UnavailableReason = Literal["SOLD_OUT", "OUT_OF_STOCK", "NOT_NOW"]
ItemAvailability = Literal["AVAILABLE", "HIDDEN", "SOLD_OUT", "OUT_OF_STOCK"]
"""An item's state as the back office lists it: hidden (it, or a category above it, is inactive), marked sold out,
out of stock (tracked, none left), or available (mealtime windows aside: they depend on the clock)."""
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


def subtree(category_id: str, parents: Mapping[str, str | None]) -> list[str]:
    """`category_id` and every category below it, at any depth (`parents` maps every category to its parent)."""
    children: dict[str | None, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    found: list[str] = []
    todo = [category_id]
    while todo:
        current = todo.pop()
        if current in found:  # a cycle in bad data; never loop
            continue
        found.append(current)
        todo.extend(children.get(current, ()))
    return found


def hidden_categories(states: Mapping[str, tuple[str | None, bool]]) -> frozenset[str]:
    """The categories the storefront does not show: inactive ones and every one below them (`states` maps each
    category to its parent and whether it is active)."""
    hidden: set[str] = set()
    for category_id in states:
        seen: set[str] = set()
        current: str | None = category_id
        while current is not None and current in states and current not in seen:
            seen.add(current)
            parent, active = states[current]
            if not active:
                hidden.add(category_id)
                break
            current = parent
    return frozenset(hidden)


def sibling_order(ids: Sequence[str], siblings: Mapping[str, str]) -> list[str]:
    """`ids` checked as the new order of all the categories under one parent (`siblings`: their id -> name): each
    of them once, and nothing else."""
    if len(set(ids)) != len(ids):
        raise field_refusal("ids", "A category appears more than once in the new order.", "INVALID_ORDER")
    strangers = [i for i in ids if i not in siblings]
    if strangers:
        raise field_refusal(
            "ids", f"These categories are not under this parent: {', '.join(strangers)}.", "INVALID_ORDER"
        )
    listed = set(ids)
    missing = [name for i, name in siblings.items() if i not in listed]
    if missing:
        raise field_refusal(
            "ids",
            f"The new order must list every category under this parent; missing: {', '.join(sorted(missing))}.",
            "INVALID_ORDER",
        )
    return list(ids)


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
    *,
    track_stock: bool,
    stock_qty: int,
    window_ids: Sequence[str],
    open_ids: frozenset[str],
    sold_out: bool = False,
) -> UnavailableReason | None:
    """Why an item cannot be ordered right now, or None when it can.

    `sold_out` is the back office's flag. `window_ids` are the item's active mealtimes. An item with none sells
    whenever the location does; an item with some sells only while one of them is open (`open_ids`, from
    `open_windows`). Order placement applies the same rule. Sold out (marked, or no stock left) beats "not now".
    """
    if sold_out:
        return "SOLD_OUT"
    if out_of_stock(track_stock, stock_qty):
        return "OUT_OF_STOCK"
    if window_ids and not any(w in open_ids for w in window_ids):
        return "NOT_NOW"
    return None


def item_availability(
    *, is_active: bool, category_hidden: bool, sold_out: bool, track_stock: bool, stock_qty: int
) -> ItemAvailability:
    """What the back office's item list says of an item (see `ItemAvailability`); hidden beats sold out."""
    if not is_active or category_hidden:
        return "HIDDEN"
    if sold_out:
        return "SOLD_OUT"
    if out_of_stock(track_stock, stock_qty):
        return "OUT_OF_STOCK"
    return "AVAILABLE"


def check_can_sell_again(name: str, track_stock: bool, stock_qty: int) -> None:
    """An item marked available again must have something to sell: a stock-tracked item needs stock first."""
    if out_of_stock(track_stock, stock_qty):
        raise field_refusal(
            "stockQty",
            f"{name} tracks its stock and none is left; enter how many are in stock to sell it again.",
            "NO_STOCK",
        )


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
    if reason in ("SOLD_OUT", "OUT_OF_STOCK"):
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


# ---------------------------------------------------------------- duplicating an item

COPY_SUFFIX = " (copy)"
NAME_MAX = 120
SLUG_MAX = 120


def copy_name(name: str) -> str:
    """ "<name> (copy)", the name cut short where it would not fit."""
    return name[: NAME_MAX - len(COPY_SUFFIX)].rstrip() + COPY_SUFFIX


def current_options(options: Iterable[Any]) -> list[OptionSpec]:
    """An item's option groups as they are now (loaded rows), to be written again as new rows: active groups with
    their active values, retired ones left behind."""
    return [
        OptionSpec(
            name=o.name,
            display_type=o.display_type,
            is_required=o.is_required,
            min_select=o.min_select,
            max_select=o.max_select,
            sort_order=o.sort_order,
            values=tuple(
                ValueSpec(v.name, v.price_modifier_cents, v.is_default, sort_order=v.sort_order)
                for v in o.values
                if v.is_active
            ),
        )
        for o in options
        if o.is_active and any(v.is_active for v in o.values)
    ]


def copy_slug_prefix(slug: str) -> str:
    """What every slug `copy_slug` may pick starts with (the caller fetches the slugs `taken` by it)."""
    return slug[: SLUG_MAX - 30].rstrip("-")


def copy_slug(slug: str, taken: Collection[str]) -> str:
    """The first free one of "<slug>-copy", "<slug>-copy-2", "<slug>-copy-3"… (`taken`: the slugs in use that
    start with `copy_slug_prefix(slug)`), the slug cut short where it would not fit."""
    n = 1
    while True:
        suffix = "-copy" if n == 1 else f"-copy-{n}"
        candidate = slug[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


# ---------------------------------------------------------------- changing a category's prices by a percentage

CENT = Decimal("0.01")
PERCENT_MIN = Decimal(-50)
PERCENT_MAX = Decimal(200)
ROUND_STEP_MAX_CENTS = 100_00


def reprice_percent(percent: Decimal) -> Decimal:
    """A price change in percent: between -50 and +200, at most two decimals."""
    if not percent.is_finite() or not PERCENT_MIN <= percent <= PERCENT_MAX:
        raise field_refusal("percent", "The percentage must be between -50 and +200.", "INVALID_PERCENT")
    if percent != percent.quantize(CENT):
        raise field_refusal("percent", "The percentage can have at most 2 decimals.", "INVALID_PERCENT")
    return percent


def round_step_cents(round_to: Decimal | None) -> int:
    """The step new prices are rounded to, in cents (1: to the cent); `roundTo` from 0.01 to 100.00."""
    if round_to is None:
        return 1
    message = "Prices can be rounded to a step from 0.01 to 100.00."
    if not round_to.is_finite() or not CENT <= round_to <= Decimal(ROUND_STEP_MAX_CENTS).scaleb(-2):
        raise field_refusal("roundTo", message, "INVALID_ROUNDING")
    if round_to != round_to.quantize(CENT):
        raise field_refusal("roundTo", "The rounding step can have at most 2 decimals.", "INVALID_ROUNDING")
    return int(round_to * 100)


def scaled_cents(cents: int, percent: Decimal, step: int) -> int:
    """`cents` changed by `percent` and rounded half up (away from zero on a tie) to a multiple of `step` cents, in
    one rounding of the exact Decimal result; never through a float."""
    exact = Decimal(cents) * (100 + percent) / 100
    return int((exact / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


@dataclass(frozen=True)
class ModifierChange:
    value_id: str
    option: str
    value: str
    before: int
    after: int


@dataclass(frozen=True)
class PriceChange:
    """One item's new price (and its option values' new modifiers), in cents."""

    item_id: str
    name: str
    before: int
    after: int
    modifiers: tuple[ModifierChange, ...] = ()


def _too_high(what: str, cents: int) -> ValidationFailed:
    return field_refusal(
        "percent",
        f"{what} would become {_amount(cents)}, above the maximum of {_amount(MAX_PRICE_CENTS)}.",
        "PRICE_TOO_HIGH",
    )


def _amount(cents: int) -> str:
    return f"{Decimal(cents).scaleb(-2):,.2f}"


def reprice(items: Iterable[Any], percent: Decimal, step: int, *, include_modifiers: bool) -> list[PriceChange]:
    """Every item's price changed by `percent` (and, with `include_modifiers`, its active option values' price
    modifiers too), rounded to `step` cents. `items` are loaded `menu_items` rows with their options and values.
    Refused as a whole when a price would pass the maximum or an option would take a line below zero. Returns the
    items where something changed."""
    changes: list[PriceChange] = []
    for item in items:
        after = scaled_cents(item.price_cents, percent, step)
        if after > MAX_PRICE_CENTS:
            raise _too_high(f"The price of {item.name}", after)
        modifiers: list[ModifierChange] = []
        for option in item.options:
            if not option.is_active:
                continue
            for value in option.values:
                if not value.is_active:
                    continue
                new = value.price_modifier_cents
                if include_modifiers:
                    new = scaled_cents(new, percent, step)
                    if abs(new) > MAX_PRICE_CENTS:
                        raise _too_high(f"The price of {value.name} ({option.name}) on {item.name}", new)
                if new < -after:
                    raise field_refusal(
                        "percent",
                        f"{value.name} ({option.name}) would take the price of {item.name} below zero; "
                        "change that option's price first.",
                        "INVALID_PRICE_MODIFIER",
                    )
                if new != value.price_modifier_cents:
                    modifiers.append(ModifierChange(value.id, option.name, value.name, value.price_modifier_cents, new))
        if after != item.price_cents or modifiers:
            changes.append(PriceChange(item.id, item.name, item.price_cents, after, tuple(modifiers)))
    return changes
