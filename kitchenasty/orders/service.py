from __future__ import annotations

from typing import Any


class OrderService:
    def __init__(self, *args: Any) -> None:
        self.args = args
