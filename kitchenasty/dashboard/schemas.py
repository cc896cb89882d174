"""`GET /api/dashboard/stats`: the original's shape (`metrics`, `recentOrders`, `topItems`) plus ours (`periods` with
revenue by hour, type and status; failed deliveries; low stock)."""

from __future__ import annotations

import msgspec


class Metrics(msgspec.Struct, kw_only=True, rename="camel"):
    orders_today: int
    revenue_today: float
    orders_this_week: int
    revenue_this_week: float
    orders_this_month: int
    revenue_this_month: float
    total_orders: int
    total_revenue: float
    active_items: int
    total_customers: int
    pending_reservations: int
    pending_reviews: int


class PartyName(msgspec.Struct, kw_only=True):
    name: str


class RecentOrder(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    order_number: str
    status: str
    total: float
    order_type: str
    created_at: str
    customer: PartyName


class TopItem(msgspec.Struct, kw_only=True, rename="camel"):
    menu_item_id: str
    name: str
    total_quantity: int
    revenue: float


class Split(msgspec.Struct, kw_only=True):
    orders: int
    revenue: float


class Period(msgspec.Struct, kw_only=True, rename="camel"):
    """One period (today, the last 7 days, the last 30 days), from the restaurant-local day `start` to `end`."""

    start: str
    end: str
    orders: int
    revenue: float
    """Sum of the totals of the orders not cancelled."""
    average_order: float
    cancelled: int
    by_type: dict[str, Split]
    by_status: dict[str, int]
    revenue_by_hour: list[float]
    """24 amounts, from 00:00 to 23:00 restaurant time."""
    top_items: list[TopItem]


class LowStock(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    stock_qty: int


class DashboardStats(msgspec.Struct, kw_only=True, rename="camel"):
    metrics: Metrics
    recent_orders: list[RecentOrder]
    top_items: list[TopItem]
    """All time, the top 5 by quantity."""
    periods: dict[str, Period]
    """`today`, `last7Days`, `last30Days`."""
    failed_deliveries: int
    """Deliveries that failed and nobody has looked at yet (the outbox screen marks them seen)."""
    low_stock: list[LowStock]
    location_id: str | None
    time_zone: str
    failed_print_jobs: int = 0
    """Kitchen tickets that failed to print, until someone retries or dismisses them (the printers screen)."""
