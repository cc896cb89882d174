"""`/api/orders`: placement and quotes (guests or customers), staff lists and status changes, the tracking read;
for the back office an order's status history and deliveries, and the list as CSV."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, get, patch, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
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
from kitchenasty.core.http import IdempotencyKey, LimitQuery, PageQuery, created_or_replayed
from kitchenasty.core.openapi import errors
from kitchenasty.orders.kitchen_routes import ROUTES as KITCHEN_LINE_ROUTES
from kitchenasty.orders.schemas import (
    OrderDeliveryOut,
    OrderIn,
    OrderOut,
    OrderType,
    QuoteOut,
    StatusChangeOut,
    StatusIn,
    VoidIn,
)
from kitchenasty.services import ServicesDep

# The staff list's filters (the CSV export takes the very same).
StatusQuery = Annotated[str | None, QueryParameter(max_length=200, description="Statuses, comma-separated")]
OrderTypeQuery = Annotated[OrderType | None, QueryParameter(name="orderType")]
LocationQuery = Annotated[str | None, QueryParameter(name="locationId", max_length=64)]
FromQuery = Annotated[str | None, QueryParameter(name="from", max_length=40, description="A date or date-time")]
ToQuery = Annotated[str | None, QueryParameter(name="to", max_length=40, description="A date (included) or date-time")]
SearchQuery = Annotated[
    str | None, QueryParameter(max_length=50, description="Part of the number, or a name, e-mail or phone")
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
        return created_or_replayed(ok(order), replayed)

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
        status: StatusQuery = None,
        order_type: OrderTypeQuery = None,
        location_id: LocationQuery = None,
        date_from: FromQuery = None,
        date_to: ToQuery = None,
        search: SearchQuery = None,
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

    @get(
        "/export.csv",
        guards=[manager_or_admin],
        summary="The orders of the list's filters as CSV, one row per order (MANAGER and up)",
        media_type="text/csv",
        response_description="One row per order, newest first, as the list; a dated attachment",
    )
    async def export_orders(
        self,
        services: ServicesDep,
        status: StatusQuery = None,
        order_type: OrderTypeQuery = None,
        location_id: LocationQuery = None,
        date_from: FromQuery = None,
        date_to: ToQuery = None,
        search: SearchQuery = None,
    ) -> Stream:
        name, text = await services.orders.export_csv(
            status=status,
            order_type=order_type,
            location_id=location_id,
            date_from=date_from,
            date_to=date_to,
            search=search,
        )
        return Stream(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

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
        return ok(await services.orders.change_status(order_id, data.status, principal, data.reason))

    @post(
        "/{order_id:str}/items/{item_id:str}/void",
        guards=[staff_only],
        status_code=HTTP_200_OK,
        summary="Take one item off an order (staff; a reason is required): totals, stock and tickets follow",
        responses=errors(404, 409),
    )
    async def void_item(
        self,
        order_id: FromPath[str],
        item_id: FromPath[str],
        data: JSONBody[VoidIn],
        services: ServicesDep,
        principal: CurrentPrincipal,
    ) -> Ok[OrderOut]:
        return ok(await services.orders.void_item(order_id, item_id, data.reason, principal))

    @get(
        "/{order_id:str}/history",
        guards=[staff_only],
        summary="The order's status changes, oldest first: who, when and why (staff)",
        responses=errors(404),
    )
    async def order_history(self, order_id: FromPath[str], services: ServicesDep) -> Ok[list[StatusChangeOut]]:
        return ok(await services.orders.history(order_id))

    @get(
        "/{order_id:str}/deliveries",
        guards=[staff_only],
        summary="The e-mails, SMS and webhooks the order caused, and how their delivery went (staff)",
        responses=errors(404),
    )
    async def order_deliveries(self, order_id: FromPath[str], services: ServicesDep) -> Ok[list[OrderDeliveryOut]]:
        return ok(await services.orders.deliveries(order_id))


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


ROUTES: list[Any] = [OrderController, customer_orders, *KITCHEN_LINE_ROUTES]
