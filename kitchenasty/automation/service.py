from __future__ import annotations

from typing import Any


class AutomationService:
    """Placeholder until issue 4: rules, the outbox worker and senders."""

    def __init__(self, *args: Any) -> None:
        self.args = args

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
