"""One function per response shape of the printing domain."""

from __future__ import annotations

from typing import Any

from kitchenasty.core.schema import iso
from kitchenasty.printing.checks import columns
from kitchenasty.printing.schemas import LastJobOut, PrinterOut, PrintJobOut


def printer_out(
    p: Any, station_name: str | None, pending: int, last: Any | None, reachable: bool | None = None
) -> PrinterOut:
    return PrinterOut(
        id=p.id,
        name=p.name,
        host=p.host,
        port=p.port,
        width_mm=p.width_mm,
        columns=columns(p.width_mm),
        station_id=p.station_id,
        station_name=station_name,
        active=p.active,
        auto_print_status=p.auto_print_status,
        pending_jobs=pending,
        last_job=(
            LastJobOut(
                id=last.id, status=last.status, at=iso(last.printed_at or last.updated_at) or "", error=last.last_error
            )
            if last is not None
            else None
        ),
        reachable=reachable,
        created_at=iso(p.created_at) or "",
        updated_at=iso(p.updated_at) or "",
    )


def job_out(j: Any, printer_name: str | None, order_number: str | None) -> PrintJobOut:
    return PrintJobOut(
        id=j.id,
        printer_id=j.printer_id,
        printer_name=printer_name,
        order_id=j.order_id,
        order_number=order_number,
        kind=j.kind,
        status=j.status,
        attempts=j.attempts,
        last_error=j.last_error,
        next_attempt_at=iso(j.next_attempt_at),
        printed_at=iso(j.printed_at),
        dismissed_at=iso(j.dismissed_at),
        created_at=iso(j.created_at) or "",
        updated_at=iso(j.updated_at) or "",
    )
