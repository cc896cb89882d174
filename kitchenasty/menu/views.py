"""One function per response shape of the menu domain, each taking a row (an ORM object, or a row of the
storefront's flat load: both name the columns alike), so a new column is shown in one place.

The storefront's menu is assembled once from its flat rows (`assemble`) into a `BuiltMenu`, which renders it per
clock state ("open now", "mealtime windows open now") and keeps each rendering, and its encoded body, until the menu
is loaded again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from kitchenasty.core.api import ok
from kitchenasty.core.money import from_cents
from kitchenasty.core.schema import iso
from kitchenasty.locations.checks import lead_time, pause_of
from kitchenasty.locations.hours import Closure, DayHours, OpeningState, Pause, opening_state
from kitchenasty.menu.checks import (
    ItemAvailability,
    PriceChange,
    Window,
    availability_note,
    item_availability,
    unavailable_reason,
)
from kitchenasty.menu.schemas import (
    AllergenOut,
    AllergenRef,
    CategoryDetailOut,
    CategoryName,
    CategoryOut,
    CategoryRef,
    CategoryTreeOut,
    Counts,
    ItemBrief,
    MealtimeOut,
    MealtimeRef,
    MenuItemListOut,
    MenuItemOut,
    ModifierChangeOut,
    OptionOut,
    OptionValueOut,
    PriceChangeOut,
    RepriceOut,
    StoreCategory,
    StoreItem,
    StoreLocation,
    StoreMenu,
)
from kitchenasty.menu.storefront_queries import StorefrontRows

# ---------------------------------------------------------------- parts shared by several shapes


def value_out(v: Any) -> OptionValueOut:
    """From a `menu_option_values` row."""
    return OptionValueOut(
        id=v.id,
        name=v.name,
        price_modifier=from_cents(v.price_modifier_cents),
        is_default=v.is_default,
        sort_order=v.sort_order,
    )


def option_out(o: Any, values: list[OptionValueOut]) -> OptionOut:
    """From a `menu_options` row and its values as shown (active ones, in order)."""
    return OptionOut(
        id=o.id,
        name=o.name,
        display_type=o.display_type,
        is_required=o.is_required,
        min_select=o.min_select,
        max_select=o.max_select,
        sort_order=o.sort_order,
        values=values,
    )


def shown_options(options: Iterable[Any]) -> list[OptionOut]:
    """An item's loaded option groups as shown: active groups with at least one active value, active values only."""
    return [
        option_out(o, [value_out(v) for v in sorted(o.values, key=lambda v: (v.sort_order, v.name)) if v.is_active])
        for o in sorted(options, key=lambda o: (o.sort_order, o.name))
        if o.is_active and any(v.is_active for v in o.values)
    ]


def allergen_ref(a: Any) -> AllergenRef:
    return AllergenRef(id=a.id, name=a.name)


def mealtime_ref(m: Any) -> MealtimeRef:
    return MealtimeRef(id=m.id, name=m.name, start_time=m.start_time, end_time=m.end_time, days=list(m.days))


# ---------------------------------------------------------------- categories


def _category_fields(c: Any, items: int) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "slug": c.slug,
        "description": c.description,
        "image": c.image,
        "sort_order": c.sort_order,
        "is_active": c.is_active,
        "parent_id": c.parent_id,
        "location_id": c.location_id,
        "counts": Counts(menu_items=items),
        "created_at": iso(c.created_at) or "",
        "updated_at": iso(c.updated_at) or "",
    }


def category_out(c: Any, items: int) -> CategoryOut:
    return CategoryOut(**_category_fields(c, items))


def category_tree(rows: Sequence[Any], counts: Mapping[str, int]) -> list[CategoryTreeOut]:
    """Categories (in display order) as a tree: roots, each with its `children`, recursively."""
    nodes = {c.id: CategoryTreeOut(**_category_fields(c, counts.get(c.id, 0)), children=[]) for c in rows}
    roots = []
    for c in rows:
        parent = nodes.get(c.parent_id) if c.parent_id else None
        if parent is None:  # a root, or a subcategory whose parent belongs to another location
            roots.append(nodes[c.id])
        else:
            parent.children.append(nodes[c.id])
    return roots


