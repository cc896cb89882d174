"""The menu: nested categories, items with option groups, allergens, mealtimes, and the storefront's whole-menu read.

The storefront read (`storefront`) is a hot path. It loads one location's menu in a fixed number of flat queries
(one hop to a reader thread), assembles it in Python, and keeps it in memory until something that shows in it
changes: a menu or location write, a settings change, or an order while some item tracks stock. Availability
(sold out, outside a mealtime window) and `isOpenNow` depend on the clock, so they are worked out on every read;
the rendered menu is kept per combination of "open now" and "mealtime windows open now".
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, selectinload

from kitchenasty.core.api import PageParams, ok, provided
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound, ValidationFailed
from kitchenasty.core.events import DomainEvent, notify
from kitchenasty.core.links import Dependents
from kitchenasty.core.money import from_cents, to_cents
from kitchenasty.core.schema import iso
from kitchenasty.locations.hours import DayHours, is_open_at, local_now, valid_hhmm
from kitchenasty.locations.models import Location, OperatingHour
from kitchenasty.menu.models import (
    Allergen,
    Category,
    Mealtime,
    MenuItem,
    MenuOption,
    MenuOptionValue,
    menu_item_allergens,
    menu_item_mealtimes,
)
from kitchenasty.menu.rules import (
    OptionSpec,
    ValueSpec,
    Window,
    check_modifiers,
    check_option,
    normalise_selection,
    open_windows,
    unavailable_reason,
)
from kitchenasty.menu.schemas import (
    AllergenIn,
    AllergenOut,
    AllergenRef,
    CategoryDetailOut,
    CategoryIn,
    CategoryName,
    CategoryOut,
    CategoryRef,
    CategoryTreeOut,
    CategoryUpdateIn,
    Counts,
    ItemBrief,
    ItemFilter,
    MealtimeIn,
    MealtimeOut,
    MealtimeRef,
    MealtimeUpdateIn,
    MenuItemIn,
    MenuItemListOut,
    MenuItemOut,
    MenuItemUpdateIn,
    OptionIn,
    OptionOut,
    OptionValueOut,
    StoreCategory,
    StoreItem,
    StoreLocation,
    StoreMenu,
)
from kitchenasty.settings.service import SettingsService

SLUG_RE = re.compile(r"^[a-z0-9-]+$")
SLUG_MESSAGE = "Slug must be lowercase alphanumeric with hyphens"
MAX_PRICE_CENTS = 100_000_00
CACHE_TTL_SECONDS = 5.0
# Events after which the cached storefront menu is stale (published after commit by their services).
MENU_EVENTS = ("menu.changed", "location.changed", "settings.changed")
# Orders change stock (placed: down; cancelled: back up); they only matter while some item tracks stock.
STOCK_EVENTS = ("order.created", "order.statusChanged")


class MenuChanged(DomainEvent, frozen=True):
    """In-process: something on the menu changed (the storefront menu cache drops it)."""

    name = "menu.changed"


# ---------------------------------------------------------------- small helpers


def check_slug(slug: str) -> str:
    if not SLUG_RE.match(slug):
        raise ValidationFailed(SLUG_MESSAGE, code="INVALID_SLUG")
    return slug


def not_blank(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed(f"{field} must not be blank", code="VALIDATION_ERROR")
    return value


def price_cents(amount: Any) -> int:
    cents = to_cents(amount, field="price")
    if cents < 0:
        raise ValidationFailed("price must not be negative", code="INVALID_AMOUNT")
    if cents > MAX_PRICE_CENTS:
        raise ValidationFailed("price is too large", code="INVALID_AMOUNT")
    return cents


def modifier_cents(amount: Any) -> int:
    cents = to_cents(amount, field="priceModifier")
    if abs(cents) > MAX_PRICE_CENTS:
        raise ValidationFailed("priceModifier is too large", code="INVALID_AMOUNT")
    return cents


def check_time(value: str, field: str) -> str:
    if not valid_hhmm(value):
        raise ValidationFailed(f"{field} must be HH:MM (00:00 to 23:59)", code="INVALID_TIME")
    return value


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _scope(column: Any, location_id: str | None) -> Any:
    """Rows for every location (NULL) or for this one."""
    return or_(column.is_(None), column == location_id)


def value_out(v: MenuOptionValue) -> OptionValueOut:
    return OptionValueOut(
        id=v.id,
        name=v.name,
        price_modifier=from_cents(v.price_modifier_cents),
        is_default=v.is_default,
        sort_order=v.sort_order,
    )


def option_out(o: MenuOption) -> OptionOut:
    return OptionOut(
        id=o.id,
        name=o.name,
        display_type=o.display_type,
        is_required=o.is_required,
        min_select=o.min_select,
        max_select=o.max_select,
        sort_order=o.sort_order,
        values=[value_out(v) for v in sorted(o.values, key=lambda v: (v.sort_order, v.name)) if v.is_active],
    )


def mealtime_ref(m: Mealtime) -> MealtimeRef:
    return MealtimeRef(id=m.id, name=m.name, start_time=m.start_time, end_time=m.end_time, days=list(m.days))


def category_out(c: Category, items: int) -> CategoryOut:
    return CategoryOut(**_category_fields(c, items))


def _category_fields(c: Category, items: int) -> dict[str, Any]:
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


def mealtime_out(m: Mealtime, items: int) -> MealtimeOut:
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


@dataclass
class BuiltMenu:
    """One location's menu as loaded from the database (no clock-dependent fields yet)."""

    location_id: str
    location: StoreLocation
    hours: list[DayHours]
    windows: list[Window]
    roots: list[_Node]
    tracks_stock: bool
    built_at: float = field(default_factory=time.monotonic)
    rendered: dict[tuple[bool, frozenset[str]], StoreMenu] = field(default_factory=dict)
    encoded: dict[tuple[bool, frozenset[str]], bytes] = field(default_factory=dict)

    def render(self, is_open: bool, open_ids: frozenset[str]) -> StoreMenu:
        key = (is_open, open_ids)
        menu = self.rendered.get(key)
        if menu is None:
            menu = StoreMenu(
                location=msgspec.structs.replace(self.location, is_open_now=is_open),
                categories=[self._category(node, open_ids) for node in self.roots],
            )
            if len(self.rendered) > 64:  # a handful of keys in practice; never let it grow unbounded
                self.rendered.clear()
                self.encoded.clear()
            self.rendered[key] = menu
        return menu

    def render_json(self, is_open: bool, open_ids: frozenset[str]) -> bytes:
        """The whole response body (`{"success":true,"data":...}`), encoded once per clock state."""
        key = (is_open, open_ids)
        body = self.encoded.get(key)
        if body is None:
            body = self.encoded[key] = msgspec.json.encode(ok(self.render(is_open, open_ids)))
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
            track_stock=t.track_stock, stock_qty=t.stock_qty, window_ids=t.window_ids, open_ids=open_ids
        )
        if reason is None:
            return t.item
        return msgspec.structs.replace(t.item, is_available=False, unavailable_reason=reason)


