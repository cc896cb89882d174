from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.schema import Base, IdMixin, TimestampMixin


class Station(IdMixin, TimestampMixin, Base):
    """A place on the kitchen line (the bar, the grill): its display shows only its items of each order
    (`/kitchen?station=<slug>`). An inactive station routes nothing: its items go to the expo view only."""

    __tablename__ = "stations"

    name: Mapped[str] = mapped_column(String(60), nullable=False)
    slug: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class StationCategory(Base):
    """A category whose items (and its subcategories' items, unless they have a station of their own) go to a
    station. A category belongs to at most one station (the primary key)."""

    __tablename__ = "station_categories"

    category_id: Mapped[str] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), nullable=False, index=True)