def item_brief(i: Any, options: int) -> ItemBrief:
    return ItemBrief(
        id=i.id,
        name=i.name,
        slug=i.slug,
        price=from_cents(i.price_cents),
        image=i.image,
        is_active=i.is_active,
        sort_order=i.sort_order,
        track_stock=i.track_stock,
        stock_qty=i.stock_qty,
        is_sold_out=i.is_sold_out,
        counts=Counts(options=options),
    )


def category_detail_out(
    category: Any,
    parent: Any | None,
    children: Sequence[Any],
    items: Sequence[Any],
    counts: Mapping[str, int],
    option_counts: Mapping[str, int],
) -> CategoryDetailOut:
    """A category with its parent, its subcategories and its items (`counts`: items per category)."""
    return CategoryDetailOut(
        **_category_fields(category, counts.get(category.id, 0)),
        parent=CategoryRef(id=parent.id, name=parent.name, slug=parent.slug) if parent else None,
        children=[category_out(c, counts.get(c.id, 0)) for c in children],
        menu_items=[item_brief(i, option_counts.get(i.id, 0)) for i in items],
    )


# ---------------------------------------------------------------- items, allergens, mealtimes


def _availability(item: Any, hidden: Collection[str]) -> ItemAvailability:
    return item_availability(
        is_active=item.is_active,
        category_hidden=item.category_id in hidden,
        sold_out=item.is_sold_out,
        track_stock=item.track_stock,
        stock_qty=item.stock_qty,
    )


def item_list_out(
    item: Any, category_name: str, options: int, allergens: int, mealtimes: int, hidden: Collection[str]
) -> MenuItemListOut:
    """`hidden`: the categories the storefront does not show (`checks.hidden_categories`)."""
    return MenuItemListOut(
        id=item.id,
        name=item.name,
        slug=item.slug,
        description=item.description,
        price=from_cents(item.price_cents),
        image=item.image,
        is_active=item.is_active,
        sort_order=item.sort_order,
        track_stock=item.track_stock,
        stock_qty=item.stock_qty,
        is_sold_out=item.is_sold_out,
        availability=_availability(item, hidden),
        order_type=item.order_type,
        category_id=item.category_id,
        location_id=item.location_id,
        category=CategoryName(id=item.category_id, name=category_name),
        counts=Counts(options=options, allergens=allergens, mealtimes=mealtimes),
        created_at=iso(item.created_at) or "",
        updated_at=iso(item.updated_at) or "",
        station_id=item.station_id,
    )


def item_out(item: Any, category_name: str, hidden: Collection[str]) -> MenuItemOut:
    """From an item with its option groups, values, allergens and mealtimes loaded."""
    return MenuItemOut(
        id=item.id,
        name=item.name,
        slug=item.slug,
        description=item.description,
        price=from_cents(item.price_cents),
        image=item.image,
        is_active=item.is_active,
        sort_order=item.sort_order,
        track_stock=item.track_stock,
        stock_qty=item.stock_qty,
        is_sold_out=item.is_sold_out,
        availability=_availability(item, hidden),
        order_type=item.order_type,
        category_id=item.category_id,
        location_id=item.location_id,
        category=CategoryName(id=item.category_id, name=category_name),
        options=shown_options(item.options),
        allergens=[allergen_ref(a) for a in item.allergens],
        mealtimes=[mealtime_ref(m) for m in item.mealtimes],
        created_at=iso(item.created_at) or "",
        updated_at=iso(item.updated_at) or "",
        station_id=item.station_id,
    )


def reprice_out(changes: Sequence[PriceChange]) -> RepriceOut:
    return RepriceOut(
        count=len(changes),
        items=[
            PriceChangeOut(
                id=c.item_id,
                name=c.name,
                before=from_cents(c.before),
                after=from_cents(c.after),
                modifiers=[
                    ModifierChangeOut(
                        id=m.value_id,
                        option=m.option,
                        value=m.value,
                        before=from_cents(m.before),
                        after=from_cents(m.after),
                    )
                    for m in c.modifiers
                ],
            )
            for c in changes
        ],
    )


def allergen_out(a: Any, items: int) -> AllergenOut:
    return AllergenOut(id=a.id, name=a.name, counts=Counts(menu_items=items))


