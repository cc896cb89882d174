"""The end-of-day (Z) report: one location's day, by type and payment method, cancellations apart, and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.factories import staff_headers
from tests.orders.fixtures import burger_line, guest_order, make_menu


async def test_z_report_sums_the_day_and_keeps_cancellations_apart(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    await services.settings.update_group("orders", {"taxRate": "10", "enableTipping": True})
    menu = await make_menu(services)
    manager = await staff_headers(services, "MANAGER")
    first = await client.post("/api/orders", json=guest_order(menu, items=[burger_line(menu, quantity=2)], tip=1.5))
    second = await client.post("/api/orders", json=guest_order(menu, items=[burger_line(menu)]))
    third = await client.post(
        "/api/orders",
        json=guest_order(
            menu, items=[{"menuItemId": menu.fries, "quantity": 2}], orderType="DINE_IN", tableId=menu.table_id
        ),
    )
    for placed in (first, second, third):
        assert placed.status_code == 201, placed.text
    cancel = await client.patch(
        f"/api/orders/{second.json()['data']['id']}/status", headers=manager, json={"status": "CANCELLED"}
    )
    assert cancel.status_code == 200
    today = datetime.now(UTC).date().isoformat()  # the test site's time zone is UTC

    response = await client.get(
        "/api/reports/z", headers=manager, params={"locationId": menu.location_id, "date": today}
    )
    assert response.status_code == 200, response.text
    report = response.json()["data"]
    # 2 burgers 20.00 + 2.00 tax + 1.50 tip = 23.50; fries 7.00 + 0.70 tax = 7.70
    assert report["totals"] == {
        "orders": 2,
        "gross": 27.0,
        "discounts": 0.0,
        "net": 27.0,
        "tax": 2.7,
        "deliveryFees": 0.0,
        "tips": 1.5,
        "total": 31.2,
    }
    assert report["byType"]["PICKUP"]["total"] == 23.5 and report["byType"]["DINE_IN"]["total"] == 7.7
    assert report["byPaymentMethod"] == {"CASH": report["totals"]}
    assert report["cancellations"] == {"orders": 1, "total": 11.0}

    as_csv = await client.get(
        "/api/reports/z.csv", headers=manager, params={"locationId": menu.location_id, "date": today}
    )
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {(r["section"], r["key"]): r["total"] for r in rows} == {
        ("totals", "all"): "31.20",
        ("type", "DINE_IN"): "7.70",
        ("type", "PICKUP"): "23.50",
        ("payment_method", "CASH"): "31.20",
        ("cancellations", "all"): "11.00",
    }


async def test_z_report_refuses_a_bad_day_and_an_unknown_location(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    manager = await staff_headers(services, "MANAGER")
    bad = await client.get("/api/reports/z", headers=manager, params={"locationId": "x", "date": "2026-13-01"})
    assert bad.status_code == 400
    assert bad.json()["error"] == "date must be a day such as 2026-12-01"
    unknown = await client.get("/api/reports/z", headers=manager, params={"locationId": "nope", "date": "2026-12-01"})
    assert unknown.status_code == 404
