"""Every test gets the real app over its own SQLite file (a copy of a DB migrated once per session)."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.app import create_app
from kitchenasty.core import migrate
from kitchenasty.core.config import BootSettings, load_boot_settings
from kitchenasty.services import Services

# Tests never read the developer's environment; each test that needs a variable passes it explicitly.
TEST_ENV = {"KITCHENASTY_LOGIN_ATTEMPTS_PER_MINUTE": "10000"}
FUZZ_REQUESTS = pytest.StashKey[dict[str, int]]()
"""Requests each Schemathesis run made (tests/core/test_api_fuzz.py), by caller; printed in the closing summary."""


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    counts = config.stash.get(FUZZ_REQUESTS, None)
    if counts:
        runs = ", ".join(f"{who} {n:,}" for who, n in counts.items())
        terminalreporter.write_line(f"API fuzz (Schemathesis): {sum(counts.values()):,} requests ({runs})")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "kitchenasty.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


def make_data_dir(root: Path, template_db: Path) -> Path:
    data_dir = root / "data"
    data_dir.mkdir(mode=0o700)
    shutil.copy(template_db, data_dir / "kitchenasty.db")
    secret = data_dir / "secret_key"
    secret.write_text(secrets.token_urlsafe(48) + "\n")
    secret.chmod(0o600)
    return data_dir


@pytest.fixture
def data_dir(tmp_path: Path, template_db: Path) -> Path:
    return make_data_dir(tmp_path, template_db)


@pytest.fixture
def env() -> dict[str, str]:
    """The environment the app sees; tests add variables to it before `boot` is built."""
    return dict(TEST_ENV)


@pytest.fixture
def boot(data_dir: Path, env: dict[str, str]) -> BootSettings:
    return load_boot_settings(data_dir, env=env)


@pytest.fixture
def app(boot: BootSettings) -> Litestar:
    return create_app(boot)


@pytest.fixture
def services(app: Litestar) -> Services:
    return app.state.services


TEST_ORIGIN = "http://testserver.local"


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """Requests as our own pages send them: with the server's `Origin` (a cookie-authenticated write without one is
    refused; `tests/core/test_origin.py` covers what happens without it)."""
    async with AsyncTestClient(app=app) as test_client:
        test_client.headers["Origin"] = TEST_ORIGIN
        yield test_client


@pytest.fixture
def app_factory(data_dir: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    """Build another app over the same data dir (e.g. after writing a config file, or to simulate a restart)."""

    def build(extra_env: dict[str, str] | None = None) -> Litestar:
        return create_app(load_boot_settings(data_dir, env={**env, **(extra_env or {})}))

    return build