def mealtime_out(m: Any, items: int) -> MealtimeOut:
    return MealtimeOut(
        id=m.id,
        name=m.name,
        start_time=m.start_time,
        end_time=m.end_time,
        days=list(m.days),
        is_active=m.is_active,
        location_id=m.location_id,
        counts=Counts(menu_items=items),
        created_at=iso(m.created_at) or "",
        updated_at=iso(m.updated_at) or "",
    )


# ---------------------------------------------------------------- the storefront menu, built once and rendered per clock state


def store_location(loc: Any) -> StoreLocation:
    """A location as the storefront shows it; the opening state is set per rendering (`with_opening`)."""
    return StoreLocation(
        id=loc.id,
        name=loc.name,
        slug=loc.slug,
        is_open_now=False,
        opening_note="",
        hours_today=None,
        opens_at=None,
        closes_at=None,
        is_busy=loc.is_busy,
        busy_message=loc.busy_message,
        is_paused=False,
        pause_message=None,
        delivery_enabled=loc.delivery_enabled,
        pickup_enabled=loc.pickup_enabled,
        dine_in_enabled=loc.dine_in_enabled,
        min_order_delivery=from_cents(loc.min_order_delivery_cents),
        min_order_pickup=from_cents(loc.min_order_pickup_cents),
        delivery_lead_time=lead_time(loc, "DELIVERY"),
        pickup_lead_time=lead_time(loc, "PICKUP"),
    )


def with_opening(location: StoreLocation, state: OpeningState, pause: Pause | None) -> StoreLocation:
    """The location as shown at one moment: its opening state, and the pause while it lasts."""
    return msgspec.structs.replace(
        location,
        is_open_now=state.is_open,
        opening_note=state.note,
        hours_today=state.today,
        opens_at=state.opens_at.isoformat() if state.opens_at else None,
        closes_at=state.closes_at.isoformat() if state.closes_at else None,
        is_paused=state.paused,
        pause_message=pause.message if state.paused and pause is not None else None,
    )


def store_item(
    i: Any, allergens: list[AllergenRef], mealtimes: list[MealtimeRef], options: list[OptionOut]
) -> StoreItem:
    """An item as the storefront shows it when it can be ordered."""
    return StoreItem(
        id=i.id,
        name=i.name,
        slug=i.slug,
        description=i.description,
        price=from_cents(i.price_cents),
        image=i.image,
        category_id=i.category_id,
        is_available=True,
        unavailable_reason=None,
        availability_note=None,
        track_stock=i.track_stock,
        stock_qty=i.stock_qty,
        order_type=i.order_type,
        allergens=allergens,
        mealtimes=mealtimes,
        options=options,
    )


@dataclass
class _Node:
    row: Any
    children: list[_Node] = field(default_factory=list)
    items: list[_ItemTemplate] = field(default_factory=list)


@dataclass
class _ItemTemplate:
    item: StoreItem  # as it looks when available; shared between renders, never mutated
    track_stock: bool
    stock_qty: int
    window_ids: tuple[str, ...]
    sold_out: bool = False


