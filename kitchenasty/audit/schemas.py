"""The audit log's API shapes (`GET /api/developer/audit-logs`, the original's contract plus the changes)."""

from __future__ import annotations

from typing import Any

import msgspec


class AuditEntryOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    action: str
    """`create`, `update`, `delete`, or a named action (`retry`)."""
    entity: str
    entity_id: str | None
    user_id: str | None
    user_email: str
    user_role: str | None
    changes: dict[str, Any]
    """Each changed field as `[before, after]` (secrets masked); a settings group maps its fields that way."""
    via: str
    """What made the change: `PATCH /api/menu/items/…`, or the command line."""
    created_at: str
