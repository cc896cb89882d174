"""The station resolution rule (pure): item override, else category, else the nearest ancestor, else expo."""

from __future__ import annotations

from kitchenasty.kitchen.checks import resolve_station, station_routes

PARENTS = {"drinks": None, "beer": "drinks", "lager": "beer", "mains": None}
CATEGORY_STATION = {"drinks": "bar", "mains": "line"}


def test_resolve_station_item_override_wins() -> None:
    assert resolve_station("grill", "mains", CATEGORY_STATION, PARENTS) == "grill"


def test_resolve_station_category_station() -> None:
    assert resolve_station(None, "mains", CATEGORY_STATION, PARENTS) == "line"


def test_resolve_station_walks_up_the_parents() -> None:
    assert resolve_station(None, "lager", CATEGORY_STATION, PARENTS) == "bar"


def test_resolve_station_nearest_ancestor_wins() -> None:
    assert resolve_station(None, "lager", {**CATEGORY_STATION, "beer": "taps"}, PARENTS) == "taps"


def test_resolve_station_none_is_expo_only() -> None:
    assert resolve_station(None, "desserts", CATEGORY_STATION, {"desserts": None}) is None


def test_resolve_station_inactive_station_is_skipped() -> None:
    active = {"bar"}
    assert resolve_station("grill", "lager", {**CATEGORY_STATION, "beer": "taps"}, PARENTS, active) == "bar"
    assert resolve_station(None, "mains", CATEGORY_STATION, PARENTS, active) is None


def test_resolve_station_survives_a_cycle() -> None:
    assert resolve_station(None, "a", {}, {"a": "b", "b": "a"}) is None


def test_station_routes_maps_only_routed_items() -> None:
    items = [("ipa", "lager", None), ("steak", "mains", "grill"), ("cake", "desserts", None)]
    assert station_routes(items, CATEGORY_STATION, {**PARENTS, "desserts": None}) == {"ipa": "bar", "steak": "grill"}
