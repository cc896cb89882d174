from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.schema import Base, JSONColumn, UTCDateTime, utcnow


class SiteSettings(Base):
    """The owner's settings: one row (id "default"), one JSON column per group, holding only saved fields."""

    __tablename__ = "site_settings"

    id: Mapped[str] = mapped_column(String(16), primary_key=True, default="default")
    general: Mapped[dict[str, Any] | None] = mapped_column(JSONColumn)
    orders: Mapped[dict[str, Any] | None] = mapped_column(JSONColumn)
    reservations: Mapped[dict[str, Any] | None] = mapped_column(JSONColumn)
    mail: Mapped[dict[str, Any] | None] = mapped_column(JSONColumn)
    payments: Mapped[dict[str, Any] | None] = mapped_column(JSONColumn)
    reviews: Mapped[dict[str, Any] | None] = mapped_column(JSONColumn)
    advanced: Mapped[dict[str, Any] | None] = mapped_column(JSONColumn)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)
