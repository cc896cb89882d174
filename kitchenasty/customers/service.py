"""Customer accounts: registration, and the back office's list, detail (with order totals), deactivation and the
export of everything held about a customer (a guest's right to their data).

What other domains hold about a customer (their orders, coupon uses) is asked through `core.links.Dependents`,
filled by the wiring in `kitchenasty.services`: the domains above customers are never imported here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kitchenasty.core.api import PageParams
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound
from kitchenasty.core.events import DomainEvent, event_type, record
from kitchenasty.core.links import Dependents
from kitchenasty.core.money import from_cents
from kitchenasty.core.schema import iso, utcnow
from kitchenasty.core.security import hash_password
from kitchenasty.core.validate import normalise_email
from kitchenasty.customers import queries
from kitchenasty.customers.models import Customer
from kitchenasty.customers.schemas import (
    CustomerDetailOut,
    CustomerEventOut,
    CustomerOrderTotals,
    CustomerOut,
    CustomerRegisterIn,
    CustomerRowOut,
    CustomerTotalsOut,
)

EXPORT_FORMAT = "kitchenasty.customer-export/1"
NO_ORDERS = CustomerOrderTotals()


@event_type
class CustomerRegistered(DomainEvent, frozen=True):
    """A guest created a customer account."""

    name = "customer.registered"
    customer: CustomerEventOut


def customer_out(customer: Customer) -> CustomerOut:
    return CustomerOut(id=customer.id, email=customer.email, name=customer.name, phone=customer.phone)


def totals_out(totals: CustomerOrderTotals) -> CustomerTotalsOut:
    return CustomerTotalsOut(
        orders_count=totals.orders_count,
        cancelled_count=totals.cancelled_count,
        total_spent=from_cents(totals.spent_cents),
        total_spent_cents=totals.spent_cents,
        first_order_at=iso(totals.first_order_at),
        last_order_at=iso(totals.last_order_at),
    )


def detail_out(customer: Customer, totals: CustomerOrderTotals) -> CustomerDetailOut:
    return CustomerDetailOut(
        id=customer.id,
        email=customer.email,
        name=customer.name,
        phone=customer.phone,
        is_active=customer.is_active,
        has_password=bool(customer.password_hash),
        created_at=iso(customer.created_at) or "",
        updated_at=iso(customer.updated_at) or "",
        totals=totals_out(totals),
    )


def row_out(customer: Customer, totals: CustomerOrderTotals) -> CustomerRowOut:
    return CustomerRowOut(
        id=customer.id,
        email=customer.email,
        name=customer.name,
        phone=customer.phone,
        is_active=customer.is_active,
        created_at=iso(customer.created_at) or "",
        orders_count=totals.orders_count,
        total_spent=from_cents(totals.spent_cents),
        last_order_at=iso(totals.last_order_at),
    )


class CustomerService:
    def __init__(self, db: Database, links: Dependents | None = None) -> None:
        self.db = db
        self.links = links or Dependents()

    async def register(self, data: CustomerRegisterIn) -> Customer:
        email = normalise_email(data.email)
        password_hash = hash_password(data.password)
        try:
            async with self.db.transaction() as session:
                if await session.scalar(select(Customer.id).where(Customer.email == email)):
                    raise Conflict("Email already registered", code="EMAIL_TAKEN")
                customer = Customer(
                    email=email,
                    password_hash=password_hash,
                    name=data.name.strip(),
                    phone=(data.phone or "").strip() or None,
                )
                session.add(customer)
                await session.flush()
                record(
                    session,
                    CustomerRegistered(
                        customer=CustomerEventOut(
                            id=customer.id, email=customer.email, name=customer.name, phone=customer.phone
                        )
                    ),
                )
        except IntegrityError:
            raise Conflict("Email already registered", code="EMAIL_TAKEN") from None
        return customer

    async def get(self, customer_id: str) -> Customer:
        async with self.db.session() as session:
            customer = await session.get(Customer, customer_id)
        if customer is None:
            raise NotFound("Customer not found", code="CUSTOMER_NOT_FOUND")
        return customer

    # ---------------------------------------------------------------- the back office

    async def list_customers(self, params: PageParams, search: str | None) -> tuple[list[CustomerRowOut], int]:
        """Newest first, searched by name, e-mail or phone; each row with its order totals (one grouped query for
        the page, whatever its size)."""
        conditions = queries.search_conditions(search)
        async with self.db.session() as session:
            total = await queries.count_customers(session, conditions)
            customers = await queries.page_of_customers(session, conditions, limit=params.limit, offset=params.offset)
            totals = await self.links.summary(session, "customer", "orders", [c.id for c in customers])
        return [row_out(c, totals.get(c.id, NO_ORDERS)) for c in customers], total

    async def detail(self, customer_id: str) -> CustomerDetailOut:
        async with self.db.session() as session:
            customer = await session.get(Customer, customer_id)
            if customer is None:
                raise NotFound("Customer not found", code="CUSTOMER_NOT_FOUND")
            totals = await self.links.summary(session, "customer", "orders", [customer_id])
        return detail_out(customer, totals.get(customer_id, NO_ORDERS))

    async def set_active(self, customer_id: str, active: bool) -> CustomerDetailOut:
        """Deactivate (every session ends at once; logging in is refused with a sentence) or reactivate."""
        async with self.db.transaction() as session:
            customer = await session.get(Customer, customer_id)
            if customer is None:
                raise NotFound("Customer not found", code="CUSTOMER_NOT_FOUND")
            await queries.set_active(session, customer, active)
        return await self.detail(customer_id)

    async def export(self, customer_id: str) -> dict[str, Any]:
        """Everything held about a customer, as JSON: the account (never its password hash or tokens), and what
        each domain keeps about them (orders with their items, delivery addresses, coupon uses), read in one
        snapshot."""

        def read(session: Any) -> dict[str, Any]:
            customer = queries.customer_row(session, customer_id)
            if customer is None:
                raise NotFound("Customer not found", code="CUSTOMER_NOT_FOUND")
            profile = {
                "id": customer.id,
                "email": customer.email,
                "name": customer.name,
                "phone": customer.phone,
                "isActive": customer.is_active,
                "hasPassword": bool(customer.password_hash),
                "createdAt": iso(customer.created_at),
                "updatedAt": iso(customer.updated_at),
            }
            return {"customer": profile, **self.links.held(session, "customer", customer_id)}

        held = await self.db.run_read(read)
        return {"format": EXPORT_FORMAT, "exportedAt": iso(utcnow()), **held}
