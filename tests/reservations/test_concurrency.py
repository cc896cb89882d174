"""Races on the real SQLite file: the last free table goes to exactly one of twenty guests booking at once (over real
sockets), and a seeded random storm of bookings, cancellations, reassignments and reschedules never double-books a
table."""

from __future__ import annotations

import asyncio
import itertools
import random
from datetime import timedelta

import httpx
from litestar import Litestar
from sqlalchemy import select

from kitchenasty.reservations.checks import HOLDING
from kitchenasty.reservations.models import Reservation
from kitchenasty.services import Services
from tests.factories import staff_headers
from tests.reservations.helpers import booking, day_ahead, venue
from tests.servers import serve

TABLES = (("T1", 2), ("T2", 2), ("T3", 4), ("T4", 4), ("T5", 6))


async def _double_bookings(services: Services) -> list[tuple[str, str, str]]:
    """Pairs of holding bookings on one table whose stays overlap (there must be none)."""
    async with services.db.session() as session:
        rows = list(
            await session.scalars(select(Reservation).where(Reservation.status.in_(HOLDING)).order_by(Reservation.id))
        )
    clashes = []
    for a, b in itertools.combinations(rows, 2):
        if a.table_id is not None and a.table_id == b.table_id and a.starts_at < b.ends_at and b.starts_at < a.ends_at:
            clashes.append((a.table_id, a.id, b.id))
    return clashes


async def test_concurrency_twenty_guests_for_the_last_free_table_one_wins_nineteen_are_told(
    app: Litestar, services: Services
) -> None:
    place = await venue(services, tables=(("T1", 2), ("T2", 2)))
    day = day_ahead()
    with serve(app) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
            first = await http.post("/api/reservations", json=booking(place, day, "19:00", guestName="Early"))
            assert first.status_code == 201, first.text  # T1 is taken: T2 is the last free table at 19:00
            bodies = [
                booking(place, day, "19:00", guestName=f"Guest {n}", guestEmail=f"g{n}@example.com") for n in range(20)
            ]
            responses = await asyncio.gather(*(http.post("/api/reservations", json=body) for body in bodies))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19, [r.text for r in responses if r.status_code not in (201, 409)]
    refusals = [r.json() for r in responses if r.status_code == 409]
    assert {r["code"] for r in refusals} == {"SLOT_TAKEN"}
    assert all(r["error"].startswith("Sorry, no table for 2 is free at 19:00 on ") for r in refusals)
    assert not any("locked" in r.text.lower() for r in responses)
    [won] = [r.json()["data"] for r in responses if r.status_code == 201]
    assert won["table"]["name"] == "T2"
    async with services.db.session() as session:
        booked = list(await session.scalars(select(Reservation)))
    assert len(booked) == 2
    assert await _double_bookings(services) == []


async def test_concurrency_random_bookings_cancellations_and_moves_never_double_book(
    app: Litestar, services: Services
) -> None:
    rng = random.Random(1414)
    place = await venue(services, tables=TABLES)
    table_ids = list(place.tables.values())
    days = [day_ahead(2), day_ahead(3)]
    times = [f"{h}:{m}" for h in range(17, 22) for m in ("00", "30")]
    staff = await staff_headers(services)
    made: list[dict[str, str]] = []
    outcomes: dict[int, int] = {}
    counter = itertools.count()

    async def operation(http: httpx.AsyncClient) -> None:
        kind = rng.choices(["book", "cancel", "move", "reschedule", "walk_in"], weights=[6, 2, 3, 2, 1])[0]
        if kind == "book" or not made:
            n = next(counter)
            body = booking(
                place, rng.choice(days), rng.choice(times), party=rng.randint(1, 6), guestEmail=f"r{n}@example.com"
            )
            response = await http.post("/api/reservations", json=body, headers=staff if n % 3 == 0 else {})
            if response.status_code == 201:
                data = response.json()["data"]
                made.append({"id": data["id"], "token": data["manageToken"]})
        elif kind == "cancel":
            target = rng.choice(made)
            response = await http.post(f"/api/reservations/{target['id']}/cancel", params={"t": target["token"]})
        elif kind == "move":
            target = rng.choice(made)
            response = await http.patch(
                f"/api/reservations/{target['id']}", headers=staff, json={"tableId": rng.choice(table_ids)}
            )
        elif kind == "reschedule":
            target = rng.choice(made)
            response = await http.patch(
                f"/api/reservations/{target['id']}",
                headers=staff,
                json={"time": rng.choice(times), "partySize": rng.randint(1, 6)},
            )
        else:
            response = await http.post(
                "/api/reservations/walk-in",
                headers=staff,
                json={"locationId": place.location_id, "partySize": rng.randint(1, 4)},
            )
        assert response.status_code < 500, response.text
        assert response.status_code in (200, 201, 400, 409), response.text
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1

    with serve(app) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
            for _ in range(25):
                await asyncio.gather(*(operation(http) for _ in range(8)))
                assert await _double_bookings(services) == []
    assert outcomes.get(201, 0) > 20 and outcomes.get(409, 0) > 5 and outcomes.get(200, 0) > 10, outcomes
    async with services.db.session() as session:
        rows = list(await session.scalars(select(Reservation)))
    for row in rows:  # every stay is as long as it says and on a table that seats it
        assert row.ends_at - row.starts_at == timedelta(minutes=row.duration_minutes)
    capacities = {place.tables[name]: capacity for name, capacity in TABLES}
    assert all(capacities[r.table_id] >= r.party_size for r in rows if r.table_id and r.status in HOLDING)
