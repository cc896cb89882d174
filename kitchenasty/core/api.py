"""The response envelope: `{success, data}`, lists add `pagination`, errors `{success:false, error, code}`; and
the paging and partial-update helpers services use. Plain msgspec: services import this, so it must not reach
Litestar (route parameter types live in `core.http`)."""

from __future__ import annotations

import math
from typing import Any, Generic, TypeVar

import msgspec

T = TypeVar("T")

MAX_PAGE_SIZE = 100


class Ok(msgspec.Struct, Generic[T], kw_only=True):
    success: bool = True
    data: T


class Pagination(msgspec.Struct, kw_only=True):
    page: int
    limit: int
    total: int
    totalPages: int


class Page(msgspec.Struct, Generic[T], kw_only=True):
    success: bool = True
    data: list[T]
    pagination: Pagination


class Message(msgspec.Struct, kw_only=True):
    success: bool = True
    message: str


class ErrorBody(msgspec.Struct, kw_only=True, omit_defaults=True):
    success: bool
    error: str
    code: str
    details: list[Any] | None = None


def ok(data: T) -> Ok[T]:
    return Ok(data=data)


def page(items: list[T], *, page: int, limit: int, total: int) -> Page[T]:
    return Page(
        data=items,
        pagination=Pagination(page=page, limit=limit, total=total, totalPages=math.ceil(total / limit) if limit else 0),
    )


class PageParams(msgspec.Struct, frozen=True):
    page: int = 1
    limit: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def provided(struct: msgspec.Struct) -> dict[str, Any]:
    """The fields a partial-update body actually carried (UNSET ones left out; explicit nulls kept)."""
    return {name: value for name in struct.__struct_fields__ if (value := getattr(struct, name)) is not msgspec.UNSET}
