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
    InviteCheckOut,
    InviteIn,
    InviteOut,
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

    @get("/{staff_id:str}", guards=[manager_or_admin])
    async def get_staff(self, staff_id: FromPath[str], services: ServicesDep) -> Ok[StaffOut]:
        return ok(await services.staff.get(staff_id))

    @patch("/{staff_id:str}", guards=[admin_only])
    async def update_staff(
        self, staff_id: FromPath[str], data: JSONBody[StaffUpdateIn], services: ServicesDep, principal: CurrentPrincipal
    ) -> Ok[StaffOut]:
        return ok(await services.staff.update(principal, staff_id, data))

    @delete("/{staff_id:str}", guards=[admin_only], status_code=HTTP_200_OK)
    async def deactivate_staff(
        self, staff_id: FromPath[str], services: ServicesDep, principal: CurrentPrincipal
    ) -> Message:
        await services.staff.deactivate(principal, staff_id)
        return Message(message="Staff member deactivated")
