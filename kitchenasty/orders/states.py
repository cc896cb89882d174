"""The order state machine as pure functions (no DB): which status may follow which, per order type.

PENDING -> CONFIRMED -> PREPARING -> READY, then by type:
- DELIVERY: READY -> OUT_FOR_DELIVERY -> DELIVERED (or READY -> DELIVERED when the driver is not tracked);
- PICKUP:   READY -> PICKED_UP;
- DINE_IN:  READY -> DELIVERED (served at the table).
CANCELLED is reachable from every non-terminal status. DELIVERED, PICKED_UP and CANCELLED are terminal.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

ORDER_TYPES: Final = ("DELIVERY", "PICKUP", "DINE_IN")
TERMINAL: Final = frozenset({"DELIVERED", "PICKED_UP", "CANCELLED"})

_COMMON_FORWARD: Final = {"PENDING": "CONFIRMED", "CONFIRMED": "PREPARING", "PREPARING": "READY"}

# The kitchen display's one-tap advance: the single forward step from each status.
_NEXT: Final = MappingProxyType(
    {
        "DELIVERY": MappingProxyType({**_COMMON_FORWARD, "READY": "OUT_FOR_DELIVERY", "OUT_FOR_DELIVERY": "DELIVERED"}),
        "PICKUP": MappingProxyType({**_COMMON_FORWARD, "READY": "PICKED_UP"}),
        "DINE_IN": MappingProxyType({**_COMMON_FORWARD, "READY": "DELIVERED"}),
    }
)

# Forward moves that skip the one-tap path but are still allowed.
_EXTRA: Final = MappingProxyType({"DELIVERY": {("READY", "DELIVERED")}, "PICKUP": set(), "DINE_IN": set()})


def _build_table() -> MappingProxyType[str, MappingProxyType[str, frozenset[str]]]:
    table: dict[str, MappingProxyType[str, frozenset[str]]] = {}
    for order_type in ORDER_TYPES:
        forward = _NEXT[order_type]
        reachable = {"PENDING", *forward.keys(), *forward.values()}
        moves: dict[str, set[str]] = {status: set() for status in reachable}
        for src, dst in forward.items():
            moves[src].add(dst)
        for src, dst in _EXTRA[order_type]:
            moves[src].add(dst)
        for status in reachable - TERMINAL:
            moves[status].add("CANCELLED")
        moves.setdefault("CANCELLED", set())
        table[order_type] = MappingProxyType({s: frozenset(d) for s, d in moves.items()})
    return MappingProxyType(table)


TRANSITIONS: Final = _build_table()
"""order type -> status -> the statuses it may move to."""


def allowed_targets(order_type: str, status: str) -> frozenset[str]:
    """The statuses an order of `order_type` in `status` may move to (empty for terminal or unknown)."""
    return TRANSITIONS.get(order_type, MappingProxyType({})).get(status, frozenset())


def can_transition(order_type: str, from_status: str, to_status: str) -> bool:
    """Whether staff may move an order of `order_type` from `from_status` to `to_status` (never to itself)."""
    return to_status in allowed_targets(order_type, from_status)


def next_status(order_type: str, status: str) -> str | None:
    """The one-tap forward step of the kitchen display, or None when there is none (terminal)."""
    return _NEXT.get(order_type, MappingProxyType({})).get(status)


def is_terminal(status: str) -> bool:
    return status in TERMINAL
