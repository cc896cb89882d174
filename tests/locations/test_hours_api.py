"""Weekly hours through `/api/locations`: several ranges a day, overnight ranges, refusals that name the field."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.locations.models import OperatingHour
from kitchenasty.locations.schemas import OperatingHourIn
from kitchenasty.services import Services
from tests.locations.builders import make_location, weekday, zone_at_midday
from tests.locations.test_locations_api import body, count

Client = AsyncTestClient[Litestar]

SPLIT_WEEK = [
    {"dayOfWeek": 5, "openTime": "17:30", "closeTime": "02:00"},
    {"dayOfWeek": 1, "openTime": "17:30", "closeTime": "22:00"},
    {"dayOfWeek": 1, "openTime": "11:30", "closeTime": "14:30"},
    {"dayOfWeek": 0, "openTime": "00:00", "closeTime": "00:00", "isClosed": True},
]


def ranges(data: dict[str, Any]) -> list[tuple[int, str, str, bool]]:
    return [(h["dayOfWeek"], h["openTime"], h["closeTime"], h["isClosed"]) for h in data["operatingHours"]]


async def test_hours_several_ranges_a_day_are_stored_and_shown_in_order(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    response = await client.post("/api/locations", json=body(operatingHours=SPLIT_WEEK), headers=admin)
    assert response.status_code == 201, response.text
    assert ranges(response.json()["data"]) == [
        (0, "00:00", "00:00", True),
        (1, "11:30", "14:30", False),
        (1, "17:30", "22:00", False),
        (5, "17:30", "02:00", False),
    ]
    assert await count(services, OperatingHour) == 4
    listed = (await client.get("/api/locations")).json()["data"][0]
    assert ranges(listed)[1:3] == [(1, "11:30", "14:30", False), (1, "17:30", "22:00", False)]


async def test_hours_patch_replaces_the_week_with_several_ranges(
    client: Client, services: Services, manager: dict[str, str]
) -> None:
    created = (await client.post("/api/locations", json=body(), headers=manager)).json()["data"]
    week = [{"dayOfWeek": 2, "openTime": "07:00", "closeTime": "10:00"}, *SPLIT_WEEK[1:3]]
    response = await client.patch(f"/api/locations/{created['id']}", json={"operatingHours": week}, headers=manager)
    assert response.status_code == 200, response.text
    assert ranges(response.json()["data"]) == [
        (1, "11:30", "14:30", False),
        (1, "17:30", "22:00", False),
        (2, "07:00", "10:00", False),
    ]
    assert await count(services, OperatingHour) == 3


async def test_hours_ranges_that_only_touch_are_accepted(client: Client, admin: dict[str, str]) -> None:
    week = [
        {"dayOfWeek": 3, "openTime": "11:00", "closeTime": "15:00"},
        {"dayOfWeek": 3, "openTime": "15:00", "closeTime": "23:00"},
        {"dayOfWeek": 3, "openTime": "23:00", "closeTime": "02:00"},
    ]
    response = await client.post("/api/locations", json=body(operatingHours=week), headers=admin)
    assert response.status_code == 201, response.text


async def test_hours_overlap_on_the_same_day_is_refused_with_a_sentence(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    cases = [
        (
            [
                {"dayOfWeek": 1, "openTime": "11:30", "closeTime": "14:30"},
                {"dayOfWeek": 1, "openTime": "14:00", "closeTime": "22:00"},
            ],
            "Monday's hours 11:30–14:30 and 14:00–22:00 overlap; make one end before the other starts",
            "operatingHours[1].openTime",
        ),
        (  # an overnight range runs over a later one the same day
            [
                {"dayOfWeek": 6, "openTime": "23:00", "closeTime": "06:00"},
                {"dayOfWeek": 6, "openTime": "18:00", "closeTime": "23:30"},
            ],
            "Saturday's hours 18:00–23:30 and 23:00–06:00 overlap; make one end before the other starts",
            "operatingHours[0].openTime",
        ),
        (
            [
                {"dayOfWeek": 2, "openTime": "00:00", "closeTime": "00:00"},
                {"dayOfWeek": 2, "openTime": "12:00", "closeTime": "13:00"},
            ],
            "Tuesday's hours 00:00–00:00 and 12:00–13:00 overlap; make one end before the other starts",
            "operatingHours[1].openTime",
        ),
    ]
    for week, message, key in cases:
        response = await client.post("/api/locations", json=body(operatingHours=week), headers=admin)
        assert response.status_code == 400, response.text
        assert response.json() == {
            "success": False,
            "error": message,
            "code": "HOURS_OVERLAP",
            "details": [{"key": key, "message": message}],
        }
    assert await count(services, OperatingHour) == 0


async def test_hours_other_refusals_name_the_field_and_change_nothing(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    created = (await client.post("/api/locations", json=body(), headers=admin)).json()["data"]
    url = f"/api/locations/{created['id']}"
    closed_and_open = [
        {"dayOfWeek": 4, "openTime": "11:00", "closeTime": "15:00"},
        {"dayOfWeek": 4, "openTime": "00:00", "closeTime": "00:00", "isClosed": True},
    ]
    five = [{"dayOfWeek": 4, "openTime": f"{h:02d}:00", "closeTime": f"{h:02d}:30"} for h in (8, 10, 12, 14, 16)]
    bad_time = [{"dayOfWeek": 1, "openTime": "11:00", "closeTime": "22:00"}, {**SPLIT_WEEK[0], "closeTime": "25:00"}]
    cases = [
        (
            closed_and_open,
            "HOURS_CONFLICT",
            "operatingHours[1].isClosed",
            "Thursday is marked closed and also has other hours; send either one closed entry or its opening hours",
        ),
        (five, "TOO_MANY_RANGES", "operatingHours[4]", "Thursday has 5 opening ranges; a day can have at most 4"),
        (
            bad_time,
            "INVALID_TIME",
            "operatingHours[1].closeTime",
            "closeTime must be HH:MM (00:00 to 23:59), got '25:00'",
        ),
    ]
    for week, code, key, message in cases:
        response = await client.patch(url, json={"name": "Renamed", "operatingHours": week}, headers=admin)
        assert response.status_code == 400, response.text
        error = response.json()
        assert (error["code"], error["error"], error["details"]) == (code, message, [{"key": key, "message": message}])
    after = (await client.get(url)).json()["data"]
    assert after["name"] == "Harbour Kitchen"
    assert ranges(after) == [(0, "00:00", "00:00", True), (1, "11:00", "22:00", False)]


async def test_hours_is_open_now_follows_the_ranges_of_today(client: Client, services: Services) -> None:
    zone, local = zone_at_midday()
    await services.settings.update_group("general", {"timezone": zone})
    today = weekday(local)
    between = await make_location(
        services,
        operating_hours=[
            OperatingHourIn(day_of_week=today, open_time="07:00", close_time="09:00"),
            OperatingHourIn(day_of_week=today, open_time="15:00", close_time="20:00"),
        ],
    )
    inside = await make_location(
        services,
        operating_hours=[
            OperatingHourIn(day_of_week=today, open_time="07:00", close_time="09:00"),
            OperatingHourIn(day_of_week=today, open_time="10:00", close_time="14:00"),
        ],
    )
    assert (await client.get(f"/api/locations/{between}")).json()["data"]["isOpenNow"] is False
    assert (await client.get(f"/api/locations/{inside}")).json()["data"]["isOpenNow"] is True


async def test_hours_busy_extra_minutes_is_kept_and_bounded(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    created = (await client.post("/api/locations", json=body(), headers=admin)).json()["data"]
    assert created["busyExtraMinutes"] == 20
    url = f"/api/locations/{created['id']}"
    changed = await client.patch(url, json={"isBusy": True, "busyExtraMinutes": 45}, headers=admin)
    assert (changed.json()["data"]["isBusy"], changed.json()["data"]["busyExtraMinutes"]) == (True, 45)
    message = "busyExtraMinutes must be between 0 and 240 minutes"
    for value in (-1, 241, 10**12):
        refused = await client.patch(url, json={"isBusy": False, "busyExtraMinutes": value}, headers=admin)
        assert refused.status_code == 400
        assert refused.json()["details"] == [{"key": "busyExtraMinutes", "message": message}]
    assert (await client.get(url)).json()["data"]["isBusy"] is True
