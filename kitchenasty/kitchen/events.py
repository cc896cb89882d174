"""The kitchen domain's events, published after the transaction that changed a station commits."""

from __future__ import annotations

from kitchenasty.core.events import DomainEvent


class StationsChanged(DomainEvent, frozen=True):
    """In-process: a station or its categories changed (the orders' catalog drops its item -> station map)."""

    name = "kitchen.stationsChanged"
