"""The response envelope: `{success, data}`, lists add `pagination`, errors `{success:false, error, code}`."""

from __future__ import annotations

import math
from typing import Annotated, Any, Generic, TypeAlias, TypeVar

import msgspec
from litestar.params import QueryParameter

T = TypeVar("T")

MAX_PAGE_SIZE = 100

PageQuery: TypeAlias = Annotated[int, QueryParameter(name="page", ge=1, le=1_000_000)]
LimitQuery: TypeAlias = Annotated[int, QueryParameter(name="limit", ge=1, le=MAX_PAGE_SIZE)]


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
