"""How a domain asks about the rows other domains keep pointing at its own, without importing them.

Domains build on each other (an order points at a location, a table and menu items; a menu item at a location).
The domain underneath must still refuse to delete a row that is in use, show how much hangs off it, and let the
domains above tidy up in the same transaction - but importing them would make the import graph circular. So the
domains above register checks here when the services are wired (`kitchenasty.services`), and the domain
underneath asks by the kind of row (`"location"`, `"table"`, `"menu_item"`, `"customer"`).

The same goes for what a person's record gathers from the domains above it: the customer screen's order totals
(`summarises`) and the export of everything held about a customer (`holds`); a new domain that keeps rows about
customers (reservations, reviews, loyalty) registers its part in `kitchenasty.services`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

UseCheck = Callable[[Any, str], Awaitable[bool]]
Counter = Callable[[Any, Sequence[str]], Awaitable[dict[str, int]]]
DeleteHook = Callable[[Any, str], Awaitable[None]]
Summariser = Callable[[Any, Sequence[str]], Awaitable[Mapping[str, Any]]]
Holder = Callable[[Any, str], Any]
UpdateHook = Callable[[Any, str, Mapping[str, Any]], Awaitable[None]]


class Dependents:
    def __init__(self) -> None:
        self._uses: dict[str, list[tuple[UseCheck, str | None]]] = defaultdict(list)
        self._counters: dict[tuple[str, str], Counter] = {}
        self._before_delete: dict[str, list[DeleteHook]] = defaultdict(list)
        self._summaries: dict[tuple[str, str], Summariser] = {}
        self._holders: dict[str, dict[str, Holder]] = defaultdict(dict)
        self._after_update: dict[str, list[UpdateHook]] = defaultdict(list)
        self._finders: dict[str, UseCheck] = {}

    def uses(self, kind: str, check: UseCheck, refusal: str | None = None) -> None:
        """`check(session, row_id)` tells whether rows of another domain point at this `kind` of row; `refusal` is
        the sentence that refuses deleting such a row (the owner's own sentence when None)."""
        self._uses[kind].append((check, refusal))

    def finds(self, kind: str, finder: UseCheck) -> None:
        """`finder(session, row_id)` tells whether a row of `kind` (owned by a domain above) exists, so a domain
        underneath can check a reference to it (a menu item sent to a kitchen station)."""
        self._finders[kind] = finder

    async def found(self, session: Any, kind: str, row_id: str) -> bool:
        """Whether the row exists; False when no domain answers for `kind`."""
        finder = self._finders.get(kind)
        return finder is not None and await finder(session, row_id)

    def counts(self, kind: str, name: str, counter: Counter) -> None:
        """`counter(session, ids)` counts, per id, the rows of another domain that point at this `kind` of row."""
        self._counters[(kind, name)] = counter

    def after_update(self, kind: str, hook: UpdateHook) -> None:
        """`hook(session, row_id, changes)` runs in the transaction that changed a row of `kind` (field name ->
        new value), after the change."""
        self._after_update[kind].append(hook)

    def before_delete(self, kind: str, hook: DeleteHook) -> None:
        """`hook(session, row_id)` runs in the transaction that deletes a row of `kind`, before the delete."""
        self._before_delete[kind].append(hook)

    def summarises(self, kind: str, name: str, summariser: Summariser) -> None:
        """`summariser(session, ids)` says, per id, what another domain holds of this `kind` of row (one query for
        all the ids: a list page never asks row by row)."""
        self._summaries[(kind, name)] = summariser

    def holds(self, kind: str, name: str, holder: Holder) -> None:
        """`holder(session, row_id)` returns, as JSON-able data, everything another domain keeps about the row
        (a customer's orders, their coupon uses): the parts of a personal-data export. Holders are synchronous
        and run together in one `Database.run_read` (one snapshot), using `core.fastsql.fast(session)`."""
        self._holders[kind][name] = holder

    async def in_use(self, session: Any, kind: str, row_id: str) -> bool:
        return await self.refusal(session, kind, row_id, "in use") is not None

    async def refusal(self, session: Any, kind: str, row_id: str, default: str) -> str | None:
        """Why a row of `kind` cannot be deleted (the first check that holds: its sentence, else `default`), or
        None when nothing points at it."""
        for check, refusal in self._uses[kind]:
            if await check(session, row_id):
                return refusal or default
        return None

    async def updated(self, session: Any, kind: str, row_id: str, changes: Mapping[str, Any]) -> None:
        for hook in self._after_update[kind]:
            await hook(session, row_id, changes)

    async def count(self, session: Any, kind: str, name: str, ids: Sequence[str]) -> dict[str, int]:
        counter = self._counters.get((kind, name))
        return await counter(session, ids) if counter is not None and ids else {}

    async def deleting(self, session: Any, kind: str, row_id: str) -> None:
        for hook in self._before_delete[kind]:
            await hook(session, row_id)

    async def summary(self, session: Any, kind: str, name: str, ids: Sequence[str]) -> Mapping[str, Any]:
        summariser = self._summaries.get((kind, name))
        return await summariser(session, ids) if summariser is not None and ids else {}

    def held(self, session: Any, kind: str, row_id: str) -> dict[str, Any]:
        """Every registered part of what is held about the row, by name (inside a synchronous read)."""
        return {name: holder(session, row_id) for name, holder in self._holders[kind].items()}