def _pick_location(session: Session, location_id: str | None) -> Location:
    if location_id is None:
        active = list(
            session.scalars(select(Location).where(Location.is_active.is_(True)).order_by(Location.name).limit(2))
        )
        if not active:
            raise NotFound("No active location", code="NO_ACTIVE_LOCATION")
        if len(active) > 1:
            raise ValidationFailed(
                "Several locations are active: choose one with ?locationId=", code="LOCATION_REQUIRED"
            )
        return active[0]
    location = session.get(Location, location_id)
    if location is None:
        raise NotFound("Location not found", code="LOCATION_NOT_FOUND")
    if not location.is_active:
        raise NotFound("Location is not active", code="LOCATION_INACTIVE")
    return location


def load_menu(session: Session, location_id: str | None) -> BuiltMenu:
    """Load one location's orderable menu in eight statements, whatever its size."""
    loc = _pick_location(session, location_id)
    hours = [
        DayHours(*row)
        for row in session.execute(
            select(
                OperatingHour.day_of_week, OperatingHour.open_time, OperatingHour.close_time, OperatingHour.is_closed
            ).where(OperatingHour.location_id == loc.id)
        )
    ]
    categories = session.execute(
        select(
            Category.id,
            Category.name,
            Category.slug,
            Category.description,
            Category.image,
            Category.sort_order,
            Category.parent_id,
        )
        .where(Category.is_active.is_(True), _scope(Category.location_id, loc.id))
        .order_by(Category.sort_order, Category.name, Category.id)
    ).all()
    item_filter = (MenuItem.is_active.is_(True), _scope(MenuItem.location_id, loc.id))
    items = session.execute(
        select(
            MenuItem.id,
            MenuItem.name,
            MenuItem.slug,
            MenuItem.description,
            MenuItem.price_cents,
            MenuItem.image,
            MenuItem.category_id,
            MenuItem.track_stock,
            MenuItem.stock_qty,
            MenuItem.order_type,
        )
        .where(*item_filter)
        .order_by(MenuItem.sort_order, MenuItem.name, MenuItem.id)
    ).all()
    item_ids = select(MenuItem.id).where(*item_filter).scalar_subquery()
    options = session.execute(
        select(
            MenuOption.id,
            MenuOption.menu_item_id,
            MenuOption.name,
            MenuOption.display_type,
            MenuOption.is_required,
            MenuOption.min_select,
            MenuOption.max_select,
            MenuOption.sort_order,
        )
        .where(MenuOption.is_active.is_(True), MenuOption.menu_item_id.in_(item_ids))
        .order_by(MenuOption.sort_order, MenuOption.name, MenuOption.id)
    ).all()
    values = session.execute(
        select(
            MenuOptionValue.id,
            MenuOptionValue.menu_option_id,
            MenuOptionValue.name,
            MenuOptionValue.price_modifier_cents,
            MenuOptionValue.is_default,
            MenuOptionValue.sort_order,
        )
        .join(MenuOption, MenuOption.id == MenuOptionValue.menu_option_id)
        .where(
            MenuOptionValue.is_active.is_(True),
            MenuOption.is_active.is_(True),
            MenuOption.menu_item_id.in_(item_ids),
        )
        .order_by(MenuOptionValue.sort_order, MenuOptionValue.name, MenuOptionValue.id)
    ).all()
    allergens = session.execute(
        select(menu_item_allergens.c.menu_item_id, Allergen.id, Allergen.name)
        .join(Allergen, Allergen.id == menu_item_allergens.c.allergen_id)
        .where(menu_item_allergens.c.menu_item_id.in_(item_ids))
        .order_by(Allergen.name)
    ).all()
    mealtimes = session.execute(
        select(
            menu_item_mealtimes.c.menu_item_id,
            Mealtime.id,
            Mealtime.name,
            Mealtime.start_time,
            Mealtime.end_time,
            Mealtime.days,
        )
        .join(Mealtime, Mealtime.id == menu_item_mealtimes.c.mealtime_id)
        .where(menu_item_mealtimes.c.menu_item_id.in_(item_ids), Mealtime.is_active.is_(True))
        .order_by(Mealtime.start_time, Mealtime.name)
    ).all()
    return assemble(loc, hours, categories, items, options, values, allergens, mealtimes)


