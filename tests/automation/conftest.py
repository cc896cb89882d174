"""Automation tests: fast retries (the worker's backoff base is 50 ms here) and a real SMTP server.

The test receivers listen on 127.0.0.1, which the outbound guard refuses: they are reachable only because the owner's
allowlist (the boot setting `outbound_allowed_hosts`) names 127.0.0.1 here. `test_outbound.py` drops it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import SMTPServer

ALLOWLIST = "KITCHENASTY_OUTBOUND_ALLOWED_HOSTS"


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "KITCHENASTY_OUTBOX_BASE_DELAY_SECONDS": "0.05", ALLOWLIST: "127.0.0.1"}


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server
