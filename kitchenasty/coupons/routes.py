"""`/api/coupons`: the public validation, staff reads, and manager/admin writes."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.core.api import Message, Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import MaybePrincipal, manager_or_admin, rate_limited, staff_only
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.core.openapi import errors
from kitchenasty.coupons.schemas import CouponIn, CouponOut, CouponUpdateIn, CouponValidateIn, CouponValidateOut
from kitchenasty.services import ServicesDep


class CouponController(Controller):
    path = "/api/coupons"
    tags = ["coupons"]

    @post(
        "/validate",
        guards=[rate_limited("coupon")],
        status_code=HTTP_200_OK,
        summary="What a coupon code takes off a subtotal (public; throttled per client against guessing)",
        responses=errors(404),
    )
    async def validate_coupon(
        self, data: JSONBody[CouponValidateIn], services: ServicesDep, principal: MaybePrincipal
    ) -> Ok[CouponValidateOut]:
        return ok(await services.coupons.validate(data, principal))

    @get("/", guards=[staff_only], summary="Coupons, newest first (staff)")
    async def list_coupons(
        self, services: ServicesDep, page_number: PageQuery = 1, limit: LimitQuery = 20
    ) -> Page[CouponOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.coupons.list_coupons(params)
        return page(items, page=params.page, limit=params.limit, total=total)

    @get("/{coupon_id:str}", guards=[staff_only])
    async def get_coupon(self, coupon_id: FromPath[str], services: ServicesDep) -> Ok[CouponOut]:
        return ok(await services.coupons.get(coupon_id))

    @post("/", guards=[manager_or_admin], status_code=HTTP_201_CREATED, responses=errors(409))
    async def create_coupon(self, data: JSONBody[CouponIn], services: ServicesDep) -> Ok[CouponOut]:
        return ok(await services.coupons.create(data))

    @patch("/{coupon_id:str}", guards=[manager_or_admin], responses=errors(409))
    async def update_coupon(
        self, coupon_id: FromPath[str], data: JSONBody[CouponUpdateIn], services: ServicesDep
    ) -> Ok[CouponOut]:
        return ok(await services.coupons.update(coupon_id, data))

    @delete("/{coupon_id:str}", guards=[manager_or_admin], status_code=HTTP_200_OK)
    async def delete_coupon(self, coupon_id: FromPath[str], services: ServicesDep) -> Message:
        await services.coupons.delete(coupon_id)
        return Message(message="Coupon deleted")


ROUTES: list[Any] = [CouponController]
