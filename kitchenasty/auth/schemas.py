from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from kitchenasty.core.security import Role
from kitchenasty.core.validate import Email, NewPassword
from kitchenasty.customers.schemas import CustomerOut

LoginPassword = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class LoginIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    password: LoginPassword


class CustomerLoginOut(msgspec.Struct, kw_only=True):
    token: str
    customer: CustomerOut


class StaffMe(msgspec.Struct, kw_only=True):
    id: str
    email: str
    name: str
    role: Role
    phone: str | None


class MeOut(msgspec.Struct, kw_only=True, omit_defaults=True):
    type: Literal["staff", "customer"]
    user: StaffMe | None = None
    customer: CustomerOut | None = None


class ResetRequestIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    type: Literal["staff", "customer"] = "customer"


class ResetConfirmIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    password: NewPassword
