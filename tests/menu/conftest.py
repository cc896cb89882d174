from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from kitchenasty.services import Services
from tests.factories import staff_headers


@pytest.fixture
async def admin(services: Services) -> dict[str, str]:
    """Headers of a SUPER_ADMIN."""
    return await staff_headers(services, "SUPER_ADMIN")


@pytest.fixture
async def manager(services: Services) -> dict[str, str]:
    """Headers of a MANAGER."""
    return await staff_headers(services, "MANAGER")


@pytest.fixture
async def quiet_services(services: Services) -> AsyncIterator[Services]:
    """The services without the app's lifespan (no background worker issuing statements of its own)."""
    yield services
    await services.db.dispose()
