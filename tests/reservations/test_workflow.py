"""The status workflow, cancelling from the manage link, staff reassignment and rescheduling, walk-ins, the
Idempotency-Key and the settings that shape a booking, through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.factories import customer_headers, staff_headers
from tests.reservations.helpers import (
    availability,
    book,
    booking,
    configure,
    day_ahead,
    free_times,
    set_timezone,
    venue,
)

Client = AsyncTestClient[Litestar]


async def _patch(client: Client, headers: dict[str, str], reservation_id: str, **body: object) -> httpx.Response:
    return await client.patch(f"/api/reservations/{reservation_id}", headers=headers, json=body)


async def test_workflow_runs_pending_confirmed_seated_completed(client: Client, services: Services) -> None:
    place = await venue(services)
    staff = await staff_headers(services)
    made = await book(client, booking(place, day_ahead()))
    for status, following in (("CONFIRMED", ["SEATED", "CANCELLED"]), ("SEATED", ["COMPLETED"]), ("COMPLETED", [])):
        response = await _patch(client, staff, made["id"], status=status)
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert (data["status"], data["nextStatuses"]) == (status, following)


async def test_workflow_refuses_a_move_outside_it_naming_the_transition(client: Client, services: Services) -> None:
    place = await venue(services)
    staff = await staff_headers(services)
    made = await book(client, booking(place, day_ahead()))
    skipped = await _patch(client, staff, made["id"], status="SEATED")
    assert skipped.status_code == 400
    assert skipped.json() == {
        "success": False,
        "error": "Cannot change a reservation from PENDING to SEATED; from PENDING it can go to CONFIRMED, CANCELLED",
        "code": "INVALID_TRANSITION",
    }
    await _patch(client, staff, made["id"], status="CONFIRMED")
    early = await _patch(client, staff, made["id"], status="NO_SHOW")
    assert early.status_code == 400 and "only once its time has come" in early.json()["error"]
    await _patch(client, staff, made["id"], status="SEATED")
    late = await _patch(client, staff, made["id"], status="CANCELLED")
    assert late.json()["error"].startswith("Cannot change a reservation from SEATED to CANCELLED")


async def test_no_show_is_allowed_once_the_time_has_passed(client: Client, services: Services) -> None:
    place = await venue(services, hours=[])
    staff = await staff_headers(services)
    made = await book(client, booking(place, day_ahead(), "19:00"))
    await _patch(client, staff, made["id"], status="CONFIRMED")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    moved = await _patch(client, staff, made["id"], date=yesterday)  # staff may correct a booking into the past
    assert moved.status_code == 200, moved.text
    assert "NO_SHOW" in moved.json()["data"]["nextStatuses"]
    gone = await _patch(client, staff, made["id"], status="NO_SHOW")
    assert gone.status_code == 200 and gone.json()["data"]["status"] == "NO_SHOW"


async def test_a_guest_cancels_with_the_manage_token_until_the_cut_off(client: Client, services: Services) -> None:
    place = await venue(services)
    made = await book(client, booking(place, day_ahead(), "18:00"))
    other = await book(client, booking(place, day_ahead(), "19:00"))
    url = f"/api/reservations/{made['id']}/cancel"
    assert (await client.post(url)).status_code == 404
    assert (await client.post(url, params={"t": other["manageToken"]})).status_code == 404
    cancelled = await client.post(url, params={"t": made["manageToken"]})
    assert cancelled.status_code == 200 and cancelled.json()["data"]["status"] == "CANCELLED"
    again = await client.post(url, params={"t": made["manageToken"]})
    assert (again.status_code, again.json()["error"]) == (
        400,
        "This booking is CANCELLED and can no longer be cancelled",
    )
    assert "18:00" in free_times(await availability(client, place.location_id, day_ahead()))  # the table is free

    await configure(services, minCancellationNoticeHours=24 * 30)
    too_late = await client.post(f"/api/reservations/{other['id']}/cancel", params={"t": other["manageToken"]})
    assert too_late.status_code == 400 and too_late.json()["code"] == "CANCELLATION_TOO_LATE"
    assert too_late.json()["error"] == (
        "Bookings can be cancelled online until 720 hours before their time; please call us to cancel"
    )
    staff = await staff_headers(services)
    by_staff = await client.post(f"/api/reservations/{other['id']}/cancel", headers=staff)
    assert by_staff.status_code == 200 and by_staff.json()["data"]["status"] == "CANCELLED"


async def test_a_customer_cancels_only_their_own_booking(client: Client, services: Services) -> None:
    place = await venue(services)
    owner, other = await customer_headers(services), await customer_headers(services)
    body = {"locationId": place.location_id, "date": day_ahead().isoformat(), "time": "18:00", "partySize": 2}
    made = await book(client, body, headers=owner)
    url = f"/api/reservations/{made['id']}/cancel"
    assert (await client.post(url, headers=other)).status_code == 403
    assert (await client.post(url, headers=owner)).json()["data"]["status"] == "CANCELLED"


async def test_reassigning_onto_a_taken_table_is_409_naming_the_clash(client: Client, services: Services) -> None:
    place = await venue(services, tables=(("T1", 2), ("T2", 2), ("T3", 4), ("Tiny", 1)))
    other = await venue(services)
    staff = await staff_headers(services)
    first = await book(client, booking(place, day_ahead(), "19:00"))
    second = await book(client, booking(place, day_ahead(), "19:30", guestName="Bo"))
    assert (first["table"]["name"], second["table"]["name"]) == ("T1", "T2")
    clash = await _patch(client, staff, first["id"], tableId=place.tables["T2"])
    assert clash.status_code == 409
    assert clash.json()["error"] == "T2 is booked from 19:30 to 21:00 (Bo, 2 guests); choose another table"
    assert clash.json()["code"] == "TABLE_TAKEN"
    small = await _patch(client, staff, first["id"], tableId=place.tables["Tiny"])
    assert small.json()["error"] == "Tiny seats 1; this party is 2"
    away = await _patch(client, staff, first["id"], tableId=other.tables["T1"])
    assert away.status_code == 400 and "not at" in away.json()["error"]
    moved = await _patch(client, staff, first["id"], tableId=place.tables["T3"])
    assert moved.status_code == 200 and moved.json()["data"]["table"]["name"] == "T3"
    back = await _patch(client, staff, second["id"], tableId=place.tables["T1"])
    assert back.status_code == 200  # T1 is free again


async def test_rescheduling_keeps_the_table_when_free_else_takes_another_else_409(
    client: Client, services: Services
) -> None:
    place = await venue(services, tables=(("T1", 2), ("T2", 4)))
    staff = await staff_headers(services)
    day = day_ahead()
    a = await book(client, booking(place, day, "18:00"))
    b = await book(client, booking(place, day, "20:00"))  # T1 too
    moved = await _patch(client, staff, a["id"], time="18:30")
    assert moved.json()["data"]["table"]["name"] == "T1"
    assert moved.json()["data"]["startsAt"].endswith("T18:30:00.000Z")
    clash = await _patch(client, staff, a["id"], time="19:30")  # T1 taken by b at 20:00: T2 then
    assert clash.json()["data"]["table"]["name"] == "T2"
    await book(client, booking(place, day, "21:30", party=3))  # T2 at 21:30
    full = await _patch(client, staff, b["id"], time="21:00", partySize=3)
    assert full.status_code == 409 and full.json()["code"] == "SLOT_TAKEN"
    await _patch(client, staff, b["id"], status="CONFIRMED")
    await _patch(client, staff, b["id"], status="SEATED")
    seated = await _patch(client, staff, b["id"], time="21:00")
    assert seated.status_code == 400 and "only its table can change" in seated.json()["error"]


async def test_walk_ins_are_seated_now_at_the_smallest_free_table(client: Client, services: Services) -> None:
    place = await venue(services, tables=(("T1", 2), ("T2", 4)), hours=[])
    staff = await staff_headers(services)
    response = await client.post(
        "/api/reservations/walk-in", headers=staff, json={"locationId": place.location_id, "partySize": 2}
    )
    assert response.status_code == 201, response.text
    first = response.json()["data"]
    assert (first["status"], first["source"], first["table"]["name"], first["guestName"]) == (
        "SEATED",
        "walk_in",
        "T1",
        "Walk-in",
    )
    taken = await client.post(
        "/api/reservations/walk-in",
        headers=staff,
        json={"locationId": place.location_id, "partySize": 2, "tableId": place.tables["T1"]},
    )
    assert taken.status_code == 409 and taken.json()["code"] == "TABLE_TAKEN"
    second = await client.post(
        "/api/reservations/walk-in", headers=staff, json={"locationId": place.location_id, "partySize": 2}
    )
    assert second.json()["data"]["table"]["name"] == "T2"
    none = await client.post(
        "/api/reservations/walk-in", headers=staff, json={"locationId": place.location_id, "partySize": 2}
    )
    assert (none.status_code, none.json()["error"]) == (409, "No table for 2 is free now; please wait or free a table")
    done = await _patch(client, staff, first["id"], status="COMPLETED")
    assert done.status_code == 200
    again = await client.post(
        "/api/reservations/walk-in", headers=staff, json={"locationId": place.location_id, "partySize": 2}
    )
    assert again.json()["data"]["table"]["name"] == "T1"  # completed frees the table


async def test_idempotency_key_returns_the_first_booking(client: Client, services: Services) -> None:
    place = await venue(services)
    body = booking(place, day_ahead())
    headers = {"Idempotency-Key": "book-123"}
    first = await client.post("/api/reservations", json=body, headers=headers)
    again = await client.post("/api/reservations", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["data"]["id"] == first.json()["data"]["id"]
    other = await client.post("/api/reservations", json={**body, "time": "20:00"}, headers=headers)
    assert other.status_code == 409 and other.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    staff = await staff_headers(services)
    listed = await client.get("/api/reservations", headers=staff)
    assert listed.json()["pagination"]["total"] == 1


async def test_settings_turn_booking_off_and_shape_the_stay_and_the_times(client: Client, services: Services) -> None:
    place = await venue(services)
    day = day_ahead()
    await configure(services, stayTimeByPartySize=[[2, 60], [4, 120]], stayTime=150, timeInterval=60)
    data = await availability(client, place.location_id, day, 2)
    assert (data["stayMinutes"], free_times(data)) == (60, ["17:00", "18:00", "19:00", "20:00", "21:00", "22:00"])
    assert (await availability(client, place.location_id, day, 6))["stayMinutes"] == 150
    assert (await book(client, booking(place, day, "20:00", 3)))["durationMinutes"] == 120

    await configure(services, maxAdvanceBookingDays=2)
    far = await client.post("/api/reservations", json=booking(place, day_ahead(5), "19:00"))
    assert far.status_code == 400 and far.json()["code"] == "TOO_FAR"

    await configure(services, enabled=False)
    off = await client.post("/api/reservations", json=booking(place, day, "19:00"))
    assert (off.status_code, off.json()["code"]) == (400, "RESERVATIONS_OFF")
    note = await availability(client, place.location_id, day)
    assert note["slots"] == [] and note["note"] == "Online table booking is turned off at the moment; please call us."
    staff = await staff_headers(services)
    assert (await client.post("/api/reservations", json=booking(place, day, "19:00"), headers=staff)).status_code == 201


async def test_lead_time_refuses_a_booking_too_soon(client: Client, services: Services) -> None:
    place = await venue(services, hours=[])
    await configure(services, leadTimeMinutes=24 * 60 * 2, timeInterval=60)
    today = day_ahead(0)
    refused = await client.post("/api/reservations", json=booking(place, day_ahead(1), "23:00"))
    assert refused.status_code == 400 and refused.json()["code"] == "TOO_SOON"
    data = await availability(client, place.location_id, today)
    assert free_times(data) == [] and data["note"].startswith("No table times are left on ")


async def test_the_restaurant_time_zone_places_the_stay(client: Client, services: Services) -> None:
    zone = "America/New_York"
    await set_timezone(services, zone)
    place = await venue(services)
    day = day_ahead(3, zone)
    made = await book(client, booking(place, day, "19:00"))
    expected = datetime(day.year, day.month, day.day, 19, 0, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    assert made["startsAt"] == expected.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert made["date"] == day.isoformat() and made["time"] == "19:00"
