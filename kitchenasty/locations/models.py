from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kitchenasty.core.schema import Base, IdMixin, TimestampMixin


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

    operating_hours: Mapped[list[OperatingHour]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="OperatingHour.day_of_week"
    )
    tables: Mapped[list[DiningTable]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="DiningTable.name"
    )


class OperatingHour(IdMixin, Base):
    """Opening hours for one weekday (0 = Sunday). A close time at or before the open time spans midnight."""

    __tablename__ = "operating_hours"
    __table_args__ = (UniqueConstraint("location_id", "day_of_week"),)

    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"), nullable=False)
    day_of_week: Mapped[int] = mapped_column(Integer, nullable=False)
    open_time: Mapped[str] = mapped_column(String(5), nullable=False)
    close_time: Mapped[str] = mapped_column(String(5), nullable=False)
    is_closed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    location: Mapped[Location] = relationship(back_populates="operating_hours")


class DiningTable(IdMixin, TimestampMixin, Base):
    """A table guests can order at (dine-in) or reserve."""

    __tablename__ = "tables"
    __table_args__ = (UniqueConstraint("location_id", "name"),)

    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=2)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    location: Mapped[Location] = relationship(back_populates="tables")
