from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound
from kitchenasty.core.events import DomainEvent, event_type, record
from kitchenasty.core.security import hash_password
from kitchenasty.core.validate import normalise_email
from kitchenasty.customers.models import Customer
from kitchenasty.customers.schemas import CustomerOut, CustomerRegisterIn


@event_type
class CustomerRegistered(DomainEvent, frozen=True):
    name = "customer.registered"
    customer: dict[str, object]


def customer_out(customer: Customer) -> CustomerOut:
    return CustomerOut(id=customer.id, email=customer.email, name=customer.name, phone=customer.phone)


class CustomerService:
    def __init__(self, db: Database) -> None:
        self.db = db

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
                        customer={
                            "id": customer.id,
                            "email": customer.email,
                            "name": customer.name,
                            "phone": customer.phone,
                        }
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
