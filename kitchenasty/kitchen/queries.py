"""The kitchen domain's SQL: the only code that writes `stations` and `station_categories`.

The back office's reads and writes use the ORM session; `station_map` is one synchronous read (three compiled
statements) that the orders' catalog keeps between orders, so placing an order looks each item's station up in a
dict.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of
from kitchenasty.kitchen import checks
from kitchenasty.kitchen.models import Station, StationCategory
from kitchenasty.menu.models import Category, MenuItem

stations_t = table_of(Station)
station_categories_t = table_of(StationCategory)
categories_t = table_of(Category)
menu_items_t = table_of(MenuItem)

_ACTIVE_STATIONS = select(stations_t.c.id).where(stations_t.c.active.is_(True))
_CATEGORY_STATIONS = select(station_categories_t.c.category_id, station_categories_t.c.station_id)
_PARENTS = select(categories_t.c.id, categories_t.c.parent_id)
_ITEMS = select(menu_items_t.c.id, menu_items_t.c.category_id, menu_items_t.c.station_id)


def station_map(session: Any) -> dict[str, str]:
    """menu item id -> station id, for every item an active station prepares (synchronous; any transaction)."""
    conn = fast(session)
    active = {row[0] for row in conn.execute(_ACTIVE_STATIONS).all()}
    if not active:
        return {}
    category_station = {row[0]: row[1] for row in conn.execute(_CATEGORY_STATIONS).all()}
    parents = {row[0]: row[1] for row in conn.execute(_PARENTS).all()}
    items = [(row[0], row[1], row[2]) for row in conn.execute(_ITEMS).all()]
    return checks.station_routes(items, category_station, parents, active)


async def stations(session: AsyncSession) -> list[Station]:
    return list((await session.scalars(select(Station).order_by(Station.position, Station.name))).all())


async def station(session: AsyncSession, station_id: str) -> Station | None:
    return await session.get(Station, station_id)


async def station_exists(session: AsyncSession, station_id: str) -> bool:
    return bool(await session.scalar(select(stations_t.c.id).where(stations_t.c.id == station_id)))


async def slug_taken(session: AsyncSession, slug: str) -> bool:
    return bool(await session.scalar(select(stations_t.c.id).where(stations_t.c.slug == slug)))


async def category_ids_by_station(session: AsyncSession) -> dict[str, list[str]]:
    rows = (await session.execute(_CATEGORY_STATIONS.order_by(station_categories_t.c.category_id))).all()
    found: dict[str, list[str]] = {}
    for category_id, station_id in rows:
        found.setdefault(station_id, []).append(category_id)
    return found


async def existing_categories(session: AsyncSession, ids: Sequence[str]) -> dict[str, str]:
    """id -> name of those of `ids` that are categories."""
    rows = (await session.execute(select(Category.id, Category.name).where(Category.id.in_(list(ids))))).all()
    return {row[0]: row[1] for row in rows}


async def holders_of(session: AsyncSession, category_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """category id -> (station id, station name) for those of `category_ids` that belong to a station."""
    rows = (
        await session.execute(
            select(StationCategory.category_id, Station.id, Station.name)
            .join(Station, Station.id == StationCategory.station_id)
            .where(StationCategory.category_id.in_(list(category_ids)))
        )
    ).all()
    return {row[0]: (row[1], row[2]) for row in rows}


def add_station(session: AsyncSession, **values: Any) -> Station:
    station = Station(**values)
    session.add(station)
    return station


async def set_categories(session: AsyncSession, station_id: str, category_ids: Sequence[str]) -> None:
    """Replace the station's categories (ORM objects, so the audit log sees each link)."""
    current = (await session.scalars(select(StationCategory).where(StationCategory.station_id == station_id))).all()
    wanted = set(category_ids)
    for link in current:
        if link.category_id not in wanted:
            await session.delete(link)
    have = {link.category_id for link in current}
    for category_id in category_ids:
        if category_id not in have:
            session.add(StationCategory(category_id=category_id, station_id=station_id))
    await session.flush()


async def delete_station(session: AsyncSession, station: Station) -> None:
    await session.execute(delete(StationCategory).where(StationCategory.station_id == station.id))
    await session.delete(station)