def assemble(
    loc: Location,
    hours: list[DayHours],
    categories: Sequence[Any],
    items: Sequence[Any],
    options: Sequence[Any],
    values: Sequence[Any],
    allergens: Sequence[Any],
    mealtimes: Sequence[Any],
) -> BuiltMenu:
    values_by_option: dict[str, list[OptionValueOut]] = defaultdict(list)
    for v in values:
        values_by_option[v.menu_option_id].append(
            OptionValueOut(
                id=v.id,
                name=v.name,
                price_modifier=from_cents(v.price_modifier_cents),
                is_default=v.is_default,
                sort_order=v.sort_order,
            )
        )
    options_by_item: dict[str, list[OptionOut]] = defaultdict(list)
    for o in options:
        option_values = values_by_option.get(o.id)
        if not option_values:
            continue
        options_by_item[o.menu_item_id].append(
            OptionOut(
                id=o.id,
                name=o.name,
                display_type=o.display_type,
                is_required=o.is_required,
                min_select=o.min_select,
                max_select=o.max_select,
                sort_order=o.sort_order,
                values=option_values,
            )
        )
    allergens_by_item: dict[str, list[AllergenRef]] = defaultdict(list)
    for a in allergens:
        allergens_by_item[a.menu_item_id].append(AllergenRef(id=a.id, name=a.name))
    windows: dict[str, Window] = {}
    window_ids: dict[str, list[str]] = defaultdict(list)
    shown_mealtimes: dict[str, list[MealtimeRef]] = defaultdict(list)
    for m in mealtimes:  # active ones only
        if m.id not in windows:
            windows[m.id] = Window(id=m.id, start_time=m.start_time, end_time=m.end_time, days=tuple(m.days))
        window_ids[m.menu_item_id].append(m.id)
        shown_mealtimes[m.menu_item_id].append(
            MealtimeRef(id=m.id, name=m.name, start_time=m.start_time, end_time=m.end_time, days=list(m.days))
        )

    nodes = {c.id: _Node(c) for c in categories}
    roots: list[_Node] = []
    for c in categories:
        if c.parent_id is None:
            roots.append(nodes[c.id])
        elif c.parent_id in nodes:
            nodes[c.parent_id].children.append(nodes[c.id])
        # else: the parent is hidden (inactive or another location's), and so is this branch
    tracks_stock = False
    for i in items:
        node = nodes.get(i.category_id)
        if node is None:
            continue
        tracks_stock = tracks_stock or i.track_stock
        node.items.append(
            _ItemTemplate(
                item=StoreItem(
                    id=i.id,
                    name=i.name,
                    slug=i.slug,
                    description=i.description,
                    price=from_cents(i.price_cents),
                    image=i.image,
                    category_id=i.category_id,
                    is_available=True,
                    unavailable_reason=None,
                    track_stock=i.track_stock,
                    stock_qty=i.stock_qty,
                    order_type=i.order_type,
                    allergens=allergens_by_item.get(i.id, []),
                    mealtimes=shown_mealtimes.get(i.id, []),
                    options=options_by_item.get(i.id, []),
                ),
                track_stock=i.track_stock,
                stock_qty=i.stock_qty,
                window_ids=tuple(window_ids.get(i.id, ())),
            )
        )
    return BuiltMenu(
        location_id=loc.id,
        location=StoreLocation(
            id=loc.id,
            name=loc.name,
            slug=loc.slug,
            is_open_now=False,
            is_busy=loc.is_busy,
            busy_message=loc.busy_message,
            delivery_enabled=loc.delivery_enabled,
            pickup_enabled=loc.pickup_enabled,
            dine_in_enabled=loc.dine_in_enabled,
            min_order_delivery=from_cents(loc.min_order_delivery_cents),
            min_order_pickup=from_cents(loc.min_order_pickup_cents),
            delivery_lead_time=loc.delivery_lead_time,
            pickup_lead_time=loc.pickup_lead_time,
        ),
        hours=hours,
        windows=list(windows.values()),
        roots=roots,
        tracks_stock=tracks_stock,
    )


# ---------------------------------------------------------------- the service


