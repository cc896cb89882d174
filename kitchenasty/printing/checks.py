"""Pure rules of ticket printing: what a ticket says (frozen when the job is made), how it is laid out at 58 or 80 mm,
which printers get which lines, when an order prints by itself, and how a failed attempt is retried."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from kitchenasty.orders.schemas import ORDER_STATUSES, OrderItemOut, OrderOut

PENDING, PRINTING, PRINTED, FAILED = "PENDING", "PRINTING", "PRINTED", "FAILED"
JOB_STATUSES = (PENDING, PRINTING, PRINTED, FAILED)
NEW, REPRINT, CHANGE, TEST = "NEW", "REPRINT", "CHANGE", "TEST"
JOB_KINDS = (NEW, REPRINT, CHANGE, TEST)
WIDTHS_MM = (58, 80)
COLUMNS = {58: 32, 80: 48}
"""Characters per line in Font A: 32 on 58 mm paper, 48 on 80 mm."""
AUTO_PRINT_STATUSES = ("PENDING", "CONFIRMED", "PREPARING", "READY")
"""Statuses an order may print on by itself (the kitchen statuses)."""
MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 120.0

Style = Literal["title", "banner", "head", "item", "normal", "alert", "small"]
WIDE_STYLES = frozenset({"title", "banner"})
"""Printed double width: half as many characters fit on a line."""

_ALLERGY = re.compile(
    r"allerg|intoleran|anaphyla|coeliac|celiac|gluten|peanut|\bnuts?\b|tree ?nut|sesame|shellfish|lactose|dairy",
    re.IGNORECASE,
)


def columns(width_mm: int) -> int:
    return COLUMNS.get(width_mm, COLUMNS[80])


def is_allergy(text: str | None) -> bool:
    """Whether a comment speaks of an allergy or intolerance (printed inverted and bold)."""
    return bool(text and _ALLERGY.search(text))


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` in lines of at most `width` characters; following lines indented by `indent`; long words broken."""
    width = max(width, len(indent) + 4)
    return textwrap.wrap(
        " ".join(text.split()),
        width=width,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [""]


# ---------------------------------------------------------------- what a ticket says (the frozen payload)


def where_of(order: OrderOut) -> str:
    if order.order_type == "DINE_IN":
        return f"Table {order.table_name}" if order.table_name else "Dine-in"
    return "Delivery" if order.order_type == "DELIVERY" else "Pickup"


def _local(value: str | None, tz: ZoneInfo) -> str | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(tz).strftime("%H:%M")


def item_line(item: OrderItemOut, mark: str | None = None) -> dict[str, Any]:
    return {
        "quantity": item.quantity,
        "name": item.name,
        "options": [f"{o.name}: {o.value}" for o in item.options],
        "comment": item.comment,
        "mark": mark,
    }


def items_for(order: OrderOut, station_id: str | None) -> list[OrderItemOut]:
    """The items a printer prints: all of them for an expo printer (no station), else those of its station;
    voided items are left out."""
    return [i for i in order.items if not i.voided and (station_id is None or i.station_id == station_id)]


def payload(
    order: OrderOut,
    *,
    restaurant: str,
    tz: ZoneInfo,
    station: str | None,
    lines: Sequence[dict[str, Any]],
    banner: str | None = None,
) -> dict[str, Any]:
    """Everything a ticket prints, as it is now (the job keeps it; later edits never change a ticket)."""
    return {
        "restaurant": restaurant,
        "orderNumber": order.order_number,
        "where": where_of(order),
        "customer": order.customer_name or None,
        "placedAt": _local(order.created_at, tz),
        "scheduledFor": _local(order.scheduled_at, tz),
        "station": station,
        "banner": banner,
        "items": list(lines),
        "comment": order.comment if banner in (None, "REPRINT") else None,
    }


def test_payload(restaurant: str, printer_name: str, width_mm: int, now: str) -> dict[str, Any]:
    return {
        "restaurant": restaurant,
        "orderNumber": "TEST",
        "where": f"Printer {printer_name}",
        "customer": None,
        "placedAt": now,
        "scheduledFor": None,
        "station": None,
        "banner": "TEST PAGE",
        "items": [
            {
                "quantity": 1,
                "name": f"This printer prints {columns(width_mm)} characters a line on {width_mm} mm paper",
                "options": ["Option: value"],
                "comment": "Allergy: nuts (printed like this)",
                "mark": None,
            }
        ],
        "comment": None,
    }


# ---------------------------------------------------------------- how it is laid out


@dataclass(frozen=True, slots=True)
class TicketLine:
    text: str
    style: Style = "normal"
    center: bool = False


def layout(ticket: dict[str, Any], width_mm: int, job_id: str) -> list[TicketLine]:
    """The ticket's lines for a paper width (wrapped to its columns; wide styles to half)."""
    cols = columns(width_mm)
    half = cols // 2
    out: list[TicketLine] = []

    def add(text: str, style: Style = "normal", *, indent: str = "", center: bool = False) -> None:
        for part in wrap(text, half if style in WIDE_STYLES else cols, indent):
            out.append(TicketLine(part, style, center))

    if ticket.get("restaurant"):
        add(ticket["restaurant"], "title", center=True)
    if ticket.get("banner"):
        add(f" {ticket['banner']} ", "banner", center=True)
    add(f"#{ticket['orderNumber']}", "title")
    add(ticket["where"] + (f" - {ticket['station']}" if ticket.get("station") else ""), "head")
    if ticket.get("customer"):
        add(ticket["customer"])
    if ticket.get("placedAt"):
        add(f"Placed {ticket['placedAt']}")
    if ticket.get("scheduledFor"):
        add(f"FOR {ticket['scheduledFor']}", "head")
    out.append(TicketLine("-" * cols))
    for line in ticket["items"]:
        mark = f"{line['mark']} " if line.get("mark") else ""
        add(f"{mark}{line['quantity']}x {line['name']}", "item", indent="   ")
        for option in line.get("options") or []:
            add(f"  + {option}", indent="    ")
        comment = line.get("comment")
        if comment:
            if is_allergy(comment):
                add(f"  ! {comment}", "alert", indent="    ")
            else:
                add(f"  > {comment}", indent="    ")
    out.append(TicketLine("-" * cols))
    if ticket.get("comment"):
        note = ticket["comment"]
        add(f"! Note: {note}" if is_allergy(note) else f"Note: {note}", "alert" if is_allergy(note) else "normal")
    add(f"Job {job_id}", "small")
    return out


# ---------------------------------------------------------------- when and where an order prints


@dataclass(frozen=True, slots=True)
class PrinterRef:
    """A printer as the order hooks read it (cached between orders)."""

    id: str
    name: str
    station_id: str | None
    station_name: str | None
    auto_print_status: str | None


def effective_status(printer: PrinterRef, setting: str) -> str:
    """The status on which the printer prints new orders by itself ("" never)."""
    return setting if printer.auto_print_status is None else printer.auto_print_status


def reaches(status: str, auto_status: str) -> bool:
    """Whether an order now in `status` has reached the auto-print status (or gone past it in the flow); a
    cancelled or finished order never prints a new ticket."""
    if not auto_status or status not in AUTO_PRINT_STATUSES or auto_status not in ORDER_STATUSES:
        return False
    return ORDER_STATUSES.index(status) >= ORDER_STATUSES.index(auto_status)


def printers_to_print(
    printers: Iterable[PrinterRef], order: OrderOut, setting: str, already: frozenset[str]
) -> list[PrinterRef]:
    """The printers that print this order now (a NEW ticket): its status reached theirs, they have items of
    the order, and they have not had it yet (`already`: printers with a NEW job for it)."""
    chosen = []
    for printer in printers:
        if printer.id in already or not reaches(order.status, effective_status(printer, setting)):
            continue
        if items_for(order, printer.station_id):
            chosen.append(printer)
    return chosen


def next_attempt_delay(
    attempts: int, base: float = BACKOFF_BASE_SECONDS, cap: float = BACKOFF_CAP_SECONDS
) -> timedelta:
    """After the `attempts`-th failed attempt: base x 2^(attempts-1), at most `cap`."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))