@dataclass
class BuiltMenu:
    """One location's menu as loaded from the database (no clock-dependent fields yet)."""

    location_id: str
    location: StoreLocation
    hours: list[DayHours]
    closures: list[Closure]
    pause: Pause | None
    windows: list[Window]
    roots: list[_Node]
    tracks_stock: bool
    built_at: float = field(default_factory=time.monotonic)
    rendered: dict[tuple[OpeningState, frozenset[str]], StoreMenu] = field(default_factory=dict)
    encoded: dict[tuple[OpeningState, frozenset[str]], bytes] = field(default_factory=dict)
    _opening: tuple[datetime, OpeningState] | None = None

    def opening(self, local: datetime) -> OpeningState:
        """The location's opening state at `local`, worked out once a minute (hours are read to the minute)."""
        minute = local.replace(second=0, microsecond=0)
        if self._opening is None or self._opening[0] != minute:
            self._opening = (minute, opening_state(self.hours, local, self.closures, self.pause))
        return self._opening[1]

    def render(self, opening: OpeningState, open_ids: frozenset[str]) -> StoreMenu:
        key = (opening, open_ids)
        menu = self.rendered.get(key)
        if menu is None:
            menu = StoreMenu(
                location=with_opening(self.location, opening, self.pause),
                categories=[self._category(node, open_ids) for node in self.roots],
            )
            if len(self.rendered) > 64:  # a handful of keys in practice; never let it grow unbounded
                self.rendered.clear()
                self.encoded.clear()
            self.rendered[key] = menu
        return menu

    def render_json(self, opening: OpeningState, open_ids: frozenset[str]) -> bytes:
        """The whole response body (`{"success":true,"data":...}`), encoded once per clock state."""
        key = (opening, open_ids)
        body = self.encoded.get(key)
        if body is None:
            body = self.encoded[key] = msgspec.json.encode(ok(self.render(opening, open_ids)))
        return body

    def _category(self, node: _Node, open_ids: frozenset[str]) -> StoreCategory:
        row = node.row
        return StoreCategory(
            id=row.id,
            name=row.name,
            slug=row.slug,
            description=row.description,
            image=row.image,
            sort_order=row.sort_order,
            parent_id=row.parent_id,
            children=[self._category(child, open_ids) for child in node.children],
            items=[self._item(t, open_ids) for t in node.items],
        )

    @staticmethod
    def _item(t: _ItemTemplate, open_ids: frozenset[str]) -> StoreItem:
        reason = unavailable_reason(
            track_stock=t.track_stock,
            stock_qty=t.stock_qty,
            window_ids=t.window_ids,
            open_ids=open_ids,
            sold_out=t.sold_out,
        )
        if reason is None:
            return t.item
        note = availability_note(reason, t.item.mealtimes)
        return msgspec.structs.replace(t.item, is_available=False, unavailable_reason=reason, availability_note=note)


def assemble(rows: StorefrontRows) -> BuiltMenu:
    """The storefront menu from its flat rows: options with values only, items under shown categories only."""
    values_by_option: dict[str, list[OptionValueOut]] = defaultdict(list)
    for v in rows.values:
        values_by_option[v.menu_option_id].append(value_out(v))
    options_by_item: dict[str, list[OptionOut]] = defaultdict(list)
    for o in rows.options:
        option_values = values_by_option.get(o.id)
        if option_values:
            options_by_item[o.menu_item_id].append(option_out(o, option_values))
    allergens_by_item: dict[str, list[AllergenRef]] = defaultdict(list)
    for a in rows.allergens:
        allergens_by_item[a.menu_item_id].append(allergen_ref(a))
    windows: dict[str, Window] = {}
    window_ids: dict[str, list[str]] = defaultdict(list)
    shown_mealtimes: dict[str, list[MealtimeRef]] = defaultdict(list)
    for m in rows.mealtimes:  # active ones only
        if m.id not in windows:
            windows[m.id] = Window(id=m.id, start_time=m.start_time, end_time=m.end_time, days=tuple(m.days))
        window_ids[m.menu_item_id].append(m.id)
        shown_mealtimes[m.menu_item_id].append(mealtime_ref(m))

    nodes = {c.id: _Node(c) for c in rows.categories}
    roots: list[_Node] = []
    for c in rows.categories:
        if c.parent_id is None:
            roots.append(nodes[c.id])
        elif c.parent_id in nodes:
            nodes[c.parent_id].children.append(nodes[c.id])
        # else: the parent is hidden (inactive or another location's), and so is this branch
    tracks_stock = False
    for i in rows.items:
        node = nodes.get(i.category_id)
        if node is None:
            continue
        tracks_stock = tracks_stock or i.track_stock
        item = store_item(
            i, allergens_by_item.get(i.id, []), shown_mealtimes.get(i.id, []), options_by_item.get(i.id, [])
        )
        node.items.append(
            _ItemTemplate(
                item=item,
                track_stock=i.track_stock,
                stock_qty=i.stock_qty,
                window_ids=tuple(window_ids.get(i.id, ())),
                sold_out=i.is_sold_out,
            )
        )
    return BuiltMenu(
        location_id=rows.location.id,
        location=store_location(rows.location),
        hours=rows.hours,
        closures=rows.closures,
        pause=pause_of(rows.location),
        windows=list(windows.values()),
        roots=roots,
        tracks_stock=tracks_stock,
    )
