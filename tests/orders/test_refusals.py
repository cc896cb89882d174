"""Every refused order is a 400 a guest can act on, and leaves orders, items, options, coupon uses and stock as
they were. Each case prepares the menu/settings, then builds a body; the quote endpoint refuses it the same way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from kitchenasty.coupons.models import Coupon
from kitchenasty.coupons.schemas import CouponIn
from kitchenasty.locations.models import DiningTable, Location
from kitchenasty.locations.schemas import ClosureIn, PauseIn
from kitchenasty.menu.models import Category, Mealtime, MenuItem, MenuOptionValue, menu_item_mealtimes
from kitchenasty.orders.schemas import OrderIn
from kitchenasty.services import Services
from tests.orders.fixtures import (
    Menu,
    burger_line,
    counts,
    guest_order,
    make_item,
    make_location,
    make_menu,
    set_settings,
)

Setup = Callable[[Services, Menu], Awaitable[dict[str, Any]]]
ADDRESS = {"line1": "2 Dock Road", "city": "Portsmouth"}


@dataclass
class Case:
    name: str
    setup: Setup
    code: str
    message: str | None = None
    headers: dict[str, str] | None = None


async def change(services: Services, model: Any, row_id: str, **values: Any) -> None:
    async with services.db.transaction() as session:
        await session.execute(update(model).where(model.id == row_id).values(**values))


def in_hours(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


# ---------------------------------------------------------------- setups


async def ordering_off(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enabled=False)
    return guest_order(m)


async def maintenance(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "advanced", maintenanceMode=True, maintenanceMessage="Back at 6 pm!")
    return guest_order(m)


async def location_inactive(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, Location, m.location_id, is_active=False)
    return guest_order(m, locationId=m.location_id)


async def no_active_location(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, Location, m.location_id, is_active=False)
    return guest_order(m)


async def paused_with_message(s: Services, m: Menu) -> dict[str, Any]:
    await s.locations.pause(m.location_id, PauseIn(message="Kitchen full, back soon"))
    return guest_order(m)


async def paused_for_a_while(s: Services, m: Menu) -> dict[str, Any]:
    await s.locations.pause(m.location_id, PauseIn(minutes=30))
    return guest_order(m)


async def paused_scheduled_before_it_ends(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enableFutureOrdering=True)
    await s.locations.pause(m.location_id, PauseIn(minutes=120))
    return guest_order(m, scheduledAt=in_hours(1))


async def busy_scheduled_inside_longer_lead_time(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enableFutureOrdering=True)
    await change(s, Location, m.location_id, is_busy=True, busy_extra_minutes=30)
    return guest_order(m, scheduledAt=in_hours(0.5))  # 15 minutes of lead time, 45 while busy


def around_today() -> ClosureIn:
    """Yesterday to tomorrow (restaurant time is UTC here), so that it covers now even across midnight."""
    today = datetime.now(UTC).date()
    return ClosureIn(
        start_date=(today - timedelta(days=1)).isoformat(),
        end_date=(today + timedelta(days=1)).isoformat(),
        note="Closed for the holidays",
    )


async def closed_date(s: Services, m: Menu) -> dict[str, Any]:
    await s.locations.create_closure(m.location_id, around_today())
    return guest_order(m)


async def closed_date_at_scheduled_time(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enableFutureOrdering=True)
    day = datetime.now(UTC).date() + timedelta(days=2)
    await s.locations.create_closure(m.location_id, ClosureIn(start_date=day.isoformat()))
    return guest_order(m, scheduledAt=datetime(day.year, day.month, day.day, 12, tzinfo=UTC).isoformat())


async def closed_now(s: Services, m: Menu) -> dict[str, Any]:
    location_id, _ = await make_location(s, name="Night Owl", hours=[(d, "10:00", "11:00", True) for d in range(7)])
    await change(s, Location, m.location_id, is_active=False)
    return guest_order(m, locationId=location_id)


async def closed_at_scheduled_time(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enableFutureOrdering=True)
    location_id, _ = await make_location(s, name="Brunch Bar", hours=[(d, "10:00", "11:00", False) for d in range(7)])
    await change(s, Location, m.location_id, is_active=False)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0)
    return guest_order(m, locationId=location_id, scheduledAt=tomorrow.isoformat())


async def delivery_disabled(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, Location, m.location_id, delivery_enabled=False)
    return guest_order(m, orderType="DELIVERY", address=ADDRESS)


async def dine_in_disabled(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, Location, m.location_id, dine_in_enabled=False)
    return guest_order(m, orderType="DINE_IN", tableId=m.table_id)


async def item_delivery_only(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, MenuItem, m.fries, order_type="DELIVERY")
    return guest_order(m, items=[{"menuItemId": m.fries, "quantity": 1}])


async def delivery_without_address(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, orderType="DELIVERY")


async def delivery_blank_street(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, orderType="DELIVERY", address={"line1": "   ", "city": "Portsmouth"})


async def delivery_address_without_city(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, orderType="DELIVERY", address={"line1": "2 Dock Road"})


async def dine_in_without_table(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, orderType="DINE_IN")


async def dine_in_other_location_table(s: Services, m: Menu) -> dict[str, Any]:
    _, other_table = await make_location(s, name="Elsewhere")
    return guest_order(m, orderType="DINE_IN", tableId=other_table, locationId=m.location_id)


async def dine_in_inactive_table(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, DiningTable, m.table_id, is_active=False)
    return guest_order(m, orderType="DINE_IN", tableId=m.table_id)


async def unknown_item(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, items=[burger_line(m), {"menuItemId": "no-such-item", "quantity": 1}])


async def inactive_item(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, MenuItem, m.fries, is_active=False)
    return guest_order(m, items=[{"menuItemId": m.fries, "quantity": 1}])


async def inactive_category(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, Category, m.category_id, is_active=False)
    return guest_order(m, items=[{"menuItemId": m.fries, "quantity": 1}])


async def item_of_another_location(s: Services, m: Menu) -> dict[str, Any]:
    other, _ = await make_location(s, name="Other Site")
    await change(s, MenuItem, m.fries, location_id=other)
    return guest_order(m, locationId=m.location_id, items=[{"menuItemId": m.fries, "quantity": 1}])


async def sold_out(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, MenuItem, m.soda, stock_qty=0)
    return guest_order(m, items=[{"menuItemId": m.soda, "quantity": 1}])


async def marked_sold_out(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, MenuItem, m.fries, is_sold_out=True)
    return guest_order(m, items=[{"menuItemId": m.fries, "quantity": 1}])


async def marked_sold_out_with_stock(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, MenuItem, m.soda, is_sold_out=True)  # 10 still in stock
    return guest_order(m, items=[{"menuItemId": m.soda, "quantity": 1}])


async def outside_mealtime(s: Services, m: Menu) -> dict[str, Any]:
    hour = datetime.now(UTC).hour
    async with s.db.transaction() as session:
        window = Mealtime(
            name="Late",
            start_time=f"{(hour + 2) % 24:02d}:00",
            end_time=f"{(hour + 3) % 24:02d}:00",
            days=list(range(7)),
        )
        session.add(window)
        await session.flush()
        await session.execute(menu_item_mealtimes.insert().values(menu_item_id=m.fries, mealtime_id=window.id))
    return guest_order(m, items=[{"menuItemId": m.fries, "quantity": 1}])


async def option_of_another_item(s: Services, m: Menu) -> dict[str, Any]:
    _, _, values = await make_item(
        s, m.category_id, name="Pizza", price_cents=900, options=[{"name": "Crust", "values": [("Thin", 0)]}]
    )
    line = burger_line(m)
    line["options"].append({"menuOptionValueId": values["Thin"]})
    return guest_order(m, items=[line])


async def unknown_option_value(s: Services, m: Menu) -> dict[str, Any]:
    line = burger_line(m)
    line["options"].append({"menuOptionValueId": "no-such-value"})
    return guest_order(m, items=[line])


async def inactive_option_value(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, MenuOptionValue, m.values["bacon"], is_active=False)
    return guest_order(m, items=[burger_line(m, extras=("bacon",))])


async def missing_required_option(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, items=[{"menuItemId": m.burger, "quantity": 1, "options": []}])


async def fewer_than_min_select(s: Services, m: Menu) -> dict[str, Any]:
    bowl, _, values = await make_item(
        s,
        m.category_id,
        name="Poke Bowl",
        price_cents=1200,
        options=[{"name": "Toppings", "min_select": 2, "max_select": 3, "values": [("Mango", 0), ("Edamame", 0)]}],
    )
    return guest_order(
        m, items=[{"menuItemId": bowl, "quantity": 1, "options": [{"menuOptionValueId": values["Mango"]}]}]
    )


async def more_than_max_select(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, items=[burger_line(m, extras=("cheese", "bacon", "egg"))])


async def two_sizes(s: Services, m: Menu) -> dict[str, Any]:
    line = burger_line(m)
    line["options"].append({"menuOptionValueId": m.values["large"]})
    return guest_order(m, items=[line])


async def duplicate_selection(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, items=[burger_line(m, extras=("cheese", "cheese"))])


def quantity(n: int) -> Setup:
    async def setup(s: Services, m: Menu) -> dict[str, Any]:
        return guest_order(m, items=[{"menuItemId": m.fries, "quantity": n}])

    return setup


async def no_items(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, items=[]) | {"items": []}


async def stock_summed_over_lines(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, items=[{"menuItemId": m.soda, "quantity": 6}, {"menuItemId": m.soda, "quantity": 5}])


async def below_minimum_order(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, Location, m.location_id, min_order_pickup_cents=5000)
    return guest_order(m)


async def below_minimum_delivery(s: Services, m: Menu) -> dict[str, Any]:
    await change(s, Location, m.location_id, min_order_delivery_cents=1500)
    return guest_order(m, orderType="DELIVERY", address=ADDRESS)


def with_coupon(**fields: Any) -> Setup:
    async def setup(s: Services, m: Menu) -> dict[str, Any]:
        await s.coupons.create(CouponIn(code="SAVE", type="FIXED", value=Decimal(2), **fields))
        return guest_order(m, couponCode="save")

    return setup


async def unknown_coupon(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, couponCode="NOPE")


async def exhausted_coupon(s: Services, m: Menu) -> dict[str, Any]:
    coupon = await s.coupons.create(CouponIn(code="SAVE", type="FIXED", value=Decimal(2), usage_limit=1))
    await change(s, Coupon, coupon.id, usage_count=1)
    return guest_order(m, couponCode="SAVE")


async def coupon_used_by_this_guest(s: Services, m: Menu) -> dict[str, Any]:
    await s.coupons.create(CouponIn(code="SAVE", type="FIXED", value=Decimal(2), per_customer=1))
    first = msgspec.convert(guest_order(m, couponCode="SAVE"), OrderIn)
    await s.orders.place(first, None)
    return guest_order(m, couponCode="SAVE", guestEmail="ADA@example.com")


async def negative_tip(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enableTipping=True)
    return guest_order(m, tip=-1)


async def tip_with_three_decimals(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enableTipping=True)
    return guest_order(m, tip=1.005)


async def tip_when_tipping_off(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, tip=2)


async def scheduled_in_the_past(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enableFutureOrdering=True)
    return guest_order(m, scheduledAt=in_hours(-1))


async def scheduled_inside_lead_time(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enableFutureOrdering=True)
    return guest_order(m, scheduledAt=in_hours(0.1))  # pickup lead time is 15 minutes


async def scheduling_off(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, scheduledAt=in_hours(3))


async def scheduled_too_far(s: Services, m: Menu) -> dict[str, Any]:
    await set_settings(s, "orders", enableFutureOrdering=True, maxScheduleDays=2)
    return guest_order(m, scheduledAt=in_hours(49))


async def guest_without_phone(s: Services, m: Menu) -> dict[str, Any]:
    body = guest_order(m)
    del body["guestPhone"]
    return body


async def guest_bad_email(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, guestEmail="ada-at-example")


async def several_locations(s: Services, m: Menu) -> dict[str, Any]:
    await make_location(s, name="Second Site")
    return guest_order(m)


async def unknown_location(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, locationId="no-such-location")


async def unknown_order_type(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m, orderType="CATERING")


async def over_long_idempotency_key(s: Services, m: Menu) -> dict[str, Any]:
    return guest_order(m)


CASES = [
    Case("ordering off", ordering_off, "ORDERING_OFF"),
    Case("maintenance", maintenance, "MAINTENANCE", "Back at 6 pm!"),
    Case("location inactive", location_inactive, "LOCATION_INACTIVE"),
    Case("no active location", no_active_location, "NO_LOCATION"),
    Case("paused with message", paused_with_message, "ORDERING_PAUSED", "Kitchen full, back soon."),
    Case("paused for a while", paused_for_a_while, "ORDERING_PAUSED"),
    Case("paused, scheduled before it ends", paused_scheduled_before_it_ends, "ORDERING_PAUSED"),
    Case(
        "busy, scheduled inside the longer lead time",
        busy_scheduled_inside_longer_lead_time,
        "SCHEDULE_TOO_SOON",
        "Please schedule at least 45 minutes ahead for pickup while we are busy",
    ),
    Case("closed date", closed_date, "LOCATION_CLOSED"),
    Case("closed date at scheduled time", closed_date_at_scheduled_time, "LOCATION_CLOSED_AT_TIME"),
    Case("closed now", closed_now, "LOCATION_CLOSED", "Night Owl is closed right now (today's hours: closed)."),
    Case("closed at scheduled time", closed_at_scheduled_time, "LOCATION_CLOSED_AT_TIME"),
    Case("delivery disabled", delivery_disabled, "ORDER_TYPE_UNAVAILABLE"),
    Case("dine-in disabled", dine_in_disabled, "ORDER_TYPE_UNAVAILABLE"),
    Case("item delivery only", item_delivery_only, "ITEM_ORDER_TYPE", "Fries is only available for delivery orders"),
    Case("delivery without address", delivery_without_address, "ADDRESS_REQUIRED", "Delivery address is required"),
    Case("delivery blank street", delivery_blank_street, "ADDRESS_REQUIRED"),
    Case("address without city", delivery_address_without_city, "VALIDATION_ERROR"),
    Case("dine-in without table", dine_in_without_table, "TABLE_REQUIRED"),
    Case("table of another location", dine_in_other_location_table, "TABLE_NOT_FOUND"),
    Case("inactive table", dine_in_inactive_table, "TABLE_INACTIVE"),
    Case("unknown item", unknown_item, "ITEM_NOT_FOUND", "Menu item not found: no-such-item"),
    Case("inactive item", inactive_item, "ITEM_UNAVAILABLE", "Menu item is not available: Fries"),
    Case("inactive category", inactive_category, "ITEM_UNAVAILABLE"),
    Case("item of another location", item_of_another_location, "ITEM_OTHER_LOCATION"),
    Case("sold out", sold_out, "ITEM_SOLD_OUT", "Soda is sold out"),
    Case("marked sold out", marked_sold_out, "ITEM_SOLD_OUT", "Fries is sold out"),
    Case("marked sold out with stock", marked_sold_out_with_stock, "ITEM_SOLD_OUT", "Soda is sold out"),
    Case("outside mealtime", outside_mealtime, "ITEM_OUTSIDE_MEALTIME"),
    Case("option of another item", option_of_another_item, "OPTION_INVALID"),
    Case("unknown option value", unknown_option_value, "OPTION_INVALID"),
    Case(
        "inactive option value", inactive_option_value, "OPTION_UNAVAILABLE", "Bacon is no longer available for Burger"
    ),
    Case("missing required option", missing_required_option, "OPTION_REQUIRED", "Please choose Size for Burger"),
    Case("fewer than minSelect", fewer_than_min_select, "OPTION_TOO_FEW"),
    Case(
        "more than maxSelect", more_than_max_select, "OPTION_TOO_MANY", "Please choose at most 2 of Extras for Burger"
    ),
    Case("two sizes", two_sizes, "OPTION_TOO_MANY"),
    Case("duplicate selection", duplicate_selection, "OPTION_DUPLICATE", "Cheese was chosen twice for Burger"),
    Case("quantity zero", quantity(0), "VALIDATION_ERROR"),
    Case("quantity negative", quantity(-3), "VALIDATION_ERROR"),
    Case("quantity absurd", quantity(101), "VALIDATION_ERROR"),
    Case("no items", no_items, "VALIDATION_ERROR"),
    Case(
        "stock summed over lines",
        stock_summed_over_lines,
        "INSUFFICIENT_STOCK",
        "Only 10 left of Soda; please lower the quantity",
    ),
    Case("below minimum order", below_minimum_order, "BELOW_MINIMUM_ORDER"),
    Case("below minimum delivery", below_minimum_delivery, "BELOW_MINIMUM_ORDER"),
    Case("unknown coupon", unknown_coupon, "COUPON_INVALID", "Invalid coupon code"),
    Case("inactive coupon", with_coupon(is_active=False), "COUPON_INACTIVE", "Coupon is not active"),
    Case(
        "coupon not yet valid", with_coupon(starts_at="2999-01-01"), "COUPON_NOT_YET_VALID", "Coupon is not yet valid"
    ),
    Case("expired coupon", with_coupon(expires_at="2020-01-01"), "COUPON_EXPIRED", "Coupon has expired"),
    Case("exhausted coupon", exhausted_coupon, "COUPON_EXHAUSTED", "Coupon usage limit reached"),
    Case(
        "coupon per-guest limit",
        coupon_used_by_this_guest,
        "COUPON_CUSTOMER_LIMIT",
        "You have already used this coupon",
    ),
    Case("coupon min order", with_coupon(min_order=Decimal(50)), "COUPON_MIN_ORDER", "Minimum order amount is $50.00"),
    Case("negative tip", negative_tip, "INVALID_AMOUNT", "The tip cannot be negative"),
    Case("tip with 3 decimals", tip_with_three_decimals, "INVALID_AMOUNT", "tip must have at most 2 decimals"),
    Case("tip when tipping off", tip_when_tipping_off, "TIPPING_DISABLED"),
    Case("scheduled in the past", scheduled_in_the_past, "SCHEDULE_IN_PAST"),
    Case(
        "scheduled inside lead time",
        scheduled_inside_lead_time,
        "SCHEDULE_TOO_SOON",
        "Please schedule at least 15 minutes ahead for pickup",
    ),
    Case("scheduling off", scheduling_off, "SCHEDULING_OFF"),
    Case("scheduled too far", scheduled_too_far, "SCHEDULE_TOO_FAR", "Orders can be scheduled at most 2 days ahead"),
    Case("guest without phone", guest_without_phone, "GUEST_DETAILS_REQUIRED"),
    Case("guest bad e-mail", guest_bad_email, "INVALID_EMAIL"),
    Case("several active locations", several_locations, "LOCATION_REQUIRED", "Choose a location"),
    Case("unknown location", unknown_location, "LOCATION_NOT_FOUND"),
    Case("unknown order type", unknown_order_type, "VALIDATION_ERROR"),
    Case(
        "over-long Idempotency-Key",
        over_long_idempotency_key,
        "VALIDATION_ERROR",
        headers={"Idempotency-Key": "k" * 129},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_order_refusal_is_400_and_writes_nothing(
    client: AsyncTestClient[Litestar], services: Services, case: Case
) -> None:
    menu = await make_menu(services)
    body = await case.setup(services, menu)
    before = await counts(services)
    response = await client.post("/api/orders", json=body, headers=case.headers or {})
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["success"] is False and error["code"] == case.code, error
    if case.message is not None:
        assert error["error"] == case.message
    assert await counts(services) == before
    if case.headers is None:  # the quote takes the same body (and no Idempotency-Key)
        quote = await client.post("/api/orders/quote", json=body)
        assert (quote.status_code, quote.json()["code"]) == (400, case.code)
