"""Screens the back-office tests add to the registry for themselves (as `error_routes.py` adds routes): one that
needs a MANAGER and one that needs a SUPER_ADMIN, so role-aware navigation and the 403 page are exercised whatever
screens the product registers. They reuse the start page's module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kitchenasty.web import admin
from kitchenasty.web.admin import MANAGER, SUPER_ADMIN, AdminScreen

MANAGERS_SCREEN = AdminScreen(
    slug="test-managers", title="Managers' test screen", role=MANAGER, module="home", group="Test screens"
)
OWNERS_SCREEN = AdminScreen(
    slug="test-owners", title="Owners' test screen", role=SUPER_ADMIN, module="home", group="Test screens"
)


@pytest.fixture
def test_screens(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AdminScreen, ...]]:
    monkeypatch.setattr(admin, "SCREENS", (*admin.SCREENS, MANAGERS_SCREEN, OWNERS_SCREEN))
    yield admin.SCREENS
