"""The customers domain's SQL: the only code that writes the customers table (other domains go through it: a
customer's password, sessions and active flag are theirs), and the back office's customer reads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, or_, select, update

from kitchenasty.core.events import notify
from kitchenasty.core.fastsql import fast
from kitchenasty.core.schema import table_of
from kitchenasty.core.security import SessionsEnded
from kitchenasty.customers.models import Customer

NEWEST_FIRST = (Customer.created_at.desc(), Customer.id.desc())
customers_t = table_of(Customer)
_BY_ID = select(customers_t).where(customers_t.c.id == bindparam("customer_id"))


async def set_password(session: Any, customer_id: str, password_hash: str) -> None:
    """A new password (already hashed) in the caller's transaction; every session of the account ends."""
    await session.execute(
        update(Customer)
        .where(Customer.id == customer_id)
        .values(password_hash=password_hash, token_version=Customer.token_version + 1)
    )
    notify(session, SessionsEnded(principal_type="customer", principal_id=customer_id))


async def set_active(session: Any, customer: Customer, active: bool) -> None:
    """Activate or deactivate `customer` (loaded in the caller's transaction). Deactivating ends every session of
    the account at once (open sockets close with 4401); reactivating does not bring the old tokens back."""
    if customer.is_active == active:
        return
    customer.is_active = active
    if not active:
        customer.token_version = (customer.token_version or 0) + 1
        notify(session, SessionsEnded(principal_type="customer", principal_id=customer.id))


def search_conditions(search: str | None) -> list[ColumnElement[bool]]:
    """Name, e-mail or phone containing `search` (case-insensitive; `%` and `_` are plain characters)."""
    needle = (search or "").strip().lower()
    if not needle:
        return []
    return [
        or_(
            func.lower(Customer.name).contains(needle, autoescape=True),
            func.lower(Customer.email).contains(needle, autoescape=True),
            func.lower(func.coalesce(Customer.phone, "")).contains(needle, autoescape=True),
        )
    ]


async def count_customers(session: Any, conditions: list[ColumnElement[bool]]) -> int:
    return int(await session.scalar(select(func.count()).select_from(Customer).where(*conditions)) or 0)


async def page_of_customers(
    session: Any, conditions: list[ColumnElement[bool]], *, limit: int, offset: int
) -> list[Customer]:
    rows = await session.scalars(
        select(Customer).where(*conditions).order_by(*NEWEST_FIRST).limit(limit).offset(offset)
    )
    return list(rows.all())


def customer_row(session: Any, customer_id: str) -> Any:
    """The customer's row in a synchronous read (`Database.run_read`), or None."""
    return fast(session).execute(_BY_ID, {"customer_id": customer_id}).first()
