"""One function per response shape of the kitchen domain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from kitchenasty.core.schema import iso
from kitchenasty.kitchen.schemas import StationOut, StationPrinterRef


def display_url(slug: str) -> str:
    """The kitchen display showing only this station's items."""
    return f"/kitchen?station={quote(slug)}"


def station_out(station: Any, category_ids: Sequence[str], printers: Sequence[Any] = ()) -> StationOut:
    return StationOut(
        id=station.id,
        name=station.name,
        slug=station.slug,
        position=station.position,
        active=station.active,
        category_ids=list(category_ids),
        printers=[StationPrinterRef(id=p.id, name=p.name, active=p.active) for p in printers],
        display_url=display_url(station.slug),
        created_at=iso(station.created_at) or "",
        updated_at=iso(station.updated_at) or "",
    )
