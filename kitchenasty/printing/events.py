"""The printing domain's events (in-process, published after the transaction commits)."""

from __future__ import annotations

from kitchenasty.core.events import DomainEvent


class PrintJobsQueued(DomainEvent, frozen=True):
    """New print jobs were committed: the print worker looks now."""

    name = "printing.jobsQueued"


class PrintersChanged(DomainEvent, frozen=True):
    """A printer was added, changed or removed: the order hooks read the printers again."""

    name = "printing.printersChanged"
