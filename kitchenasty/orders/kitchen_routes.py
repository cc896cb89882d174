"""The kitchen line's routes (staff): an item's preparation state, recall of an order's last move, and the
acknowledgement of a new order (`orders.kitchen`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from kitchenasty.core.api import Ok, ok
from kitchenasty.core.guards import CurrentPrincipal, staff_only
from kitchenasty.core.openapi import errors
from kitchenasty.orders.schemas import AcknowledgedOut, OrderOut, PrepChangeOut, PrepIn
from kitchenasty.services import ServicesDep


class KitchenLineController(Controller):
    path = "/api/orders"
    tags = ["kitchen"]
    guards = [staff_only]

    @patch(
        "/{order_id:str}/items/{item_id:str}/prep",
        summary="Change an item's preparation state (compare-and-set on its prepVersion; staff)",
        description="A 409 `ITEM_CHANGED` carries the item as it is now in `details[0]`. The first item started "
        "on a CONFIRMED order moves it to PREPARING; the last one done on a PREPARING order moves it to READY.",
        responses=errors(409),
    )
    async def set_item_prep(
        self,
        order_id: FromPath[str],
        item_id: FromPath[str],
        data: JSONBody[PrepIn],
        services: ServicesDep,
        principal: CurrentPrincipal,
    ) -> Ok[PrepChangeOut]:
        return ok(await services.kitchen.set_prep(order_id, item_id, data, principal))

    @post(
        "/{order_id:str}/recall",
        status_code=HTTP_200_OK,
        summary="Undo the order's last move (an item's state or the order's status) within the recall window (staff)",
        responses=errors(409),
    )
    async def recall_order(
        self, order_id: FromPath[str], services: ServicesDep, principal: CurrentPrincipal
    ) -> Ok[OrderOut]:
        return ok(await services.kitchen.recall(order_id, principal))

    @post(
        "/{order_id:str}/acknowledge",
        status_code=HTTP_200_OK,
        summary="Acknowledge a new order: every kitchen display stops its alert (staff)",
    )
    async def acknowledge_order(
        self, order_id: FromPath[str], services: ServicesDep, principal: CurrentPrincipal
    ) -> Ok[AcknowledgedOut]:
        return ok(await services.kitchen.acknowledge(order_id, principal))


ROUTES: list[Any] = [KitchenLineController]
