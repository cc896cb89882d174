"""The storefront's menu room, `menu`: every open storefront hears that the menu changed, and reads it again.

A committed change to the menu (an item sold out or back, a price, a category hidden) or to a location (hours,
closures, pause, busy mode) becomes one `menu.changed` message, `{"locationId": …}` (null: any location's menu may
have changed). The message carries no menu: each storefront reads its own location's menu from the cache through
`GET /api/menu`, which the same change has just invalidated. `kitchenasty.services` subscribes these handlers.
"""

from __future__ import annotations

from kitchenasty.core.events import DomainEvent
from kitchenasty.core.realtime import RoomPublisher, encode_json, frame_head
from kitchenasty.locations.events import LocationChanged

MENU_ROOM = "menu"
LASTING_ROOMS = frozenset({MENU_ROOM})
MENU_CHANGED = "menu.changed"


class MenuRooms:
    def __init__(self, publisher: RoomPublisher) -> None:
        self.publisher = publisher

    def on_changed(self, event: DomainEvent) -> None:
        location_id = event.location_id if isinstance(event, LocationChanged) else None
        self.publisher.publish(frame_head(MENU_CHANGED, encode_json({"locationId": location_id})), [MENU_ROOM])
