from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kitchenasty.core.schema import Base, IdMixin, TimestampMixin, UTCDateTime


class Location(IdMixin, TimestampMixin, Base):
    __tablename__ = "locations"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    slug: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(255), nullable=False)
    city: Mapped[str] = mapped_column(String(120), nullable=False)
    state: Mapped[str | None] = mapped_column(String(120))
    postal_code: Mapped[str] = mapped_column(String(20), nullable=False)
    country: Mapped[str] = mapped_column(String(2), nullable=False, default="US")
    lat: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    lng: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    image: Mapped[str | None] = mapped_column(String(2048))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    delivery_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    pickup_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    dine_in_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    min_order_delivery_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    min_order_pickup_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    delivery_lead_time: Mapped[int] = mapped_column(Integer, nullable=False, default=30)
    pickup_lead_time: Mapped[int] = mapped_column(Integer, nullable=False, default=15)
    is_busy: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    busy_message: Mapped[str | None] = mapped_column(String(500))
    busy_extra_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=20)
    """Added to the lead times while busy: still taking orders, but scheduled ones must leave the kitchen longer."""
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Set while online ordering is paused (no new orders); `paused_until` None then means until resumed."""
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pause_message: Mapped[str | None] = mapped_column(String(500))

    operating_hours: Mapped[list[OperatingHour]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="OperatingHour.day_of_week"
    )
    tables: Mapped[list[DiningTable]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="DiningTable.name"
    )


class OperatingHour(IdMixin, Base):
    """One opening range of a weekday (0 = Sunday); a weekday may have several, which never overlap. A close time
    at or before the open time spans midnight; an `is_closed` row is the only one of its day."""

    __tablename__ = "operating_hours"

    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"), nullable=False, index=True)
    day_of_week: Mapped[int] = mapped_column(Integer, nullable=False)
    open_time: Mapped[str] = mapped_column(String(5), nullable=False)
    close_time: Mapped[str] = mapped_column(String(5), nullable=False)
    is_closed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    location: Mapped[Location] = relationship(back_populates="operating_hours")


class LocationClosure(IdMixin, TimestampMixin, Base):
    """A dated closure (a holiday, a private event): closed from `start_date` to `end_date`, both included, in
    restaurant-local dates, whatever the weekly hours. Past closures are kept."""

    __tablename__ = "location_closures"

    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"), nullable=False, index=True)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(String(200))


class DiningTable(IdMixin, TimestampMixin, Base):
    """A table guests can order at (dine-in) or reserve."""

    __tablename__ = "tables"
    __table_args__ = (UniqueConstraint("location_id", "name"),)

    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=2)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    location: Mapped[Location] = relationship(back_populates="tables")
