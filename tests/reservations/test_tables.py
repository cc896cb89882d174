"""Tables and the bookings on them (the original's `table.test.ts` cases that need reservations): deleting one that
upcoming bookings hold is a 409 sentence; deactivating or shrinking it flags them for reassignment."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.factories import staff_headers
from tests.reservations.helpers import book, booking, day_ahead, venue

Client = AsyncTestClient[Litestar]


def _table_url(location_id: str, table_id: str) -> str:
    return f"/api/locations/{location_id}/tables/{table_id}"


async def test_deleting_a_table_with_upcoming_bookings_is_409_and_without_them_deletes(
    client: Client, services: Services
) -> None:
    place = await venue(services, tables=(("T1", 2), ("T2", 2)))
    admin = await staff_headers(services, "SUPER_ADMIN")
    await book(client, booking(place, day_ahead()))
    refused = await client.delete(_table_url(place.location_id, place.tables["T1"]), headers=admin)
    assert refused.status_code == 409
    assert refused.json()["error"] == (
        "Cannot delete table with upcoming reservations. Deactivate it instead: its bookings are then flagged for "
        "reassignment."
    )
    deleted = await client.delete(_table_url(place.location_id, place.tables["T2"]), headers=admin)
    assert deleted.status_code == 200


async def test_a_cancelled_booking_does_not_hold_its_table_and_keeps_the_tables_name(
    client: Client, services: Services
) -> None:
    """Looser than the original (any reservation in any status blocked it): only bookings still to come do."""
    place = await venue(services, tables=(("T1", 2),))
    admin = await staff_headers(services, "SUPER_ADMIN")
    made = await book(client, booking(place, day_ahead()))
    await client.post(f"/api/reservations/{made['id']}/cancel", params={"t": made["manageToken"]})
    deleted = await client.delete(_table_url(place.location_id, place.tables["T1"]), headers=admin)
    assert deleted.status_code == 200, deleted.text
    kept = (await client.get(f"/api/reservations/{made['id']}", headers=admin)).json()["data"]
    assert kept["tableId"] is None
    assert kept["table"] == {"id": None, "name": "T1", "capacity": None, "isActive": False}


async def test_deactivating_a_table_flags_its_upcoming_bookings_and_reassigning_clears_it(
    client: Client, services: Services
) -> None:
    place = await venue(services, tables=(("T1", 2), ("T2", 2)))
    manager = await staff_headers(services, "MANAGER")
    first = await book(client, booking(place, day_ahead(), "18:00"))
    second = await book(client, booking(place, day_ahead(), "20:00"))
    elsewhere = await book(client, booking(place, day_ahead(), "18:00", guestName="Other"))  # on T2
    off = await client.patch(
        _table_url(place.location_id, place.tables["T1"]), headers=manager, json={"isActive": False}
    )
    assert off.status_code == 200, off.text
    flagged = await client.get("/api/reservations", headers=manager, params={"needsReassignment": "true"})
    assert sorted(r["id"] for r in flagged.json()["data"]) == sorted([first["id"], second["id"]])
    assert all(r["table"]["isActive"] is False for r in flagged.json()["data"])
    seat = await client.patch(f"/api/reservations/{first['id']}", headers=manager, json={"status": "CONFIRMED"})
    assert seat.status_code == 200
    refused = await client.patch(f"/api/reservations/{first['id']}", headers=manager, json={"status": "SEATED"})
    assert refused.status_code == 400 and refused.json()["code"] == "NEEDS_REASSIGNMENT"
    inactive = await client.patch(
        f"/api/reservations/{second['id']}", headers=manager, json={"tableId": place.tables["T1"]}
    )
    assert inactive.status_code == 400 and inactive.json()["code"] == "TABLE_INACTIVE"
    moved = await client.patch(
        f"/api/reservations/{second['id']}", headers=manager, json={"tableId": place.tables["T2"]}
    )
    assert moved.status_code == 200 and moved.json()["data"]["needsReassignment"] is False
    on = await client.patch(_table_url(place.location_id, place.tables["T1"]), headers=manager, json={"isActive": True})
    assert on.status_code == 200
    left = await client.get("/api/reservations", headers=manager, params={"needsReassignment": "true"})
    assert left.json()["data"] == []  # the first one is back on an active table
    unchanged = await client.get(f"/api/reservations/{elsewhere['id']}", headers=manager)
    assert unchanged.json()["data"]["needsReassignment"] is False


async def test_shrinking_a_table_flags_the_parties_it_no_longer_seats(client: Client, services: Services) -> None:
    place = await venue(services, tables=(("T4", 4),))
    manager = await staff_headers(services, "MANAGER")
    four = await book(client, booking(place, day_ahead(), "18:00", party=4))
    two = await book(client, booking(place, day_ahead(), "20:00", party=2))
    await client.patch(_table_url(place.location_id, place.tables["T4"]), headers=manager, json={"capacity": 2})
    flagged = await client.get("/api/reservations", headers=manager, params={"needsReassignment": "true"})
    assert [r["id"] for r in flagged.json()["data"]] == [four["id"]]
    assert (await client.get(f"/api/reservations/{two['id']}", headers=manager)).json()["data"][
        "needsReassignment"
    ] is False


async def test_deleting_a_location_with_bookings_is_409(client: Client, services: Services) -> None:
    place = await venue(services)
    admin = await staff_headers(services, "SUPER_ADMIN")
    await book(client, booking(place, day_ahead()))
    refused = await client.delete(f"/api/locations/{place.location_id}", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["error"] == "Cannot delete location with existing reservations. Deactivate it instead."
