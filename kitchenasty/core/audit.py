"""The audit log: who changed what, on which record, when, and each changed field's before -> after.

Every write a staff member makes through the API (or an owner through the CLI) leaves a row in `audit_logs`, in the
same transaction as the change, so a change and its record commit or roll back together:

- **ORM writes** (the CRUD path: `Database.transaction()`) are recorded by a `before_flush` listener: every new,
  changed or deleted object of an audited model, with the changed columns (and many-to-many links) before -> after;
  bulk `update()`/`delete()` statements run through a session are recorded by `do_orm_execute` with the values
  they set.
- **Hot-path writes** (`Database.run_write`, compiled Core statements) call `record()` themselves.

Who is acting comes from a context variable that the guards set when they resolve a staff caller (and the CLI for
its commands): a guest or a customer ordering is not audited (the order itself is the record). Secret values are
never written: columns that hold a password, token or secret, and secret settings, are masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, String, Table, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import NO_VALUE

from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import Base, IdMixin, JSONColumn, UTCDateTime, new_id, table_of, utcnow

MASK = "****"
_SECRET_COLUMN = re.compile(r"password|secret|token|hash", re.IGNORECASE)
NOT_AUDITED = frozenset({"audit_logs", "events", "outbox", "ended_sessions", "password_reset_tokens"})
"""Tables whose rows are records themselves (or hold only hashes of one-time secrets)."""
_INFO_KEY = "kitchenasty.audit_installed"


@dataclass(frozen=True)
class AuditActor:
    """Who is making changes in this request or command, and through what (`PATCH /api/menu/items/…`)."""

    id: str | None
    email: str
    role: str | None
    via: str


_actor: ContextVar[AuditActor | None] = ContextVar("kitchenasty_audit_actor", default=None)


def set_actor(actor: AuditActor | None) -> None:
    """Attribute the writes of the current request (or command) to `actor` (None: nobody to attribute)."""
    _actor.set(actor)


def current_actor() -> AuditActor | None:
    return _actor.get()


@contextmanager
def acting_as(actor: AuditActor) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


class AuditEntry(IdMixin, Base):
    __tablename__ = "audit_logs"

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(String(32))
    actor_email: Mapped[str] = mapped_column(String(254), nullable=False)
    actor_role: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    entity_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONColumn, nullable=False, default=dict)
    via: Mapped[str] = mapped_column(String(300), nullable=False, default="")

    __table_args__ = (
        Index("ix_audit_created", "created_at"),
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_actor", "actor_id"),
    )


audit_t: Table = table_of(AuditEntry)
_INSERT = insert(audit_t)


def entity_name(model: type[Any]) -> str:
    """`MenuItem` -> `menu_item`: what the log calls a record's kind."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def _entity_of_table(name: str) -> str:
    for mapper in Base.registry.mappers:
        if getattr(mapper.local_table, "name", None) == name:
            return entity_name(mapper.class_)
    return name


def plain(value: Any) -> Any:
    """A value as JSON can hold it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def masked(column: str, value: Any) -> Any:
    return MASK if value not in (None, "") and _SECRET_COLUMN.search(column) else plain(value)


Masker = Any
"""`(table, column, before, after) -> (before, after)`: how a table's JSON columns hide their secret parts."""
_MASKERS: dict[str, Masker] = {}


def mask_json_columns(table: str, masker: Masker) -> None:
    """Let a table whose JSON columns hold secrets (the settings) mask them field by field."""
    _MASKERS[table] = masker


def _row(actor: AuditActor, action: str, entity: str, entity_id: str | None, changes: dict[str, Any]) -> dict:
    return {
        "id": new_id(),
        "created_at": utcnow(),
        "actor_id": actor.id,
        "actor_email": actor.email,
        "actor_role": actor.role,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "changes": changes,
        "via": actor.via[:300],
    }


def record(session: Any, *, action: str, entity: str, entity_id: str | None, changes: Mapping[str, Any]) -> None:
    """For hot-path writes (`run_write`): one audit row in the caller's transaction, if someone is acting."""
    actor = _actor.get()
    if actor is not None:
        fast(session).execute(_INSERT, _row(actor, action, entity, entity_id, dict(changes)))


def note(session: Any, *, action: str, entity: str, entity_id: str | None, changes: Mapping[str, Any]) -> None:
    """For an ORM transaction whose change the listeners cannot see (a row in an unaudited table, such as a
    password-reset link an admin sends): one audit row added to the session, if someone is acting."""
    actor = _actor.get()
    if actor is not None:
        session.add(AuditEntry(**_row(actor, action, entity, entity_id, dict(changes))))


# ---------------------------------------------------------------- the ORM listeners


def _object_changes(obj: Any, table: str, kind: str) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    masker = _MASKERS.get(table)
    for attr in state.mapper.column_attrs:
        key = attr.key
        history = state.attrs[key].history
        if kind == "create":
            after = state.attrs[key].value
            if after in (None, NO_VALUE):
                continue
            before = None
        elif kind == "delete":
            before = state.attrs[key].loaded_value
            if before in (None, NO_VALUE):
                continue
            after = None
        else:
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
        if masker is not None and isinstance(before or after, dict):
            changes[key] = masker(table, key, before, after)
        else:
            changes[key] = [masked(key, before), masked(key, after)]
    for rel in state.mapper.relationships:
        if rel.secondary is None or kind == "delete":
            continue
        history = state.attrs[rel.key].history
        if history.added or history.deleted:
            changes[rel.key] = {
                "added": [getattr(o, "id", None) for o in history.added],
                "removed": [getattr(o, "id", None) for o in history.deleted],
            }
    return changes


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    actor = _actor.get()
    if actor is None:
        return
    entries: list[AuditEntry] = []
    for kind, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in NOT_AUDITED or isinstance(obj, AuditEntry):
                continue
            if kind == "update" and not session.is_modified(obj, include_collections=True):
                continue
            changes = _object_changes(obj, table, kind)
            if kind == "update" and not changes:
                continue
            row = _row(actor, kind, entity_name(type(obj)), getattr(obj, "id", None), changes)
            entries.append(AuditEntry(**row))
    session.add_all(entries)


def _do_orm_execute(state: Any) -> None:
    """Bulk `update()`/`delete()` through a session: record what was set (there is no "before" to read)."""
    actor = _actor.get()
    if actor is None or not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name is None or name in NOT_AUDITED:
        return
    values: dict[str, Any] = {}
    for column, value in (getattr(state.statement, "_values", None) or {}).items():
        key = str(getattr(column, "key", column))
        values[key] = masked(key, getattr(value, "value", None))
    action = "update" if state.is_update else "delete"
    changes = {"set": values} if values else {}
    state.session.add(AuditEntry(**_row(actor, action, _entity_of_table(name), None, changes)))


def install(session_class: type[Session] = Session) -> None:
    """Attach the listeners once per process (the `Database` calls it; nothing happens at import)."""
    if getattr(session_class, "__dict__", {}).get(_INFO_KEY):
        return
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "do_orm_execute", _do_orm_execute)
    setattr(session_class, _INFO_KEY, True)
