"""The customers domain's SQL that other domains go through: a customer's password and sessions are theirs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from kitchenasty.core.events import notify
from kitchenasty.core.security import SessionsEnded
from kitchenasty.customers.models import Customer


async def set_password(session: Any, customer_id: str, password_hash: str) -> None:
    """A new password (already hashed) in the caller's transaction; every session of the account ends."""
    await session.execute(
        update(Customer)
        .where(Customer.id == customer_id)
        .values(password_hash=password_hash, token_version=Customer.token_version + 1)
    )
    notify(session, SessionsEnded(principal_type="customer", principal_id=customer_id))
