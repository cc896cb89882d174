"""Fixtures shared by the live-room and browser tests (imported by their conftest files).

Seeding the demo restaurant and hashing the test accounts' passwords takes about a second, so it is done once per
session into a template data dir; each test gets its own copy of that database (and the same secret key, so the
template's tokens stay valid).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from kitchenasty.core.config import load_boot_settings
from tests.conftest import TEST_ENV, make_data_dir
from tests.realtime.helpers import World, build_world, run_sync
from tests.servers import UvicornThread, serve


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> tuple[Path, World]:
    data_dir = make_data_dir(tmp_path_factory.mktemp("world"), template_db)
    world = run_sync(build_world(load_boot_settings(data_dir, env=dict(TEST_ENV))))
    return data_dir, world


@pytest.fixture
def data_dir(tmp_path: Path, world_template: tuple[Path, World]) -> Path:
    source = world_template[0]
    target = tmp_path / "data"
    target.mkdir(mode=0o700)
    for name in ("kitchenasty.db", "kitchenasty.db-wal", "kitchenasty.db-shm", "secret_key"):
        if (source / name).exists():
            shutil.copy(source / name, target / name)
    (target / "secret_key").chmod(0o600)
    return target


@pytest.fixture
def world(world_template: tuple[Path, World]) -> World:
    return copy.deepcopy(world_template[1])


@pytest.fixture
def server(world: World, app: Litestar) -> Iterator[UvicornThread]:
    with serve(app) as running:
        yield running


@pytest.fixture
async def http(server: UvicornThread) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
        yield client
