"""The printing domain's SQL: the only code that writes `printers` and `print_jobs`.

Jobs are written by compiled Core statements inside the order transactions that cause them (`printing.hooks`) and
moved by the print worker (claim, printed, retry, failed: each an UPDATE guarded by the status it expects). The
back office's printer CRUD uses the ORM session.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of
from kitchenasty.kitchen.models import Station
from kitchenasty.orders.models import Order
from kitchenasty.printing.checks import FAILED, NEW, PENDING, PRINTED, PRINTING, PrinterRef
from kitchenasty.printing.models import Printer, PrintJob

printers_t = table_of(Printer)
jobs_t = table_of(PrintJob)
stations_t = table_of(Station)

_ACTIVE_PRINTERS = (
    select(
        printers_t.c.id,
        printers_t.c.name,
        printers_t.c.station_id,
        stations_t.c.name.label("station_name"),
        printers_t.c.auto_print_status,
    )
    .select_from(printers_t.outerjoin(stations_t, stations_t.c.id == printers_t.c.station_id))
    .where(printers_t.c.active.is_(True))
    .order_by(printers_t.c.name)
)
_INSERT_JOB = insert(jobs_t)
_PRINTERS_WITH_NEW = select(jobs_t.c.printer_id).where(jobs_t.c.order_id == bindparam("order_id"), jobs_t.c.kind == NEW)
_RESET_PRINTING = update(jobs_t).where(jobs_t.c.status == PRINTING).values(status=PENDING, updated_at=bindparam("now"))
_PENDING = (
    select(jobs_t.c.id, jobs_t.c.printer_id, jobs_t.c.next_attempt_at)
    .where(jobs_t.c.status == PENDING)
    .order_by(jobs_t.c.printer_id, jobs_t.c.id)
    .limit(2000)
)
_CLAIM = (
    update(jobs_t)
    .where(jobs_t.c.id == bindparam("job_id"), jobs_t.c.status == PENDING)
    .values(status=PRINTING, attempts=jobs_t.c.attempts + 1, updated_at=bindparam("now"))
)
_JOB_TO_SEND = (
    select(
        jobs_t.c.id,
        jobs_t.c.attempts,
        jobs_t.c.payload,
        printers_t.c.host,
        printers_t.c.port,
        printers_t.c.width_mm,
        printers_t.c.active,
    )
    .select_from(jobs_t.join(printers_t, printers_t.c.id == jobs_t.c.printer_id))
    .where(jobs_t.c.id == bindparam("job_id"))
)
_PRINTED = (
    update(jobs_t)
    .where(jobs_t.c.id == bindparam("job_id"), jobs_t.c.status == PRINTING)
    .values(status=PRINTED, printed_at=bindparam("now"), updated_at=bindparam("now"), last_error=None)
)
_RETRY_LATER = (
    update(jobs_t)
    .where(jobs_t.c.id == bindparam("job_id"), jobs_t.c.status == PRINTING)
    .values(
        status=bindparam("new_status"),
        last_error=bindparam("error"),
        next_attempt_at=bindparam("next_at"),
        updated_at=bindparam("now"),
    )
)


# ---------------------------------------------------------------- in the order transactions (synchronous)


def active_printers(session: Any) -> list[PrinterRef]:
    return [PrinterRef(*row) for row in fast(session).execute(_ACTIVE_PRINTERS).all()]


def printers_with_new_job(session: Any, order_id: str) -> frozenset[str]:
    """The printers that were given the order (a NEW job, whatever became of it)."""
    return frozenset(row[0] for row in fast(session).execute(_PRINTERS_WITH_NEW, {"order_id": order_id}).all())


def insert_jobs(session: Any, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        fast(session).execute(_INSERT_JOB, list(rows))


# ---------------------------------------------------------------- the worker (synchronous, one transaction each)


def reset_printing(session: Any, now: datetime) -> int:
    """Jobs a crash left PRINTING go back to PENDING (they may print once more)."""
    return int(fast(session).execute(_RESET_PRINTING, {"now": now}).rowcount or 0)


def next_per_printer(session: Any, now: datetime) -> list[tuple[str, str]]:
    """(job, printer) of the job each printer prints next (its oldest PENDING one), when it is due: a printer's
    tickets leave in order."""
    seen: set[str] = set()
    due: list[tuple[str, str]] = []
    for job_id, printer_id, next_at in fast(session).execute(_PENDING).all():
        if printer_id in seen:
            continue
        seen.add(printer_id)
        if next_at is None or next_at <= now:
            due.append((job_id, printer_id))
    return due


def earliest_retry(session: Any) -> datetime | None:
    return fast(session).execute(select(func.min(jobs_t.c.next_attempt_at)).where(jobs_t.c.status == PENDING)).scalar()


def claim(session: Any, job_id: str, now: datetime) -> Any:
    """PENDING -> PRINTING (one more attempt), compare-and-set; the job and its printer, or None if taken."""
    conn = fast(session)
    if conn.execute(_CLAIM, {"job_id": job_id, "now": now}).rowcount != 1:
        return None
    return conn.execute(_JOB_TO_SEND, {"job_id": job_id}).first()


def mark_printed(session: Any, job_id: str, now: datetime) -> bool:
    return fast(session).execute(_PRINTED, {"job_id": job_id, "now": now}).rowcount == 1


def mark_attempt_failed(session: Any, job_id: str, now: datetime, error: str, next_at: datetime | None) -> None:
    """Back to PENDING until `next_at`, or FAILED when `next_at` is None (no attempt left)."""
    status = PENDING if next_at is not None else FAILED
    fast(session).execute(
        _RETRY_LATER, {"job_id": job_id, "now": now, "error": error, "next_at": next_at, "new_status": status}
    )


# ---------------------------------------------------------------- the back office (ORM)


async def printers(session: AsyncSession) -> list[Printer]:
    return list((await session.scalars(select(Printer).order_by(Printer.name))).all())


async def printer(session: AsyncSession, printer_id: str) -> Printer | None:
    return await session.get(Printer, printer_id)


def add_printer(session: AsyncSession, **values: Any) -> Printer:
    row = Printer(**values)
    session.add(row)
    return row


async def delete_printer(session: AsyncSession, row: Printer) -> None:
    await session.delete(row)


async def station_exists(session: AsyncSession, station_id: str) -> bool:
    return bool(await session.scalar(select(stations_t.c.id).where(stations_t.c.id == station_id)))


async def printers_of_stations(session: AsyncSession, station_ids: Sequence[str]) -> dict[str, list[Any]]:
    rows = (
        await session.execute(
            select(printers_t.c.id, printers_t.c.name, printers_t.c.active, printers_t.c.station_id)
            .where(printers_t.c.station_id.in_(list(station_ids)))
            .order_by(printers_t.c.name)
        )
    ).all()
    found: dict[str, list[Any]] = {}
    for row in rows:
        found.setdefault(row.station_id, []).append(row)
    return found


async def any_printer_of_station(session: AsyncSession, station_id: str) -> bool:
    return bool(await session.scalar(select(printers_t.c.id).where(printers_t.c.station_id == station_id).limit(1)))


async def last_jobs(session: AsyncSession, printer_ids: Sequence[str]) -> dict[str, PrintJob]:
    """Each printer's most recent job that printed or failed."""
    found: dict[str, PrintJob] = {}
    for printer_id in printer_ids:
        job = await session.scalar(
            select(PrintJob)
            .where(PrintJob.printer_id == printer_id, PrintJob.status.in_((PRINTED, FAILED)))
            .order_by(PrintJob.id.desc())
            .limit(1)
        )
        if job is not None:
            found[printer_id] = job
    return found


