"""`/api/printers` (staff read, managers change), `/api/print-jobs` (staff), and `POST /api/orders/{id}/reprint`."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.core.api import Message, Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import manager_or_admin, staff_only
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.core.openapi import errors
from kitchenasty.printing.schemas import (
    JobStatus,
    PrinterIn,
    PrinterOut,
    PrinterUpdateIn,
    PrintFailuresOut,
    PrintJobOut,
    ReprintIn,
)
from kitchenasty.services import ServicesDep

CheckQuery = Annotated[
    bool, QueryParameter(name="check", description="Try a TCP connect to each printer (reachable: true/false)")
]


class PrinterController(Controller):
    path = "/api/printers"
    tags = ["printing"]

    @get("/", guards=[staff_only], summary="Ticket printers with their last job and pending jobs (staff)")
    async def list_printers(self, services: ServicesDep, check: CheckQuery = False) -> Ok[list[PrinterOut]]:
        return ok(await services.printing.list_printers(check=check))

    @post("/", guards=[manager_or_admin], status_code=HTTP_201_CREATED)
    async def create_printer(self, data: JSONBody[PrinterIn], services: ServicesDep) -> Ok[PrinterOut]:
        return ok(await services.printing.create_printer(data))

    @patch("/{printer_id:str}", guards=[manager_or_admin])
    async def update_printer(
        self, printer_id: FromPath[str], data: JSONBody[PrinterUpdateIn], services: ServicesDep
    ) -> Ok[PrinterOut]:
        return ok(await services.printing.update_printer(printer_id, data))

    @delete("/{printer_id:str}", guards=[manager_or_admin], status_code=HTTP_200_OK)
    async def delete_printer(self, printer_id: FromPath[str], services: ServicesDep) -> Message:
        await services.printing.delete_printer(printer_id)
        return Message(message="Printer deleted")

    @post(
        "/{printer_id:str}/test",
        guards=[manager_or_admin],
        status_code=HTTP_201_CREATED,
        summary="Print a test page (a TEST job)",
    )
    async def test_page(self, printer_id: FromPath[str], services: ServicesDep) -> Ok[PrintJobOut]:
        return ok(await services.printing.test_page(printer_id))


class PrintJobController(Controller):
    path = "/api/print-jobs"
    tags = ["printing"]

    @get("/", guards=[staff_only], summary="Print jobs, newest first, by status (staff)")
    async def list_jobs(
        self,
        services: ServicesDep,
        status: Annotated[JobStatus | None, QueryParameter(name="status")] = None,
        page_number: PageQuery = 1,
        limit: LimitQuery = 20,
    ) -> Page[PrintJobOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.printing.list_jobs(params, status)
        return page(items, page=params.page, limit=params.limit, total=total)

    @get("/failures", guards=[staff_only], summary="Failed print jobs not yet retried or dismissed (dashboard)")
    async def failures(self, services: ServicesDep) -> Ok[PrintFailuresOut]:
        return ok(await services.printing.failures())

    @post("/{job_id:str}/retry", guards=[staff_only], status_code=HTTP_200_OK, responses=errors(409))
    async def retry(self, job_id: FromPath[str], services: ServicesDep) -> Ok[PrintJobOut]:
        return ok(await services.printing.retry(job_id))

    @post("/{job_id:str}/dismiss", guards=[staff_only], status_code=HTTP_200_OK, responses=errors(409))
    async def dismiss(self, job_id: FromPath[str], services: ServicesDep) -> Ok[PrintJobOut]:
        return ok(await services.printing.dismiss(job_id))


@post(
    "/api/orders/{order_id:str}/reprint",
    guards=[staff_only],
    tags=["printing"],
    status_code=HTTP_201_CREATED,
    summary="Print the order's tickets again, marked REPRINT (staff; one printer or every one with its items)",
    responses=errors(404),
)
async def reprint(order_id: FromPath[str], data: JSONBody[ReprintIn], services: ServicesDep) -> Ok[list[PrintJobOut]]:
    return ok(await services.printing.reprint(order_id, data))


ROUTES: list[Any] = [PrinterController, PrintJobController, reprint]
