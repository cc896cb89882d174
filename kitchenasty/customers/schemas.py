from __future__ import annotations

import msgspec

from kitchenasty.core.validate import Email, NewPassword, Phone
from kitchenasty.core.validate import PersonName as Name


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
