"""The kitchen line's pure rules: automatic order moves, which move a recall undoes, and the recall window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from kitchenasty.core.errors import Conflict
from kitchenasty.orders import kitchen_checks as rules

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def change(id_: str, from_status: str | None, to_status: str, minutes_ago: float) -> SimpleNamespace:
    return SimpleNamespace(
        id=id_, from_status=from_status, to_status=to_status, created_at=NOW - timedelta(minutes=minutes_ago)
    )


def move(id_: str, kind: str, minutes_ago: float, **fields: object) -> SimpleNamespace:
    base = {"status_change_id": None, "undone_change_id": None, "recalled_at": None}
    return SimpleNamespace(id=id_, kind=kind, created_at=NOW - timedelta(minutes=minutes_ago), **{**base, **fields})


@pytest.mark.parametrize(
    ("status", "state", "open_items", "moves"),
    [
        ("CONFIRMED", "PREPARING", 2, ["PREPARING"]),
        ("CONFIRMED", "DONE", 0, ["PREPARING", "READY"]),
        ("PREPARING", "DONE", 1, []),
        ("PREPARING", "DONE", 0, ["READY"]),
        ("PREPARING", "QUEUED", -1, []),
        ("CONFIRMED", "QUEUED", -1, []),
    ],
)
def test_automatic_moves_follow_the_items(status: str, state: str, open_items: int, moves: list[str]) -> None:
    assert rules.automatic_moves(status, state, open_items) == moves


def test_item_changes_only_while_the_kitchen_works_on_the_order() -> None:
    rules.check_item_change("CONFIRMED", "QUEUED", "PREPARING")
    rules.check_item_change("PREPARING", "DONE", "PREPARING")
    for status, code in (("PENDING", "ORDER_NOT_CONFIRMED"), ("READY", "ORDER_NOT_IN_KITCHEN")):
        with pytest.raises(Conflict) as refused:
            rules.check_item_change(status, "QUEUED", "PREPARING")
        assert refused.value.code == code
    with pytest.raises(Conflict, match="already done"):
        rules.check_item_change("PREPARING", "DONE", "DONE")


def test_last_move_skips_taps_parts_recalls_and_what_they_undid() -> None:
    history = [
        change("h1", None, "PENDING", 9),
        change("h2", "PENDING", "CONFIRMED", 8),
        change("h3", "CONFIRMED", "PREPARING", 7),  # caused by the tap m1
        change("h4", "PREPARING", "READY", 6),  # the button, then recalled by h5
        change("h5", "READY", "PREPARING", 5),
    ]
    moves = [
        move("m1", "item", 7),
        move("a1", "auto", 7, status_change_id="h3"),
        move("r1", "recall", 5, status_change_id="h5", undone_change_id="h4"),
    ]
    found = rules.last_move(history, moves)
    assert found is not None and found.move is moves[0]
    moves[0].recalled_at = NOW
    found = rules.last_move(history, moves)
    assert found is not None and found.change is history[1]
    assert rules.last_move(history[:1], []) is None


def test_recall_is_refused_when_too_late_empty_or_cancelled() -> None:
    with pytest.raises(Conflict, match="nothing to recall"):
        rules.check_recall(None, NOW, 5)
    late = rules.Undo(at=NOW - timedelta(minutes=7, seconds=10), change=change("h", "READY", "PICKED_UP", 7))
    with pytest.raises(Conflict) as refused:
        rules.check_recall(late, NOW, 5)
    assert refused.value.message == (
        "The last change to this order was 7 minutes ago; only changes from the last 5 minutes can be recalled"
    )
    cancelled = rules.Undo(at=NOW, change=change("h", "PENDING", "CANCELLED", 0))
    with pytest.raises(Conflict, match="cancelled order cannot be recalled"):
        rules.check_recall(cancelled, NOW, 5)
    fresh = rules.Undo(at=NOW - timedelta(minutes=4), change=change("h", "READY", "PICKED_UP", 4))
    assert rules.check_recall(fresh, NOW, 5) is fresh
