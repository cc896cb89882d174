"""Reports: the end-of-day (Z) report per location and day, from the order rollups (`orders.rollups`), as data
and as CSV (for the accountant's spreadsheet)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, bindparam, func, select

from kitchenasty.core.db import Database
from kitchenasty.core.errors import NotFound, ValidationFailed
from kitchenasty.core.fastsql import fast
from kitchenasty.core.money import from_cents
from kitchenasty.core.schema import iso, table_of, utcnow
from kitchenasty.locations.models import Location
from kitchenasty.orders.rollups import AMOUNTS, CANCELLED, rollups_t
from kitchenasty.reports.schemas import Amounts, Cancellations, ZReport
from kitchenasty.settings.service import SettingsService

locations_t: Table = table_of(Location)
_DAY = (
    select(
        rollups_t.c.order_type,
        rollups_t.c.payment_method,
        rollups_t.c.status,
        func.sum(rollups_t.c.orders).label("orders"),
        *(func.sum(getattr(rollups_t.c, name)).label(name) for name in AMOUNTS),
    )
    .where(rollups_t.c.day == bindparam("day"), rollups_t.c.location_id == bindparam("location_id"))
    .group_by(rollups_t.c.order_type, rollups_t.c.payment_method, rollups_t.c.status)
)
_LOCATION = select(locations_t.c.id, locations_t.c.name).where(locations_t.c.id == bindparam("location_id"))


@dataclass
class _Sum:
    orders: int = 0
    subtotal_cents: int = 0
    discount_cents: int = 0
    delivery_fee_cents: int = 0
    tax_cents: int = 0
    tip_cents: int = 0
    total_cents: int = 0

    def add(self, row: Any) -> None:
        self.orders += int(row.orders or 0)
        self.subtotal_cents += int(row.subtotal_cents or 0)
        self.discount_cents += int(row.discount_cents or 0)
        self.delivery_fee_cents += int(row.delivery_fee_cents or 0)
        self.tax_cents += int(row.tax_cents or 0)
        self.tip_cents += int(row.tip_cents or 0)
        self.total_cents += int(row.total_cents or 0)

    def out(self) -> Amounts:
        return Amounts(
            orders=self.orders,
            gross=from_cents(self.subtotal_cents),
            discounts=from_cents(self.discount_cents),
            net=from_cents(self.subtotal_cents - self.discount_cents),
            tax=from_cents(self.tax_cents),
            delivery_fees=from_cents(self.delivery_fee_cents),
            tips=from_cents(self.tip_cents),
            total=from_cents(self.total_cents),
        )


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(
            "date must be a day such as 2026-12-01",
            code="INVALID_DATE",
            details=[{"key": "date", "message": "must be a day such as 2026-12-01"}],
        ) from None


class ReportService:
    def __init__(self, db: Database, settings: SettingsService) -> None:
        self.db = db
        self.settings = settings

    async def z_report(self, location_id: str, day: date) -> ZReport:
        resolved = await self.settings.resolved()

        def read(session: Any) -> ZReport:
            conn = fast(session)
            location = conn.execute(_LOCATION, {"location_id": location_id}).first()
            if location is None:
                raise NotFound("Location not found", code="LOCATION_NOT_FOUND")
            totals, cancelled = _Sum(), _Sum()
            by_type: dict[str, _Sum] = {}
            by_payment: dict[str, _Sum] = {}
            for row in conn.execute(_DAY, {"day": day, "location_id": location_id}):
                if row.status == CANCELLED:
                    cancelled.add(row)
                    continue
                totals.add(row)
                by_type.setdefault(row.order_type, _Sum()).add(row)
                by_payment.setdefault(row.payment_method, _Sum()).add(row)
            return ZReport(
                location_id=location.id,
                location_name=location.name,
                day=day.isoformat(),
                time_zone=str(resolved.get("general.timezone")),
                currency=str(resolved.get("general.defaultCurrency")),
                totals=totals.out(),
                by_type={k: v.out() for k, v in sorted(by_type.items())},
                by_payment_method={k: v.out() for k, v in sorted(by_payment.items())},
                cancellations=Cancellations(orders=cancelled.orders, total=from_cents(cancelled.total_cents)),
                generated_at=iso(utcnow()) or "",
            )

        return await self.db.run_read(read)


def z_report_csv(report: ZReport) -> str:
    """The report as CSV: one row per line of the report (totals, each type, each payment method, cancellations),
    amounts as plain decimal numbers in the report's currency."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "location",
            "day",
            "currency",
            "section",
            "key",
            "orders",
            "gross",
            "discounts",
            "net",
            "tax",
            "delivery_fees",
            "tips",
            "total",
        ]
    )
    head = [report.location_name, report.day, report.currency]

    def rows(section: str, items: Iterable[tuple[str, Amounts]]) -> None:
        for key, a in items:
            writer.writerow(
                [
                    *head,
                    section,
                    key,
                    a.orders,
                    f"{a.gross:.2f}",
                    f"{a.discounts:.2f}",
                    f"{a.net:.2f}",
                    f"{a.tax:.2f}",
                    f"{a.delivery_fees:.2f}",
                    f"{a.tips:.2f}",
                    f"{a.total:.2f}",
                ]
            )

    rows("totals", [("all", report.totals)])
    rows("type", report.by_type.items())
    rows("payment_method", report.by_payment_method.items())
    c = report.cancellations
    writer.writerow([*head, "cancellations", "all", c.orders, "", "", "", "", "", "", f"{c.total:.2f}"])
    return out.getvalue()
