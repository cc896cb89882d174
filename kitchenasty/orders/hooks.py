"""What other domains do inside an order's own transactions (ticket printing), without orders importing them.

The wiring (`kitchenasty.services`) sets `OrderService.hooks` to the printing domain's hooks; the default does
nothing. Each method runs inside the write transaction (synchronous, compiled Core statements only) and must be
cheap: with no active printer it returns at once.
"""

from __future__ import annotations

from typing import Any, Protocol

from kitchenasty.orders.checks import OrderSettings
from kitchenasty.orders.schemas import OrderItemOut, OrderOut


class OrderHooks(Protocol):
    def placed(self, session: Any, order: OrderOut, cfg: OrderSettings) -> None: ...

    def status_changed(self, session: Any, order: OrderOut, previous: str, cfg: OrderSettings) -> None: ...

    def item_voided(self, session: Any, order: OrderOut, item: OrderItemOut, cfg: OrderSettings) -> None: ...


class NoHooks:
    def placed(self, session: Any, order: OrderOut, cfg: OrderSettings) -> None:
        return None

    def status_changed(self, session: Any, order: OrderOut, previous: str, cfg: OrderSettings) -> None:
        return None

    def item_voided(self, session: Any, order: OrderOut, item: OrderItemOut, cfg: OrderSettings) -> None:
        return None
