"""Test data for reservations, through the real services and API: a location with hours and tables, guest bodies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.locations.schemas import OperatingHourIn
from kitchenasty.services import Services
from tests.locations.builders import make_location, make_table

Client = AsyncTestClient[Litestar]
EVENINGS = [OperatingHourIn(day_of_week=day, open_time="17:00", close_time="23:00") for day in range(7)]
GUEST = {"guestName": "Ana Guest", "guestEmail": "ana@example.com", "guestPhone": "+1 555 0101"}


@dataclass
class Venue:
    location_id: str
    tables: dict[str, str]
    """name -> id"""


async def venue(
    services: Services,
    tables: tuple[tuple[str, int], ...] = (("T1", 2), ("T2", 4), ("T3", 6)),
    hours: list[OperatingHourIn] | None = None,
    **location: Any,
) -> Venue:
    location_id = await make_location(services, operating_hours=EVENINGS if hours is None else hours, **location)
    ids = {name: await make_table(services, location_id, name, capacity) for name, capacity in tables}
    return Venue(location_id, ids)


async def configure(services: Services, **fields: Any) -> None:
    """Save reservation settings (camelCase field names)."""
    await services.settings.update_group("reservations", fields)


async def set_timezone(services: Services, zone: str) -> None:
    await services.settings.update_group("general", {"timezone": zone})


def day_ahead(days: int = 3, zone: str = "UTC") -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(zone)).date() + timedelta(days=days)


def booking(venue_or_id: Venue | str, day: date, time: str = "19:00", party: int = 2, **extra: Any) -> dict[str, Any]:
    location_id = venue_or_id.location_id if isinstance(venue_or_id, Venue) else venue_or_id
    return {"locationId": location_id, "date": day.isoformat(), "time": time, "partySize": party, **GUEST, **extra}


async def book(client: Client, body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    response = await client.post("/api/reservations", json=body, **kwargs)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def availability(client: Client, location_id: str, day: date, party: int = 2) -> dict[str, Any]:
    response = await client.get(
        "/api/reservations/availability",
        params={"locationId": location_id, "date": day.isoformat(), "partySize": party},
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def free_times(data: dict[str, Any]) -> list[str]:
    return [slot["time"] for slot in data["slots"] if slot["available"]]
