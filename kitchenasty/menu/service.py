"""The menu: nested categories, items with option groups, allergens, mealtimes, and the storefront's whole-menu read.

The service coordinates: each write is one transaction that runs the pure rules (`menu.checks`), reads and writes
through `menu.queries` and records `MenuChanged`; reads build their response shapes with `menu.views`.

The storefront read (`storefront`) is a hot path. It loads one location's menu in a fixed number of flat queries
(one hop to a reader thread), assembles it in Python, and keeps it in memory until something that shows in it
changes: a menu or location write, a settings change, or an order while some item tracks stock. Availability
(sold out, outside a mealtime window) and the opening state (open now, until or from when) depend on the clock, so
they are worked out on every read; the rendered menu is kept per combination of opening state and "mealtime
windows open now".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core.api import PageParams, provided
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound, ValidationFailed, field_refusal
from kitchenasty.core.events import DomainEvent, notify
from kitchenasty.core.links import Dependents
from kitchenasty.core.validate import check_slug, check_time, not_blank
from kitchenasty.locations.hours import OpeningState, local_now
from kitchenasty.menu import checks, queries, storefront_queries, views
from kitchenasty.menu.checks import open_windows
from kitchenasty.menu.events import MenuChanged
from kitchenasty.menu.models import Allergen, Category, Mealtime, MenuItem, menu_item_allergens, menu_item_mealtimes
from kitchenasty.menu.schemas import (
    AllergenIn,
    AllergenOut,
    CategoryDetailOut,
    CategoryIn,
    CategoryOrderIn,
    CategoryTreeOut,
    CategoryUpdateIn,
    ItemFilter,
    MealtimeIn,
    MealtimeOut,
    MealtimeUpdateIn,
    MenuItemIn,
    MenuItemListOut,
    MenuItemOut,
    MenuItemUpdateIn,
    RepriceIn,
    RepriceOut,
    StoreMenu,
)
from kitchenasty.menu.views import BuiltMenu
from kitchenasty.settings.service import SettingsService

CACHE_TTL_SECONDS = 5.0

SLUG_TAKEN = {
    "category": "A category with this slug already exists",
    "item": "A menu item with this slug already exists",
}
ALLERGEN_EXISTS = "An allergen with this name already exists"


class MenuService:
    def __init__(self, db: Database, settings: SettingsService, dependents: Dependents | None = None) -> None:
        self.db = db
        self.settings = settings
        self.dependents = dependents or Dependents()
        """What other domains hold of this one's rows (registered when the services are wired)."""
        self._menus: dict[str | None, BuiltMenu] = {}
        self._loading: dict[tuple[int, str | None], asyncio.Future[BuiltMenu]] = {}
        self._generation = 0

    # ------------------------------------------------------------ storefront cache

    def invalidate(self) -> None:
        """Drop every cached storefront menu (the next read loads it again)."""
        self._generation += 1
        self._menus = {}
        self._loading = {}

    def on_menu_event(self, _event: DomainEvent) -> None:
        """The menu, a location or the settings changed: every cached storefront menu is stale."""
        self.invalidate()

    def on_stock_event(self, _event: DomainEvent) -> None:
        """An order was placed or moved: menus showing stock are stale."""
        # With nothing cached a load may be in flight: invalidating (cheap) keeps it from being cached stale.
        if not self._menus or any(menu.tracks_stock for menu in self._menus.values()):
            self.invalidate()

    async def _current(self, location_id: str | None) -> tuple[BuiltMenu, OpeningState, frozenset[str]]:
        """The location's loaded menu, its opening state now, and the mealtime windows open now."""
        timezone = (await self.settings.resolved()).get("general.timezone")
        now = local_now(timezone)
        since = now.date() - timedelta(days=1)
        menu = self._menus.get(location_id)
        if menu is None:
            menu = await asyncio.shield(self._load(location_id, since))
        elif time.monotonic() - menu.built_at > CACHE_TTL_SECONDS:
            # Writes made in this process invalidate at once; the TTL only catches writes from other processes,
            # so serve the current menu and refresh it in the background (one load, not one per waiting request).
            self._load(location_id, since)
        return menu, menu.opening(now), open_windows(menu.windows, now)

    def _load(self, location_id: str | None, since: date) -> asyncio.Future[BuiltMenu]:
        """The one in-flight load of a location's menu (concurrent readers share it), cached when it lands unless
        the menu changed meanwhile; closures that ended before `since` are left out."""
        key = (id(asyncio.get_running_loop()), location_id)
        loading = self._loading.get(key)
        if loading is not None:
            return loading
        generation = self._generation
        loading = asyncio.ensure_future(
            self.db.run_read(
                lambda session: views.assemble(storefront_queries.storefront_rows(session, location_id, since))
            )
        )
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
        menu, opening, open_ids = await self._current(location_id)
        return menu.render(opening, open_ids)

    async def storefront_json(self, location_id: str | None) -> bytes:
        """`storefront` as the encoded response body: the hot path serves these bytes without re-encoding."""
        menu, opening, open_ids = await self._current(location_id)
        return menu.render_json(opening, open_ids)

    # ------------------------------------------------------------ shared checks against the database

    @staticmethod
    async def _check_location(session: AsyncSession, location_id: str | None) -> None:
        if location_id is not None and not await queries.location_exists(session, location_id):
            raise ValidationFailed("Location not found", code="LOCATION_NOT_FOUND")

    async def _check_station(self, session: AsyncSession, station_id: str | None) -> None:
        """A station an item is sent to must exist (the kitchen domain answers, through `core.links`)."""
        if station_id is not None and not await self.dependents.found(session, "station", station_id):
            raise field_refusal("stationId", "This station does not exist; choose another one", "STATION_NOT_FOUND")

    @staticmethod
    async def _check_category(session: AsyncSession, category_id: str) -> None:
        if await queries.category(session, category_id) is None:
            raise ValidationFailed("Category not found", code="CATEGORY_NOT_FOUND")

    @staticmethod
    async def _fetch_all(session: AsyncSession, model: Any, ids: Sequence[str], label: str) -> list[Any]:
        """The `model` rows (Allergen, Mealtime) for these ids, in the order sent; refused if one is missing."""
        wanted = checks.unique(ids)
        return checks.all_found(wanted, await queries.rows_by_ids(session, model, wanted), label)

    # ------------------------------------------------------------ categories

    async def category_tree(self, location_id: str | None = None) -> list[CategoryTreeOut]:
        """Every category (inactive ones too) as a tree: roots, each with its `children`, recursively."""
        async with self.db.session() as session:
            rows = await queries.categories(session, location_id)
            counts = await queries.item_counts(session)
        return views.category_tree(rows, counts)

    async def get_category(self, category_id: str) -> CategoryDetailOut:
        async with self.db.session() as session:
            category = await queries.category(session, category_id)
            if category is None:
                raise NotFound("Category not found", code="CATEGORY_NOT_FOUND")
            parent = await queries.category(session, category.parent_id) if category.parent_id else None
            children = await queries.subcategories(session, category_id)
            items = await queries.items_in(session, category_id)
            counts = await queries.item_counts(session, [category_id, *(c.id for c in children)])
            option_counts = await queries.option_counts(session, [i.id for i in items])
        return views.category_detail_out(category, parent, children, items, counts, option_counts)

    async def create_category(self, data: CategoryIn) -> CategoryDetailOut:
        try:
            async with self.db.transaction() as session:
                category = await self.create_category_in(session, data)
        except IntegrityError:
            raise Conflict(SLUG_TAKEN["category"], code="SLUG_TAKEN") from None
        return await self.get_category(category.id)

    async def create_category_in(self, session: AsyncSession, data: CategoryIn) -> Category:
        """Add a validated category inside the caller's transaction (also used by the demo seed)."""
        check_slug(data.slug)
        name = not_blank(data.name, "name")
        if data.parent_id is not None and await queries.category(session, data.parent_id) is None:
            raise ValidationFailed("Parent category not found", code="PARENT_NOT_FOUND")
        await self._check_location(session, data.location_id)
        if await queries.category_slug_taken(session, data.slug):
            raise Conflict(SLUG_TAKEN["category"], code="SLUG_TAKEN")
        category = await queries.add_category(
            session,
            name=name,
            slug=data.slug,
            description=data.description,
            image=data.image,
            sort_order=data.sort_order,
            is_active=data.is_active,
            parent_id=data.parent_id,
            location_id=data.location_id,
        )
        notify(session, MenuChanged())
        return category

    async def update_category(self, category_id: str, data: CategoryUpdateIn) -> CategoryDetailOut:
        fields = provided(data)
        async with self.db.transaction() as session:
            category = await queries.category(session, category_id)
            if category is None:
                raise NotFound("Category not found", code="CATEGORY_NOT_FOUND")
            if fields.pop("slug", category.slug) != category.slug:
                raise ValidationFailed("The slug of a category cannot be changed", code="SLUG_IMMUTABLE")
            if "name" in fields:
                fields["name"] = not_blank(fields["name"], "name")
            parent_id = fields.get("parent_id")
            if parent_id is not None and parent_id != category.parent_id:
                checks.check_parent(category_id, parent_id, await self._parents(session))
            if "location_id" in fields:
                await self._check_location(session, fields["location_id"])
            queries.set_fields(category, fields)
            notify(session, MenuChanged())
        return await self.get_category(category_id)

    @staticmethod
    async def _parents(session: AsyncSession) -> dict[str, str | None]:
        """Every category's parent (None for a root)."""
        return {c: parent for c, (parent, _) in (await queries.category_states(session)).items()}

    async def order_categories(self, data: CategoryOrderIn) -> list[CategoryTreeOut]:
        """Put the categories under one parent in the order sent (one transaction); answers the whole tree."""
        async with self.db.transaction() as session:
            if data.parent_id is not None and await queries.category(session, data.parent_id) is None:
                raise field_refusal("parentId", "Parent category not found", "PARENT_NOT_FOUND")
            siblings = await queries.children_of(session, data.parent_id)
            order = checks.sibling_order(data.ids, {c.id: c.name for c in siblings})
            for category in siblings:
                queries.set_fields(category, {"sort_order": order.index(category.id)})
            notify(session, MenuChanged())
        return await self.category_tree()

    async def reprice_category(self, category_id: str, data: RepriceIn) -> RepriceOut:
        """Change the prices of a category's items (and its subcategories' with `includeSubcategories`) by a
        percentage in one transaction; refused as a whole when one price would leave the allowed range."""
        percent = checks.reprice_percent(data.percent)
        step = checks.round_step_cents(data.round_to)
        async with self.db.transaction() as session:
            if await queries.category(session, category_id) is None:
                raise NotFound("Category not found", code="CATEGORY_NOT_FOUND")
            scope = [category_id]
            if data.include_subcategories:
                scope = checks.subtree(category_id, await self._parents(session))
            items = await queries.items_to_reprice(session, scope)
            changes = checks.reprice(items, percent, step, include_modifiers=data.include_modifiers)
            queries.apply_prices(items, changes)
            if changes:
                notify(session, MenuChanged())
        return views.reprice_out(changes)

    async def delete_category(self, category_id: str) -> None:
        async with self.db.transaction() as session:
            if await queries.category(session, category_id) is None:
                raise NotFound("Category not found", code="CATEGORY_NOT_FOUND")
            if await queries.category_has_items(session, category_id):
                raise Conflict(
                    "Cannot delete category with menu items. Move or delete items first.", code="CATEGORY_HAS_ITEMS"
                )
            if await queries.category_has_children(session, category_id):
                raise Conflict(
                    "Cannot delete category with subcategories. Move or delete subcategories first.",
                    code="CATEGORY_HAS_CHILDREN",
                )
            await queries.delete_category(session, category_id)
            notify(session, MenuChanged())

    # ------------------------------------------------------------ items: reads

    async def list_items(self, params: PageParams, filters: ItemFilter) -> tuple[list[MenuItemListOut], int]:
        """Every item (inactive and sold-out ones too), by sort order then name; `categoryId` with
        `includeSubcategories` takes in the items of every category below it."""
        async with self.db.session() as session:
            states = await queries.category_states(session)
            category_ids = None
            if filters.category_id:
                category_ids = [filters.category_id]
                if filters.include_subcategories:
                    parents = {c: parent for c, (parent, _) in states.items()}
                    category_ids = checks.subtree(filters.category_id, parents)
            conditions = queries.item_conditions(category_ids, filters.search)
            total = await queries.count_items(session, conditions)
            rows = await self._list_rows(session, conditions, params.limit, params.offset, states)
        return rows, total

    @staticmethod
    async def _list_rows(
        session: AsyncSession,
        conditions: list[Any],
        limit: int,
        offset: int,
        states: dict[str, tuple[str | None, bool]],
    ) -> list[MenuItemListOut]:
        rows = await queries.item_page(session, conditions, limit, offset)
        ids = [item.id for item, _ in rows]
        options = await queries.option_counts(session, ids)
        allergens = await queries.link_counts(session, menu_item_allergens, ids)
        mealtimes = await queries.link_counts(session, menu_item_mealtimes, ids)
        hidden = checks.hidden_categories(states)
        return [
            views.item_list_out(
                item,
                category_name,
                options.get(item.id, 0),
                allergens.get(item.id, 0),
                mealtimes.get(item.id, 0),
                hidden,
            )
            for item, category_name in rows
        ]

    async def _list_row(self, item_id: str) -> MenuItemListOut:
        """One item as the item list shows it."""
        async with self.db.session() as session:
            states = await queries.category_states(session)
            rows = await self._list_rows(session, queries.item_conditions(None, None, item_id), 1, 0, states)
        if not rows:
            raise NotFound("Menu item not found", code="MENU_ITEM_NOT_FOUND")
        return rows[0]

    async def get_item(self, item_id: str) -> MenuItemOut:
        async with self.db.session() as session:
            found = await queries.item_with_category(session, item_id)
            states = await queries.category_states(session)
        if found is None:
            raise NotFound("Menu item not found", code="MENU_ITEM_NOT_FOUND")
        return views.item_out(*found, checks.hidden_categories(states))

    # ------------------------------------------------------------ items: writes

    async def create_item(self, data: MenuItemIn) -> MenuItemOut:
        try:
            async with self.db.transaction() as session:
                item = await self.create_item_in(session, data)
        except IntegrityError:
            raise Conflict(SLUG_TAKEN["item"], code="SLUG_TAKEN") from None
        return await self.get_item(item.id)

    async def create_item_in(self, session: AsyncSession, data: MenuItemIn) -> MenuItem:
        """Add a validated item (with options, allergens, mealtimes) inside the caller's transaction."""
        check_slug(data.slug)
        name = not_blank(data.name, "name")
        price = checks.price_cents(data.price)
        specs = checks.option_specs(data.options, price)
        await self._check_category(session, data.category_id)
        await self._check_location(session, data.location_id)
        await self._check_station(session, data.station_id)
        allergens = await self._fetch_all(session, Allergen, data.allergen_ids, "Allergen")
        mealtimes = await self._fetch_all(session, Mealtime, data.mealtime_ids, "Mealtime")
        checks.check_no_ids(data.options)
        if await queries.item_slug_taken(session, data.slug):
            raise Conflict(SLUG_TAKEN["item"], code="SLUG_TAKEN")
        item = await queries.add_item(
            session,
            options=specs,
            allergens=allergens,
            mealtimes=mealtimes,
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
            station_id=data.station_id,
        )
        notify(session, MenuChanged())
        return item

    async def update_item(self, item_id: str, data: MenuItemUpdateIn) -> MenuItemOut:
        fields = provided(data)
        try:
            async with self.db.transaction() as session:
                item = await queries.item_to_edit(session, item_id)
                if item is None:
                    raise NotFound("Menu item not found", code="MENU_ITEM_NOT_FOUND")
                if fields.pop("slug", item.slug) != item.slug:
                    raise ValidationFailed("The slug of a menu item cannot be changed", code="SLUG_IMMUTABLE")
                if "name" in fields:
                    fields["name"] = not_blank(fields["name"], "name")
                if "price" in fields:
                    fields["price_cents"] = checks.price_cents(fields.pop("price"))
                if "category_id" in fields:
                    await self._check_category(session, fields["category_id"])
                if "location_id" in fields:
                    await self._check_location(session, fields["location_id"])
                if "station_id" in fields:
                    await self._check_station(session, fields["station_id"])
                if "allergen_ids" in fields:
                    fields["allergens"] = await self._fetch_all(
                        session, Allergen, fields.pop("allergen_ids"), "Allergen"
                    )
                if "mealtime_ids" in fields:
                    fields["mealtimes"] = await self._fetch_all(
                        session, Mealtime, fields.pop("mealtime_ids"), "Mealtime"
                    )
                options = fields.pop("options", None)
                queries.set_fields(item, fields)
                if options is not None:
                    existing = {o.id: {v.id for v in o.values} for o in item.options}
                    queries.replace_options(item, checks.replacement_options(existing, options))
                for option in item.options:
                    if option.is_active:
                        checks.check_modifiers(
                            option.name,
                            (v.price_modifier_cents for v in option.values if v.is_active),
                            item.price_cents,
                        )
                notify(session, MenuChanged())
        except IntegrityError:
            raise Conflict(SLUG_TAKEN["item"], code="SLUG_TAKEN") from None
        return await self.get_item(item_id)

    async def set_sold_out(self, item_id: str, sold_out: bool) -> MenuItemListOut:
        """Mark an item sold out, or available again (a stock-tracked one needs stock for that); the storefront's
        menu and the orders' catalog drop it at once (`MenuChanged`). Answers the item as the list shows it."""
        async with self.db.transaction() as session:
            item = (await queries.rows_by_ids(session, MenuItem, [item_id])).get(item_id)
            if item is None:
                raise NotFound("Menu item not found", code="MENU_ITEM_NOT_FOUND")
            if not sold_out:
                checks.check_can_sell_again(item.name, item.track_stock, item.stock_qty)
            if item.is_sold_out != sold_out:
                queries.set_fields(item, {"is_sold_out": sold_out})
                notify(session, MenuChanged())
        return await self._list_row(item_id)

    async def duplicate_item(self, item_id: str) -> MenuItemOut:
        """A copy of an item, inactive until someone switches it on: "<name> (copy)" under a free slug, with the same
        category, price, current options and values, allergens and mealtimes; its stock starts at none."""
        try:
            async with self.db.transaction() as session:
                source = await queries.item_to_edit(session, item_id)
                if source is None:
                    raise NotFound("Menu item not found", code="MENU_ITEM_NOT_FOUND")
                taken = await queries.item_slugs_from(session, checks.copy_slug_prefix(source.slug))
                slug = checks.copy_slug(source.slug, taken)
                copy = await queries.copy_item(
                    session, source, name=checks.copy_name(source.name), slug=slug, is_active=False, stock_qty=0
                )
                notify(session, MenuChanged())
        except IntegrityError:
            raise Conflict(SLUG_TAKEN["item"], code="SLUG_TAKEN") from None
        return await self.get_item(copy.id)

    async def delete_item(self, item_id: str) -> None:
        refused = Conflict(
            "Cannot delete menu item with existing orders. Deactivate it instead.", code="MENU_ITEM_IN_USE"
        )
        try:
            async with self.db.transaction() as session:
                if not await queries.item_exists(session, item_id):
                    raise NotFound("Menu item not found", code="MENU_ITEM_NOT_FOUND")
                if await self.dependents.in_use(session, "menu_item", item_id):
                    raise refused
                await queries.delete_item(session, item_id)
                notify(session, MenuChanged())
        except IntegrityError:
            raise refused from None

    # ------------------------------------------------------------ allergens

    async def list_allergens(self) -> list[AllergenOut]:
        async with self.db.session() as session:
            rows = await queries.allergens_with_counts(session)
        return [views.allergen_out(a, n) for a, n in rows]

    async def create_allergen(self, data: AllergenIn) -> AllergenOut:
        try:
            async with self.db.transaction() as session:
                allergen = await self.create_allergen_in(session, data.name)
        except IntegrityError:
            raise Conflict(ALLERGEN_EXISTS, code="ALLERGEN_EXISTS") from None
        return views.allergen_out(allergen, 0)

    async def create_allergen_in(self, session: AsyncSession, name: str) -> Allergen:
        name = not_blank(name, "name")
        if await queries.allergen_name_taken(session, name):
            raise Conflict(ALLERGEN_EXISTS, code="ALLERGEN_EXISTS")
        allergen = await queries.add_allergen(session, name)
        notify(session, MenuChanged())
        return allergen

    async def delete_allergen(self, allergen_id: str) -> None:
        async with self.db.transaction() as session:
            if not await queries.allergen_exists(session, allergen_id):
                raise NotFound("Allergen not found", code="ALLERGEN_NOT_FOUND")
            await queries.delete_allergen(session, allergen_id)
            notify(session, MenuChanged())

    # ------------------------------------------------------------ mealtimes

    async def list_mealtimes(self, location_id: str | None = None) -> list[MealtimeOut]:
        """By start time; with `location_id`, the mealtimes of every location plus that location's own."""
        async with self.db.session() as session:
            rows = await queries.mealtimes(session, location_id)
            counts = await queries.mealtime_counts(session, [m.id for m in rows])
        return [views.mealtime_out(m, counts.get(m.id, 0)) for m in rows]

    async def _mealtime(self, mealtime_id: str) -> MealtimeOut:
        async with self.db.session() as session:
            mealtime = await queries.mealtime(session, mealtime_id)
            if mealtime is None:
                raise NotFound("Mealtime not found", code="MEALTIME_NOT_FOUND")
            counts = await queries.mealtime_counts(session, [mealtime_id])
        return views.mealtime_out(mealtime, counts.get(mealtime_id, 0))

    async def create_mealtime(self, data: MealtimeIn) -> MealtimeOut:
        async with self.db.transaction() as session:
            mealtime = await self.create_mealtime_in(session, data)
        return await self._mealtime(mealtime.id)

    async def create_mealtime_in(self, session: AsyncSession, data: MealtimeIn) -> Mealtime:
        columns = {
            "name": not_blank(data.name, "name"),
            "start_time": check_time(data.start_time, "startTime"),
            "end_time": check_time(data.end_time, "endTime"),
            "days": checks.mealtime_days(data.days),
            "is_active": data.is_active,
            "location_id": data.location_id,
        }
        await self._check_location(session, data.location_id)
        mealtime = await queries.add_mealtime(session, **columns)
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
            fields["days"] = checks.mealtime_days(fields["days"])
        async with self.db.transaction() as session:
            mealtime = await queries.mealtime(session, mealtime_id)
            if mealtime is None:
                raise NotFound("Mealtime not found", code="MEALTIME_NOT_FOUND")
            if "location_id" in fields:
                await self._check_location(session, fields["location_id"])
            queries.set_fields(mealtime, fields)
            notify(session, MenuChanged())
        return await self._mealtime(mealtime_id)

    async def delete_mealtime(self, mealtime_id: str) -> None:
        async with self.db.transaction() as session:
            if await queries.mealtime(session, mealtime_id) is None:
                raise NotFound("Mealtime not found", code="MEALTIME_NOT_FOUND")
            await queries.delete_mealtime(session, mealtime_id)
            notify(session, MenuChanged())
