"""`/api/locations`: CRUD, money in major units, opening hours, defaults from the orders settings."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from kitchenasty.locations.models import Location, OperatingHour
from kitchenasty.locations.schemas import OperatingHourIn
from kitchenasty.menu.models import Category, MenuItem
from kitchenasty.services import Services
from tests.locations.builders import insert_order, make_location, weekday, zone_at_midday
from tests.menu.builders import make_category, make_item

Client = AsyncTestClient[Litestar]


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Harbour Kitchen",
        "slug": "harbour-kitchen",
        "address": "1 Quay Street",
        "city": "Portsmouth",
        "postalCode": "PO1 1AA",
        "country": "gb",
        "lat": 50.7989,
        "lng": -1.0912,
        "minOrderDelivery": 12.5,
        "minOrderPickup": 0,
        "deliveryLeadTime": 40,
        "pickupLeadTime": 10,
        "operatingHours": [
            {"dayOfWeek": 1, "openTime": "11:00", "closeTime": "22:00"},
            {"dayOfWeek": 0, "openTime": "00:00", "closeTime": "00:00", "isClosed": True},
        ],
    }
    data.update(overrides)
    return data


async def count(services: Services, model: Any) -> int:
    async with services.db.session() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_location_create_stores_cents_and_shows_major_units(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    response = await client.post("/api/locations", json=body(), headers=admin)
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["minOrderDelivery"] == 12.5
    assert data["minOrderPickup"] == 0
    assert data["country"] == "GB"
    assert (data["lat"], data["lng"]) == (50.7989, -1.0912)
    assert data["dineInEnabled"] is True
    assert data["_count"] == {"tables": 0, "orders": 0, "menuItems": 0}
    assert data["tables"] == []
    assert [(h["dayOfWeek"], h["openTime"], h["closeTime"], h["isClosed"]) for h in data["operatingHours"]] == [
        (0, "00:00", "00:00", True),
        (1, "11:00", "22:00", False),
    ]
    async with services.db.session() as session:
        row = await session.get(Location, data["id"])
    assert row is not None
    assert (row.min_order_delivery_cents, row.delivery_lead_time, row.pickup_lead_time) == (1250, 40, 10)


async def test_location_create_takes_missing_minimums_and_lead_times_from_order_settings(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    await services.settings.update_group(
        "orders", {"minOrderDelivery": "15.00", "minOrderPickup": "5.50", "deliveryLeadTime": 45, "pickupLeadTime": 20}
    )
    payload = body()
    for key in ("minOrderDelivery", "minOrderPickup", "deliveryLeadTime", "pickupLeadTime"):
        del payload[key]
    response = await client.post("/api/locations", json=payload, headers=manager)
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["minOrderDelivery"], data["minOrderPickup"]) == (15, 5.5)
    assert (data["deliveryLeadTime"], data["pickupLeadTime"]) == (45, 20)


async def test_location_create_bad_input_is_400_and_writes_nothing(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    cases = [
        body(minOrderDelivery=12.345),
        body(minOrderPickup=-1),
        body(slug="Not A Slug"),
        body(name=""),
        body(name="   "),
        body(email="not-an-email"),
        body(lat=91),
        body(deliveryLeadTime=-5),
        body(operatingHours=[{"dayOfWeek": 7, "openTime": "11:00", "closeTime": "22:00"}]),
        body(operatingHours=[{"dayOfWeek": 2, "openTime": "25:00", "closeTime": "22:00"}]),
        body(operatingHours=[{"dayOfWeek": 2, "openTime": "9:00", "closeTime": "22:00"}]),
        body(
            operatingHours=[
                {"dayOfWeek": 2, "openTime": "11:00", "closeTime": "22:00"},
                {"dayOfWeek": 2, "openTime": "12:00", "closeTime": "23:00"},
            ]
        ),
        body(unknownField=True),
        {"name": "Only a name"},
    ]
    for payload in cases:
        response = await client.post("/api/locations", json=payload, headers=admin)
        assert response.status_code == 400, (payload, response.text)
        assert response.json()["success"] is False
        assert response.json()["error"]
    assert await count(services, Location) == 0
    assert await count(services, OperatingHour) == 0


async def test_location_create_messages_name_the_problem(client: Client, admin: dict[str, str]) -> None:
    decimals = await client.post("/api/locations", json=body(minOrderDelivery=1.005), headers=admin)
    assert decimals.json()["error"] == "minOrderDelivery must have at most 2 decimals"
    slug = await client.post("/api/locations", json=body(slug="Bad Slug"), headers=admin)
    assert slug.json()["error"] == "Slug must be lowercase alphanumeric with hyphens"
    time = await client.post(
        "/api/locations",
        json=body(operatingHours=[{"dayOfWeek": 3, "openTime": "11:00", "closeTime": "24:30"}]),
        headers=admin,
    )
    assert time.json()["code"] == "INVALID_TIME"
    assert "closeTime" in time.json()["error"]


async def test_location_create_duplicate_slug_is_409(client: Client, services: Services, admin: dict[str, str]) -> None:
    assert (await client.post("/api/locations", json=body(), headers=admin)).status_code == 201
    again = await client.post("/api/locations", json=body(name="Another"), headers=admin)
    assert again.status_code == 409
    assert again.json()["error"] == "A location with this slug already exists"
    assert await count(services, Location) == 1


async def test_location_update_changes_only_sent_fields_and_replaces_hours(
    client: Client, admin: dict[str, str]
) -> None:
    created = (await client.post("/api/locations", json=body(), headers=admin)).json()["data"]
    response = await client.patch(
        f"/api/locations/{created['id']}",
        json={
            "isBusy": True,
            "busyMessage": "Back in 20 minutes",
            "minOrderDelivery": 20,
            "operatingHours": [{"dayOfWeek": 5, "openTime": "17:00", "closeTime": "02:00"}],
        },
        headers=admin,
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["isBusy"], data["busyMessage"], data["minOrderDelivery"]) == (True, "Back in 20 minutes", 20)
    assert data["name"] == "Harbour Kitchen"
    assert data["deliveryLeadTime"] == 40
    assert data["operatingHours"] == [{"dayOfWeek": 5, "openTime": "17:00", "closeTime": "02:00", "isClosed": False}]
    cleared = await client.patch(f"/api/locations/{created['id']}", json={"busyMessage": None}, headers=admin)
    assert cleared.json()["data"]["busyMessage"] is None
    assert len(cleared.json()["data"]["operatingHours"]) == 1  # not sent: kept


async def test_location_update_refuses_a_new_slug_but_accepts_the_current_one(
    client: Client, admin: dict[str, str]
) -> None:
    created = (await client.post("/api/locations", json=body(), headers=admin)).json()["data"]
    refused = await client.patch(f"/api/locations/{created['id']}", json={"slug": "elsewhere"}, headers=admin)
    assert refused.status_code == 400
    assert refused.json()["code"] == "SLUG_IMMUTABLE"
    same = await client.patch(
        f"/api/locations/{created['id']}", json={"slug": "harbour-kitchen", "name": "Harbour"}, headers=admin
    )
    assert same.status_code == 200
    assert same.json()["data"]["slug"] == "harbour-kitchen"
    assert same.json()["data"]["name"] == "Harbour"


async def test_location_update_bad_input_changes_nothing(client: Client, admin: dict[str, str]) -> None:
    created = (await client.post("/api/locations", json=body(), headers=admin)).json()["data"]
    url = f"/api/locations/{created['id']}"
    for payload in (
        {"name": "New name", "minOrderPickup": 1.234},
        {"name": "New name", "operatingHours": [{"dayOfWeek": 1, "openTime": "99:00", "closeTime": "10:00"}]},
        {"name": None},
        {"minOrderDelivery": None},
    ):
        response = await client.patch(url, json=payload, headers=admin)
        assert response.status_code == 400, (payload, response.text)
    after = (await client.get(url)).json()["data"]
    assert after["name"] == "Harbour Kitchen"
    assert after["minOrderPickup"] == 0
    assert len(after["operatingHours"]) == 2


async def test_location_update_unknown_is_404(client: Client, admin: dict[str, str]) -> None:
    response = await client.patch("/api/locations/nope", json={"name": "X"}, headers=admin)
    assert response.status_code == 404
    assert response.json()["error"] == "Location not found"


async def test_location_list_is_public_sorted_by_name_and_includes_inactive(client: Client, services: Services) -> None:
    await make_location(services, name="Zeta")
    await make_location(services, name="Alpha", is_active=False)
    await make_location(services, name="Mid")
    response = await client.get("/api/locations?limit=2")
    assert response.status_code == 200
    payload = response.json()
    assert [loc["name"] for loc in payload["data"]] == ["Alpha", "Mid"]
    assert payload["data"][0]["isActive"] is False
    assert payload["pagination"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}
    second = (await client.get("/api/locations?limit=2&page=2")).json()
    assert [loc["name"] for loc in second["data"]] == ["Zeta"]


async def test_location_get_unknown_is_404(client: Client) -> None:
    response = await client.get("/api/locations/unknown")
    assert response.status_code == 404
    assert response.json() == {"success": False, "error": "Location not found", "code": "LOCATION_NOT_FOUND"}


async def test_location_is_open_now_is_computed_in_the_restaurant_time_zone(client: Client, services: Services) -> None:
    zone, local = zone_at_midday()
    await services.settings.update_group("general", {"timezone": zone})
    location_id = await make_location(
        services, operating_hours=[OperatingHourIn(day_of_week=weekday(local), open_time="09:00", close_time="15:00")]
    )
    assert (await client.get(f"/api/locations/{location_id}")).json()["data"]["isOpenNow"] is True
    # Six hours east it is late afternoon, six hours west early morning: either way outside 09:00-15:00 (east unless
    # that is past UTC+14, the last zone there is).
    offset = int(local.utcoffset().total_seconds() // 3600)  # type: ignore[union-attr]
    shifted = offset + 6 if offset + 6 <= 14 else offset - 6
    await services.settings.update_group("general", {"timezone": f"Etc/GMT{-shifted:+d}"})
    assert (await client.get(f"/api/locations/{location_id}")).json()["data"]["isOpenNow"] is False


async def test_location_without_hours_is_open_and_closed_day_is_closed(client: Client, services: Services) -> None:
    zone, local = zone_at_midday()
    await services.settings.update_group("general", {"timezone": zone})
    no_hours = await make_location(services)
    closed = await make_location(
        services,
        operating_hours=[
            OperatingHourIn(day_of_week=weekday(local), open_time="00:00", close_time="00:00", is_closed=True)
        ],
    )
    assert (await client.get(f"/api/locations/{no_hours}")).json()["data"]["isOpenNow"] is True
    assert (await client.get(f"/api/locations/{closed}")).json()["data"]["isOpenNow"] is False


async def test_location_delete_removes_it_with_hours_and_tables(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    created = (await client.post("/api/locations", json=body(), headers=admin)).json()["data"]
    await client.post(f"/api/locations/{created['id']}/tables", json={"name": "T1", "capacity": 2}, headers=admin)
    response = await client.delete(f"/api/locations/{created['id']}", headers=admin)
    assert response.status_code == 200
    assert response.json() == {"success": True, "message": "Location deleted"}
    assert (await client.get(f"/api/locations/{created['id']}")).status_code == 404
    assert await count(services, OperatingHour) == 0


async def test_location_delete_refused_while_orders_reference_it(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)
    await insert_order(services, location_id)
    response = await client.delete(f"/api/locations/{location_id}", headers=admin)
    assert response.status_code == 409
    assert response.json()["error"] == "Cannot delete location with existing orders. Deactivate it instead."
    detail = (await client.get(f"/api/locations/{location_id}")).json()["data"]
    assert detail["_count"]["orders"] == 1
    deactivated = await client.patch(f"/api/locations/{location_id}", json={"isActive": False}, headers=admin)
    assert deactivated.json()["data"]["isActive"] is False


async def test_location_delete_retires_its_own_menu_rows(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)
    category_id = await make_category(services, location_id=location_id)
    item = await make_item(services, category_id, location_id=location_id)
    response = await client.delete(f"/api/locations/{location_id}", headers=admin)
    assert response.status_code == 200
    async with services.db.session() as session:
        category = await session.get(Category, category_id)
        menu_item = await session.get(MenuItem, item.id)
    assert category is not None and menu_item is not None
    assert (category.is_active, category.location_id) == (False, None)
    assert (menu_item.is_active, menu_item.location_id) == (False, None)


async def test_location_delete_unknown_is_404(client: Client, admin: dict[str, str]) -> None:
    assert (await client.delete("/api/locations/unknown", headers=admin)).status_code == 404
