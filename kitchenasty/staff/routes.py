from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.core.api import Message, Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import CurrentPrincipal, admin_only, manager_or_admin, rate_limited
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.core.openapi import errors
from kitchenasty.core.security import Role
from kitchenasty.services import ServicesDep
from kitchenasty.staff.schemas import (
    AcceptInviteIn,
    InvitationOut,
    InviteCheckOut,
    InviteIn,
    InviteOut,
    ResetLinkOut,
    StaffFilter,
    StaffLoginOut,
    StaffOut,
    StaffUpdateIn,
)
from kitchenasty.staff.service import staff_brief


class StaffController(Controller):
    path = "/api/staff"
    tags = ["staff"]

    @get("/invite/{token:str}", guards=[rate_limited("invite")], summary="Check an invitation")
    async def check_invite(self, token: FromPath[str], services: ServicesDep) -> Ok[InviteCheckOut]:
        return ok(await services.staff.check_invite(token))

    @post("/accept-invite", guards=[rate_limited("invite")], status_code=HTTP_201_CREATED, responses=errors(404, 409))
    async def accept_invite(self, data: JSONBody[AcceptInviteIn], services: ServicesDep) -> Ok[StaffLoginOut]:
        user = await services.staff.accept_invite(token=data.token, name=data.name, password=data.password)
        return ok(StaffLoginOut(token=services.auth.issue("staff", user), user=staff_brief(user)))

    @get("/", guards=[manager_or_admin])
    async def list_staff(
        self,
        services: ServicesDep,
        page_number: PageQuery = 1,
        limit: LimitQuery = 20,
        role: FromQuery[Role | None] = None,
        is_active: Annotated[bool | None, QueryParameter(name="isActive")] = None,
        search: Annotated[str | None, QueryParameter(max_length=100)] = None,
    ) -> Page[StaffOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.staff.list_staff(
            params, StaffFilter(role=role, is_active=is_active, search=search)
        )
        return page(items, page=params.page, limit=params.limit, total=total)

    @post("/invite", guards=[admin_only], status_code=HTTP_201_CREATED, responses=errors(409))
    async def invite(
        self, data: JSONBody[InviteIn], services: ServicesDep, principal: CurrentPrincipal
    ) -> Ok[InviteOut]:
        return ok(
            await services.staff.invite(email=data.email, role=data.role, name=data.name, invited_by=principal.id)
        )

    @get(
        "/invitations",
        guards=[admin_only],
        summary="Pending invitations, newest first: {id, email, name, role, invitedBy{id,name,email}|null, "
        "createdAt, expiresAt, expired} (accepted and withdrawn ones are left out)",
    )
    async def list_invitations(
        self, services: ServicesDep, page_number: PageQuery = 1, limit: LimitQuery = 20
    ) -> Page[InvitationOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.staff.list_invitations(params)
        return page(items, page=params.page, limit=params.limit, total=total)

    @post(
        "/invitations/{invite_id:str}/resend",
        guards=[admin_only],
        status_code=HTTP_200_OK,
        responses=errors(409),
        summary="Send an invitation again: a new link (the old one stops working) valid 7 more days, mailed "
        "through the outbox when mail is configured -> {id, email, role, expiresAt, token, acceptUrl, emailed}; "
        "409 when it was accepted or withdrawn",
    )
    async def resend_invitation(self, invite_id: FromPath[str], services: ServicesDep) -> Ok[InviteOut]:
        return ok(await services.staff.resend_invite(invite_id))

    @delete(
        "/invitations/{invite_id:str}",
        guards=[admin_only],
        status_code=HTTP_200_OK,
        responses=errors(409),
        summary="Withdraw a pending invitation -> {message}; its link then answers 400 INVITE_REVOKED",
    )
    async def revoke_invitation(self, invite_id: FromPath[str], services: ServicesDep) -> Message:
        await services.staff.revoke_invite(invite_id)
        return Message(message="Invitation withdrawn")

    @post(
        "/{staff_id:str}/password-reset",
        guards=[admin_only],
        status_code=HTTP_200_OK,
        responses=errors(409),
        summary="Reset a staff member's password by a single-use 30-minute link, e-mailed when mail is configured "
        "and returned for copying -> {staffId, email, resetUrl, expiresAt, emailed}; the admin never sets the "
        "password; 409 for a deactivated account",
    )
    async def reset_staff_password(self, staff_id: FromPath[str], services: ServicesDep) -> Ok[ResetLinkOut]:
        return ok(await services.auth.send_staff_reset(staff_id))

    @get("/{staff_id:str}", guards=[manager_or_admin])
    async def get_staff(self, staff_id: FromPath[str], services: ServicesDep) -> Ok[StaffOut]:
        return ok(await services.staff.get(staff_id))

    @patch(
        "/{staff_id:str}",
        guards=[admin_only],
        responses=errors(409),
        summary="Change name, phone, location, role or isActive (false ends every session at once; true "
        "reactivates) -> the staff member; 409 for your own role or account, or the last active super admin",
    )
    async def update_staff(
        self, staff_id: FromPath[str], data: JSONBody[StaffUpdateIn], services: ServicesDep, principal: CurrentPrincipal
    ) -> Ok[StaffOut]:
        return ok(await services.staff.update(principal, staff_id, data))

    @delete(
        "/{staff_id:str}",
        guards=[admin_only],
        status_code=HTTP_200_OK,
        responses=errors(409),
        summary="Deactivate a staff member (soft; every session ends at once) -> {message}",
    )
    async def deactivate_staff(
        self, staff_id: FromPath[str], services: ServicesDep, principal: CurrentPrincipal
    ) -> Message:
        await services.staff.deactivate(principal, staff_id)
        return Message(message="Staff member deactivated")
