"""Printers and print jobs: the back office's CRUD, a test page, reprints, retries, and what the dashboard and
`doctor` show. The jobs themselves are written by `printing.hooks` inside the order transactions and printed by
`printing.worker`; every write here records `PrintersChanged` (the hooks read the printers again) or
`PrintJobsQueued` (the worker looks now).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core import audit
from kitchenasty.core.api import PageParams, provided
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound, ValidationFailed, field_refusal
from kitchenasty.core.events import notify
from kitchenasty.core.schema import utcnow
from kitchenasty.core.validate import not_blank
from kitchenasty.kitchen.models import Station
from kitchenasty.orders import queries as order_queries
from kitchenasty.orders.checks import OrderSettings
from kitchenasty.printing import checks, queries, views
from kitchenasty.printing.checks import FAILED, PENDING, REPRINT, TEST, PrinterRef
from kitchenasty.printing.events import PrintersChanged, PrintJobsQueued
from kitchenasty.printing.hooks import PrintHooks, job_row, ticket
from kitchenasty.printing.models import Printer, PrintJob
from kitchenasty.printing.schemas import (
    PrinterIn,
    PrinterOut,
    PrinterUpdateIn,
    PrintFailuresOut,
    PrintJobOut,
    ReprintIn,
)
from kitchenasty.printing.worker import PrintWorker, reachable

DASHBOARD_FAILURES = 5


def check_host(host: str) -> str:
    text = not_blank(host, "host")
    if any(c.isspace() for c in text) or "/" in text:
        raise field_refusal("host", "Enter the printer's address: an IP address such as 192.168.1.50, or a host name")
    return text


class PrinterService:
    def __init__(self, db: Database, order_settings: Callable[[], Awaitable[OrderSettings]], hooks: PrintHooks) -> None:
        self.db = db
        self.order_settings = order_settings
        self.hooks = hooks
        self.worker = PrintWorker(db)

    # ---------------------------------------------------------------- printers

    async def list_printers(self, *, check: bool = False) -> list[PrinterOut]:
        async with self.db.session() as session:
            rows = await queries.printers(session)
            return await self._out(session, rows, check=check)

    async def get_printer(self, printer_id: str, *, check: bool = False) -> PrinterOut:
        async with self.db.session() as session:
            return (await self._out(session, [await self._printer(session, printer_id)], check=check))[0]

    async def create_printer(self, data: PrinterIn) -> PrinterOut:
        async with self.db.transaction() as session:
            await self._check_station(session, data.station_id)
            row = queries.add_printer(
                session,
                name=not_blank(data.name, "name"),
                host=check_host(data.host),
                port=data.port,
                width_mm=data.width_mm,
                station_id=data.station_id,
                active=data.active,
                auto_print_status=data.auto_print_status,
            )
            await session.flush()
            notify(session, PrintersChanged())
        return await self.get_printer(row.id)

    async def update_printer(self, printer_id: str, data: PrinterUpdateIn) -> PrinterOut:
        fields = provided(data)
        async with self.db.transaction() as session:
            row = await self._printer(session, printer_id)
            if "name" in fields:
                fields["name"] = not_blank(fields["name"], "name")
            if "host" in fields:
                fields["host"] = check_host(fields["host"])
            if "station_id" in fields:
                await self._check_station(session, fields["station_id"])
            for key, value in fields.items():
                setattr(row, key, value)
            notify(session, PrintersChanged())
        return await self.get_printer(printer_id)

    async def delete_printer(self, printer_id: str) -> None:
        async with self.db.transaction() as session:
            row = await self._printer(session, printer_id)
            await queries.delete_printer(session, row)
            notify(session, PrintersChanged())

    async def test_page(self, printer_id: str) -> PrintJobOut:
        """A TEST job: the printer's width, a wrapped line, an allergy line, a cut."""
        cfg = await self.order_settings()
        async with self.db.transaction() as session:
            row = await self._printer(session, printer_id)
            now = utcnow().astimezone(cfg.tz).strftime("%H:%M")
            payload = checks.test_payload(cfg.restaurant_name, row.name, row.width_mm, now)
            job = PrintJob(**job_row(row.id, None, TEST, payload))
            session.add(job)
            notify(session, PrintJobsQueued())
        return views.job_out(job, row.name, None)

    # ---------------------------------------------------------------- jobs

    async def list_jobs(self, params: PageParams, status: str | None = None) -> tuple[list[PrintJobOut], int]:
        if status is not None and status not in checks.JOB_STATUSES:
            raise field_refusal("status", f"status must be one of: {', '.join(checks.JOB_STATUSES)}")
        async with self.db.session() as session:
            rows, total = await queries.jobs_page(session, status, params.limit, params.offset)
            return await self._jobs_out(session, rows), total

    async def retry(self, job_id: str) -> PrintJobOut:
        async with self.db.transaction() as session:
            job = await self._job(session, job_id)
            if job.status != FAILED:
                raise Conflict("Only a failed print job can be retried", code="JOB_NOT_FAILED")
            job.status, job.attempts, job.next_attempt_at, job.dismissed_at = PENDING, 0, None, None
            notify(session, PrintJobsQueued())
        return await self._job_out(job_id)

    async def dismiss(self, job_id: str) -> PrintJobOut:
        async with self.db.transaction() as session:
            job = await self._job(session, job_id)
            if job.status != FAILED:
                raise Conflict("Only a failed print job can be dismissed", code="JOB_NOT_FAILED")
            job.dismissed_at = utcnow()
        return await self._job_out(job_id)

    async def failures(self) -> PrintFailuresOut:
        async with self.db.session() as session:
            rows, total = await queries.jobs_page(session, FAILED, DASHBOARD_FAILURES, 0, undismissed=True)
            return PrintFailuresOut(count=total, jobs=await self._jobs_out(session, rows))

    async def reprint(self, order_id: str, data: ReprintIn) -> list[PrintJobOut]:
        """REPRINT tickets of the order as it is now, to one printer or to each active one with items of it."""
        cfg = await self.order_settings()

        def write(session: Any) -> list[str]:
            order = order_queries.load_order(session, order_id)
            printers: Sequence[PrinterRef] = queries.active_printers(session)
            if data.printer_id is not None:
                printers = [p for p in printers if p.id == data.printer_id]
                if not printers:
                    raise NotFound("Printer not found (or switched off)", code="PRINTER_NOT_FOUND")
            rows = []
            for printer in printers:
                items = checks.items_for(order, printer.station_id)
                if items:
                    lines = [checks.item_line(i) for i in items]
                    rows.append(job_row(printer.id, order.id, REPRINT, ticket(order, printer, cfg, lines, "REPRINT")))
            if not rows:
                raise ValidationFailed(
                    "No printer prints items of this order; add a printer or choose another one", code="NO_PRINTER"
                )
            queries.insert_jobs(session, rows)
            audit.record(
                session, action="reprint", entity="order", entity_id=order_id, changes={"printJobs": len(rows)}
            )
            notify(session, PrintJobsQueued())
            return [r["id"] for r in rows]

        ids = await self.db.run_write(write)
        async with self.db.session() as session:
            jobs = [j for j in [await queries.job(session, i) for i in ids] if j is not None]
            return await self._jobs_out(session, jobs)

    # ---------------------------------------------------------------- helpers

    @staticmethod
    async def _printer(session: AsyncSession, printer_id: str) -> Printer:
        row = await queries.printer(session, printer_id)
        if row is None:
            raise NotFound("Printer not found", code="PRINTER_NOT_FOUND")
        return row

    @staticmethod
    async def _job(session: AsyncSession, job_id: str) -> PrintJob:
        job = await queries.job(session, job_id)
        if job is None:
            raise NotFound("Print job not found", code="PRINT_JOB_NOT_FOUND")
        return job

    @staticmethod
    async def _check_station(session: AsyncSession, station_id: str | None) -> None:
        if station_id is not None and not await queries.station_exists(session, station_id):
            raise field_refusal("stationId", "This station does not exist; choose another one", "STATION_NOT_FOUND")

    async def _out(self, session: AsyncSession, rows: Sequence[Printer], *, check: bool) -> list[PrinterOut]:
        ids = [r.id for r in rows]
        pending = await queries.pending_counts(session)
        last = await queries.last_jobs(session, ids)
        station_ids = [r.station_id for r in rows if r.station_id]
        names: dict[str, str] = {}
        for station_id in station_ids:
            station = await session.get(Station, station_id)
            if station is not None:
                names[station_id] = station.name
        answers: list[bool | None] = [None] * len(rows)
        if check:
            answers = list(await asyncio.gather(*(reachable(r.host, r.port) for r in rows)))
        return [
            views.printer_out(r, names.get(r.station_id or ""), pending.get(r.id, 0), last.get(r.id), answers[i])
            for i, r in enumerate(rows)
        ]

    async def _jobs_out(self, session: AsyncSession, rows: Sequence[PrintJob]) -> list[PrintJobOut]:
        numbers = await queries.order_number_of(session, [j.order_id for j in rows if j.order_id])
        names = {p.id: p.name for p in await queries.printers(session)}
        return [views.job_out(j, names.get(j.printer_id), numbers.get(j.order_id or "")) for j in rows]

    async def _job_out(self, job_id: str) -> PrintJobOut:
        async with self.db.session() as session:
            return (await self._jobs_out(session, [await self._job(session, job_id)]))[0]
