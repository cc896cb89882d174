from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.schema import Base, IdMixin, JSONColumn, TimestampMixin, UTCDateTime


class Printer(IdMixin, TimestampMixin, Base):
    """A network ticket printer (raw TCP, port 9100). `station_id` None: the expo printer (whole orders);
    `auto_print_status` None follows the setting `orders.autoPrintStatus`, "" never prints by itself."""

    __tablename__ = "printers"

    name: Mapped[str] = mapped_column(String(60), nullable=False)
    host: Mapped[str] = mapped_column(String(255), nullable=False)
    port: Mapped[int] = mapped_column(Integer, nullable=False, default=9100)
    width_mm: Mapped[int] = mapped_column(Integer, nullable=False, default=80)
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    auto_print_status: Mapped[str | None] = mapped_column(String(20))


class PrintJob(IdMixin, TimestampMixin, Base):
    """One ticket to print, written in the transaction that caused it; `payload` holds the lines as they were then.

    PENDING -> PRINTING (claimed, attempt counted) -> PRINTED, or back to PENDING with a later `next_attempt_at`,
    or FAILED after the last attempt. A PRINTED job never prints again; one left PRINTING by a crash goes back to
    PENDING when the app starts (it may print once more: the ticket carries the job id)."""

    __tablename__ = "print_jobs"

    printer_id: Mapped[str] = mapped_column(ForeignKey("printers.id", ondelete="CASCADE"), nullable=False)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="PENDING")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSONColumn, nullable=False)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """A failed job someone dismissed: no longer shown on the dashboard."""

    __table_args__ = (
        Index("ix_print_jobs_printer_status", "printer_id", "status"),
        Index("ix_print_jobs_status", "status"),
    )
