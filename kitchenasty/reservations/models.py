from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.schema import Base, IdMixin, TimestampMixin, UTCDateTime


class Reservation(IdMixin, TimestampMixin, Base):
    """A table booking. `date` and `time` are the restaurant-local wall clock the guest booked; `starts_at` and
    `ends_at` are the same moments in UTC (a stay of `duration_minutes`), which is what overlap is decided on, so a
    booking across midnight or a change of the clocks holds its table for exactly its stay."""

    __tablename__ = "reservations"

    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id", ondelete="RESTRICT"), nullable=False)
    table_id: Mapped[str | None] = mapped_column(ForeignKey("tables.id", ondelete="SET NULL"))
    table_name: Mapped[str | None] = mapped_column(String(60))
    """The table's name when it was assigned (kept if the table is deleted later)."""
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    guest_name: Mapped[str | None] = mapped_column(String(120))
    guest_email: Mapped[str | None] = mapped_column(String(254))
    guest_phone: Mapped[str | None] = mapped_column(String(40))
    date: Mapped[date] = mapped_column(Date, nullable=False)
    time: Mapped[str] = mapped_column(String(5), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    party_size: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="PENDING")
    comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), nullable=False, default="online")
    """`online` (a guest or customer), `staff` (booked by staff for a guest) or `walk_in`."""
    needs_reassignment: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    """Its table was deactivated or made too small after it was booked: staff must move it to another table."""
    manage_token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    request_fingerprint: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_reservations_location_starts", "location_id", "starts_at"),
        Index("ix_reservations_table_starts", "table_id", "starts_at"),
        Index("ix_reservations_date", "date", "time"),
        Index("ix_reservations_customer", "customer_id", "date"),
        Index("ix_reservations_status", "status", "date"),
    )
