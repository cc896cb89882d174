"""`/api/locations/{id}/tables`: names unique per location, capacity at least 1, deactivate instead of delete."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.locations.builders import insert_order, make_location, make_table

Client = AsyncTestClient[Litestar]


async def test_table_create_and_list_in_natural_order(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    location_id = await make_location(services)
    for name in ("Table 10", "Table 2", "Table 1", "Patio"):
        response = await client.post(
            f"/api/locations/{location_id}/tables", json={"name": name, "capacity": 4}, headers=manager
        )
        assert response.status_code == 201
    created = response.json()["data"]
    assert (created["name"], created["capacity"], created["isActive"], created["locationId"]) == (
        "Patio",
        4,
        True,
        location_id,
    )
    listed = (await client.get(f"/api/locations/{location_id}/tables")).json()["data"]
    assert [t["name"] for t in listed] == ["Patio", "Table 1", "Table 2", "Table 10"]
    detail = (await client.get(f"/api/locations/{location_id}")).json()["data"]
    assert [t["name"] for t in detail["tables"]] == ["Patio", "Table 1", "Table 2", "Table 10"]
    assert detail["_count"]["tables"] == 4


async def test_table_name_is_unique_per_location_ignoring_case(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    first = await make_location(services)
    second = await make_location(services)
    await make_table(services, first, "Window")
    clash = await client.post(f"/api/locations/{first}/tables", json={"name": "window", "capacity": 2}, headers=admin)
    assert clash.status_code == 409
    assert clash.json()["error"] == "A table with this name already exists at this location"
    elsewhere = await client.post(
        f"/api/locations/{second}/tables", json={"name": "Window", "capacity": 2}, headers=admin
    )
    assert elsewhere.status_code == 201
    assert len((await client.get(f"/api/locations/{first}/tables")).json()["data"]) == 1


async def test_table_bad_input_is_400(client: Client, services: Services, admin: dict[str, str]) -> None:
    location_id = await make_location(services)
    for payload in (
        {"name": "T", "capacity": 0},
        {"name": "T", "capacity": 2.5},
        {"name": "", "capacity": 2},
        {"name": "  ", "capacity": 2},
        {"capacity": 2},
        {"name": "T", "capacity": 2, "seats": 3},
    ):
        response = await client.post(f"/api/locations/{location_id}/tables", json=payload, headers=admin)
        assert response.status_code == 400, payload
    assert (await client.get(f"/api/locations/{location_id}/tables")).json()["data"] == []


async def test_table_unknown_location_is_404(client: Client, admin: dict[str, str]) -> None:
    response = await client.post("/api/locations/nope/tables", json={"name": "T", "capacity": 2}, headers=admin)
    assert response.status_code == 404
    assert response.json()["error"] == "Location not found"
    assert (await client.get("/api/locations/nope/tables")).status_code == 404


async def test_table_of_another_location_is_404(client: Client, services: Services, admin: dict[str, str]) -> None:
    first = await make_location(services)
    second = await make_location(services)
    table_id = await make_table(services, first, "T1")
    assert (await client.get(f"/api/locations/{first}/tables/{table_id}")).status_code == 200
    other = await client.get(f"/api/locations/{second}/tables/{table_id}")
    assert other.status_code == 404
    assert other.json()["error"] == "Table not found"
    patched = await client.patch(f"/api/locations/{second}/tables/{table_id}", json={"capacity": 9}, headers=admin)
    assert patched.status_code == 404
    deleted = await client.delete(f"/api/locations/{second}/tables/{table_id}", headers=admin)
    assert deleted.status_code == 404
    assert (await client.get(f"/api/locations/{first}/tables/{table_id}")).json()["data"]["capacity"] == 4


async def test_table_update_renames_and_refuses_a_taken_name(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    location_id = await make_location(services)
    table_id = await make_table(services, location_id, "T1")
    await make_table(services, location_id, "T2")
    url = f"/api/locations/{location_id}/tables/{table_id}"
    renamed = await client.patch(url, json={"name": "Bar 1", "capacity": 6, "isActive": False}, headers=manager)
    assert renamed.status_code == 200
    assert (renamed.json()["data"]["name"], renamed.json()["data"]["capacity"]) == ("Bar 1", 6)
    assert renamed.json()["data"]["isActive"] is False
    same = await client.patch(url, json={"name": "bar 1"}, headers=manager)  # its own name, other case
    assert same.status_code == 200
    clash = await client.patch(url, json={"name": "T2"}, headers=manager)
    assert clash.status_code == 409
    assert (await client.get(url)).json()["data"]["name"] == "bar 1"


async def test_table_delete_refused_while_orders_reference_it(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)
    used = await make_table(services, location_id, "T1")
    unused = await make_table(services, location_id, "T2")
    await insert_order(services, location_id, table_id=used)
    refused = await client.delete(f"/api/locations/{location_id}/tables/{used}", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["error"] == "Cannot delete table with existing orders. Deactivate it instead."
    removed = await client.delete(f"/api/locations/{location_id}/tables/{unused}", headers=admin)
    assert removed.json() == {"success": True, "message": "Table deleted"}
    assert [t["name"] for t in (await client.get(f"/api/locations/{location_id}/tables")).json()["data"]] == ["T1"]


async def test_table_refusals_are_sentences_that_name_the_field(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)
    table_id = await make_table(services, location_id, "T1")
    url = f"/api/locations/{location_id}/tables"
    seats = "capacity must be between 1 and 1000 seats"
    for capacity in (0, 1001):
        created = await client.post(url, json={"name": "T9", "capacity": capacity}, headers=admin)
        assert (created.status_code, created.json()["error"]) == (400, seats)
        assert created.json()["details"] == [{"key": "capacity", "message": seats}]
        patched = await client.patch(f"{url}/{table_id}", json={"name": "T2", "capacity": capacity}, headers=admin)
        assert (patched.status_code, patched.json()["details"]) == (400, [{"key": "capacity", "message": seats}])
    blank = await client.post(url, json={"name": "  ", "capacity": 2}, headers=admin)
    assert blank.json()["details"] == [{"key": "name", "message": "name must not be blank"}]
    taken = await client.post(url, json={"name": "t1", "capacity": 2}, headers=admin)
    message = "A table with this name already exists at this location"
    assert (taken.status_code, taken.json()["details"]) == (409, [{"key": "name", "message": message}])
    listed = (await client.get(url)).json()["data"]
    assert [(t["name"], t["capacity"]) for t in listed] == [("T1", 4)]
