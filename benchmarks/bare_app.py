"""The same-run baseline: a bare Litestar JSON app served with exactly the settings `kitchenasty serve` uses."""

from __future__ import annotations

import sys

import msgspec
import uvicorn
from litestar import Litestar, get, post

from kitchenasty.cli.serve import UVICORN_SETTINGS


class Echo(msgspec.Struct):
    success: bool
    data: dict[str, object]


@get("/json")
async def read_json() -> Echo:
    return Echo(success=True, data={"status": "ok", "items": [1, 2, 3]})


@get("/hello")
async def hello() -> dict[str, str]:
    """The comparison's hello: the body the Node stand-in's GET /hello sends."""
    return {"hello": "world"}


@post("/json", status_code=201)
async def write_json(data: dict[str, object]) -> Echo:
    return Echo(success=True, data=data)


app = Litestar(route_handlers=[read_json, hello, write_json], debug=False, logging_config=None)


def main() -> None:
    port = int(sys.argv[1])
    uvicorn.run(app, host="127.0.0.1", port=port, **UVICORN_SETTINGS)


if __name__ == "__main__":
    main()
