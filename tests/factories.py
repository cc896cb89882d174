"""Builders for test data, through the real services (never by mocking them)."""

from __future__ import annotations

import itertools

from kitchenasty.core.security import Role
from kitchenasty.customers.models import Customer
from kitchenasty.customers.schemas import CustomerRegisterIn
from kitchenasty.services import Services
from kitchenasty.staff.models import StaffUser

PASSWORD = "correct-horse-1"
_seq = itertools.count(1)


async def make_staff(
    services: Services,
    role: Role = "STAFF",
    *,
    email: str | None = None,
    password: str = PASSWORD,
    name: str | None = None,
) -> StaffUser:
    n = next(_seq)
    return await services.staff.create(
        email=email or f"{role.lower()}{n}@example.com",
        password=password,
        name=name or f"{role.title()} {n}",
        role=role,
    )


async def make_customer(
    services: Services,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    name: str = "Guest Customer",
    phone: str | None = "+15550100",
) -> Customer:
    n = next(_seq)
    return await services.customers.register(
        CustomerRegisterIn(email=email or f"customer{n}@example.com", password=password, name=name, phone=phone)
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def staff_headers(services: Services, role: Role = "STAFF") -> dict[str, str]:
    user = await make_staff(services, role)
    return bearer(services.auth.issue("staff", user))


async def customer_headers(services: Services) -> dict[str, str]:
    customer = await make_customer(services)
    return bearer(services.auth.issue("customer", customer))
