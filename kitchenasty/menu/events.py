"""The menu domain's events, published after the transaction that changed the menu commits."""

from __future__ import annotations

from kitchenasty.core.events import DomainEvent


class MenuChanged(DomainEvent, frozen=True):
    """In-process: something on the menu changed (the storefront menu cache and the orders' catalog drop it)."""

    name = "menu.changed"