async def pending_counts(session: AsyncSession) -> dict[str, int]:
    rows = (
        await session.execute(
            select(PrintJob.printer_id, func.count()).where(PrintJob.status == PENDING).group_by(PrintJob.printer_id)
        )
    ).all()
    return {row[0]: int(row[1]) for row in rows}


async def jobs_page(
    session: AsyncSession, status: str | None, limit: int, offset: int, *, undismissed: bool = False
) -> tuple[list[PrintJob], int]:
    conditions = []
    if status:
        conditions.append(PrintJob.status == status)
    if undismissed:
        conditions.append(PrintJob.dismissed_at.is_(None))
    total = int(await session.scalar(select(func.count()).select_from(PrintJob).where(*conditions)) or 0)
    rows = (
        await session.scalars(
            select(PrintJob).where(*conditions).order_by(PrintJob.id.desc()).limit(limit).offset(offset)
        )
    ).all()
    return list(rows), total


async def job(session: AsyncSession, job_id: str) -> PrintJob | None:
    return await session.get(PrintJob, job_id)


async def order_number_of(session: AsyncSession, order_ids: Sequence[str]) -> dict[str, str]:
    ids = [i for i in order_ids if i]
    if not ids:
        return {}
    rows = (await session.execute(select(Order.id, Order.order_number).where(Order.id.in_(ids)))).all()
    return {row[0]: row[1] for row in rows}
