"""`/api/orders`: placement and quotes (guests or customers), staff lists and status changes, the tracking read."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, get, patch, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.core.api import Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import (
    CurrentPrincipal,
    MaybePrincipal,
    authenticated,
    customer_only,
    manager_or_admin,
    staff_only,
)
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.core.openapi import errors
from kitchenasty.orders.schemas import OrderIn, OrderOut, OrderType, QuoteOut, StatusIn
from kitchenasty.services import ServicesDep

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        max_length=128,
        description="Retrying with the same key returns the first order instead of placing a second one.",
    ),
]


class OrderController(Controller):
    path = "/api/orders"
    tags = ["orders"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Place an order (guest or signed-in customer)",
        responses={
            200: ResponseSpec(
                data_container=Ok[OrderOut],
                description="A retry with an `Idempotency-Key` already used: the order placed the first time "
                "(header `Idempotent-Replayed: true`).",
            ),
            **errors(401, 409),
        },
    )
    async def place_order(
        self,
        data: JSONBody[OrderIn],
        services: ServicesDep,
        principal: MaybePrincipal,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Ok[OrderOut]]:
        order, replayed = await services.orders.place(data, principal, idempotency_key)
        if replayed:
            return Response(ok(order), status_code=HTTP_200_OK, headers={"Idempotent-Replayed": "true"})
        return Response(ok(order), status_code=HTTP_201_CREATED)

    @post(
        "/quote",
        status_code=HTTP_200_OK,
        summary="The server's totals for a cart (nothing is written)",
        responses=errors(401),
    )
    async def quote_order(
        self, data: JSONBody[OrderIn], services: ServicesDep, principal: MaybePrincipal
    ) -> Ok[QuoteOut]:
        return ok(await services.orders.quote(data, principal))

    @get("/", guards=[staff_only], summary="Orders, newest first (staff)")
    async def list_orders(
        self,
        services: ServicesDep,
        page_number: PageQuery = 1,
        limit: LimitQuery = 20,
        status: Annotated[str | None, QueryParameter(max_length=200)] = None,
        order_type: Annotated[OrderType | None, QueryParameter(name="orderType")] = None,
        location_id: Annotated[str | None, QueryParameter(name="locationId", max_length=64)] = None,
        date_from: Annotated[str | None, QueryParameter(name="from", max_length=40)] = None,
        date_to: Annotated[str | None, QueryParameter(name="to", max_length=40)] = None,
        search: Annotated[str | None, QueryParameter(max_length=50)] = None,
    ) -> Page[OrderOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.orders.list_orders(
            params,
            status=status,
            order_type=order_type,
            location_id=location_id,
            date_from=date_from,
            date_to=date_to,
            search=search,
        )
        return page(items, page=params.page, limit=params.limit, total=total)

    @get("/my-orders", guards=[customer_only], summary="The signed-in customer's orders, newest first")
    async def my_orders(
        self, services: ServicesDep, principal: CurrentPrincipal, page_number: PageQuery = 1, limit: LimitQuery = 20
    ) -> Page[OrderOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.orders.my_orders(principal, params)
        return page(items, page=params.page, limit=params.limit, total=total)

    @get("/{order_id:str}", summary="One order: staff, its customer, or `?t=<trackingToken>`", responses=errors(403))
    async def get_order(
        self,
        order_id: FromPath[str],
        services: ServicesDep,
        principal: MaybePrincipal,
        tracking_token: Annotated[str | None, QueryParameter(name="t", max_length=100)] = None,
    ) -> Ok[OrderOut]:
        return ok(await services.orders.get_for_viewer(order_id, principal, tracking_token))

    @patch(
        "/{order_id:str}/status",
        guards=[authenticated],
        summary="Change an order's status",
        responses=errors(403, 409),
    )
    async def change_status(
        self, order_id: FromPath[str], data: JSONBody[StatusIn], services: ServicesDep, principal: CurrentPrincipal
    ) -> Ok[OrderOut]:
        return ok(await services.orders.change_status(order_id, data.status, principal))


@get(
    "/api/customers/{customer_id:str}/orders",
    guards=[manager_or_admin],
    tags=["customers"],
    summary="One customer's orders, newest first, paged (the staff order list by customer; orders as "
    "GET /api/orders shows them)",
)
async def customer_orders(
    customer_id: FromPath[str], services: ServicesDep, page_number: PageQuery = 1, limit: LimitQuery = 20
) -> Page[OrderOut]:
    params = PageParams(page=page_number, limit=limit)
    items, total = await services.orders.customer_orders(customer_id, params)
    return page(items, page=params.page, limit=params.limit, total=total)


ROUTES: list[Any] = [OrderController, customer_orders]
