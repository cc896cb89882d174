"""The locations domain's events."""

from __future__ import annotations

from kitchenasty.core.events import DomainEvent


class LocationChanged(DomainEvent, frozen=True):
    """In-process: a location (its hours, closures, pause or busy mode) changed; caches such as the storefront menu
    and the order catalog drop it."""

    name = "location.changed"
    location_id: str
