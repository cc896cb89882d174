"""The stations API shapes (camelCase JSON)."""

from __future__ import annotations

from typing import Annotated

import msgspec

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
StationName = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
StationSlug = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
Position = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
CategoryIds = Annotated[list[Id], msgspec.Meta(max_length=200)]


class StationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """A new station; `slug` (the display's `?station=`) is made from the name when left out."""

    name: StationName
    slug: StationSlug | None = None
    position: Position = 0
    active: bool = True
    category_ids: CategoryIds = []


class StationUpdateIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """Partial; `categoryIds` replaces the station's set when present. The slug stays (bookmarked displays)."""

    name: StationName | msgspec.UnsetType = msgspec.UNSET
    position: Position | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    category_ids: CategoryIds | msgspec.UnsetType = msgspec.UNSET


class StationPrinterRef(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    active: bool


class StationOut(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    slug: str
    position: int
    active: bool
    category_ids: list[str]
    printers: list[StationPrinterRef]
    display_url: str
    created_at: str
    updated_at: str
