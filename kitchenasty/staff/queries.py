"""The staff domain's SQL that other domains go through: a staff member's password and sessions are theirs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from kitchenasty.core.events import notify
from kitchenasty.core.security import SessionsEnded
from kitchenasty.staff.models import StaffUser


async def set_password(session: Any, user_id: str, password_hash: str) -> None:
    """A new password (already hashed) in the caller's transaction; every session of the account ends."""
    await session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(password_hash=password_hash, token_version=StaffUser.token_version + 1)
    )
    notify(session, SessionsEnded(principal_type="staff", principal_id=user_id))


async def bump_token_version(session: Any, user_id: str) -> None:
    """End every session of the account (deactivation): its tokens carry the old version."""
    await session.execute(
        update(StaffUser).where(StaffUser.id == user_id).values(token_version=StaffUser.token_version + 1)
    )
    notify(session, SessionsEnded(principal_type="staff", principal_id=user_id))
