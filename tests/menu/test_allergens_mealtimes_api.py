"""`/api/menu/allergens` (a global registry, unique names) and `/api/menu/mealtimes` (availability windows)."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.locations.builders import make_location
from tests.menu.builders import make_category, make_item

Client = AsyncTestClient[Litestar]


async def test_allergen_create_list_sorted_with_counts(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    sesame = (await client.post("/api/menu/allergens", json={"name": "Sesame"}, headers=manager)).json()["data"]
    created = await client.post("/api/menu/allergens", json={"name": "Dairy"}, headers=manager)
    assert created.status_code == 201
    assert created.json()["data"]["name"] == "Dairy"
    await make_item(services, await make_category(services), allergen_ids=[sesame["id"]])
    listed = (await client.get("/api/menu/allergens")).json()["data"]
    assert [(a["name"], a["_count"]["menuItems"]) for a in listed] == [("Dairy", 0), ("Sesame", 1)]


async def test_allergen_duplicate_name_is_409_ignoring_case(client: Client, manager: dict[str, str]) -> None:
    await client.post("/api/menu/allergens", json={"name": "Gluten"}, headers=manager)
    again = await client.post("/api/menu/allergens", json={"name": " gluten "}, headers=manager)
    assert again.status_code == 409
    assert again.json()["error"] == "An allergen with this name already exists"
    for payload in ({"name": ""}, {}, {"name": "   "}, {"name": "x" * 61}):
        assert (await client.post("/api/menu/allergens", json=payload, headers=manager)).status_code == 400
    assert len((await client.get("/api/menu/allergens")).json()["data"]) == 1


async def test_allergen_delete_unlinks_items(client: Client, services: Services, admin: dict[str, str]) -> None:
    nuts = (await client.post("/api/menu/allergens", json={"name": "Nuts"}, headers=admin)).json()["data"]
    item = await make_item(services, await make_category(services), allergen_ids=[nuts["id"]])
    response = await client.delete(f"/api/menu/allergens/{nuts['id']}", headers=admin)
    assert response.json() == {"success": True, "message": "Allergen deleted"}
    assert (await client.get(f"/api/menu/items/{item.id}")).json()["data"]["allergens"] == []
    missing = await client.delete(f"/api/menu/allergens/{nuts['id']}", headers=admin)
    assert missing.status_code == 404
    assert missing.json()["error"] == "Allergen not found"


async def test_mealtime_create_normalises_days(client: Client, manager: dict[str, str]) -> None:
    response = await client.post(
        "/api/menu/mealtimes",
        json={"name": "Brunch", "startTime": "09:30", "endTime": "13:00", "days": [6, 0, 6]},
        headers=manager,
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["name"], data["startTime"], data["endTime"], data["days"]) == ("Brunch", "09:30", "13:00", [0, 6])
    assert (data["isActive"], data["locationId"], data["_count"]) == (True, None, {"menuItems": 0})


async def test_mealtime_bad_input_is_400(client: Client, manager: dict[str, str]) -> None:
    base = {"name": "Lunch", "startTime": "11:00", "endTime": "15:00", "days": [1]}
    cases = [
        ({**base, "startTime": "11am"}, "startTime must be HH:MM (00:00 to 23:59)"),
        ({**base, "endTime": "24:00"}, "endTime must be HH:MM (00:00 to 23:59)"),
        ({**base, "days": []}, None),
        ({**base, "days": [7]}, None),
        ({**base, "name": ""}, None),
        ({**base, "locationId": "missing"}, "Location not found"),
    ]
    for payload, message in cases:
        response = await client.post("/api/menu/mealtimes", json=payload, headers=manager)
        assert response.status_code == 400, payload
        if message:
            assert response.json()["error"] == message
    assert (await client.get("/api/menu/mealtimes")).json()["data"] == []


async def test_mealtime_update_partial_and_404(client: Client, manager: dict[str, str]) -> None:
    created = (
        await client.post(
            "/api/menu/mealtimes",
            json={"name": "Dinner", "startTime": "17:00", "endTime": "22:00", "days": [0, 1, 2, 3, 4, 5, 6]},
            headers=manager,
        )
    ).json()["data"]
    url = f"/api/menu/mealtimes/{created['id']}"
    off = await client.patch(url, json={"isActive": False}, headers=manager)
    assert (off.json()["data"]["isActive"], off.json()["data"]["name"]) == (False, "Dinner")
    bad = await client.patch(url, json={"startTime": "5pm"}, headers=manager)
    assert bad.status_code == 400
    assert (await client.get("/api/menu/mealtimes")).json()["data"][0]["startTime"] == "17:00"
    missing = await client.patch("/api/menu/mealtimes/nope", json={"name": "X"}, headers=manager)
    assert missing.status_code == 404
    assert missing.json()["error"] == "Mealtime not found"


async def test_mealtime_list_by_start_time_and_location(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    here = await make_location(services)
    there = await make_location(services)
    for name, start, location in (("Dinner", "17:00", None), ("Lunch", "11:00", here), ("Late", "22:00", there)):
        payload = {"name": name, "startTime": start, "endTime": "23:00", "days": [1], "locationId": location}
        assert (await client.post("/api/menu/mealtimes", json=payload, headers=admin)).status_code == 201
    everything = (await client.get("/api/menu/mealtimes")).json()["data"]
    assert [m["name"] for m in everything] == ["Lunch", "Dinner", "Late"]
    local = (await client.get(f"/api/menu/mealtimes?locationId={here}")).json()["data"]
    assert [m["name"] for m in local] == ["Lunch", "Dinner"]


async def test_mealtime_delete_unlinks_items(client: Client, services: Services, admin: dict[str, str]) -> None:
    lunch = (
        await client.post(
            "/api/menu/mealtimes",
            json={"name": "Lunch", "startTime": "11:00", "endTime": "15:00", "days": [1, 2]},
            headers=admin,
        )
    ).json()["data"]
    item = await make_item(services, await make_category(services), mealtime_ids=[lunch["id"]])
    listed = (await client.get("/api/menu/mealtimes")).json()["data"]
    assert listed[0]["_count"] == {"menuItems": 1}
    response = await client.delete(f"/api/menu/mealtimes/{lunch['id']}", headers=admin)
    assert response.json() == {"success": True, "message": "Mealtime deleted"}
    assert (await client.get(f"/api/menu/items/{item.id}")).json()["data"]["mealtimes"] == []
    assert (await client.delete(f"/api/menu/mealtimes/{lunch['id']}", headers=admin)).status_code == 404
