"""The original's reservation cases (reference §3.6 / §10.3 `reservation.test.ts`, `table.test.ts`) as API tests,
with the stricter rules of issue 14 where it sets them (each such test says so)."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.factories import bearer, customer_headers, make_customer, staff_headers
from tests.reservations.helpers import GUEST, availability, book, booking, day_ahead, free_times, venue

Client = AsyncTestClient[Litestar]


# ---------------------------------------------------------------- POST /api/reservations


async def test_booking_without_login_needs_the_guest_details(client: Client, services: Services) -> None:
    """Stricter than the original's 401: guests may book, with name, e-mail and phone."""
    place = await venue(services)
    body = {"locationId": place.location_id, "date": day_ahead().isoformat(), "time": "19:00", "partySize": 2}
    response = await client.post("/api/reservations", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "GUEST_DETAILS_REQUIRED"
    assert "name, e-mail and phone number" in response.json()["error"]


async def test_booking_invalid_data_is_400_with_a_sentence(client: Client, services: Services) -> None:
    place = await venue(services)
    day = day_ahead()
    cases = [
        ({"date": "12/06/2026"}, "INVALID_DATE"),
        ({"date": "2026-02-30"}, "INVALID_DATE"),
        ({"date": "1999-12-31"}, "INVALID_DATE"),
        ({"time": "7pm"}, "INVALID_TIME"),
        ({"partySize": 0}, None),
        ({"partySize": 25}, "INVALID_PARTY_SIZE"),
        ({"guestEmail": "not-an-email"}, "INVALID_EMAIL"),
        ({"guestPhone": "call me"}, "INVALID_PHONE"),
    ]
    for change, code in cases:
        response = await client.post("/api/reservations", json={**booking(place, day), **change})
        assert response.status_code == 400, (change, response.text)
        body = response.json()
        assert body["success"] is False and body["error"].strip(), change
        if code:
            assert body["code"] == code, (change, body)
    too_big = await client.post("/api/reservations", json={**booking(place, day), "partySize": 25})
    assert too_big.json()["error"] == "We take online bookings for up to 20 guests; please call us for larger parties"


async def test_booking_at_an_inactive_or_unknown_location_is_400(client: Client, services: Services) -> None:
    active = await venue(services)
    inactive = await venue(services, is_active=False)
    for location_id in (inactive.location_id, "does-not-exist"):
        response = await client.post("/api/reservations", json=booking(location_id, day_ahead()))
        assert response.status_code == 400
        assert response.json()["error"] == "Location not found or inactive"
    assert (await client.post("/api/reservations", json=booking(active, day_ahead()))).status_code == 201


async def test_booking_as_a_guest_returns_the_booking_with_a_table_and_a_manage_link(
    client: Client, services: Services
) -> None:
    """Stricter: a table is assigned (the smallest that seats the party) and the slot re-checked."""
    place = await venue(services)
    day = day_ahead()
    data = await book(client, booking(place, day, "19:30", 3, comment="Window please"))
    assert data["status"] == "PENDING"
    assert (data["date"], data["time"], data["partySize"]) == (day.isoformat(), "19:30", 3)
    assert data["table"]["name"] == "T2" and data["tableId"] == place.tables["T2"]
    assert data["location"] == {"id": place.location_id, "name": data["location"]["name"]}
    assert (data["guestName"], data["guestEmail"], data["customerName"]) == (
        "Ana Guest",
        "ana@example.com",
        "Ana Guest",
    )
    assert data["durationMinutes"] == 90 and data["comment"] == "Window please"
    assert data["manageUrl"] == f"/reservations/manage/{data['id']}?t={data['manageToken']}"
    assert len(data["manageToken"]) >= 32
    assert data["startsAt"] == f"{day.isoformat()}T19:30:00.000Z"
    assert data["endsAt"] == f"{day.isoformat()}T21:00:00.000Z"


async def test_booking_as_a_customer_uses_the_account(client: Client, services: Services) -> None:
    place = await venue(services)
    headers = await customer_headers(services)
    body = {"locationId": place.location_id, "date": day_ahead().isoformat(), "time": "18:00", "partySize": 2}
    data = await book(client, body, headers=headers)
    assert data["customer"]["email"].startswith("customer") and data["guestEmail"] is None
    assert data["customerName"] == data["customer"]["name"]


async def test_booking_auto_confirm_confirms_online_bookings(client: Client, services: Services) -> None:
    place = await venue(services)
    await services.settings.update_group("reservations", {"autoConfirm": True})
    assert (await book(client, booking(place, day_ahead())))["status"] == "CONFIRMED"


async def test_booking_by_staff_for_a_phone_guest_is_confirmed_and_needs_no_email(
    client: Client, services: Services
) -> None:
    place = await venue(services)
    staff = await staff_headers(services)
    data = await book(client, booking(place, day_ahead(), party=6, guestEmail=None), headers=staff)
    assert (data["status"], data["source"], data["guestEmail"]) == ("CONFIRMED", "staff", None)
    huge = await client.post("/api/reservations", json=booking(place, day_ahead(), party=30), headers=staff)
    assert (huge.status_code, huge.json()["code"]) == (400, "NO_TABLE_FITS")  # staff may book past maxPartySize


# ---------------------------------------------------------------- GET /api/reservations (staff)


async def test_list_is_403_for_customers_and_paginated_for_staff(client: Client, services: Services) -> None:
    place = await venue(services)
    day = day_ahead()
    for time in ("20:00", "18:00", "19:00"):
        await book(client, booking(place, day, time))
    refused = await client.get("/api/reservations", headers=await customer_headers(services))
    assert (refused.status_code, refused.json()["error"]) == (403, "Staff access required")
    staff = await staff_headers(services)
    listed = await client.get("/api/reservations", headers=staff, params={"limit": 2})
    assert listed.status_code == 200
    body = listed.json()
    assert body["pagination"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}
    assert [r["time"] for r in body["data"]] == ["18:00", "19:00"]  # date then time, ascending


async def test_list_filters_by_date_location_status_and_reassignment(client: Client, services: Services) -> None:
    one, two = await venue(services), await venue(services)
    staff = await staff_headers(services)
    first, second = day_ahead(3), day_ahead(4)
    a = await book(client, booking(one, first, "18:00"))
    await book(client, booking(one, second, "18:00"))
    await book(client, booking(two, first, "18:00"))
    await client.patch(f"/api/reservations/{a['id']}", headers=staff, json={"status": "CONFIRMED"})

    async def ids(**params: str) -> list[str]:
        response = await client.get("/api/reservations", headers=staff, params=params)
        assert response.status_code == 200, response.text
        return [r["id"] for r in response.json()["data"]]

    assert len(await ids(date=first.isoformat())) == 2
    assert len(await ids(locationId=one.location_id)) == 2
    assert await ids(status="CONFIRMED") == [a["id"]]
    assert len(await ids(status="pending,confirmed")) == 3
    assert len(await ids(**{"from": second.isoformat()})) == 1
    assert await ids(needsReassignment="true") == []
    bad = await client.get("/api/reservations", headers=staff, params={"status": "LATE"})
    assert bad.status_code == 400 and "Must be one of" in bad.json()["error"]


# ---------------------------------------------------------------- my-reservations and one booking


async def test_my_reservations_needs_a_customer_and_lists_only_theirs(client: Client, services: Services) -> None:
    place = await venue(services)
    assert (await client.get("/api/reservations/my-reservations")).status_code == 401
    mine, theirs = await customer_headers(services), await customer_headers(services)
    body = {"locationId": place.location_id, "partySize": 2}
    early = await book(client, {**body, "date": day_ahead(2).isoformat(), "time": "18:00"}, headers=mine)
    late = await book(client, {**body, "date": day_ahead(5).isoformat(), "time": "18:00"}, headers=mine)
    await book(client, {**body, "date": day_ahead(2).isoformat(), "time": "19:00"}, headers=theirs)
    await book(client, booking(place, day_ahead(2), "20:00"))
    response = await client.get("/api/reservations/my-reservations", headers=mine)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["data"]] == [late["id"], early["id"]]  # date descending
    assert response.json()["pagination"]["total"] == 2


