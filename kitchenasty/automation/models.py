"""Automation rules: "when EVENT happens and CONDITIONS hold, do ACTIONS" (the outbox lives in core.outbox)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kitchenasty.core.schema import Base, IdMixin, JSONColumn, TimestampMixin


class AutomationRule(IdMixin, TimestampMixin, Base):
    __tablename__ = "automation_rules"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    event: Mapped[str] = mapped_column(String(64), nullable=False)
    # always stored in list form: [{"path", "op", "value"}]
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSONColumn, nullable=False, default=list)
    # normalised actions: {"type": "email", "to", "subject", "body"} | {"type": "sms", "to", "body"}
    #                     | {"type": "webhook", "url", "headers"?}
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSONColumn, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_by: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ix_automation_rules_event_active", "event", "is_active"),)
