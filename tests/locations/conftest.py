from __future__ import annotations

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
