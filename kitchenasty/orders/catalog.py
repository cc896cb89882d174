"""What placing an order reads that rarely changes, kept in memory between orders."""

from __future__ import annotations

from typing import Any

from kitchenasty.core.fastsql import FastConnection


class Catalog:
    """Locations, hours, items, options, values and mealtimes as the order rules read them, so that an order does
    not read them again. Profiled: those reads were ~0.5 ms of every order.

    It is only trusted while the database provably has not changed underneath: `check` compares SQLite's
    `PRAGMA data_version` of the writer connection, which moves whenever ANY other connection or process commits
    (the CLI, another service's transaction, a test editing rows directly); writes through the writer itself
    clear it through their events (`menu.changed`, `location.changed`). Stock is never taken from here. On other
    databases there is no such signal, so nothing is cached there.
    """

    MAX_ENTRIES = 5000

    def __init__(self) -> None:
        self._entries: dict[Any, Any] = {}
        self._version: int | None = None

    def check(self, conn: Any) -> bool:
        """Whether the catalog may be used in this transaction (clearing it when the database changed)."""
        version = conn.data_version() if isinstance(conn, FastConnection) else None
        if version is None or version != self._version:
            self._entries = {}
            self._version = version
        return version is not None

    def get(self, key: Any) -> Any:
        return self._entries.get(key)

    def put(self, key: Any, value: Any) -> Any:
        if len(self._entries) > self.MAX_ENTRIES:
            self._entries = {}
        self._entries[key] = value
        return value

    def clear(self, _event: Any = None) -> None:
        self._entries = {}
