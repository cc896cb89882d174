"""Print jobs written inside the order transactions (`orders.hooks.OrderHooks`): a new order reaching the
auto-print status, a cancellation, an item voided. With no active printer (the default) each hook returns at once;
the active printers are read once and kept until a printer or station changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kitchenasty.core.events import notify
from kitchenasty.core.schema import new_id, utcnow
from kitchenasty.orders.checks import OrderSettings
from kitchenasty.orders.schemas import OrderItemOut, OrderOut
from kitchenasty.printing import checks, queries
from kitchenasty.printing.checks import CHANGE, NEW, PENDING, PrinterRef
from kitchenasty.printing.events import PrintJobsQueued


def job_row(printer_id: str, order_id: str | None, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": new_id(),
        "printer_id": printer_id,
        "order_id": order_id,
        "kind": kind,
        "status": PENDING,
        "attempts": 0,
        "last_error": None,
        "next_attempt_at": None,
        "payload": payload,
        "printed_at": None,
        "dismissed_at": None,
        "created_at": now,
        "updated_at": now,
    }


def ticket(
    order: OrderOut, printer: PrinterRef, cfg: OrderSettings, lines: Sequence[dict[str, Any]], banner: str | None
) -> dict[str, Any]:
    return checks.payload(
        order, restaurant=cfg.restaurant_name, tz=cfg.tz, station=printer.station_name, lines=lines, banner=banner
    )


class PrintHooks:
    def __init__(self) -> None:
        self._printers: list[PrinterRef] | None = None

    def invalidate(self, _event: Any = None) -> None:
        self._printers = None

    def printers(self, session: Any) -> list[PrinterRef]:
        found = self._printers
        if found is None:
            found = self._printers = queries.active_printers(session)
        return found

    def _write(self, session: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            queries.insert_jobs(session, rows)
            notify(session, PrintJobsQueued())

    def new_tickets(self, session: Any, order: OrderOut, cfg: OrderSettings, already: frozenset[str]) -> None:
        chosen = checks.printers_to_print(self.printers(session), order, cfg.auto_print_status, already)
        rows = []
        for printer in chosen:
            lines = [checks.item_line(i) for i in checks.items_for(order, printer.station_id)]
            rows.append(job_row(printer.id, order.id, NEW, ticket(order, printer, cfg, lines, None)))
        self._write(session, rows)

    # ---------------------------------------------------------------- OrderHooks

    def placed(self, session: Any, order: OrderOut, cfg: OrderSettings) -> None:
        if not self.printers(session):
            return
        self.new_tickets(session, order, cfg, frozenset())

    def status_changed(self, session: Any, order: OrderOut, previous: str, cfg: OrderSettings) -> None:
        printers = self.printers(session)
        if not printers:
            return
        given = queries.printers_with_new_job(session, order.id)
        if order.status != "CANCELLED":
            self.new_tickets(session, order, cfg, given)
            return
        rows = []
        for printer in printers:
            if printer.id not in given:
                continue
            items = checks.items_for(order, printer.station_id)
            lines = [checks.item_line(i, "VOID") for i in items]
            rows.append(job_row(printer.id, order.id, CHANGE, ticket(order, printer, cfg, lines, "CANCELLED")))
        self._write(session, rows)

    def item_voided(self, session: Any, order: OrderOut, item: OrderItemOut, cfg: OrderSettings) -> None:
        printers = self.printers(session)
        if not printers:
            return
        given = queries.printers_with_new_job(session, order.id)
        rows = []
        for printer in printers:
            if printer.id in given and printer.station_id in (None, item.station_id):
                lines = [checks.item_line(item, "VOID")]
                rows.append(job_row(printer.id, order.id, CHANGE, ticket(order, printer, cfg, lines, "CHANGE")))
        self._write(session, rows)
