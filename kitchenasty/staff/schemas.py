from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from kitchenasty.core.security import Role
from kitchenasty.core.validate import Email, NewPassword, Phone
from kitchenasty.core.validate import PersonName as Name


class StaffRegisterIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    email: Email
    password: NewPassword
    name: Name
    role: Role = "STAFF"


class StaffUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel", omit_defaults=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    role: Role | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    location_id: str | msgspec.UnsetType | None = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class InviteIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    email: Email
    name: Name | None = None
    role: Role = "STAFF"


class AcceptInviteIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    name: Name
    password: NewPassword


class LocationRef(msgspec.Struct, kw_only=True):
    id: str
    name: str


class StaffOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    email: str
    name: str
    role: Role
    phone: str | None
    is_active: bool
    location_id: str | None
    location: LocationRef | None
    created_at: str
    updated_at: str


class StaffBrief(msgspec.Struct, kw_only=True):
    id: str
    email: str
    name: str
    role: Role


class InviteOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    email: str
    role: Role
    expires_at: str
    token: str
    accept_url: str
    emailed: bool


class StaffRef(msgspec.Struct, kw_only=True):
    id: str
    name: str
    email: str


class InvitationOut(msgspec.Struct, kw_only=True, rename="camel"):
    """A pending invitation (not accepted, not withdrawn); `expired` ones can be sent again."""

    id: str
    email: str
    name: str | None
    role: Role
    invited_by: StaffRef | None
    created_at: str
    expires_at: str
    expired: bool


class ResetLinkOut(msgspec.Struct, kw_only=True, rename="camel"):
    """A password-reset link made for a staff member by an admin: mailed when mail is configured, and shown so it
    can be handed over another way."""

    staff_id: str
    email: str
    reset_url: str
    expires_at: str
    emailed: bool


class InviteCheckOut(msgspec.Struct, kw_only=True):
    email: str
    role: Role
    name: str | None = None


class StaffFilter(msgspec.Struct, kw_only=True, frozen=True):
    role: Literal["SUPER_ADMIN", "MANAGER", "STAFF"] | None = None
    is_active: bool | None = None
    search: str | None = None


class StaffLoginOut(msgspec.Struct, kw_only=True):
    token: str
    user: StaffBrief


class InviteEventOut(msgspec.Struct, kw_only=True, rename="camel"):
    """The invitation inside `staff.invited` events (automation paths `invite.email`, ...; never the token)."""

    id: str
    email: str
    role: Role
    name: str | None
    expires_at: str
