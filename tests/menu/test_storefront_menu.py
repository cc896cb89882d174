"""`GET /api/menu`: one location's orderable menu, its exact shape, availability now, and a fixed query count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import Engine, event

from kitchenasty.locations.hours import WEEKDAY_NAMES
from kitchenasty.locations.schemas import OperatingHourIn
from kitchenasty.menu.schemas import AllergenIn, MealtimeIn, MenuItemIn
from kitchenasty.services import Services
from tests.locations.builders import make_location, weekday, zone_at_midday
from tests.menu.builders import make_category, make_item, size_option

Client = AsyncTestClient[Litestar]

LOCATION_KEYS = {
    "id", "name", "slug", "isOpenNow", "openingNote", "hoursToday", "opensAt", "closesAt", "isBusy", "busyMessage", "isPaused", "pauseMessage", "deliveryEnabled", "pickupEnabled", "dineInEnabled",
    "minOrderDelivery", "minOrderPickup", "deliveryLeadTime", "pickupLeadTime",
}  # fmt: skip
CATEGORY_KEYS = {"id", "name", "slug", "description", "image", "sortOrder", "parentId", "children", "items"}
ITEM_KEYS = {
    "id", "name", "slug", "description", "price", "image", "categoryId", "isAvailable", "unavailableReason",
    "availabilityNote", "trackStock", "stockQty", "orderType", "allergens", "mealtimes", "options",
}  # fmt: skip
OPTION_KEYS = {"id", "name", "displayType", "isRequired", "minSelect", "maxSelect", "sortOrder", "values"}
VALUE_KEYS = {"id", "name", "priceModifier", "isDefault", "sortOrder"}


def all_items(categories: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for category in categories:
        out.update({item["name"]: item for item in category["items"]})
        out.update(all_items(category["children"]))
    return out


def week_from_monday(days: list[int]) -> list[int]:
    return sorted(days, key=lambda d: (d - 1) % 7)


def tree(categories: list[dict[str, Any]]) -> list[Any]:
    return [(c["name"], [i["name"] for i in c["items"]], tree(c["children"])) for c in categories]


async def menu(client: Client, location_id: str | None = None) -> dict[str, Any]:
    response = await client.get("/api/menu", params={"locationId": location_id} if location_id else None)
    assert response.status_code == 200, response.text
    assert response.json()["success"] is True
    return response.json()["data"]


async def test_storefront_menu_has_the_agreed_shape(client: Client, services: Services, admin: dict[str, str]) -> None:
    location_id = await make_location(services, name="Corner", min_order_delivery=Decimal("12.50"))
    mains = await make_category(services, "Mains", description="Big plates")
    pizza = await make_category(services, "Pizza", parent_id=mains)
    gluten = (await client.post("/api/menu/allergens", json={"name": "Gluten"}, headers=admin)).json()["data"]
    always = await services.menu.create_mealtime(
        MealtimeIn(name="All day", start_time="00:00", end_time="00:00", days=[0, 1, 2, 3, 4, 5, 6])
    )
    item = await make_item(
        services,
        pizza,
        "Margherita",
        price=Decimal("12.00"),
        options=[size_option()],
        allergen_ids=[gluten["id"]],
        mealtime_ids=[always.id],
        order_type="PICKUP",
    )
    data = await menu(client)
    assert set(data) == {"location", "categories"}
    assert set(data["location"]) == LOCATION_KEYS
    assert data["location"]["id"] == location_id
    assert (data["location"]["minOrderDelivery"], data["location"]["isOpenNow"]) == (12.5, True)
    assert (data["location"]["openingNote"], data["location"]["hoursToday"]) == ("Open now", None)  # no hours set
    root = data["categories"][0]
    assert set(root) == CATEGORY_KEYS
    assert (root["name"], root["description"], root["parentId"], root["items"]) == ("Mains", "Big plates", None, [])
    child = root["children"][0]
    assert (child["name"], child["parentId"]) == ("Pizza", mains)
    shown = child["items"][0]
    assert set(shown) == ITEM_KEYS
    assert (shown["id"], shown["price"], shown["categoryId"], shown["orderType"]) == (item.id, 12, pizza, "PICKUP")
    assert (shown["isAvailable"], shown["unavailableReason"], shown["trackStock"]) == (True, None, False)
    assert shown["availabilityNote"] is None
    assert shown["allergens"] == [{"id": gluten["id"], "name": "Gluten"}]
    assert shown["mealtimes"] == [
        {"id": always.id, "name": "All day", "startTime": "00:00", "endTime": "00:00", "days": [0, 1, 2, 3, 4, 5, 6]}
    ]
    option = shown["options"][0]
    assert set(option) == OPTION_KEYS
    assert set(option["values"][0]) == VALUE_KEYS
    assert [(v["name"], v["priceModifier"], v["isDefault"]) for v in option["values"]] == [
        ("Small", -1, False),
        ("Regular", 0, True),
        ("Large", 2.5, False),
    ]


async def test_storefront_menu_shows_only_active_rows_of_this_location(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    here = await make_location(services)
    there = await make_location(services)
    food = await make_category(services, "Food", sort_order=1)
    hidden = await make_category(services, "Seasonal", sort_order=2, is_active=False)
    hidden_child = await make_category(services, "Under seasonal", parent_id=hidden)
    theirs = await make_category(services, "Their specials", location_id=there)
    await make_item(services, food, "Everywhere")
    await make_item(services, food, "Here only", location_id=here)
    await make_item(services, food, "There only", location_id=there)
    await make_item(services, food, "Switched off", is_active=False)
    await make_item(services, hidden, "In hidden category")
    await make_item(services, hidden_child, "Under hidden parent")
    await make_item(services, theirs, "In their category")
    retired = await make_item(services, food, "Retired options", options=[size_option()])
    size = retired.options[0]
    await client.patch(
        f"/api/menu/items/{retired.id}",
        json={"options": [{"id": size.id, "name": "Size", "values": [{"id": size.values[1].id, "name": "Regular"}]}]},
        headers=admin,
    )
    data = await menu(client, here)
    assert tree(data["categories"]) == [("Food", ["Everywhere", "Here only", "Retired options"], [])]
    options = all_items(data["categories"])["Retired options"]["options"]
    assert [[v["name"] for v in o["values"]] for o in options] == [["Regular"]]
    assert tree((await menu(client, there))["categories"]) == [
        ("Their specials", ["In their category"], []),  # sort order 0
        ("Food", ["Everywhere", "Retired options", "There only"], []),
    ]


async def test_storefront_menu_location_choice(client: Client, services: Services, admin: dict[str, str]) -> None:
    none = await client.get("/api/menu")
    assert none.status_code == 404
    assert none.json()["code"] == "NO_ACTIVE_LOCATION"
    first = await make_location(services)
    assert (await menu(client))["location"]["id"] == first
    second = await make_location(services)
    several = await client.get("/api/menu")
    assert several.status_code == 400
    assert several.json()["code"] == "LOCATION_REQUIRED"
    assert (await menu(client, second))["location"]["id"] == second
    unknown = await client.get("/api/menu", params={"locationId": "nope"})
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "Location not found"
    await client.patch(f"/api/locations/{second}", json={"isActive": False}, headers=admin)
    assert (await client.get("/api/menu", params={"locationId": second})).status_code == 404
    assert (await menu(client))["location"]["id"] == first  # the only active one again


async def test_storefront_menu_marks_sold_out_and_follows_stock_edits(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    await make_location(services)
    category = await make_category(services)
    item = await make_item(services, category, "Panna cotta", track_stock=True, stock_qty=0)
    shown = all_items((await menu(client))["categories"])["Panna cotta"]
    assert (shown["isAvailable"], shown["unavailableReason"], shown["stockQty"]) == (False, "OUT_OF_STOCK", 0)
    assert shown["availabilityNote"] == "Sold out"
    await client.patch(f"/api/menu/items/{item.id}", json={"stockQty": 3}, headers=admin)
    shown = all_items((await menu(client))["categories"])["Panna cotta"]
    assert (shown["isAvailable"], shown["unavailableReason"], shown["stockQty"]) == (True, None, 3)
    assert shown["availabilityNote"] is None


async def test_storefront_menu_applies_mealtime_windows_in_restaurant_time(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    zone, local = zone_at_midday()
    await services.settings.update_group("general", {"timezone": zone})
    today = weekday(local)
    other_days = [d for d in range(7) if d != today]
    await make_location(services)
    category = await make_category(services)

    async def window(name: str, start: str, end: str, days: list[int], active: bool = True) -> str:
        created = await services.menu.create_mealtime(
            MealtimeIn(name=name, start_time=start, end_time=end, days=days, is_active=active)
        )
        return created.id

    now_window = await window("Now", "09:00", "15:00", [today])
    later_today = await window("Evening", "17:00", "22:00", [today])
    other_day = await window("Other days", "09:00", "15:00", other_days)
    switched_off = await window("Off", "17:00", "18:00", [today], active=False)
    await make_item(services, category, "Lunch special", mealtime_ids=[now_window])
    await make_item(services, category, "Dinner only", mealtime_ids=[later_today])
    await make_item(services, category, "Not today", mealtime_ids=[other_day])
    await make_item(services, category, "Either", mealtime_ids=[later_today, now_window])
    await make_item(services, category, "Switched-off window", mealtime_ids=[switched_off])
    await make_item(services, category, "Always")
    items = all_items((await menu(client))["categories"])
    reasons = {name: (item["isAvailable"], item["unavailableReason"]) for name, item in items.items()}
    assert reasons == {
        "Lunch special": (True, None),
        "Dinner only": (False, "NOT_NOW"),
        "Not today": (False, "NOT_NOW"),
        "Either": (True, None),
        "Switched-off window": (True, None),  # an inactive mealtime is no window at all
        "Always": (True, None),
    }
    notes = {name: item["availabilityNote"] for name, item in items.items() if item["availabilityNote"]}
    day_name = WEEKDAY_NAMES[today]
    assert notes == {
        "Dinner only": f"Served 17:00–22:00 on {day_name} (Evening)",
        "Not today": "Served 09:00–15:00 on "
        + ", ".join(WEEKDAY_NAMES[d] for d in week_from_monday(other_days)[:-1])
        + f" and {WEEKDAY_NAMES[week_from_monday(other_days)[-1]]} (Other days)",
    }
    assert items["Switched-off window"]["mealtimes"] == []
    assert [m["name"] for m in items["Either"]["mealtimes"]] == ["Now", "Evening"]
    # Turning the open window off makes the lunch special unrestricted; six hours later it is evening.
    await client.patch(f"/api/menu/mealtimes/{later_today}", json={"startTime": "08:00"}, headers=admin)
    assert all_items((await menu(client))["categories"])["Dinner only"]["isAvailable"] is True


async def test_storefront_menu_location_state_open_busy(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    zone, local = zone_at_midday()
    await services.settings.update_group("general", {"timezone": zone})
    location_id = await make_location(
        services, operating_hours=[OperatingHourIn(day_of_week=weekday(local), open_time="16:00", close_time="23:00")]
    )
    state = (await menu(client))["location"]
    assert (state["isOpenNow"], state["isBusy"], state["busyMessage"]) == (False, False, None)
    assert (state["openingNote"], state["hoursToday"], state["closesAt"]) == (
        "Closed now · opens at 16:00",
        "Today: 16:00–23:00",
        None,
    )
    opens_at = datetime.fromisoformat(state["opensAt"])
    assert (opens_at.hour, opens_at.minute, opens_at.utcoffset()) == (16, 0, local.utcoffset())
    await client.patch(
        f"/api/locations/{location_id}",
        json={
            "isBusy": True,
            "busyMessage": "Kitchen is slammed",
            "pickupEnabled": False,
            "operatingHours": [{"dayOfWeek": weekday(local), "openTime": "08:00", "closeTime": "23:00"}],
        },
        headers=admin,
    )
    state = (await menu(client))["location"]
    assert (state["isOpenNow"], state["isBusy"], state["busyMessage"], state["pickupEnabled"]) == (
        True,
        True,
        "Kitchen is slammed",
        False,
    )
    assert (state["openingNote"], state["hoursToday"], state["opensAt"]) == (
        "Open now · until 23:00",
        "Today: 08:00–23:00",
        None,
    )
    assert datetime.fromisoformat(state["closesAt"]).hour == 23


async def test_storefront_menu_shows_a_pause_and_its_end(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    zone, local = zone_at_midday()
    await services.settings.update_group("general", {"timezone": zone})
    location_id = await make_location(
        services, operating_hours=[OperatingHourIn(day_of_week=weekday(local), open_time="08:00", close_time="23:00")]
    )
    paused = await client.post(
        f"/api/locations/{location_id}/pause", json={"minutes": 30, "message": "Kitchen full"}, headers=admin
    )
    until = datetime.fromisoformat(paused.json()["data"]["pausedUntil"].replace("Z", "+00:00")).astimezone(local.tzinfo)
    state = (await menu(client))["location"]
    assert (state["isOpenNow"], state["isPaused"], state["pauseMessage"]) == (False, True, "Kitchen full")
    assert state["openingNote"] == f"Kitchen full · back at {until:%H:%M}"
    assert datetime.fromisoformat(state["opensAt"]) == until
    assert state["hoursToday"] == "Today: 08:00–23:00"
    await client.post(f"/api/locations/{location_id}/resume", headers=admin)
    state = (await menu(client))["location"]
    assert (state["isOpenNow"], state["isPaused"], state["pauseMessage"]) == (True, False, None)
    assert state["openingNote"] == "Open now · until 23:00"


async def test_storefront_menu_shows_several_ranges_and_a_closed_date(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    zone, local = zone_at_midday()
    await services.settings.update_group("general", {"timezone": zone})
    today = weekday(local)
    location_id = await make_location(
        services,
        operating_hours=[
            OperatingHourIn(day_of_week=day, open_time=start, close_time=end)
            for day in range(7)
            for start, end in (("10:00", "14:30"), ("17:30", "22:00"))
        ],
    )
    state = (await menu(client))["location"]
    assert (state["isOpenNow"], state["openingNote"]) == (True, "Open now · until 14:30")
    assert state["hoursToday"] == "Today: 10:00–14:30, 17:30–22:00"
    created = await client.post(
        f"/api/locations/{location_id}/closures",
        json={"startDate": local.date().isoformat(), "note": "Closed for the holidays"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    state = (await menu(client))["location"]
    assert (state["isOpenNow"], state["hoursToday"]) == (False, "Closed today")
    assert state["openingNote"] == "Closed for the holidays · opens tomorrow at 10:00"
    opens = datetime.fromisoformat(state["opensAt"])
    assert (opens.date() - local.date()).days == 1 and (opens.hour, weekday(opens)) == (10, (today + 1) % 7)


async def test_storefront_menu_lead_times_include_the_busy_extra_minutes(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services, delivery_lead_time=30, pickup_lead_time=15)
    state = (await menu(client))["location"]
    assert (state["deliveryLeadTime"], state["pickupLeadTime"]) == (30, 15)
    await client.patch(f"/api/locations/{location_id}", json={"isBusy": True, "busyExtraMinutes": 25}, headers=admin)
    state = (await menu(client))["location"]
    assert (state["isOpenNow"], state["isBusy"]) == (True, True)
    assert (state["deliveryLeadTime"], state["pickupLeadTime"]) == (55, 40)


async def test_storefront_menu_follows_menu_edits_at_once(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    await make_location(services)
    category = await make_category(services, "Food")
    item = await make_item(services, category, "Soup")
    assert tree((await menu(client))["categories"]) == [("Food", ["Soup"], [])]
    await client.patch(f"/api/menu/items/{item.id}", json={"name": "Broth", "price": 4.5}, headers=admin)
    await make_item(services, category, "Bread")
    await client.post("/api/menu/categories", json={"name": "Drinks", "slug": "drinks"}, headers=admin)
    data = await menu(client)
    assert tree(data["categories"]) == [("Drinks", [], []), ("Food", ["Bread", "Broth"], [])]
    assert all_items(data["categories"])["Broth"]["price"] == 4.5
    await client.patch(f"/api/menu/categories/{category}", json={"isActive": False}, headers=admin)
    assert tree((await menu(client))["categories"]) == [("Drinks", [], [])]


# ---------------------------------------------------------------- a fixed number of statements


@pytest.fixture
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    yield seen
    event.remove(Engine, "before_cursor_execute", count)


async def add_items(services: Services, categories: list[str], allergen_ids: list[str], mealtime: str, n: int) -> None:
    """`n` items, each with two option groups (five values), two allergens and a mealtime, in one transaction."""
    async with services.db.transaction() as session:
        for _ in range(n):
            await services.menu.create_item_in(
                session,
                MenuItemIn(
                    name="Dish",
                    slug=f"dish-{_next()}",
                    price=Decimal("9.50"),
                    category_id=categories[_next() % len(categories)],
                    options=[size_option(), size_option(name="Extras", display_type="CHECKBOX", max_select=2)],
                    allergen_ids=allergen_ids,
                    mealtime_ids=[mealtime],
                    track_stock=True,
                    stock_qty=5,
                ),
            )


_counter = iter(range(10**9))


def _next() -> int:
    return next(_counter)


async def cold_read(services: Services, statements: list[str]) -> tuple[int, int]:
    """Statements of one uncached whole-menu read, and how many items it returned."""
    await services.settings.resolved()  # warm: the settings cache is not what is measured
    services.menu.invalidate()
    statements.clear()
    data = await services.menu.storefront(None)
    executed = len(statements)

    def count_items(categories: list[Any]) -> int:
        return sum(len(c.items) + count_items(c.children) for c in categories)

    return executed, count_items(data.categories)


async def test_storefront_menu_runs_the_same_statements_at_10_and_200_items(
    quiet_services: Services, statements: list[str]
) -> None:
    services = quiet_services
    await make_location(services)
    root = await make_category(services, "Root")
    child = await make_category(services, "Child", parent_id=root)
    grandchild = await make_category(services, "Grandchild", parent_id=child)
    allergens = [(await services.menu.create_allergen(AllergenIn(name=name))).id for name in ("Gluten", "Dairy")]
    mealtime = (
        await services.menu.create_mealtime(
            MealtimeIn(name="All day", start_time="00:00", end_time="00:00", days=[0, 1, 2, 3, 4, 5, 6])
        )
    ).id
    categories = [root, child, grandchild]
    await add_items(services, categories, allergens, mealtime, 10)
    small, small_items = await cold_read(services, statements)
    await add_items(services, categories, allergens, mealtime, 190)
    large, large_items = await cold_read(services, statements)
    assert (small_items, large_items) == (10, 200)
    assert small == large
    assert small <= 10
    statements.clear()
    await services.menu.storefront(None)  # warm: served from memory
    assert len(statements) == 0
