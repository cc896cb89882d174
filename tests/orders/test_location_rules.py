"""What a location's state does to orders: several opening ranges a day, closed dates, pause and busy mode."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.locations.models import Location
from kitchenasty.locations.schemas import ClosureIn, PauseIn
from kitchenasty.services import Services
from tests.locations.builders import weekday, zone_at_midday
from tests.orders.fixtures import counts, guest_order, make_menu, set_settings
from tests.orders.test_refusals import change

Client = AsyncTestClient[Litestar]


async def place(client: Client, body: dict) -> tuple[int, dict]:
    response = await client.post("/api/orders", json=body)
    return response.status_code, response.json()


async def test_order_placed_in_the_second_range_of_the_day(client: Client, services: Services) -> None:
    zone, local = zone_at_midday()
    await services.settings.update_group("general", {"timezone": zone})
    today = weekday(local)
    menu = await make_menu(services, hours=[(today, "00:00", "01:00", False), (today, "10:00", "14:00", False)])
    status, body = await place(client, guest_order(menu))
    assert status == 201, body


async def test_order_between_two_ranges_is_refused_with_the_days_ranges(client: Client, services: Services) -> None:
    zone, local = zone_at_midday()
    await services.settings.update_group("general", {"timezone": zone})
    today = weekday(local)
    menu = await make_menu(
        services, name="Two Shifts", hours=[(today, "00:00", "01:00", False), (today, "15:00", "20:00", False)]
    )
    before = await counts(services)
    status, body = await place(client, guest_order(menu))
    assert (status, body["code"]) == (400, "LOCATION_CLOSED")
    assert body["error"] == "Two Shifts is closed right now (today's hours: 00:00-01:00, 15:00-20:00)."
    assert await counts(services) == before


async def test_order_on_a_closed_date_is_refused_with_its_note(client: Client, services: Services) -> None:
    menu = await make_menu(services, name="Harbour")
    today = datetime.now(UTC).date()
    await services.locations.create_closure(
        menu.location_id,
        ClosureIn(
            start_date=(today - timedelta(days=1)).isoformat(),
            end_date=(today + timedelta(days=1)).isoformat(),
            note="Closed for the holidays",
        ),
    )
    status, body = await place(client, guest_order(menu))
    assert (status, body["code"]) == (400, "LOCATION_CLOSED")
    assert body["error"] == "Harbour is closed today: Closed for the holidays."


async def test_order_scheduled_on_a_closed_date_is_refused_and_the_next_day_is_taken(
    client: Client, services: Services
) -> None:
    await set_settings(services, "orders", enableFutureOrdering=True, maxScheduleDays=7)
    menu = await make_menu(services, name="Harbour")
    day = datetime.now(UTC).date() + timedelta(days=2)
    await services.locations.create_closure(menu.location_id, ClosureIn(start_date=day.isoformat()))
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    status, body = await place(client, guest_order(menu, scheduledAt=noon.isoformat()))
    assert (status, body["code"]) == (400, "LOCATION_CLOSED_AT_TIME")
    weekday_name = f"{noon:%A}"
    assert body["error"] == f"Harbour is closed on {weekday_name} {day.day} {day:%B %Y}. Please choose another day."
    status, body = await place(client, guest_order(menu, scheduledAt=(noon + timedelta(days=1)).isoformat()))
    assert status == 201, body


async def test_order_while_busy_is_taken(client: Client, services: Services) -> None:
    menu = await make_menu(services)
    await change(services, Location, menu.location_id, is_busy=True, busy_message="Kitchen is slammed")
    status, body = await place(client, guest_order(menu))
    assert status == 201, body


async def test_order_while_busy_scheduled_past_the_longer_lead_time_is_taken(
    client: Client, services: Services
) -> None:
    await set_settings(services, "orders", enableFutureOrdering=True)
    menu = await make_menu(services)
    await change(services, Location, menu.location_id, is_busy=True, busy_extra_minutes=30)
    at = datetime.now(UTC) + timedelta(minutes=50)
    status, body = await place(client, guest_order(menu, scheduledAt=at.isoformat()))
    assert status == 201, body


async def test_order_while_paused_says_when_orders_open_again(client: Client, services: Services) -> None:
    menu = await make_menu(services, name="Harbour")
    paused = await services.locations.pause(menu.location_id, PauseIn(minutes=45, message="Kitchen full"))
    assert paused.paused_until is not None
    until = datetime.fromisoformat(paused.paused_until).astimezone(UTC)  # restaurant time is UTC here
    status, body = await place(client, guest_order(menu))
    assert (status, body["code"]) == (400, "ORDERING_PAUSED")
    when = f"at {until:%H:%M}" if until.date() == datetime.now(UTC).date() else f"tomorrow at {until:%H:%M}"
    assert body["error"] == f"Kitchen full. Orders open again {when}."


async def test_order_while_paused_until_resumed_without_message(client: Client, services: Services) -> None:
    menu = await make_menu(services, name="Harbour")
    await services.locations.pause(menu.location_id, PauseIn())
    status, body = await place(client, guest_order(menu))
    assert (status, body["error"]) == (400, "Harbour is not taking orders right now. Please try later.")
    await services.locations.resume(menu.location_id)
    status, body = await place(client, guest_order(menu))
    assert status == 201, body


async def test_order_scheduled_after_the_pause_ends_is_taken(client: Client, services: Services) -> None:
    await set_settings(services, "orders", enableFutureOrdering=True)
    menu = await make_menu(services)
    await services.locations.pause(menu.location_id, PauseIn(minutes=30))
    at = datetime.now(UTC) + timedelta(minutes=60)
    status, body = await place(client, guest_order(menu, scheduledAt=at.isoformat()))
    assert status == 201, body


async def test_order_after_the_pause_ended_by_itself_is_taken(client: Client, services: Services) -> None:
    menu = await make_menu(services)
    now = datetime.now(UTC)
    await change(
        services,
        Location,
        menu.location_id,
        paused_at=now - timedelta(minutes=31),
        paused_until=now - timedelta(minutes=1),
    )
    status, body = await place(client, guest_order(menu))
    assert status == 201, body