async def test_get_one_is_404_when_unknown_and_returns_the_booking(client: Client, services: Services) -> None:
    place = await venue(services)
    staff = await staff_headers(services)
    missing = await client.get("/api/reservations/nope", headers=staff)
    assert (missing.status_code, missing.json()["error"]) == (404, "Reservation not found")
    made = await book(client, booking(place, day_ahead()))
    found = await client.get(f"/api/reservations/{made['id']}", headers=staff)
    assert found.status_code == 200 and found.json()["data"] == {**made, "updatedAt": found.json()["data"]["updatedAt"]}


async def test_get_one_is_no_idor(client: Client, services: Services) -> None:
    """Stricter than the original (any logged-in customer could read any reservation)."""
    place = await venue(services)
    owner, other = await customer_headers(services), await customer_headers(services)
    body = {"locationId": place.location_id, "date": day_ahead().isoformat(), "time": "18:00", "partySize": 2}
    made = await book(client, body, headers=owner)
    url = f"/api/reservations/{made['id']}"
    assert (await client.get(url, headers=owner)).status_code == 200
    denied = await client.get(url, headers=other)
    assert (denied.status_code, denied.json()["error"]) == (403, "Access denied")
    assert (await client.get(url)).status_code == 404
    assert (await client.get(url, params={"t": "guess"})).status_code == 404
    assert (await client.get(url, params={"t": made["manageToken"]})).status_code == 200


