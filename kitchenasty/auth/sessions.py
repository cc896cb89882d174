"""Login sessions: every token names one (`sid`) and carries its principal's token version (`ver`).

- Logout ends one session: its id goes into `ended_sessions` until the last token it could have issued expires.
- A password change (reset, `set-password`) or a deactivation raises the principal's `token_version`, which ends
  every session of that principal at once; reactivating an account does not bring the old tokens back.
- `SessionDirectory` checks each token against the database on every request and socket join, through a cache of
  `TTL_SECONDS`. `SessionsEnded` and `StaffChanged` drop the entries they concern at once (this process); another
  process sharing the database (the CLI, a second server) sees the change when its cache entry expires.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select

from kitchenasty.auth.models import EndedSession
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Unauthorized
from kitchenasty.core.events import DomainEvent, notify
from kitchenasty.core.schema import utcnow
from kitchenasty.core.security import Principal, SessionsEnded, TokenClaims
from kitchenasty.customers.models import Customer
from kitchenasty.staff.models import StaffUser

SESSION_ENDED_MESSAGE = "Your session has ended; log in again."


async def end_session(db: Database, principal: Principal, *, expires_at: datetime) -> None:
    """Logout: end `principal`'s session; rows of sessions whose tokens have all expired are pruned on the way."""
    if not principal.session:
        return
    now = utcnow()
    async with db.transaction() as session:
        await session.execute(delete(EndedSession).where(EndedSession.expires_at <= now))
        if await session.get(EndedSession, principal.session) is None:
            session.add(
                EndedSession(
                    id=principal.session,
                    principal_type=principal.type,
                    principal_id=principal.id,
                    expires_at=expires_at,
                )
            )
        notify(
            session,
            SessionsEnded(principal_type=principal.type, principal_id=principal.id, session_id=principal.session),
        )


@dataclass(frozen=True)
class _Entry:
    checked_at: float
    principal_type: str
    principal_id: str
    version: int
    outcome: Principal | tuple[str, str]
    """The principal, or the refusal's (message, code): a fresh exception is raised each time."""


class SessionDirectory:
    """Verifies tokens against the account (exists, active, current role, token version) and the ended sessions."""

    TTL_SECONDS = 2.0
    """How long a verification is reused; bounds how late another process's revocation is seen."""
    MAX_ENTRIES = 10_000

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[str, _Entry] = {}

    def forget(self, event: DomainEvent) -> None:
        """Drop cached verifications an event makes stale (`SessionsEnded`, `StaffChanged`)."""
        if isinstance(event, SessionsEnded) and event.session_id:
            self._cache.pop(event.session_id, None)
            return
        kind = getattr(event, "principal_type", "staff")
        principal_id = getattr(event, "principal_id", None) or getattr(event, "staff_id", None)
        if not principal_id:
            return
        for key in [k for k, e in self._cache.items() if e.principal_id == principal_id and e.principal_type == kind]:
            self._cache.pop(key, None)

    async def verify(self, claims: TokenClaims) -> Principal:
        """The current principal for valid claims; raises Unauthorized when the account or the session is gone."""
        now = time.monotonic()
        hit = self._cache.get(claims.session)
        if (
            hit is not None
            and now - hit.checked_at < self.TTL_SECONDS
            and hit.principal_id == claims.id
            and hit.principal_type == claims.type
            and hit.version == claims.version
        ):
            outcome = hit.outcome
        else:
            outcome = await self._check(claims)
            if len(self._cache) >= self.MAX_ENTRIES:
                self._cache.clear()
            self._cache[claims.session] = _Entry(now, claims.type, claims.id, claims.version, outcome)
        if isinstance(outcome, tuple):
            raise Unauthorized(outcome[0], code=outcome[1])
        return outcome

    async def _check(self, claims: TokenClaims) -> Principal | tuple[str, str]:
        ended = exists().where(EndedSession.id == claims.session)
        async with self.db.session() as session:
            if claims.type == "staff":
                staff = (
                    await session.execute(
                        select(
                            StaffUser.email, StaffUser.role, StaffUser.is_active, StaffUser.token_version, ended
                        ).where(StaffUser.id == claims.id)
                    )
                ).first()
                if staff is None or not staff.is_active:
                    return ("Account is not active", "ACCOUNT_INACTIVE")
                email, role, version, is_ended = staff.email, staff.role, staff.token_version, staff[4]
            else:
                customer = (
                    await session.execute(
                        select(Customer.email, Customer.is_active, Customer.token_version, ended).where(
                            Customer.id == claims.id
                        )
                    )
                ).first()
                if customer is None:
                    return ("Account not found", "ACCOUNT_NOT_FOUND")
                if not customer.is_active:
                    return ("Account is not active", "ACCOUNT_INACTIVE")
                email, role, version, is_ended = customer.email, None, customer.token_version, customer[3]
        if is_ended or version != claims.version:
            return (SESSION_ENDED_MESSAGE, "SESSION_ENDED")
        return Principal(id=claims.id, email=email, type=claims.type, role=role, session=claims.session)
