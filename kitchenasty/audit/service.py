"""Reading the audit log (written by `core.audit` in the transactions it records): newest first, filtered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from kitchenasty.audit.schemas import AuditEntryOut
from kitchenasty.core.api import PageParams
from kitchenasty.core.audit import AuditEntry
from kitchenasty.core.db import Database
from kitchenasty.core.schema import iso


def entry_out(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        id=entry.id,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        user_id=entry.actor_id,
        user_email=entry.actor_email,
        user_role=entry.actor_role,
        changes=entry.changes or {},
        via=entry.via,
        created_at=iso(entry.created_at) or "",
    )


class AuditService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def list_entries(
        self,
        params: PageParams,
        *,
        entity: str | None = None,
        action: str | None = None,
        search: str | None = None,
        user_id: str | None = None,
    ) -> tuple[list[AuditEntryOut], int]:
        """Newest first; `search` matches the user's e-mail or the record's id (contains, any case)."""
        conditions: list[Any] = []
        if entity:
            conditions.append(AuditEntry.entity == entity.strip())
        if action:
            conditions.append(AuditEntry.action == action.strip())
        if user_id:
            conditions.append(AuditEntry.actor_id == user_id.strip())
        if search and search.strip():
            needle = search.strip().lower()
            conditions.append(
                or_(
                    func.lower(AuditEntry.actor_email).contains(needle, autoescape=True),
                    func.lower(AuditEntry.entity_id).contains(needle, autoescape=True),
                )
            )
        async with self.db.session() as session:
            total = await session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
            rows = await session.scalars(
                select(AuditEntry)
                .where(*conditions)
                .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
                .limit(params.limit)
                .offset(params.offset)
            )
            return [entry_out(row) for row in rows], total
