"""Live rooms (kitchen, order:{id}) on Litestar channels; built in issue 3."""

from __future__ import annotations

from typing import Any

from kitchenasty.core.config import BootSettings


def realtime_plugins(settings: BootSettings, services: Any) -> list[Any]:
    return []
