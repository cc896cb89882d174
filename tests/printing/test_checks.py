"""The pure printing rules: wrapping, allergy comments, when an order prints by itself, backoff."""

from __future__ import annotations

from datetime import timedelta

from kitchenasty.printing.checks import (
    PrinterRef,
    columns,
    effective_status,
    is_allergy,
    layout,
    next_attempt_delay,
    reaches,
    wrap,
)


def test_columns_per_paper_width() -> None:
    assert (columns(58), columns(80)) == (32, 48)


def test_wrap_breaks_on_words_and_long_words() -> None:
    assert wrap("one two three four", 9) == ["one two", "three", "four"]
    assert wrap("x" * 20, 8) == ["xxxxxxxx", "xxxxxxxx", "xxxx"]
    assert wrap("a b c d e f g h", 5, indent="  ") == ["a b c", "  d e", "  f g", "  h"]


def test_is_allergy_finds_allergy_words() -> None:
    assert is_allergy("Severe PEANUT allergy")
    assert is_allergy("gluten free please")
    assert is_allergy("no nuts")
    assert not is_allergy("extra crispy")
    assert not is_allergy(None)


def test_reaches_follows_the_flow_and_never_for_cancelled() -> None:
    assert reaches("CONFIRMED", "CONFIRMED")
    assert reaches("PREPARING", "CONFIRMED")
    assert not reaches("PENDING", "CONFIRMED")
    assert not reaches("CANCELLED", "PENDING")
    assert not reaches("PICKED_UP", "PENDING")
    assert not reaches("CONFIRMED", "")


def test_printer_status_overrides_the_setting() -> None:
    follows = PrinterRef("p", "P", None, None, None)
    never = PrinterRef("p", "P", None, None, "")
    own = PrinterRef("p", "P", None, None, "READY")
    assert effective_status(follows, "CONFIRMED") == "CONFIRMED"
    assert effective_status(never, "CONFIRMED") == ""
    assert effective_status(own, "CONFIRMED") == "READY"


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [next_attempt_delay(n, 2, 10) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=2),
        timedelta(seconds=4),
        timedelta(seconds=8),
        timedelta(seconds=10),
    ]


def test_layout_marks_void_lines_and_carries_the_job_id() -> None:
    ticket = {
        "restaurant": "Harbour",
        "orderNumber": "20261202-0001",
        "where": "Table 4",
        "customer": "Ada",
        "placedAt": "12:30",
        "scheduledFor": None,
        "station": "Bar",
        "banner": "CHANGE",
        "items": [{"quantity": 2, "name": "Soda", "options": [], "comment": None, "mark": "VOID"}],
        "comment": None,
    }
    lines = layout(ticket, 58, "job123")
    texts = [line.text for line in lines]
    assert "VOID 2x Soda" in texts
    assert "Table 4 - Bar" in texts
    assert texts[-1] == "Job job123"
    assert next(line for line in lines if "CHANGE" in line.text).style == "banner"
