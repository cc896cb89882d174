from __future__ import annotations

import msgspec

from kitchenasty.staff.schemas import Email, Name, NewPassword, Phone


class CustomerRegisterIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    email: Email
    password: NewPassword
    name: Name
    phone: Phone | None = None


class CustomerOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    email: str
    name: str
    phone: str | None
