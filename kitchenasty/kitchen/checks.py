"""Pure rules of the kitchen line: which station prepares an item."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MAX_DEPTH = 64
"""Categories nest; a walk up stops after this many steps (the menu refuses cycles, this only bounds a bad row)."""


def resolve_station(
    override: str | None,
    category_id: str | None,
    category_station: Mapping[str, str],
    parents: Mapping[str, str | None],
    active: frozenset[str] | set[str] | None = None,
) -> str | None:
    """The station that prepares an item: its own override, else its category's station, else the nearest
    ancestor category's station, else None (the expo view only). A station not in `active` (when given) is
    skipped as if it were not set, so switching a station off sends its items further up the chain."""

    def usable(station_id: str | None) -> bool:
        return station_id is not None and (active is None or station_id in active)

    if usable(override):
        return override
    current = category_id
    for _ in range(MAX_DEPTH):
        if current is None:
            return None
        station_id = category_station.get(current)
        if usable(station_id):
            return station_id
        current = parents.get(current)
    return None


def station_routes(
    items: Iterable[tuple[str, str | None, str | None]],
    category_station: Mapping[str, str],
    parents: Mapping[str, str | None],
    active: frozenset[str] | set[str] | None = None,
) -> dict[str, str]:
    """menu item id -> station id for every item that has one, from `(item id, category id, override)`."""
    routes: dict[str, str] = {}
    for item_id, category_id, override in items:
        station_id = resolve_station(override, category_id, category_station, parents, active)
        if station_id is not None:
            routes[item_id] = station_id
    return routes
