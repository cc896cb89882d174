"""`/api/customers` (MANAGER and up): the list and search, one customer with their order totals, deactivation, and
the export of everything held about them. A customer's orders are `GET /api/customers/{id}/orders` (orders
domain, `orders.routes`)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, patch
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from kitchenasty.core.api import Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import manager_or_admin
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.core.openapi import errors
from kitchenasty.customers.schemas import CustomerDetailOut, CustomerExportDoc, CustomerRowOut, CustomerUpdateIn
from kitchenasty.services import ServicesDep


class CustomerController(Controller):
    path = "/api/customers"
    tags = ["customers"]

    @get(
        "/",
        guards=[manager_or_admin],
        summary="Customers, newest first, searched by name, e-mail or phone (`search`): each row "
        "{id, email, name, phone, isActive, createdAt, ordersCount, totalSpent, lastOrderAt}",
    )
    async def list_customers(
        self,
        services: ServicesDep,
        page_number: PageQuery = 1,
        limit: LimitQuery = 20,
        search: Annotated[str | None, QueryParameter(max_length=100)] = None,
    ) -> Page[CustomerRowOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.customers.list_customers(params, search)
        return page(items, page=params.page, limit=params.limit, total=total)

    @get(
        "/{customer_id:str}",
        guards=[manager_or_admin],
        summary="One customer {id, email, name, phone, isActive, hasPassword, createdAt, updatedAt, totals: "
        "{ordersCount, cancelledCount, totalSpent, totalSpentCents, firstOrderAt, lastOrderAt}}",
    )
    async def get_customer(self, customer_id: FromPath[str], services: ServicesDep) -> Ok[CustomerDetailOut]:
        return ok(await services.customers.detail(customer_id))

    @patch(
        "/{customer_id:str}",
        guards=[manager_or_admin],
        summary="Deactivate ({isActive: false}: every session ends at once and logging in is refused with a "
        "sentence) or reactivate ({isActive: true}) -> the customer as GET shows it",
    )
    async def update_customer(
        self, customer_id: FromPath[str], data: JSONBody[CustomerUpdateIn], services: ServicesDep
    ) -> Ok[CustomerDetailOut]:
        return ok(await services.customers.set_active(customer_id, data.is_active))

    @get(
        "/{customer_id:str}/export",
        guards=[manager_or_admin],
        media_type="application/json",
        summary="Everything held about a customer as a JSON attachment (no envelope): {format, exportedAt, "
        "customer, orders (with items), addresses, couponRedemptions}",
        responses={
            200: ResponseSpec(data_container=CustomerExportDoc, description="The export document"),
            **errors(404),
        },
    )
    async def export_customer(self, customer_id: FromPath[str], services: ServicesDep) -> Response[bytes]:
        document = await services.customers.export(customer_id)
        return Response(
            msgspec.json.encode(document),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="customer-{customer_id}.json"'},
        )


ROUTES: list[Any] = [CustomerController]
