"""The orders CSV export as pure functions: one row per order, money as decimal strings from integer cents, times in
the restaurant's time zone, and every text cell made safe for spreadsheets (no formula injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

MAX_ROWS = 50_000
"""The most orders one export may hold; more is refused with a sentence asking for narrower filters."""
BATCH = 1000
"""Orders read per database hop while the export streams."""

HEADER = (
    "number",
    "created_at_local",
    "type",
    "status",
    "location",
    "customer_name",
    "email",
    "phone",
    "items",
    "subtotal",
    "discount",
    "tax",
    "delivery_fee",
    "tip",
    "total",
    "payment_method",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to a spreadsheet (OWASP's list): it is written after a `'`."""


def money_text(cents: int) -> str:
    """Integer cents as a plain decimal string (1299 -> "12.99", -5 -> "-0.05"); no float is involved."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def safe_cell(value: str | None) -> str:
    """Text as a CSV cell no spreadsheet runs as a formula (`=HYPERLINK(...)` becomes `'=HYPERLINK(...)`)."""
    text = value or ""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def file_name(today: date) -> str:
    return f"orders-{today.isoformat()}.csv"


def export_row(row: Any, tz: ZoneInfo) -> list[str]:
    """One order (a row of `orders.queries.export_rows`) as CSV cells. Each contact field is the customer's when
    the order has one who gave it, else the guest's (as `customerName` of the order's API shape)."""
    return [
        safe_cell(row.order_number),
        row.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
        row.order_type,
        row.status,
        safe_cell(row.location_name),
        safe_cell(row.c_name or row.guest_name),
        safe_cell(row.c_email or row.guest_email),
        safe_cell(row.c_phone or row.guest_phone),
        str(int(row.item_count or 0)),
        money_text(row.subtotal_cents),
        money_text(row.discount_cents),
        money_text(row.tax_cents),
        money_text(row.delivery_fee_cents),
        money_text(row.tip_cents),
        money_text(row.total_cents),
        row.payment_method,
    ]


def csv_text(rows: Iterable[Iterable[str]]) -> str:
    """Rows as CSV text (RFC 4180 quoting, CRLF line ends, as Python's csv module writes them)."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()
