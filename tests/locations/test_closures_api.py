"""`/api/locations/{id}/closures`: dated closures listed, created and deleted; a closed date shuts the location."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.locations.models import LocationClosure
from kitchenasty.locations.schemas import ClosureIn
from kitchenasty.services import Services
from tests.locations.builders import make_location
from tests.locations.test_locations_api import count

Client = AsyncTestClient[Litestar]


def today() -> date:
    return datetime.now(UTC).date()  # restaurant time is UTC unless a test sets a zone


def days(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


async def test_closure_created_listed_and_deleted(client: Client, services: Services, manager: dict[str, str]) -> None:
    location_id = await make_location(services)
    url = f"/api/locations/{location_id}/closures"
    holidays = await client.post(
        url, json={"startDate": days(10), "endDate": days(12), "note": "  Closed for the holidays "}, headers=manager
    )
    assert holidays.status_code == 201, holidays.text
    data = holidays.json()["data"]
    assert (data["locationId"], data["startDate"], data["endDate"], data["note"]) == (
        location_id,
        days(10),
        days(12),
        "Closed for the holidays",
    )
    one_day = await client.post(url, json={"startDate": days(3)}, headers=manager)
    assert (one_day.json()["data"]["startDate"], one_day.json()["data"]["endDate"]) == (days(3), days(3))
    assert one_day.json()["data"]["note"] is None
    listed = (await client.get(url)).json()["data"]
    assert [(c["startDate"], c["endDate"]) for c in listed] == [(days(3), days(3)), (days(10), days(12))]
    deleted = await client.delete(f"{url}/{data['id']}", headers=manager)
    assert deleted.json() == {"success": True, "message": "Closure deleted"}
    assert [c["startDate"] for c in (await client.get(url)).json()["data"]] == [days(3)]
    assert await count(services, LocationClosure) == 1


async def test_closure_list_keeps_past_ones_behind_past(client: Client, services: Services) -> None:
    location_id = await make_location(services)
    async with services.db.transaction() as session:  # a closure that is over (the API refuses to create one)
        session.add(
            LocationClosure(
                location_id=location_id, start_date=today() - timedelta(days=9), end_date=today() - timedelta(days=8)
            )
        )
    await services.locations.create_closure(location_id, ClosureIn(start_date=days(0)))
    url = f"/api/locations/{location_id}/closures"
    assert [c["startDate"] for c in (await client.get(url)).json()["data"]] == [days(0)]
    everything = (await client.get(url, params={"past": "true"})).json()["data"]
    assert [c["startDate"] for c in everything] == [days(-9), days(0)]


async def test_closure_refusals_name_the_field_and_write_nothing(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)
    url = f"/api/locations/{location_id}/closures"
    cases = [
        (
            {"startDate": "25/12/2025"},
            "startDate",
            "INVALID_DATE",
            "startDate must be a date written YYYY-MM-DD, got '25/12/2025'",
        ),
        (
            {"startDate": "2025-02-30"},
            "startDate",
            "INVALID_DATE",
            "startDate must be a date written YYYY-MM-DD, got '2025-02-30'",
        ),
        (
            {"startDate": days(5), "endDate": days(4)},
            "endDate",
            "INVALID_DATE_RANGE",
            "endDate must be on or after startDate",
        ),
        (
            {"startDate": days(1), "endDate": days(400)},
            "endDate",
            "CLOSURE_TOO_LONG",
            "A closure can last at most 366 days; add another one after it",
        ),
        (
            {"startDate": days(-3), "endDate": days(-1)},
            "endDate",
            "CLOSURE_IN_PAST",
            f"{(today() - timedelta(days=3)).day} {today() - timedelta(days=3):%B %Y} to "
            f"{(today() - timedelta(days=1)).day} {today() - timedelta(days=1):%B %Y} is already over; "
            "a closure must end today or later",
        ),
    ]
    for payload, key, code, message in cases:
        response = await client.post(url, json=payload, headers=admin)
        assert response.status_code == 400, response.text
        assert response.json() == {
            "success": False,
            "error": message,
            "code": code,
            "details": [{"key": key, "message": message}],
        }
    for payload in ({"endDate": days(1)}, {"startDate": days(1), "note": "x" * 201}, {"startDate": days(1), "x": 1}):
        assert (await client.post(url, json=payload, headers=admin)).status_code == 400
    assert await count(services, LocationClosure) == 0


async def test_closure_overlapping_another_is_409(client: Client, services: Services, admin: dict[str, str]) -> None:
    location_id = await make_location(services)
    other = await make_location(services)
    url = f"/api/locations/{location_id}/closures"
    assert (await client.post(url, json={"startDate": days(10), "endDate": days(12)}, headers=admin)).status_code == 201
    clash = await client.post(url, json={"startDate": days(12), "endDate": days(14)}, headers=admin)
    assert clash.status_code == 409
    first, last = today() + timedelta(days=10), today() + timedelta(days=12)
    message = (
        f"These dates overlap the closure of {first.day} {first:%B %Y} to {last.day} {last:%B %Y}; "
        "change or delete that one first"
    )
    assert clash.json() == {
        "success": False,
        "error": message,
        "code": "CLOSURE_OVERLAP",
        "details": [{"key": "startDate", "message": message}],
    }
    elsewhere = await client.post(f"/api/locations/{other}/closures", json={"startDate": days(12)}, headers=admin)
    assert elsewhere.status_code == 201
    assert await count(services, LocationClosure) == 2


async def test_closure_unknown_location_or_closure_is_404(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    first = await make_location(services)
    second = await make_location(services)
    created = await client.post(f"/api/locations/{first}/closures", json={"startDate": days(1)}, headers=admin)
    closure_id = created.json()["data"]["id"]
    missing = await client.post("/api/locations/nope/closures", json={"startDate": days(1)}, headers=admin)
    assert (missing.status_code, missing.json()["error"]) == (404, "Location not found")
    assert (await client.get("/api/locations/nope/closures")).status_code == 404
    foreign = await client.delete(f"/api/locations/{second}/closures/{closure_id}", headers=admin)
    assert (foreign.status_code, foreign.json()["error"]) == (404, "Closure not found")
    assert (await client.delete(f"/api/locations/{first}/closures/nope", headers=admin)).status_code == 404
    assert await count(services, LocationClosure) == 1


async def test_closure_today_closes_the_location_whatever_its_hours(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)  # no hours: open around the clock
    url = f"/api/locations/{location_id}"
    assert (await client.get(url)).json()["data"]["isOpenNow"] is True
    created = await client.post(f"{url}/closures", json={"startDate": days(-1), "endDate": days(1)}, headers=admin)
    assert created.status_code == 201
    assert (await client.get(url)).json()["data"]["isOpenNow"] is False
    assert (await client.get("/api/locations")).json()["data"][0]["isOpenNow"] is False
    await client.delete(f"{url}/closures/{created.json()['data']['id']}", headers=admin)
    assert (await client.get(url)).json()["data"]["isOpenNow"] is True


async def test_closure_rows_go_with_their_location(client: Client, services: Services, admin: dict[str, str]) -> None:
    location_id = await make_location(services)
    await client.post(f"/api/locations/{location_id}/closures", json={"startDate": days(2)}, headers=admin)
    assert (await client.delete(f"/api/locations/{location_id}", headers=admin)).status_code == 200
    assert await count(services, LocationClosure) == 0