class MenuService:
    def __init__(self, db: Database, settings: SettingsService, dependents: Dependents | None = None) -> None:
        self.db = db
        self.settings = settings
        self.dependents = dependents or Dependents()
        """What other domains hold of this one's rows (registered when the services are wired)."""
        self._menus: dict[str | None, BuiltMenu] = {}
        self._loading: dict[tuple[int, str | None], asyncio.Future[BuiltMenu]] = {}
        self._generation = 0
        for name in MENU_EVENTS:
            db.bus.subscribe(name, self._on_menu_event)
        for name in STOCK_EVENTS:
            db.bus.subscribe(name, self._on_stock_event)

    # ------------------------------------------------------------ storefront cache

    def invalidate(self) -> None:
        """Drop every cached storefront menu (the next read loads it again)."""
        self._generation += 1
        self._menus = {}
        self._loading = {}

    def _on_menu_event(self, _event: DomainEvent) -> None:
        self.invalidate()

    def _on_stock_event(self, _event: DomainEvent) -> None:
        # With nothing cached a load may be in flight: invalidating (cheap) keeps it from being cached stale.
        if not self._menus or any(menu.tracks_stock for menu in self._menus.values()):
            self.invalidate()

    async def _current(self, location_id: str | None) -> tuple[BuiltMenu, bool, frozenset[str]]:
        """The location's loaded menu, whether the location is open now, and the mealtime windows open now."""
        timezone = (await self.settings.resolved()).get("general.timezone")
        menu = self._menus.get(location_id)
        if menu is None:
            menu = await asyncio.shield(self._load(location_id))
        elif time.monotonic() - menu.built_at > CACHE_TTL_SECONDS:
            # Writes made in this process invalidate at once; the TTL only catches writes from other processes,
            # so serve the current menu and refresh it in the background (one load, not one per waiting request).
            self._load(location_id)
        now = local_now(timezone)
        return menu, is_open_at(menu.hours, now), open_windows(menu.windows, now)

    def _load(self, location_id: str | None) -> asyncio.Future[BuiltMenu]:
        """The one in-flight load of a location's menu (concurrent readers share it), cached when it lands unless
        the menu changed meanwhile."""
        key = (id(asyncio.get_running_loop()), location_id)
        loading = self._loading.get(key)
        if loading is not None:
            return loading
        generation = self._generation
        loading = asyncio.ensure_future(self.db.run_read(lambda session: load_menu(session, location_id)))
        self._loading[key] = loading

        def landed(done: asyncio.Future[BuiltMenu]) -> None:
            if self._loading.get(key) is done:
                del self._loading[key]
            if not done.cancelled() and done.exception() is None and generation == self._generation:
                self._menus[location_id] = done.result()

        loading.add_done_callback(landed)
        return loading

    async def storefront(self, location_id: str | None) -> StoreMenu:
        """One location's orderable menu (`GET /api/menu`), with availability as of now."""
        menu, is_open, open_ids = await self._current(location_id)
        return menu.render(is_open, open_ids)

    async def storefront_json(self, location_id: str | None) -> bytes:
        """`storefront` as the encoded response body: the hot path serves these bytes without re-encoding."""
        menu, is_open, open_ids = await self._current(location_id)
        return menu.render_json(is_open, open_ids)

    # ------------------------------------------------------------ categories

    async def _item_counts(self, session: AsyncSession, category_ids: Sequence[str] | None = None) -> dict[str, int]:
        stmt = select(MenuItem.category_id, func.count()).group_by(MenuItem.category_id)
        if category_ids is not None:
            stmt = stmt.where(MenuItem.category_id.in_(category_ids))
        return dict((await session.execute(stmt)).all())  # type: ignore[arg-type]

    async def category_tree(self, location_id: str | None = None) -> list[CategoryTreeOut]:
        """Every category (inactive ones too) as a tree: roots, each with its `children`, recursively."""
        stmt = select(Category).order_by(Category.sort_order, Category.name, Category.id)
        if location_id:
            stmt = stmt.where(_scope(Category.location_id, location_id))
        async with self.db.session() as session:
            rows = list(await session.scalars(stmt))
            counts = await self._item_counts(session)
        nodes = {c.id: CategoryTreeOut(**_category_fields(c, counts.get(c.id, 0)), children=[]) for c in rows}
        roots = []
        for c in rows:
            parent = nodes.get(c.parent_id) if c.parent_id else None
            if parent is None:  # a root, or a subcategory whose parent belongs to another location
                roots.append(nodes[c.id])
            else:
                parent.children.append(nodes[c.id])
        return roots

    async def get_category(self, category_id: str) -> CategoryDetailOut:
        async with self.db.session() as session:
            category = await session.get(Category, category_id)
            if category is None:
                raise NotFound("Category not found", code="CATEGORY_NOT_FOUND")
            parent = await session.get(Category, category.parent_id) if category.parent_id else None
            children = list(
                await session.scalars(
                    select(Category)
                    .where(Category.parent_id == category_id)
                    .order_by(Category.sort_order, Category.name, Category.id)
                )
            )
            items = list(
                await session.scalars(
                    select(MenuItem)
                    .where(MenuItem.category_id == category_id)
                    .order_by(MenuItem.sort_order, MenuItem.name, MenuItem.id)
                )
            )
            counts = await self._item_counts(session, [category_id, *(c.id for c in children)])
            option_counts = await self._option_counts(session, [i.id for i in items])
        return CategoryDetailOut(
            **_category_fields(category, counts.get(category_id, 0)),
            parent=CategoryRef(id=parent.id, name=parent.name, slug=parent.slug) if parent else None,
            children=[category_out(c, counts.get(c.id, 0)) for c in children],
            menu_items=[
                ItemBrief(
                    id=i.id,
                    name=i.name,
                    slug=i.slug,
                    price=from_cents(i.price_cents),
                    image=i.image,
                    is_active=i.is_active,
                    sort_order=i.sort_order,
                    track_stock=i.track_stock,
                    stock_qty=i.stock_qty,
                    counts=Counts(options=option_counts.get(i.id, 0)),
                )
                for i in items
            ],
        )

    @staticmethod
    async def _check_location(session: AsyncSession, location_id: str | None) -> None:
        if location_id is not None and await session.get(Location, location_id) is None:
            raise ValidationFailed("Location not found", code="LOCATION_NOT_FOUND")

    async def create_category(self, data: CategoryIn) -> CategoryDetailOut:
        try:
            async with self.db.transaction() as session:
                category = await self.create_category_in(session, data)
        except IntegrityError:
            raise Conflict("A category with this slug already exists", code="SLUG_TAKEN") from None
        return await self.get_category(category.id)

    async def create_category_in(self, session: AsyncSession, data: CategoryIn) -> Category:
        """Add a validated category inside the caller's transaction (also used by the demo seed)."""
        check_slug(data.slug)
        name = not_blank(data.name, "name")
        if data.parent_id is not None and await session.get(Category, data.parent_id) is None:
            raise ValidationFailed("Parent category not found", code="PARENT_NOT_FOUND")
        await self._check_location(session, data.location_id)
        if await session.scalar(select(Category.id).where(Category.slug == data.slug)):
            raise Conflict("A category with this slug already exists", code="SLUG_TAKEN")
        category = Category(
            name=name,
            slug=data.slug,
            description=data.description,
            image=data.image,
            sort_order=data.sort_order,
            is_active=data.is_active,
            parent_id=data.parent_id,
            location_id=data.location_id,
        )
        session.add(category)
        await session.flush()
        notify(session, MenuChanged())
        return category

    async def update_category(self, category_id: str, data: CategoryUpdateIn) -> CategoryDetailOut:
        fields = provided(data)
        async with self.db.transaction() as session:
            category = await session.get(Category, category_id)
            if category is None:
                raise NotFound("Category not found", code="CATEGORY_NOT_FOUND")
            if fields.pop("slug", category.slug) != category.slug:
                raise ValidationFailed("The slug of a category cannot be changed", code="SLUG_IMMUTABLE")
            if "name" in fields:
                fields["name"] = not_blank(fields["name"], "name")
            parent_id = fields.get("parent_id")
            if parent_id is not None and parent_id != category.parent_id:
                if parent_id == category_id:
                    raise ValidationFailed("Category cannot be its own parent", code="CATEGORY_CYCLE")
                parents = dict((await session.execute(select(Category.id, Category.parent_id))).all())
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
            if "location_id" in fields:
                await self._check_location(session, fields["location_id"])
            for key, value in fields.items():
                setattr(category, key, value)
            notify(session, MenuChanged())
        return await self.get_category(category_id)

    async def delete_category(self, category_id: str) -> None:
        async with self.db.transaction() as session:
            if await session.get(Category, category_id) is None:
                raise NotFound("Category not found", code="CATEGORY_NOT_FOUND")
            if await session.scalar(select(MenuItem.id).where(MenuItem.category_id == category_id).limit(1)):
                raise Conflict(
                    "Cannot delete category with menu items. Move or delete items first.", code="CATEGORY_HAS_ITEMS"
                )
            if await session.scalar(select(Category.id).where(Category.parent_id == category_id).limit(1)):
                raise Conflict(
                    "Cannot delete category with subcategories. Move or delete subcategories first.",
                    code="CATEGORY_HAS_CHILDREN",
                )
            await session.execute(delete(Category).where(Category.id == category_id))
            notify(session, MenuChanged())

    # ------------------------------------------------------------ items: reads

    @staticmethod
    async def _option_counts(session: AsyncSession, item_ids: Sequence[str]) -> dict[str, int]:
        if not item_ids:
            return {}
        rows = await session.execute(
            select(MenuOption.menu_item_id, func.count())
            .where(MenuOption.menu_item_id.in_(item_ids), MenuOption.is_active.is_(True))
            .group_by(MenuOption.menu_item_id)
        )
        return dict(rows.all())  # type: ignore[arg-type]

    async def list_items(self, params: PageParams, filters: ItemFilter) -> tuple[list[MenuItemListOut], int]:
        """Every item (inactive and sold-out ones too), by sort order then name."""
        conditions = []
        if filters.category_id:
            conditions.append(MenuItem.category_id == filters.category_id)
        if filters.search and filters.search.strip():
            needle = f"%{_escape_like(filters.search.strip().lower())}%"
            conditions.append(func.lower(MenuItem.name).like(needle, escape="\\"))
        async with self.db.session() as session:
            total = await session.scalar(select(func.count()).select_from(MenuItem).where(*conditions)) or 0
            rows = (
                await session.execute(
                    select(MenuItem, Category.name)
                    .join(Category, Category.id == MenuItem.category_id)
                    .where(*conditions)
                    .order_by(MenuItem.sort_order, MenuItem.name, MenuItem.id)
                    .limit(params.limit)
                    .offset(params.offset)
                )
            ).all()
            ids = [item.id for item, _ in rows]
            options = await self._option_counts(session, ids)
            allergens: dict[str, int] = {}
            mealtimes: dict[str, int] = {}
            if ids:
                allergens = dict(
                    (
                        await session.execute(
                            select(menu_item_allergens.c.menu_item_id, func.count())
                            .where(menu_item_allergens.c.menu_item_id.in_(ids))
                            .group_by(menu_item_allergens.c.menu_item_id)
                        )
                    ).all()  # type: ignore[arg-type]
                )
                mealtimes = dict(
                    (
                        await session.execute(
                            select(menu_item_mealtimes.c.menu_item_id, func.count())
                            .where(menu_item_mealtimes.c.menu_item_id.in_(ids))
                            .group_by(menu_item_mealtimes.c.menu_item_id)
                        )
                    ).all()  # type: ignore[arg-type]
                )
        return [
            MenuItemListOut(
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
                order_type=item.order_type,
                category_id=item.category_id,
                location_id=item.location_id,
                category=CategoryName(id=item.category_id, name=category_name),
                counts=Counts(
                    options=options.get(item.id, 0),
                    allergens=allergens.get(item.id, 0),
                    mealtimes=mealtimes.get(item.id, 0),
                ),
                created_at=iso(item.created_at) or "",
                updated_at=iso(item.updated_at) or "",
            )
            for item, category_name in rows
        ], total

    @staticmethod
    def _full_item() -> Any:
        return (
            selectinload(MenuItem.options).selectinload(MenuOption.values),
            selectinload(MenuItem.allergens),
            selectinload(MenuItem.mealtimes),
        )

    async def get_item(self, item_id: str) -> MenuItemOut:
        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(MenuItem, Category.name)
                    .join(Category, Category.id == MenuItem.category_id)
                    .where(MenuItem.id == item_id)
                    .options(*self._full_item())
                )
            ).first()
        if row is None:
            raise NotFound("Menu item not found", code="MENU_ITEM_NOT_FOUND")
        item, category_name = row
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
            order_type=item.order_type,
            category_id=item.category_id,
            location_id=item.location_id,
            category=CategoryName(id=item.category_id, name=category_name),
            options=[
                option_out(o)
                for o in sorted(item.options, key=lambda o: (o.sort_order, o.name))
                if o.is_active and any(v.is_active for v in o.values)
            ],
            allergens=[AllergenRef(id=a.id, name=a.name) for a in item.allergens],
            mealtimes=[mealtime_ref(m) for m in item.mealtimes],
            created_at=iso(item.created_at) or "",
            updated_at=iso(item.updated_at) or "",
        )

    # ------------------------------------------------------------ items: writes

    @staticmethod
    async def _fetch_all(session: AsyncSession, model: Any, ids: Sequence[str], label: str) -> list[Any]:
        wanted = _unique(ids)
        if not wanted:
            return []
        found = {row.id: row for row in await session.scalars(select(model).where(model.id.in_(wanted)))}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise ValidationFailed(f"{label} not found: {', '.join(missing)}", code=f"{label.upper()}_NOT_FOUND")
        return [found[i] for i in wanted]

    async def _check_category(self, session: AsyncSession, category_id: str) -> None:
        if await session.get(Category, category_id) is None:
            raise ValidationFailed("Category not found", code="CATEGORY_NOT_FOUND")

    async def create_item(self, data: MenuItemIn) -> MenuItemOut:
        try:
            async with self.db.transaction() as session:
                item = await self.create_item_in(session, data)
        except IntegrityError:
            raise Conflict("A menu item with this slug already exists", code="SLUG_TAKEN") from None
        return await self.get_item(item.id)

    async def create_item_in(self, session: AsyncSession, data: MenuItemIn) -> MenuItem:
        """Add a validated item (with options, allergens, mealtimes) inside the caller's transaction."""
        check_slug(data.slug)
        name = not_blank(data.name, "name")
        price = price_cents(data.price)
        specs = [_option_spec(o, price) for o in data.options]
        await self._check_category(session, data.category_id)
        await self._check_location(session, data.location_id)
        allergens = await self._fetch_all(session, Allergen, data.allergen_ids, "Allergen")
        mealtimes = await self._fetch_all(session, Mealtime, data.mealtime_ids, "Mealtime")
        if any(o.id is not None or any(v.id is not None for v in o.values) for o in data.options):
            raise ValidationFailed("A new menu item's options cannot carry ids", code="INVALID_OPTION")
        if await session.scalar(select(MenuItem.id).where(MenuItem.slug == data.slug)):
            raise Conflict("A menu item with this slug already exists", code="SLUG_TAKEN")
        item = MenuItem(
            name=name,
            slug=data.slug,
            description=data.description,
            price_cents=price,
            image=data.image,
            is_active=data.is_active,
            sort_order=data.sort_order,
            track_stock=data.track_stock,
            stock_qty=data.stock_qty,
            order_type=data.order_type,
            category_id=data.category_id,
            location_id=data.location_id,
            options=[
                _new_option(o, spec, position)
                for position, (o, spec) in enumerate(zip(data.options, specs, strict=True))
            ],
            allergens=allergens,
            mealtimes=mealtimes,
        )
        session.add(item)
        await session.flush()
        notify(session, MenuChanged())
        return item

    async def update_item(self, item_id: str, data: MenuItemUpdateIn) -> MenuItemOut:
        fields = provided(data)
        try:
            async with self.db.transaction() as session:
                item = await session.scalar(select(MenuItem).where(MenuItem.id == item_id).options(*self._full_item()))
                if item is None:
                    raise NotFound("Menu item not found", code="MENU_ITEM_NOT_FOUND")
                if fields.pop("slug", item.slug) != item.slug:
                    raise ValidationFailed("The slug of a menu item cannot be changed", code="SLUG_IMMUTABLE")
                if "name" in fields:
                    fields["name"] = not_blank(fields["name"], "name")
                if "price" in fields:
                    fields["price_cents"] = price_cents(fields.pop("price"))
                if "category_id" in fields:
                    await self._check_category(session, fields["category_id"])
                if "location_id" in fields:
                    await self._check_location(session, fields["location_id"])
                if "allergen_ids" in fields:
                    item.allergens = await self._fetch_all(session, Allergen, fields.pop("allergen_ids"), "Allergen")
                if "mealtime_ids" in fields:
                    item.mealtimes = await self._fetch_all(session, Mealtime, fields.pop("mealtime_ids"), "Mealtime")
                options = fields.pop("options", None)
                for key, value in fields.items():
                    setattr(item, key, value)
                if options is not None:
                    _replace_options(item, options)
                for option in item.options:
                    if option.is_active:
                        check_modifiers(
                            option.name,
                            (v.price_modifier_cents for v in option.values if v.is_active),
                            item.price_cents,
                        )
                notify(session, MenuChanged())
        except IntegrityError:
            raise Conflict("A menu item with this slug already exists", code="SLUG_TAKEN") from None
        return await self.get_item(item_id)

    async def delete_item(self, item_id: str) -> None:
        refused = Conflict(
            "Cannot delete menu item with existing orders. Deactivate it instead.", code="MENU_ITEM_IN_USE"
        )
        try:
            async with self.db.transaction() as session:
                if await session.get(MenuItem, item_id) is None:
                    raise NotFound("Menu item not found", code="MENU_ITEM_NOT_FOUND")
                if await self.dependents.in_use(session, "menu_item", item_id):
                    raise refused
                await session.execute(delete(MenuItem).where(MenuItem.id == item_id))
                notify(session, MenuChanged())
        except IntegrityError:
            raise refused from None

    # ------------------------------------------------------------ allergens

    async def list_allergens(self) -> list[AllergenOut]:
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(Allergen, func.count(menu_item_allergens.c.menu_item_id))
                    .outerjoin(menu_item_allergens, menu_item_allergens.c.allergen_id == Allergen.id)
                    .group_by(Allergen.id)
                    .order_by(Allergen.name)
                )
            ).all()
        return [AllergenOut(id=a.id, name=a.name, counts=Counts(menu_items=n)) for a, n in rows]

    async def create_allergen(self, data: AllergenIn) -> AllergenOut:
        refused = Conflict("An allergen with this name already exists", code="ALLERGEN_EXISTS")
        try:
            async with self.db.transaction() as session:
                allergen = await self.create_allergen_in(session, data.name)
        except IntegrityError:
            raise refused from None
        return AllergenOut(id=allergen.id, name=allergen.name, counts=Counts(menu_items=0))

    async def create_allergen_in(self, session: AsyncSession, name: str) -> Allergen:
        name = not_blank(name, "name")
        if await session.scalar(select(Allergen.id).where(func.lower(Allergen.name) == name.lower())):
            raise Conflict("An allergen with this name already exists", code="ALLERGEN_EXISTS")
        allergen = Allergen(name=name)
        session.add(allergen)
        await session.flush()
        notify(session, MenuChanged())
        return allergen

    async def delete_allergen(self, allergen_id: str) -> None:
        async with self.db.transaction() as session:
            if await session.get(Allergen, allergen_id) is None:
                raise NotFound("Allergen not found", code="ALLERGEN_NOT_FOUND")
            await session.execute(delete(Allergen).where(Allergen.id == allergen_id))
            notify(session, MenuChanged())

    # ------------------------------------------------------------ mealtimes

    async def _mealtime_counts(self, session: AsyncSession, ids: Sequence[str]) -> dict[str, int]:
        if not ids:
            return {}
        rows = await session.execute(
            select(menu_item_mealtimes.c.mealtime_id, func.count())
            .where(menu_item_mealtimes.c.mealtime_id.in_(ids))
            .group_by(menu_item_mealtimes.c.mealtime_id)
        )
        return dict(rows.all())  # type: ignore[arg-type]

    async def list_mealtimes(self, location_id: str | None = None) -> list[MealtimeOut]:
        """By start time; with `location_id`, the mealtimes of every location plus that location's own."""
        stmt = select(Mealtime).order_by(Mealtime.start_time, Mealtime.name, Mealtime.id)
        if location_id:
            stmt = stmt.where(_scope(Mealtime.location_id, location_id))
        async with self.db.session() as session:
            rows = list(await session.scalars(stmt))
            counts = await self._mealtime_counts(session, [m.id for m in rows])
        return [mealtime_out(m, counts.get(m.id, 0)) for m in rows]

    async def _mealtime(self, mealtime_id: str) -> MealtimeOut:
        async with self.db.session() as session:
            mealtime = await session.get(Mealtime, mealtime_id)
            if mealtime is None:
                raise NotFound("Mealtime not found", code="MEALTIME_NOT_FOUND")
            counts = await self._mealtime_counts(session, [mealtime_id])
        return mealtime_out(mealtime, counts.get(mealtime_id, 0))

    async def create_mealtime(self, data: MealtimeIn) -> MealtimeOut:
        async with self.db.transaction() as session:
            mealtime = await self.create_mealtime_in(session, data)
        return await self._mealtime(mealtime.id)

    async def create_mealtime_in(self, session: AsyncSession, data: MealtimeIn) -> Mealtime:
        mealtime = Mealtime(
            name=not_blank(data.name, "name"),
            start_time=check_time(data.start_time, "startTime"),
            end_time=check_time(data.end_time, "endTime"),
            days=sorted(set(data.days)),
            is_active=data.is_active,
            location_id=data.location_id,
        )
        await self._check_location(session, data.location_id)
        session.add(mealtime)
        await session.flush()
        notify(session, MenuChanged())
        return mealtime

    async def update_mealtime(self, mealtime_id: str, data: MealtimeUpdateIn) -> MealtimeOut:
        fields = provided(data)
        if "name" in fields:
            fields["name"] = not_blank(fields["name"], "name")
        for key, label in (("start_time", "startTime"), ("end_time", "endTime")):
            if key in fields:
                check_time(fields[key], label)
        if "days" in fields:
            fields["days"] = sorted(set(fields["days"]))
        async with self.db.transaction() as session:
            mealtime = await session.get(Mealtime, mealtime_id)
            if mealtime is None:
                raise NotFound("Mealtime not found", code="MEALTIME_NOT_FOUND")
            if "location_id" in fields:
                await self._check_location(session, fields["location_id"])
            for key, value in fields.items():
                setattr(mealtime, key, value)
            notify(session, MenuChanged())
        return await self._mealtime(mealtime_id)

    async def delete_mealtime(self, mealtime_id: str) -> None:
        async with self.db.transaction() as session:
            if await session.get(Mealtime, mealtime_id) is None:
                raise NotFound("Mealtime not found", code="MEALTIME_NOT_FOUND")
            await session.execute(delete(Mealtime).where(Mealtime.id == mealtime_id))
            notify(session, MenuChanged())


