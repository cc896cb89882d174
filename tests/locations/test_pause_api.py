"""`POST /api/locations/{id}/pause` and `.../resume`: one request each way; a pause ends by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.locations.models import Location
from kitchenasty.services import Services
from tests.locations.builders import make_location

Client = AsyncTestClient[Litestar]


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_pause_for_minutes_then_resume(client: Client, services: Services, manager: dict[str, str]) -> None:
    location_id = await make_location(services)
    url = f"/api/locations/{location_id}"
    before = datetime.now(UTC)
    paused = await client.post(f"{url}/pause", json={"minutes": 30, "message": " Kitchen full "}, headers=manager)
    assert paused.status_code == 200, paused.text
    data = paused.json()["data"]
    assert (data["isPaused"], data["pauseMessage"], data["isBusy"]) == (True, "Kitchen full", False)
    until = moment(data["pausedUntil"])
    assert (until.second, until.microsecond) == (0, 0)  # a whole minute, as guests are told
    assert before + timedelta(minutes=30) <= until <= datetime.now(UTC) + timedelta(minutes=31)
    assert before - timedelta(seconds=1) <= moment(data["pausedAt"]) <= datetime.now(UTC)
    assert (await client.get(url)).json()["data"]["isPaused"] is True
    resumed = await client.post(f"{url}/resume", headers=manager)
    assert resumed.status_code == 200
    data = resumed.json()["data"]
    assert (data["isPaused"], data["pausedAt"], data["pausedUntil"], data["pauseMessage"]) == (False, None, None, None)
    async with services.db.session() as session:
        row = await session.get(Location, location_id)
    assert row is not None and (row.paused_at, row.paused_until, row.pause_message) == (None, None, None)


async def test_pause_without_minutes_lasts_until_resumed(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)
    data = (await client.post(f"/api/locations/{location_id}/pause", json={}, headers=admin)).json()["data"]
    assert (data["isPaused"], data["pausedUntil"], data["pauseMessage"]) == (True, None, None)
    assert data["pausedAt"] is not None
    again = await client.post(f"/api/locations/{location_id}/pause", json={"minutes": 5}, headers=admin)
    assert again.json()["data"]["pausedUntil"] is not None  # pausing again replaces the pause
    twice = await client.post(f"/api/locations/{location_id}/resume", headers=admin)
    assert (await client.post(f"/api/locations/{location_id}/resume", headers=admin)).status_code == 200
    assert twice.json()["data"]["isPaused"] is False


async def test_pause_ends_by_itself(client: Client, services: Services) -> None:
    location_id = await make_location(services)
    now = datetime.now(UTC)
    async with services.db.transaction() as session:
        row = await session.get(Location, location_id)
        assert row is not None
        row.paused_at, row.paused_until = now - timedelta(minutes=20), now - timedelta(seconds=1)
    data = (await client.get(f"/api/locations/{location_id}")).json()["data"]
    assert (data["isPaused"], data["pausedUntil"], data["isOpenNow"]) == (False, None, True)


async def test_pause_refusals_name_the_field_and_change_nothing(
    client: Client, services: Services, admin: dict[str, str]
) -> None:
    location_id = await make_location(services)
    url = f"/api/locations/{location_id}/pause"
    message = "minutes must be between 1 and 1440 (24 hours); leave it out to pause until resumed"
    for minutes in (0, -5, 1441, 10**15):
        response = await client.post(url, json={"minutes": minutes}, headers=admin)
        assert response.status_code == 400, response.text
        assert response.json() == {
            "success": False,
            "error": message,
            "code": "VALIDATION_ERROR",
            "details": [{"key": "minutes", "message": message}],
        }
    for payload in ({"minutes": "soon"}, {"message": "x" * 501}, {"until": "later"}):
        assert (await client.post(url, json=payload, headers=admin)).status_code == 400
    assert (await client.get(f"/api/locations/{location_id}")).json()["data"]["isPaused"] is False


async def test_pause_unknown_location_is_404(client: Client, admin: dict[str, str]) -> None:
    for path in ("pause", "resume"):
        response = await client.post(f"/api/locations/nope/{path}", json={}, headers=admin)
        assert (response.status_code, response.json()["error"]) == (404, "Location not found")
