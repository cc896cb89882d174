from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.schema import Base, IdMixin, TimestampMixin


class Customer(IdMixin, TimestampMixin, Base):
    """A registered guest. Guests who order without an account are stored on the order, not here."""

    __tablename__ = "customers"

    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=text("true"))
    """A deactivated customer cannot log in; deactivating ends every session (`customers.queries.set_active`)."""
    token_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    """Raised to end every session at once (password reset, deactivation); tokens carry the version they had."""
