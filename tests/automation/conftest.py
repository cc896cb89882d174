"""Automation tests: fast retries (the worker's backoff base is 50 ms here) and a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import SMTPServer


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KITCHENASTY_OUTBOX_BASE_DELAY_SECONDS": "0.05"}


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server
