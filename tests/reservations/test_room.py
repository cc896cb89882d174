"""The live `reservations` room against a real uvicorn: staff see new and changed bookings without reloading; only
staff may join."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from litestar import Litestar
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from kitchenasty.services import Services
from tests.factories import make_customer, make_staff
from tests.reservations.helpers import booking, day_ahead, venue
from tests.servers import serve


async def receive(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def test_room_sends_the_days_snapshot_then_created_updated_and_deleted(app: Litestar, services: Services) -> None:
    place = await venue(services)
    other_day = day_ahead(4)
    day = day_ahead(3)
    staff = services.auth.issue("staff", await make_staff(services, "MANAGER"))
    auth = {"Authorization": f"Bearer {staff}"}
    with serve(app) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            earlier = (await http.post("/api/reservations", json=booking(place, day, "18:00"))).json()["data"]
            later = (await http.post("/api/reservations", json=booking(place, other_day, "18:00"))).json()["data"]
            url = f"{server.ws_url}/api/ws/reservations?token={staff}&date={day.isoformat()}"
            async with connect(url) as ws:
                snapshot = await receive(ws)
                assert (snapshot["event"], snapshot["seq"]) == ("snapshot", 1)
                assert [r["id"] for r in snapshot["data"]] == [earlier["id"]]

                made = (await http.post("/api/reservations", json=booking(place, day, "19:00"))).json()["data"]
                created = await receive(ws)
                assert (created["event"], created["seq"]) == ("reservation.created", 2)
                assert created["data"]["id"] == made["id"] and created["data"]["status"] == "PENDING"

                await http.patch(f"/api/reservations/{made['id']}", headers=auth, json={"status": "CONFIRMED"})
                updated = await receive(ws)
                assert (updated["event"], updated["data"]["status"]) == ("reservation.updated", "CONFIRMED")

                await http.patch(f"/api/reservations/{made['id']}", headers=auth, json={"tableId": place.tables["T3"]})
                moved = await receive(ws)
                assert (moved["event"], moved["data"]["table"]["name"]) == ("reservation.updated", "T3")

                await http.patch(
                    f"/api/locations/{place.location_id}/tables/{place.tables['T1']}",
                    headers=auth,
                    json={"isActive": False},
                )
                flagged = [await receive(ws), await receive(ws)]  # both bookings on T1, whatever their date
                assert {m["event"] for m in flagged} == {"reservation.updated"}
                assert {m["data"]["id"] for m in flagged} == {earlier["id"], later["id"]}
                assert all(m["data"]["needsReassignment"] for m in flagged)

                await http.post(f"/api/reservations/{earlier['id']}/cancel", params={"t": earlier["manageToken"]})
                cancelled = await receive(ws)
                assert (cancelled["data"]["id"], cancelled["data"]["status"]) == (earlier["id"], "CANCELLED")

                await http.delete(f"/api/reservations/{made['id']}", headers=auth)
                deleted = await receive(ws)
                assert deleted["event"] == "reservation.deleted"
                assert deleted["data"] == {"id": made["id"], "locationId": place.location_id}
                assert deleted["seq"] == 8


async def test_room_is_for_staff_only(app: Litestar, services: Services) -> None:
    customer = services.auth.issue("customer", await make_customer(services))
    with serve(app) as server:
        for url, code in (
            (f"{server.ws_url}/api/ws/reservations", 4401),
            (f"{server.ws_url}/api/ws/reservations?token={customer}", 4403),
        ):
            async with connect(url) as ws:
                with pytest.raises(ConnectionClosed) as closed:
                    await receive(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == code
