"""Shared steps of the owner's-screen browser tests (dashboard, reports, metrics, audit log, automation, outbox): one
real server per test module over a copy of the demo world, the API called as a person would through it, and the
checks every screen gets (axe-core, no sideways scrolling, screenshots at both sizes)."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

from kitchenasty.app import create_app
from kitchenasty.core.config import load_boot_settings
from tests.conftest import TEST_ENV, TEST_ORIGIN
from tests.realtime.helpers import World
from tests.servers import UvicornThread, serve
from tests.web.a11y import serious_violations
from tests.web.admin_shots import fits
from tests.web.conftest import PHONE, TABLET


@contextmanager
def module_server(
    root: Path, world_template: tuple[Path, World], env: dict[str, str] | None = None
) -> Iterator[tuple[UvicornThread, World]]:
    """A server over its own copy of the demo world's database, for every test of one module."""
    source, world = world_template
    data_dir = root / "data"
    data_dir.mkdir(mode=0o700)
    for name in ("kitchenasty.db", "kitchenasty.db-wal", "kitchenasty.db-shm", "secret_key"):
        if (source / name).exists():
            shutil.copy(source / name, data_dir / name)
    (data_dir / "secret_key").chmod(0o600)
    app = create_app(load_boot_settings(data_dir, env={**TEST_ENV, **(env or {})}))
    with serve(app) as server:
        yield server, copy.deepcopy(world)


class Api:
    """The JSON API of the server under test, as one staff member (a bearer token) or a guest (none)."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        headers = {"Origin": TEST_ORIGIN}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(base_url=base_url, headers=headers, timeout=15)

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = self.client.request(method, path, **kwargs)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json().get("data")

    def place(self, world: World, *names: str, **fields: Any) -> dict[str, Any]:
        return self.call("POST", "/api/orders", 201, json=world.order_body(*names, **fields))

    def move(self, order_id: str, *statuses: str) -> dict[str, Any]:
        order: dict[str, Any] = {}
        for status in statuses:
            order = self.call("PATCH", f"/api/orders/{order_id}/status", json={"status": status})
        return order


def check_both_sizes(page: Page, screenshots: Path, name: str) -> None:
    """axe-core and the screenshot at the tablet size (the page as it is), then the same at the phone size (the
    viewport narrowed on the same page), and back."""
    page.set_viewport_size(TABLET)
    page.evaluate("window.scrollTo(0, 0)")  # a full-page shot of a scrolled page draws the sticky header mid-way
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-{name}-tablet.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)  # let a chart follow the new width
    page.evaluate("window.scrollTo(0, 0)")
    fits(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshots / f"admin-{name}-phone.png"), full_page=True)
    page.set_viewport_size(TABLET)
