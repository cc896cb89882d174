from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.schema import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow


class StaffUser(IdMixin, TimestampMixin, Base):
    """A staff account (SUPER_ADMIN, MANAGER or STAFF)."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="STAFF")
    phone: Mapped[str | None] = mapped_column(String(40))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"))
    token_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    """Raised to end every session at once (password change, deactivation); tokens carry the version they had."""


class StaffInvite(IdMixin, Base):
    """A single-use invitation; only the SHA-256 of the token is stored."""

    __tablename__ = "invite_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="STAFF")
    invited_by: Mapped[str | None] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Set when an admin withdraws the invitation; its link then answers "This invite was withdrawn"."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
