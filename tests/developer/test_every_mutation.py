"""Every mutating route a staff member can call leaves an audit row (issue 11): this test walks the app's routes.

Each POST/PUT/PATCH/DELETE route is either in SCENARIOS (a real call as a SUPER_ADMIN, after which an audit row
for the named record kind must exist) or in NOT_STAFF_WRITES with the reason it records nothing. A new mutating
route in neither fails the test.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.core.audit import AuditEntry
from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.kitchen.schemas import StationIn
from kitchenasty.menu.schemas import AllergenIn, CategoryIn, MealtimeIn, MenuItemIn
from kitchenasty.payments.schemas import MarkPaidIn
from kitchenasty.services import Services
from tests.factories import bearer, make_customer, make_staff
from tests.orders.fixtures import guest_order, make_menu

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}

NOT_STAFF_WRITES = {
    ("POST", "/api/auth/staff/login"): "a login, not a change to a record",
    ("POST", "/api/auth/customer/login"): "a login, not a change to a record",
    ("POST", "/api/auth/customer/register"): "a guest creating their own account",
    ("POST", "/api/auth/logout"): "ends a login session (not a record)",
    ("POST", "/api/auth/password-reset/request"): "anyone may ask; the reset itself is the owner's own",
    ("POST", "/api/auth/password-reset/confirm"): "the account holder, not logged in",
    ("POST", "/api/staff/accept-invite"): "the invited person, not logged in yet",
    ("POST", "/api/orders"): "an order is its own record (who, when, what)",
    ("POST", "/api/orders/quote"): "writes nothing",
    ("POST", "/api/coupons/validate"): "writes nothing",
    ("POST", "/api/automation/preview"): "writes nothing (renders an action against a recorded event)",
    ("POST", "/api/payments/webhook"): "Stripe's signed callback; a refused one is audited as the webhook",
    ("POST", "/api/payments/create-intent"): "the payer's own step; the payment row names who and when",
    ("POST", "/api/payments/create-checkout-session"): "the payer's own step; the payment row names who and when",
    ("POST", "/api/payments/paypal/create"): "the payer's own step; the payment row names who and when",
    ("POST", "/api/payments/paypal/capture"): "the payer's own step; the payment row names who and when",
}


@dataclass
class Scenario:
    entity: str
    call: Callable[[AsyncTestClient[Litestar], Services, dict[str, str]], Awaitable[Any]]
    any_outcome: bool = False
    """The record is made even when the call then reports a failure (the mail test's delivery)."""


async def _category(services: Services) -> str:
    return (await services.menu.create_category(CategoryIn(name="Mains", slug="mains"))).id


async def _item(services: Services) -> str:
    category = await _category(services)
    item = MenuItemIn(name="Risotto", slug="risotto", price=Decimal("14.50"), category_id=category)
    return (await services.menu.create_item(item)).id


async def _two_item_order(client: AsyncTestClient[Litestar], services: Services) -> tuple[str, str]:
    menu = await make_menu(services)
    lines = [{"menuItemId": menu.fries, "quantity": 1}, {"menuItemId": menu.soda, "quantity": 1}]
    response = await client.post("/api/orders", json=guest_order(menu, items=lines))
    assert response.status_code == 201, response.text
    order = response.json()["data"]
    return order["id"], order["items"][0]["id"]


async def _printer(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> str:
    body = {"name": "Expo", "host": "127.0.0.1", "port": 9}
    response = await client.post("/api/printers", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


async def _failed_print_job(client: AsyncTestClient[Litestar], services: Services, headers: dict[str, str]) -> str:
    from sqlalchemy import update

    from kitchenasty.printing.models import PrintJob

    printer = await _printer(client, headers)
    response = await client.post(f"/api/printers/{printer}/test", headers=headers)
    assert response.status_code == 201, response.text
    job_id = response.json()["data"]["id"]
    async with services.db.transaction() as session:
        await session.execute(update(PrintJob).where(PrintJob.id == job_id).values(status="FAILED"))
    return job_id


async def _station(services: Services) -> str:
    return (await services.stations.create_station(StationIn(name="Grill"))).id


async def _location(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> str:
    body = {"name": "Main", "slug": "main", "address": "1 Road", "city": "Town", "postalCode": "1000"}
    response = await client.post("/api/locations", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


async def _table(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> tuple[str, str]:
    location = await _location(client, headers)
    response = await client.post(
        f"/api/locations/{location}/tables", headers=headers, json={"name": "T1", "capacity": 4}
    )
    assert response.status_code == 201, response.text
    return location, response.json()["data"]["id"]


async def _pause(client: AsyncTestClient[Litestar], headers: dict[str, str], location: str) -> str:
    response = await client.post(f"/api/locations/{location}/pause", headers=headers, json={"minutes": 10})
    assert response.status_code == 200, response.text
    return location


async def _closure(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> tuple[str, str]:
    location = await _location(client, headers)
    day = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    response = await client.post(f"/api/locations/{location}/closures", headers=headers, json={"startDate": day})
    assert response.status_code == 201, response.text
    return location, response.json()["data"]["id"]


async def _rule(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> str:
    body = {
        "name": "Notify",
        "event": "order.created",
        "actions": [{"type": "email", "to": "owner@example.com", "subject": "New", "body": "x"}],
    }
    response = await client.post("/api/automation-rules", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


async def _failed_delivery(
    client: AsyncTestClient[Litestar], services: Services, headers: dict[str, str], *, failed: bool = False
) -> str:
    from sqlalchemy import update

    from kitchenasty.core import outbox

    row = outbox.message_row(channel="email", source="test", recipient="x@example.com", subject="s", body="b")
    await services.db.run_write(lambda session: outbox.insert_messages(session, [row]))
    if failed:
        async with services.db.transaction() as session:
            await session.execute(
                update(outbox.OutboxMessage).where(outbox.OutboxMessage.id == row["id"]).values(status="FAILED")
            )
    return row["id"]


async def _order(client: AsyncTestClient[Litestar], services: Services) -> str:
    menu = await make_menu(services)
    response = await client.post("/api/orders", json=guest_order(menu))
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


async def _confirmed_order(client: AsyncTestClient[Litestar], services: Services, headers: dict[str, str]) -> Any:
    """A guest order the kitchen confirmed: (order id, its first item's id)."""
    order_id = await _order(client, services)
    response = await client.patch(f"/api/orders/{order_id}/status", headers=headers, json={"status": "CONFIRMED"})
    assert response.status_code == 200, response.text
    return order_id, response.json()["data"]["items"][0]["id"]


async def _started_item(client: AsyncTestClient[Litestar], services: Services, headers: dict[str, str]) -> str:
    """An order whose first item was just started on the kitchen line (a move to recall)."""
    order_id, item_id = await _confirmed_order(client, services, headers)
    response = await client.patch(
        f"/api/orders/{order_id}/items/{item_id}/prep",
        headers=headers,
        json={"state": "PREPARING", "expectedVersion": 0},
    )
    assert response.status_code == 200, response.text
    return order_id


def _booking(location: str, **extra: Any) -> dict[str, Any]:
    day = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    guest = {"guestName": "Ana", "guestEmail": "ana@example.com", "guestPhone": "+1 555 0101"}
    return {"locationId": location, "date": day, "time": "19:00", "partySize": 2, **guest, **extra}


async def _reservation(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> str:
    """A guest's booking (not audited: no staff involved) at a new location with one table."""
    location, _ = await _table(client, headers)
    response = await client.post("/api/reservations", json=_booking(location))
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


async def _staff(services: Services) -> str:
    return (await make_staff(services, "STAFF")).id


async def _invitation(client: AsyncTestClient[Litestar], headers: dict[str, str]) -> str:
    response = await client.post("/api/staff/invite", headers=headers, json={"email": "later@example.com"})
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


async def _customer(services: Services) -> str:
    return (await make_customer(services)).id


def _settings(group: str, body: dict[str, Any]) -> Scenario:
    async def call(client: AsyncTestClient[Litestar], services: Services, headers: dict[str, str]) -> Any:
        return await client.put(f"/api/settings/{group}", headers=headers, json=body)

    return Scenario("site_settings", call)


SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("POST", "/api/auth/staff/register"): Scenario(
        "staff_user",
        lambda c, s, h: c.post(
            "/api/auth/staff/register",
            headers=h,
            json={"email": "new@example.com", "password": "long-pass-1", "name": "New"},
        ),
    ),
    ("POST", "/api/staff/invite"): Scenario(
        "staff_invite", lambda c, s, h: c.post("/api/staff/invite", headers=h, json={"email": "cook@example.com"})
    ),
    ("PATCH", "/api/staff/{staff_id:str}"): Scenario(
        "staff_user",
        lambda c, s, h: _then(_staff(s), lambda i: c.patch(f"/api/staff/{i}", headers=h, json={"name": "Jo"})),
    ),
    ("DELETE", "/api/staff/{staff_id:str}"): Scenario(
        "staff_user", lambda c, s, h: _then(_staff(s), lambda i: c.delete(f"/api/staff/{i}", headers=h))
    ),
    ("POST", "/api/staff/invitations/{invite_id:str}/resend"): Scenario(
        "staff_invite",
        lambda c, s, h: _then(_invitation(c, h), lambda i: c.post(f"/api/staff/invitations/{i}/resend", headers=h)),
    ),
    ("DELETE", "/api/staff/invitations/{invite_id:str}"): Scenario(
        "staff_invite",
        lambda c, s, h: _then(_invitation(c, h), lambda i: c.delete(f"/api/staff/invitations/{i}", headers=h)),
    ),
    ("POST", "/api/staff/{staff_id:str}/password-reset"): Scenario(
        "staff_user",
        lambda c, s, h: _then(_staff(s), lambda i: c.post(f"/api/staff/{i}/password-reset", headers=h)),
    ),
    ("PATCH", "/api/customers/{customer_id:str}"): Scenario(
        "customer",
        lambda c, s, h: _then(
            _customer(s), lambda i: c.patch(f"/api/customers/{i}", headers=h, json={"isActive": False})
        ),
    ),
    ("POST", "/api/automation-rules"): Scenario("automation_rule", lambda c, s, h: _rule(c, h)),
    ("PATCH", "/api/automation-rules/{rule_id:str}"): Scenario(
        "automation_rule",
        lambda c, s, h: _then(
            _rule(c, h), lambda i: c.patch(f"/api/automation-rules/{i}", headers=h, json={"name": "N"})
        ),
    ),
    ("DELETE", "/api/automation-rules/{rule_id:str}"): Scenario(
        "automation_rule",
        lambda c, s, h: _then(_rule(c, h), lambda i: c.delete(f"/api/automation-rules/{i}", headers=h)),
    ),
    ("POST", "/api/automation/deliveries/{delivery_id:str}/retry"): Scenario(
        "delivery",
        lambda c, s, h: _then(
            _failed_delivery(c, s, h), lambda i: c.post(f"/api/automation/deliveries/{i}/retry", headers=h)
        ),
    ),
    ("POST", "/api/automation/deliveries/retry-failed"): Scenario(
        "delivery",
        lambda c, s, h: _then(
            _failed_delivery(c, s, h, failed=True),
            lambda _: c.post("/api/automation/deliveries/retry-failed", headers=h),
        ),
    ),
    ("POST", "/api/automation/deliveries/failures/seen"): Scenario(
        "delivery",
        lambda c, s, h: _then(
            _failed_delivery(c, s, h, failed=True),
            lambda _: c.post("/api/automation/deliveries/failures/seen", headers=h),
        ),
    ),
    ("POST", "/api/settings/mail/test"): Scenario(
        "delivery",
        lambda c, s, h: _then(
            c.put("/api/settings/mail", headers=h, json={"smtpHost": "127.0.0.1", "smtpPort": 9, "encryption": "none"}),
            lambda _: c.post("/api/settings/mail/test", headers=h, json={"to": "owner@example.com"}),
        ),
        any_outcome=True,
    ),
    ("POST", "/api/coupons"): Scenario(
        "coupon", lambda c, s, h: c.post("/api/coupons", headers=h, json={"code": "X1", "type": "FIXED", "value": 1})
    ),
    ("PATCH", "/api/coupons/{coupon_id:str}"): Scenario(
        "coupon",
        lambda c, s, h: _then(
            s.coupons.create(CouponIn(code="Y1", type="FIXED", value=Decimal(1))),
            lambda cp: c.patch(f"/api/coupons/{cp.id}", headers=h, json={"value": 2}),
        ),
    ),
    ("DELETE", "/api/coupons/{coupon_id:str}"): Scenario(
        "coupon",
        lambda c, s, h: _then(
            s.coupons.create(CouponIn(code="Z1", type="FIXED", value=Decimal(1))),
            lambda cp: c.delete(f"/api/coupons/{cp.id}", headers=h),
        ),
    ),
    ("POST", "/api/locations"): Scenario("location", lambda c, s, h: _location(c, h)),
    ("PATCH", "/api/locations/{location_id:str}"): Scenario(
        "location",
        lambda c, s, h: _then(_location(c, h), lambda i: c.patch(f"/api/locations/{i}", headers=h, json={"name": "N"})),
    ),
    ("DELETE", "/api/locations/{location_id:str}"): Scenario(
        "location", lambda c, s, h: _then(_location(c, h), lambda i: c.delete(f"/api/locations/{i}", headers=h))
    ),
    ("POST", "/api/locations/{location_id:str}/pause"): Scenario(
        "location",
        lambda c, s, h: _then(_location(c, h), lambda i: c.post(f"/api/locations/{i}/pause", headers=h, json={})),
    ),
    ("POST", "/api/locations/{location_id:str}/resume"): Scenario(
        "location",
        lambda c, s, h: _then(
            _then(_location(c, h), lambda i: _pause(c, h, i)),
            lambda i: c.post(f"/api/locations/{i}/resume", headers=h),
        ),
    ),
    ("POST", "/api/locations/{location_id:str}/closures"): Scenario("location_closure", lambda c, s, h: _closure(c, h)),
    ("DELETE", "/api/locations/{location_id:str}/closures/{closure_id:str}"): Scenario(
        "location_closure",
        lambda c, s, h: _then(
            _closure(c, h), lambda lc: c.delete(f"/api/locations/{lc[0]}/closures/{lc[1]}", headers=h)
        ),
    ),
    ("POST", "/api/locations/{location_id:str}/tables"): Scenario("dining_table", lambda c, s, h: _table(c, h)),
    ("PATCH", "/api/locations/{location_id:str}/tables/{table_id:str}"): Scenario(
        "dining_table",
        lambda c, s, h: _then(
            _table(c, h), lambda lt: c.patch(f"/api/locations/{lt[0]}/tables/{lt[1]}", headers=h, json={"capacity": 6})
        ),
    ),
    ("DELETE", "/api/locations/{location_id:str}/tables/{table_id:str}"): Scenario(
        "dining_table",
        lambda c, s, h: _then(_table(c, h), lambda lt: c.delete(f"/api/locations/{lt[0]}/tables/{lt[1]}", headers=h)),
    ),
    ("POST", "/api/menu/categories"): Scenario(
        "category", lambda c, s, h: c.post("/api/menu/categories", headers=h, json={"name": "Soups", "slug": "soups"})
    ),
    ("PATCH", "/api/menu/categories/{category_id:str}"): Scenario(
        "category",
        lambda c, s, h: _then(
            _category(s), lambda i: c.patch(f"/api/menu/categories/{i}", headers=h, json={"name": "N"})
        ),
    ),
    ("DELETE", "/api/menu/categories/{category_id:str}"): Scenario(
        "category", lambda c, s, h: _then(_category(s), lambda i: c.delete(f"/api/menu/categories/{i}", headers=h))
    ),
    ("POST", "/api/menu/items"): Scenario(
        "menu_item",
        lambda c, s, h: _then(
            _category(s),
            lambda cat: c.post(
                "/api/menu/items", headers=h, json={"name": "Soup", "slug": "soup", "price": 5, "categoryId": cat}
            ),
        ),
    ),
    ("PATCH", "/api/menu/items/{item_id:str}"): Scenario(
        "menu_item",
        lambda c, s, h: _then(_item(s), lambda i: c.patch(f"/api/menu/items/{i}", headers=h, json={"price": 9})),
    ),
    ("DELETE", "/api/menu/items/{item_id:str}"): Scenario(
        "menu_item", lambda c, s, h: _then(_item(s), lambda i: c.delete(f"/api/menu/items/{i}", headers=h))
    ),
    ("POST", "/api/menu/items/{item_id:str}/sold-out"): Scenario(
        "menu_item", lambda c, s, h: _then(_item(s), lambda i: c.post(f"/api/menu/items/{i}/sold-out", headers=h))
    ),
    ("POST", "/api/menu/items/{item_id:str}/available"): Scenario(
        "menu_item",
        lambda c, s, h: _then(
            _then(_item(s), lambda i: _then(c.post(f"/api/menu/items/{i}/sold-out", headers=h), lambda _: _value(i))),
            lambda i: c.post(f"/api/menu/items/{i}/available", headers=h),
        ),
    ),
    ("POST", "/api/menu/items/{item_id:str}/duplicate"): Scenario(
        "menu_item", lambda c, s, h: _then(_item(s), lambda i: c.post(f"/api/menu/items/{i}/duplicate", headers=h))
    ),
    ("POST", "/api/menu/categories/{category_id:str}/reprice"): Scenario(
        "menu_item",
        lambda c, s, h: _then(
            _item(s),
            lambda _: _then(
                c.get("/api/menu/categories", headers=h),
                lambda tree: c.post(
                    f"/api/menu/categories/{tree.json()['data'][0]['id']}/reprice", headers=h, json={"percent": 10}
                ),
            ),
        ),
    ),
    ("PUT", "/api/menu/categories/order"): Scenario(
        "category",
        lambda c, s, h: _then(
            _category(s),
            lambda first: _then(
                s.menu.create_category(CategoryIn(name="Sides", slug="sides")),
                lambda second: c.put("/api/menu/categories/order", headers=h, json={"ids": [second.id, first]}),
            ),
        ),
    ),
    ("POST", "/api/menu/allergens"): Scenario(
        "allergen", lambda c, s, h: c.post("/api/menu/allergens", headers=h, json={"name": "Lupin"})
    ),
    ("DELETE", "/api/menu/allergens/{allergen_id:str}"): Scenario(
        "allergen",
        lambda c, s, h: _then(
            s.menu.create_allergen(AllergenIn(name="Celery")),
            lambda a: c.delete(f"/api/menu/allergens/{a.id}", headers=h),
        ),
    ),
    ("POST", "/api/menu/mealtimes"): Scenario(
        "mealtime",
        lambda c, s, h: c.post(
            "/api/menu/mealtimes",
            headers=h,
            json={"name": "Brunch", "startTime": "10:00", "endTime": "12:00", "days": [0, 6]},
        ),
    ),
    ("PATCH", "/api/menu/mealtimes/{mealtime_id:str}"): Scenario(
        "mealtime",
        lambda c, s, h: _then(
            s.menu.create_mealtime(MealtimeIn(name="Tea", start_time="15:00", end_time="17:00", days=[1])),
            lambda m: c.patch(f"/api/menu/mealtimes/{m.id}", headers=h, json={"name": "High tea"}),
        ),
    ),
    ("DELETE", "/api/menu/mealtimes/{mealtime_id:str}"): Scenario(
        "mealtime",
        lambda c, s, h: _then(
            s.menu.create_mealtime(MealtimeIn(name="Supper", start_time="21:00", end_time="23:00", days=[2])),
            lambda m: c.delete(f"/api/menu/mealtimes/{m.id}", headers=h),
        ),
    ),
    ("PATCH", "/api/orders/{order_id:str}/status"): Scenario(
        "order",
        lambda c, s, h: _then(
            _order(c, s),
            lambda i: c.patch(
                f"/api/orders/{i}/status", headers=h, json={"status": "CANCELLED", "reason": "The guest called"}
            ),
        ),
    ),
    ("PATCH", "/api/orders/{order_id:str}/items/{item_id:str}/prep"): Scenario(
        "order_item",
        lambda c, s, h: _then(
            _confirmed_order(c, s, h),
            lambda oi: c.patch(
                f"/api/orders/{oi[0]}/items/{oi[1]}/prep", headers=h, json={"state": "PREPARING", "expectedVersion": 0}
            ),
        ),
    ),
    ("POST", "/api/orders/{order_id:str}/recall"): Scenario(
        "order_item",
        lambda c, s, h: _then(_started_item(c, s, h), lambda i: c.post(f"/api/orders/{i}/recall", headers=h)),
    ),
    ("POST", "/api/orders/{order_id:str}/acknowledge"): Scenario(
        "order",
        lambda c, s, h: _then(_order(c, s), lambda i: c.post(f"/api/orders/{i}/acknowledge", headers=h)),
    ),
    ("POST", "/api/payments/cash"): Scenario(
        "payment",
        lambda c, s, h: _then(_order(c, s), lambda i: c.post("/api/payments/cash", headers=h, json={"orderId": i})),
    ),
    ("POST", "/api/orders/{order_id:str}/payments/mark-paid"): Scenario(
        "payment",
        lambda c, s, h: _then(
            _order(c, s),
            lambda i: c.post(f"/api/orders/{i}/payments/mark-paid", headers=h, json={"amountReceived": "50"}),
        ),
    ),
    ("POST", "/api/payments/{payment_id:str}/refund"): Scenario(
        "payment_refund",
        lambda c, s, h: _then(
            _then(_order(c, s), lambda i: s.payments.mark_paid(i, MarkPaidIn(method="CARD_ON_SITE"))),
            lambda p: c.post(f"/api/payments/{p.id}/refund", headers=h, json={"amount": "1", "reason": "Cold"}),
        ),
    ),
    ("POST", "/api/reservations"): Scenario(
        "reservation",
        lambda c, s, h: _then(
            _table(c, h), lambda lt: c.post("/api/reservations", headers=h, json=_booking(lt[0], guestEmail=None))
        ),
    ),
    ("POST", "/api/reservations/walk-in"): Scenario(
        "reservation",
        lambda c, s, h: _then(
            _table(c, h),
            lambda lt: c.post("/api/reservations/walk-in", headers=h, json={"locationId": lt[0], "partySize": 2}),
        ),
    ),
    ("PATCH", "/api/reservations/{reservation_id:str}"): Scenario(
        "reservation",
        lambda c, s, h: _then(
            _reservation(c, h), lambda i: c.patch(f"/api/reservations/{i}", headers=h, json={"status": "CONFIRMED"})
        ),
    ),
    ("POST", "/api/reservations/{reservation_id:str}/cancel"): Scenario(
        "reservation",
        lambda c, s, h: _then(_reservation(c, h), lambda i: c.post(f"/api/reservations/{i}/cancel", headers=h)),
    ),
    ("DELETE", "/api/reservations/{reservation_id:str}"): Scenario(
        "reservation",
        lambda c, s, h: _then(_reservation(c, h), lambda i: c.delete(f"/api/reservations/{i}", headers=h)),
    ),
    ("PUT", "/api/settings/general"): _settings("general", {"restaurantName": "Uno"}),
    ("PUT", "/api/settings/order"): _settings("order", {"taxRate": 7}),
    ("PUT", "/api/settings/reservation"): _settings(
        "reservation", {"timeInterval": 15, "stayTimeByPartySize": [[2, 75], [4, 90]], "maxCoversPerSlot": 40}
    ),
    ("PUT", "/api/settings/mail"): _settings("mail", {"smtpHost": "mx.example.com"}),
    ("PUT", "/api/settings/payment"): _settings("payment", {"cashEnabled": False}),
    ("PUT", "/api/settings/review"): _settings("review", {"autoApprove": True}),
    ("PUT", "/api/settings/advanced"): _settings("advanced", {"maintenanceMessage": "Back soon"}),
    ("POST", "/api/stations"): Scenario(
        "station", lambda c, s, h: c.post("/api/stations", headers=h, json={"name": "Bar"})
    ),
    ("PATCH", "/api/stations/{station_id:str}"): Scenario(
        "station",
        lambda c, s, h: _then(_station(s), lambda i: c.patch(f"/api/stations/{i}", headers=h, json={"name": "Taps"})),
    ),
    ("DELETE", "/api/stations/{station_id:str}"): Scenario(
        "station", lambda c, s, h: _then(_station(s), lambda i: c.delete(f"/api/stations/{i}", headers=h))
    ),
    ("POST", "/api/printers"): Scenario("printer", lambda c, s, h: _printer(c, h)),
    ("PATCH", "/api/printers/{printer_id:str}"): Scenario(
        "printer",
        lambda c, s, h: _then(_printer(c, h), lambda i: c.patch(f"/api/printers/{i}", headers=h, json={"port": 9101})),
    ),
    ("DELETE", "/api/printers/{printer_id:str}"): Scenario(
        "printer", lambda c, s, h: _then(_printer(c, h), lambda i: c.delete(f"/api/printers/{i}", headers=h))
    ),
    ("POST", "/api/printers/{printer_id:str}/test"): Scenario(
        "print_job", lambda c, s, h: _then(_printer(c, h), lambda i: c.post(f"/api/printers/{i}/test", headers=h))
    ),
    ("POST", "/api/print-jobs/{job_id:str}/retry"): Scenario(
        "print_job",
        lambda c, s, h: _then(_failed_print_job(c, s, h), lambda i: c.post(f"/api/print-jobs/{i}/retry", headers=h)),
    ),
    ("POST", "/api/print-jobs/{job_id:str}/dismiss"): Scenario(
        "print_job",
        lambda c, s, h: _then(_failed_print_job(c, s, h), lambda i: c.post(f"/api/print-jobs/{i}/dismiss", headers=h)),
    ),
    ("POST", "/api/orders/{order_id:str}/reprint"): Scenario(
        "order",
        lambda c, s, h: _then(
            _then(_printer(c, h), lambda _p: _order(c, s)),
            lambda i: c.post(f"/api/orders/{i}/reprint", headers=h, json={}),
        ),
    ),
    ("POST", "/api/orders/{order_id:str}/items/{item_id:str}/void"): Scenario(
        "order_item",
        lambda c, s, h: _then(
            _two_item_order(c, s),
            lambda oi: c.post(f"/api/orders/{oi[0]}/items/{oi[1]}/void", headers=h, json={"reason": "Out of it"}),
        ),
    ),
}


async def _then(first: Awaitable[Any], then: Callable[[Any], Awaitable[Any]]) -> Any:
    return await then(await first)


async def _value(value: Any) -> Any:
    return value


def mutating_routes(app: Litestar) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        for method in getattr(route, "methods", ()):
            if method in MUTATING and route.path.startswith("/api/"):
                found.add((method, route.path))
    return found


def test_every_mutating_route_is_audited_or_says_why_not(app: Litestar) -> None:
    routes = mutating_routes(app)
    unaccounted = sorted(routes - set(SCENARIOS) - set(NOT_STAFF_WRITES))
    assert not unaccounted, (
        f"mutating routes with no audit scenario (tests/developer/test_every_mutation.py): {unaccounted}"
    )
    assert not set(SCENARIOS) & set(NOT_STAFF_WRITES)
    assert not (set(SCENARIOS) | set(NOT_STAFF_WRITES)) - routes, "scenarios for routes that no longer exist"


@pytest.mark.parametrize("route", sorted(SCENARIOS), ids=lambda r: f"{r[0]} {r[1]}")
async def test_a_staff_mutation_leaves_an_audit_row(
    client: AsyncTestClient[Litestar], services: Services, route: tuple[str, str]
) -> None:
    scenario = SCENARIOS[route]
    admin = await make_staff(services, "SUPER_ADMIN")
    headers = bearer(services.auth.issue("staff", admin))
    async with services.db.session() as session:
        before = {e.id for e in await session.scalars(select(AuditEntry))}
    response = await scenario.call(client, services, headers)
    if hasattr(response, "status_code") and not scenario.any_outcome:
        assert response.status_code < 300, response.text
    async with services.db.session() as session:
        new = [e for e in await session.scalars(select(AuditEntry)) if e.id not in before]
    made = {(e.entity, e.actor_id) for e in new}
    assert (scenario.entity, admin.id) in made, f"{route}: audit rows {made}"