# ---------------------------------------------------------------- option groups


def _option_spec(option: OptionIn, price: int) -> OptionSpec:
    """Validate one option group as sent, against the item's price; returns the normalised rule values."""
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
            )
            for v in option.values
        ),
    )
    check_option(spec, price)
    return spec


def _sort(given: int | None, position: int) -> int:
    return position if given is None else given


def _new_option(option: OptionIn, spec: OptionSpec, position: int) -> MenuOption:
    return MenuOption(
        name=spec.name,
        display_type=spec.display_type,
        is_required=spec.is_required,
        min_select=spec.min_select,
        max_select=spec.max_select,
        sort_order=_sort(option.sort_order, position),
        is_active=True,
        values=[
            MenuOptionValue(
                name=v.name,
                price_modifier_cents=v.price_modifier_cents,
                is_default=v.is_default,
                sort_order=_sort(value_in.sort_order, index),
                is_active=True,
            )
            for index, (value_in, v) in enumerate(zip(option.values, spec.values, strict=True))
        ],
    )


def _replace_options(item: MenuItem, options: list[OptionIn]) -> None:
    """Make `options` the item's option groups. Rows sent with their id are updated in place (same id); rows left
    out are retired (`is_active=False`), never deleted: order lines keep pointing at the values they were placed
    with. Prices are checked by the caller once the item's new price is known."""
    specs = [_option_spec(o, MAX_PRICE_CENTS) for o in options]
    existing = {o.id: o for o in item.options}
    sent_options = [o.id for o in options if o.id is not None]
    sent_values = [v.id for o in options for v in o.values if v.id is not None]
    if len(set(sent_options)) != len(sent_options) or len(set(sent_values)) != len(sent_values):
        raise ValidationFailed("An option or value id appears more than once", code="INVALID_OPTION")
    kept: set[str] = set()
    for position, (option_in, spec) in enumerate(zip(options, specs, strict=True)):
        if option_in.id is None:
            if any(v.id is not None for v in option_in.values):
                raise ValidationFailed(
                    f"Option '{spec.name}' is new, so its values cannot carry ids", code="INVALID_OPTION"
                )
            item.options.append(_new_option(option_in, spec, position))
            continue
        option = existing.get(option_in.id)
        if option is None:
            raise ValidationFailed(f"Option {option_in.id} does not belong to this item", code="INVALID_OPTION")
        kept.add(option.id)
        option.name = spec.name
        option.display_type = spec.display_type
        option.is_required = spec.is_required
        option.min_select = spec.min_select
        option.max_select = spec.max_select
        option.sort_order = _sort(option_in.sort_order, position)
        option.is_active = True
        current = {v.id: v for v in option.values}
        kept_values: set[str] = set()
        for index, (value_in, value_spec) in enumerate(zip(option_in.values, spec.values, strict=True)):
            if value_in.id is None:
                option.values.append(
                    MenuOptionValue(
                        name=value_spec.name,
                        price_modifier_cents=value_spec.price_modifier_cents,
                        is_default=value_spec.is_default,
                        sort_order=_sort(value_in.sort_order, index),
                        is_active=True,
                    )
                )
                continue
            value = current.get(value_in.id)
            if value is None:
                raise ValidationFailed(
                    f"Value {value_in.id} does not belong to option '{spec.name}'", code="INVALID_OPTION"
                )
            kept_values.add(value.id)
            value.name = value_spec.name
            value.price_modifier_cents = value_spec.price_modifier_cents
            value.is_default = value_spec.is_default
            value.sort_order = _sort(value_in.sort_order, index)
            value.is_active = True
        for value in current.values():
            if value.id not in kept_values:
                value.is_active = False
    for option in existing.values():
        if option.id not in kept:
            option.is_active = False
            for value in option.values:
                value.is_active = False
