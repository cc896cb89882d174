"""The `reservations` settings group: every field the rules read, with its default, its source and its checks."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.factories import staff_headers

Client = AsyncTestClient[Litestar]
DEFAULTS = {
    "enabled": True,
    "timeInterval": 30,
    "stayTime": 90,
    "stayTimeByPartySize": [],
    "leadTimeMinutes": 60,
    "maxAdvanceBookingDays": 30,
    "minPartySize": 1,
    "maxPartySize": 20,
    "maxCoversPerSlot": 0,
    "minCancellationNoticeHours": 2,
    "autoConfirm": False,
    "sendConfirmationEmail": True,
}


async def test_settings_group_shows_every_reservation_field_with_its_default(
    client: Client, services: Services
) -> None:
    manager = await staff_headers(services, "MANAGER")
    response = await client.get("/api/settings/reservation", headers=manager)
    assert response.status_code == 200
    assert response.json()["data"] == DEFAULTS
    assert set(response.json()["sources"].values()) == {"default"}


async def test_settings_stay_by_party_size_takes_pairs_and_refuses_nonsense(client: Client, services: Services) -> None:
    manager = await staff_headers(services, "MANAGER")
    saved = await client.put("/api/settings/reservation", headers=manager, json={"stayTimeByPartySize": "2:75, 6:120"})
    assert saved.status_code == 200 and saved.json()["data"]["stayTimeByPartySize"] == [[2, 75], [6, 120]]
    for bad, words in (
        ([[4, 90], [2, 75]], "the first numbers must rise"),
        ([[2, 0]], "at least 1"),
        ([[2, 2000]], "at most 1440"),
        ("two:75", "list of [number, number] pairs"),
    ):
        refused = await client.put("/api/settings/reservation", headers=manager, json={"stayTimeByPartySize": bad})
        assert refused.status_code == 400, bad
        assert words in refused.json()["error"], refused.json()
    assert (await services.settings.resolved()).get("reservations.stayTimeByPartySize") == [[2, 75], [6, 120]]


class TestFromTheEnvironment:
    @pytest.fixture
    def env(self, env: dict[str, str]) -> dict[str, str]:
        extra = {
            "KITCHENASTY_RESERVATIONS__STAY_TIME_BY_PARTY_SIZE": "2:60,4:90",
            "KITCHENASTY_RESERVATIONS__LEAD_TIME_MINUTES": "15",
        }
        return {**env, **extra}

    async def test_settings_come_from_the_environment_too(self, client: Client, services: Services) -> None:
        resolved = await services.settings.resolved()
        assert resolved.get("reservations.stayTimeByPartySize") == [[2, 60], [4, 90]]
        lead = (resolved.get("reservations.leadTimeMinutes"), resolved.sources["reservations.leadTimeMinutes"])
        assert lead == (15, "env")
