"""The printing API shapes (camelCase JSON)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
PrinterName = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
Host = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]
WidthMm = Literal[58, 80]
AutoStatus = Literal["", "PENDING", "CONFIRMED", "PREPARING", "READY"]
JobStatus = Literal["PENDING", "PRINTING", "PRINTED", "FAILED"]
JobKind = Literal["NEW", "REPRINT", "CHANGE", "TEST"]


class PrinterIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """A network (raw TCP) ticket printer. `stationId` None: the expo printer (whole orders). `autoPrintStatus`
    None follows the setting orders.autoPrintStatus; "" never prints new orders by itself."""

    name: PrinterName
    host: Host
    port: Port = 9100
    width_mm: WidthMm = 80
    station_id: Id | None = None
    active: bool = True
    auto_print_status: AutoStatus | None = None


class PrinterUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    name: PrinterName | msgspec.UnsetType = msgspec.UNSET
    host: Host | msgspec.UnsetType = msgspec.UNSET
    port: Port | msgspec.UnsetType = msgspec.UNSET
    width_mm: WidthMm | msgspec.UnsetType = msgspec.UNSET
    station_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    auto_print_status: AutoStatus | msgspec.UnsetType | None = msgspec.UNSET


class LastJobOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    status: str
    at: str
    error: str | None


class PrinterOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    host: str
    port: int
    width_mm: int
    columns: int
    station_id: str | None
    station_name: str | None
    active: bool
    auto_print_status: str | None
    pending_jobs: int
    last_job: LastJobOut | None
    reachable: bool | None
    """Whether the printer answered a TCP connect just now (only with ?check=true; else null)."""
    created_at: str
    updated_at: str


class PrintJobOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    printer_id: str
    printer_name: str | None
    order_id: str | None
    order_number: str | None
    kind: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: str | None
    printed_at: str | None
    dismissed_at: str | None
    created_at: str
    updated_at: str


class ReprintIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    printer_id: Id | None = None
    """Only this printer (else every active printer that prints items of the order)."""


class PrintFailuresOut(msgspec.Struct, kw_only=True, rename="camel"):
    """The dashboard's "print jobs that failed" until retried or dismissed."""

    count: int
    jobs: list[PrintJobOut]