async def test_a_guest_reads_their_booking_only_with_its_token(client: Client, services: Services) -> None:
    place = await venue(services)
    first = await book(client, booking(place, day_ahead(), "18:00"))
    second = await book(client, booking(place, day_ahead(), "19:00"))
    own = await client.get(f"/api/reservations/{first['id']}", params={"t": first["manageToken"]})
    assert own.status_code == 200 and own.json()["data"]["id"] == first["id"]
    crossed = await client.get(f"/api/reservations/{first['id']}", params={"t": second["manageToken"]})
    assert crossed.status_code == 404
    customer = await customer_headers(services)
    assert (await client.get(f"/api/reservations/{first['id']}", headers=customer)).status_code == 403


# ---------------------------------------------------------------- PATCH and DELETE


async def test_patch_is_staff_only_404_when_unknown_and_moves_the_status(client: Client, services: Services) -> None:
    place = await venue(services)
    made = await book(client, booking(place, day_ahead()))
    url = f"/api/reservations/{made['id']}"
    customer = await customer_headers(services)
    assert (await client.patch(url, headers=customer, json={"status": "CONFIRMED"})).status_code == 403
    staff = await staff_headers(services)
    assert (
        await client.patch("/api/reservations/nope", headers=staff, json={"status": "CONFIRMED"})
    ).status_code == 404
    moved = await client.patch(url, headers=staff, json={"status": "CONFIRMED"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["data"]["status"] == "CONFIRMED"
    assert moved.json()["data"]["nextStatuses"] == ["SEATED", "CANCELLED"]  # NO_SHOW only once its time has come


async def test_delete_is_404_when_unknown_and_deletes(client: Client, services: Services) -> None:
    """Stricter: deleting is SUPER_ADMIN or MANAGER (the original let any staff member delete)."""
    place = await venue(services)
    made = await book(client, booking(place, day_ahead()))
    manager = await staff_headers(services, "MANAGER")
    assert (await client.delete("/api/reservations/nope", headers=manager)).status_code == 404
    staff = await staff_headers(services)
    assert (await client.delete(f"/api/reservations/{made['id']}", headers=staff)).status_code == 403
    deleted = await client.delete(f"/api/reservations/{made['id']}", headers=manager)
    assert deleted.status_code == 200 and deleted.json() == {"success": True, "message": "Reservation deleted"}
    assert (await client.get(f"/api/reservations/{made['id']}", headers=manager)).status_code == 404


# ---------------------------------------------------------------- analytics and availability


async def test_analytics_needs_staff_and_has_the_original_shape(client: Client, services: Services) -> None:
    assert (await client.get("/api/reservations/analytics")).status_code == 401
    customer = await customer_headers(services)
    assert (await client.get("/api/reservations/analytics", headers=customer)).status_code == 403
    place = await venue(services)
    await book(client, booking(place, day_ahead(1), "18:00", 2))
    await book(client, booking(place, day_ahead(1), "19:30", 4))
    await book(client, booking(place, day_ahead(10), "19:00", 3))
    staff = await staff_headers(services)
    response = await client.get("/api/reservations/analytics", headers=staff, params={"days": 3})
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {
        "summary",
        "dailyBookings",
        "dayOfWeekDistribution",
        "partySizeDistribution",
        "statusDistribution",
        "hourlyDistribution",
        "leadTimeBuckets",
    }
    summary = data["summary"]
    assert (summary["totalReservations"], summary["totalGuests"], summary["avgPartySize"]) == (2, 6, 3.0)
    assert summary["completionRate"] == 0.0
    assert len(data["dailyBookings"]) == 15  # days clamped to 7: 7 back, today, 7 ahead
    assert [b["bucket"] for b in data["leadTimeBuckets"]] == ["same-day", "1-2d", "3-7d", "8-14d", "15d+"]
    assert {b["bucket"]: b["count"] for b in data["leadTimeBuckets"]}["1-2d"] == 2
    assert data["hourlyDistribution"] == [{"hour": 18, "reservations": 1}, {"hour": 19, "reservations": 1}]
    assert data["partySizeDistribution"] == [{"partySize": 2, "count": 1}, {"partySize": 4, "count": 1}]
    assert {s["status"]: s["count"] for s in data["statusDistribution"]}["PENDING"] == 2
    assert sum(d["reservations"] for d in data["dayOfWeekDistribution"]) == 2
    wide = await client.get("/api/reservations/analytics", headers=staff, params={"days": 30})
    assert wide.json()["data"]["summary"]["totalReservations"] == 3


async def test_availability_needs_location_and_date(client: Client) -> None:
    for params in ({}, {"locationId": "x"}, {"date": "2026-06-12"}):
        response = await client.get("/api/reservations/availability", params=params)
        assert (response.status_code, response.json()["error"]) == (400, "locationId and date are required")


async def test_availability_returns_slots_inside_opening_hours(client: Client, services: Services) -> None:
    """Stricter than the original's fixed 11:00-21:30 grid: the location's hours, stay and interval decide."""
    place = await venue(services)
    data = await availability(client, place.location_id, day_ahead(), 2)
    times = [slot["time"] for slot in data["slots"]]
    assert times[0] == "17:00" and times[-1] == "21:30"  # 90 minutes before the 23:00 closing
    assert len(times) == 10 and all(slot["available"] for slot in data["slots"])
    assert (data["totalTables"], data["stayMinutes"], data["interval"], data["note"]) == (3, 90, 30, None)
    unknown = await client.get(
        "/api/reservations/availability", params={"locationId": "nope", "date": day_ahead().isoformat()}
    )
    assert unknown.status_code == 404


async def test_availability_takes_a_booked_table_out_for_its_whole_stay(client: Client, services: Services) -> None:
    """Stricter: overlap of stays, not the same start time, blocks a table."""
    place = await venue(services, tables=(("T1", 2),))
    day = day_ahead()
    await book(client, booking(place, day, "19:00", 2))
    free = free_times(await availability(client, place.location_id, day))
    assert free == ["17:00", "17:30", "20:30", "21:00", "21:30"]  # 17:30 + 90 = 19:00 ends as the booking starts
    data = await availability(client, place.location_id, day, 3)
    assert data["totalTables"] == 0 and data["note"] == "We have no table for 3; please call us to book."


async def test_booking_a_time_that_is_taken_is_409_and_one_not_offered_400(client: Client, services: Services) -> None:
    place = await venue(services, tables=(("T1", 2),))
    day = day_ahead()
    await book(client, booking(place, day, "19:00"))
    taken = await client.post("/api/reservations", json=booking(place, day, "19:30", **GUEST))
    assert taken.status_code == 409 and taken.json()["code"] == "SLOT_TAKEN"
    assert taken.json()["error"].startswith("Sorry, no table for 2 is free at 19:30 on ")
    odd = await client.post("/api/reservations", json=booking(place, day, "19:10"))
    assert odd.status_code == 400 and odd.json()["code"] == "NO_SUCH_SLOT"
    late = await client.post("/api/reservations", json=booking(place, day, "22:00"))  # ends after closing
    assert late.status_code == 400 and late.json()["code"] == "NO_SUCH_SLOT"


async def test_customer_export_holds_their_reservations_without_the_manage_token(
    client: Client, services: Services
) -> None:
    place = await venue(services)
    customer = await make_customer(services, email="booker@example.com")
    mine = bearer(services.auth.issue("customer", customer))
    day = day_ahead()
    later = await book(client, {**booking(place, day, "20:00", 4, comment="Window seat")}, headers=mine)
    earlier = await book(client, booking(place, day, "18:00"), headers=mine)
    await book(client, booking(place, day, "19:00"))  # a guest's booking: not this customer's
    manager = await staff_headers(services, "MANAGER")

    response = await client.get(f"/api/customers/{customer.id}/export", headers=manager)

    assert response.status_code == 200, response.text
    exported = response.json()["reservations"]
    assert [r["id"] for r in exported] == [earlier["id"], later["id"]]  # earliest first
    first, second = exported
    assert (first["date"], first["time"], first["partySize"], first["status"]) == (
        day.isoformat(),
        "18:00",
        2,
        "PENDING",
    )
    assert second["comment"] == "Window seat" and second["tableName"] == later["table"]["name"]
    assert second["locationId"] == place.location_id and second["locationName"]
    for secret in (earlier["manageToken"], later["manageToken"], "idempotency", "manageToken"):
        assert secret not in response.text
