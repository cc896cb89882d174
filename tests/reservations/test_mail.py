"""Mail through the outbox and a real SMTP server: the built-in booking confirmation with the manage link, and an
automation rule on `reservation.created` (and one on `reservation.statusChanged`) e-mailing the guest."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.automation.helpers import all_events_processed, configure_mail, create_rule, deliveries, sent
from tests.factories import staff_headers
from tests.reservations.helpers import GUEST, book, booking, configure, day_ahead, venue
from tests.servers import SMTPServer, eventually

Client = AsyncTestClient[Litestar]


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KITCHENASTY_OUTBOX_BASE_DELAY_SECONDS": "0.05", "KITCHENASTY_PUBLIC_URL": "http://192.0.2.10:8000"}


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


async def test_a_rule_on_reservation_created_emails_the_guest(
    client: Client, services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    await configure(services, sendConfirmationEmail=False)  # only the rule's mail
    await create_rule(
        client,
        admin,
        event="reservation.created",
        conditions=[{"path": "reservation.partySize", "op": "gte", "value": 4}],
        actions=[
            {
                "type": "email",
                "to": "customer",
                "subject": "Table for {{reservation.partySize}} on {{reservation.date}} at {{reservation.time}}",
                "body": "See you, {{reservation.guestName}}! Manage it: {{reservation.manageUrl}}",
            }
        ],
    )
    place = await venue(services)
    day = day_ahead()
    made = await book(client, booking(place, day, "19:30", party=4))
    await book(client, booking(place, day, "18:00", party=2, guestEmail="small@example.com"))  # the rule skips it

    [mail] = smtp.wait_for(1)
    assert mail.rcpt_tos == [GUEST["guestEmail"]]
    assert mail.subject == f"Table for 4 on {day.isoformat()} at 19:30"
    assert f"See you, Ana Guest! Manage it: {made['manageUrl']}" in mail.text()
    await eventually(lambda: all_events_processed(services))
    await sent(services, 1)
    await asyncio.sleep(0.2)
    assert len(smtp.inbox) == 1
    assert [d.source for d in await deliveries(services)] == ["rule"]


async def test_the_booking_confirmation_carries_the_manage_link(
    client: Client, services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    await services.settings.update_group("general", {"restaurantName": "Trattoria Due"})
    place = await venue(services)
    day = day_ahead()
    made = await book(client, booking(place, day, "20:00", party=3, comment="Birthday"))

    [mail] = smtp.wait_for(1)
    assert mail.rcpt_tos == [GUEST["guestEmail"]]
    assert mail.subject.startswith(f"Your table at {made['location']['name']}: ")
    assert f"{day.day} {day:%B %Y} at 20:00" in mail.subject
    text = mail.text()
    assert "Hello Ana Guest," in text
    assert "Thank you for booking a table at Trattoria Due. We will confirm it shortly." in text
    assert "3 guests" in text and "Birthday" in text and "1 h 30 min" in text
    assert f"http://192.0.2.10:8000{made['manageUrl']}" in text
    [delivery] = await sent(services)
    assert delivery.source == "builtin:reservation_confirmation"

    staff = await staff_headers(services)
    walk_in = await client.post(
        "/api/reservations/walk-in",
        headers=staff,
        json={"locationId": place.location_id, "partySize": 2, "guestEmail": "walk@example.com"},
    )
    assert walk_in.status_code == 201
    await eventually(lambda: all_events_processed(services))
    await asyncio.sleep(0.2)
    assert len(smtp.inbox) == 1  # no confirmation for a party already seated


async def test_a_rule_on_reservation_status_changed_emails_when_confirmed(
    client: Client, services: Services, smtp: SMTPServer
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await configure_mail(client, admin, smtp.port)
    await configure(services, sendConfirmationEmail=False)
    await create_rule(
        client,
        admin,
        event="reservation.statusChanged",
        conditions=[{"path": "reservation.status", "op": "eq", "value": "CONFIRMED"}],
        actions=[{"type": "email", "to": "customer", "subject": "Confirmed: {{reservation.time}}", "body": "Yes"}],
    )
    place = await venue(services)
    made = await book(client, booking(place, day_ahead(), "18:30"))
    confirmed = await client.patch(f"/api/reservations/{made['id']}", headers=admin, json={"status": "CONFIRMED"})
    assert confirmed.status_code == 200
    [mail] = smtp.wait_for(1)
    assert (mail.subject, mail.rcpt_tos) == ("Confirmed: 18:30", [GUEST["guestEmail"]])
