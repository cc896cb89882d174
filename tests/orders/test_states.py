"""The transition table, checked pair by pair for every order type against an independent listing."""

from __future__ import annotations

import itertools

import pytest

from kitchenasty.orders.checks import ORDER_TYPES, TERMINAL, allowed_targets, can_transition, next_status
from kitchenasty.orders.schemas import ORDER_STATUSES

FORWARD = {("PENDING", "CONFIRMED"), ("CONFIRMED", "PREPARING"), ("PREPARING", "READY")}
BY_TYPE = {
    "DELIVERY": FORWARD | {("READY", "OUT_FOR_DELIVERY"), ("OUT_FOR_DELIVERY", "DELIVERED"), ("READY", "DELIVERED")},
    "PICKUP": FORWARD | {("READY", "PICKED_UP")},
    "DINE_IN": FORWARD | {("READY", "DELIVERED")},
}
ACTIVE_BY_TYPE = {
    "DELIVERY": {"PENDING", "CONFIRMED", "PREPARING", "READY", "OUT_FOR_DELIVERY"},
    "PICKUP": {"PENDING", "CONFIRMED", "PREPARING", "READY"},
    "DINE_IN": {"PENDING", "CONFIRMED", "PREPARING", "READY"},
}


def expected(order_type: str, src: str, dst: str) -> bool:
    if (src, dst) in BY_TYPE[order_type]:
        return True
    return dst == "CANCELLED" and src in ACTIVE_BY_TYPE[order_type]


@pytest.mark.parametrize("order_type", ORDER_TYPES)
def test_can_transition_matches_the_table_for_every_pair(order_type: str) -> None:
    mismatches = [
        (src, dst)
        for src, dst in itertools.product(ORDER_STATUSES, repeat=2)
        if can_transition(order_type, src, dst) != expected(order_type, src, dst)
    ]
    assert mismatches == []


def test_can_transition_covers_all_192_combinations() -> None:
    allowed = [
        (t, s, d)
        for t in ORDER_TYPES
        for s, d in itertools.product(ORDER_STATUSES, repeat=2)
        if can_transition(t, s, d)
    ]
    # 4 cancellable statuses for pickup and dine-in, 5 for delivery; forward moves 4 / 4 / 6.
    assert len(allowed) == (4 + 4) + (4 + 4) + (5 + 6)


@pytest.mark.parametrize("order_type", ORDER_TYPES)
def test_terminal_statuses_go_nowhere(order_type: str) -> None:
    for status in TERMINAL:
        assert allowed_targets(order_type, status) == frozenset()
        assert next_status(order_type, status) is None


@pytest.mark.parametrize("order_type", ORDER_TYPES)
def test_no_status_moves_to_itself(order_type: str) -> None:
    assert not any(can_transition(order_type, s, s) for s in ORDER_STATUSES)


def test_next_status_walks_each_type_to_its_end() -> None:
    walks = {}
    for order_type in ORDER_TYPES:
        status: str | None = "PENDING"
        walk = []
        while status is not None:
            walk.append(status)
            following = next_status(order_type, status)
            if following is not None:
                assert can_transition(order_type, status, following)
            status = following
        walks[order_type] = walk
    assert walks == {
        "DELIVERY": ["PENDING", "CONFIRMED", "PREPARING", "READY", "OUT_FOR_DELIVERY", "DELIVERED"],
        "PICKUP": ["PENDING", "CONFIRMED", "PREPARING", "READY", "PICKED_UP"],
        "DINE_IN": ["PENDING", "CONFIRMED", "PREPARING", "READY", "DELIVERED"],
    }


def test_next_status_is_none_for_statuses_a_type_never_reaches() -> None:
    assert next_status("PICKUP", "OUT_FOR_DELIVERY") is None
    assert not can_transition("PICKUP", "READY", "OUT_FOR_DELIVERY")
    assert not can_transition("DINE_IN", "READY", "PICKED_UP")
    assert not can_transition("DELIVERY", "READY", "PICKED_UP")


def test_unknown_type_or_status_allows_nothing() -> None:
    assert not can_transition("CATERING", "PENDING", "CONFIRMED")
    assert next_status("PICKUP", "LOST") is None
    assert allowed_targets("PICKUP", "LOST") == frozenset()
