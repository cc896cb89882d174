"""The owner's morning numbers: today, the last 7 and 30 days (restaurant-local days), from the rollups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kitchenasty.core.db import Database
from kitchenasty.core.money import from_cents
from kitchenasty.core.schema import iso, utcnow
from kitchenasty.dashboard import queries
from kitchenasty.dashboard.schemas import (
    DashboardStats,
    LowStock,
    Metrics,
    PartyName,
    Period,
    RecentOrder,
    Split,
    TopItem,
)
from kitchenasty.settings.service import SettingsService

CANCELLED = "CANCELLED"
TOP_ITEMS = 5


def _top(rows: Sequence[Any]) -> list[TopItem]:
    return [
        TopItem(
            menu_item_id=r.menu_item_id,
            name=r.name,
            total_quantity=int(r.quantity),
            revenue=from_cents(int(r.subtotal_cents)),
        )
        for r in rows
    ]


def period(rows: Sequence[Any], hours: Sequence[Any], start: date, end: date, top: list[TopItem]) -> Period:
    """Totals of one period from its rollup sums: `rows` (order_type, status, orders, total_cents) and `hours`
    (hour, total_cents)."""
    orders = revenue = cancelled = 0
    by_type: dict[str, list[int]] = {}
    by_status: dict[str, int] = {}
    by_hour = [0] * 24
    for h in hours:
        by_hour[int(h.hour) % 24] += int(h.total_cents or 0)
    for r in rows:
        count, total = int(r.orders or 0), int(r.total_cents or 0)
        if not count:
            continue
        orders += count
        by_status[r.status] = by_status.get(r.status, 0) + count
        split = by_type.setdefault(r.order_type, [0, 0])
        split[0] += count
        if r.status == CANCELLED:
            cancelled += count
            continue
        revenue += total
        split[1] += total
    kept = orders - cancelled
    return Period(
        start=start.isoformat(),
        end=end.isoformat(),
        orders=orders,
        revenue=from_cents(revenue),
        average_order=from_cents((revenue + kept // 2) // kept) if kept else 0.0,
        cancelled=cancelled,
        by_type={k: Split(orders=v[0], revenue=from_cents(v[1])) for k, v in sorted(by_type.items())},
        by_status=dict(sorted(by_status.items())),
        revenue_by_hour=[from_cents(cents) for cents in by_hour],
        top_items=top,
    )


class DashboardService:
    def __init__(self, db: Database, settings: SettingsService) -> None:
        self.db = db
        self.settings = settings

    async def stats(self, location_id: str | None = None, *, now: datetime | None = None) -> DashboardStats:
        zone = str((await self.settings.resolved()).get("general.timezone"))
        today = (now or utcnow()).astimezone(ZoneInfo(zone)).date()
        week, month = today - timedelta(days=6), today.replace(day=1)
        spans = {"today": today, "last7Days": week, "last30Days": today - timedelta(days=29)}

        def read(session: Session) -> DashboardStats:
            periods = {
                name: period(
                    queries.order_sums(session, start, today, location_id),
                    queries.hour_sums(session, start, today, location_id),
                    start,
                    today,
                    _top(queries.top_items(session, start, today, location_id, TOP_ITEMS)),
                )
                for name, start in spans.items()
            }
            this_month = period(queries.order_sums(session, month, today, location_id), [], month, today, [])
            all_time = period(queries.order_sums(session, None, None, location_id), [], today, today, [])
            counts = queries.counts(session)
            recent = [
                RecentOrder(
                    id=r.id,
                    order_number=r.order_number,
                    status=r.status,
                    total=from_cents(r.total_cents),
                    order_type=r.order_type,
                    created_at=iso(r.created_at) or "",
                    customer=PartyName(name=r.name or ""),
                )
                for r in queries.recent_orders(session, location_id, 5)
            ]
            return DashboardStats(
                metrics=Metrics(
                    orders_today=periods["today"].orders,
                    revenue_today=periods["today"].revenue,
                    orders_this_week=periods["last7Days"].orders,
                    revenue_this_week=periods["last7Days"].revenue,
                    orders_this_month=this_month.orders,
                    revenue_this_month=this_month.revenue,
                    total_orders=all_time.orders,
                    total_revenue=all_time.revenue,
                    active_items=counts["active_items"],
                    total_customers=counts["customers"],
                    pending_reservations=counts["pending_reservations"],
                    pending_reviews=0,
                ),
                recent_orders=recent,
                top_items=_top(queries.top_items(session, None, None, location_id, TOP_ITEMS)),
                periods=periods,
                failed_deliveries=counts["failed_deliveries"],
                failed_print_jobs=counts["failed_print_jobs"],
                low_stock=[
                    LowStock(id=r.id, name=r.name, stock_qty=r.stock_qty)
                    for r in queries.low_stock(session, location_id)
                ],
                location_id=location_id,
                time_zone=zone,
            )

        return await self.db.run_read(read)
