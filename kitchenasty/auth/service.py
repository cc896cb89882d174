"""Logins for staff and customers (throttled per account and per client, failures only), logout, `me`, and
password resets (single use, 30 minutes, token by e-mail; a reset ends every session of the account)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar, cast

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.auth.models import PasswordResetToken
from kitchenasty.auth.schemas import MeOut, StaffMe
from kitchenasty.auth.sessions import end_session
from kitchenasty.core import audit, outbox
from kitchenasty.core.db import Database
from kitchenasty.core.emails import render_email
from kitchenasty.core.errors import Conflict, Forbidden, NotFound, RateLimited, Unauthorized, ValidationFailed
from kitchenasty.core.fastsql import rowcount
from kitchenasty.core.ratelimit import LoginThrottle
from kitchenasty.core.schema import iso, utcnow
from kitchenasty.core.security import (
    Principal,
    PrincipalType,
    Role,
    TokenClaims,
    TokenCodec,
    as_role,
    hash_password,
    hash_token,
    new_one_time_token,
    verify_password,
)
from kitchenasty.core.validate import normalise_email
from kitchenasty.customers import queries as customer_queries
from kitchenasty.customers.models import Customer
from kitchenasty.customers.service import customer_out
from kitchenasty.settings.service import SettingsService
from kitchenasty.staff import queries as staff_queries
from kitchenasty.staff.models import StaffUser
from kitchenasty.staff.schemas import ResetLinkOut

RESET_TTL = timedelta(minutes=30)
INVALID_CREDENTIALS = "Invalid credentials"
LOGIN_THROTTLED = "Too many attempts, please try again later."
CUSTOMER_DEACTIVATED = "This account has been deactivated; please contact the restaurant to have it reactivated."

T = TypeVar("T")


class AuthService:
    def __init__(
        self,
        db: Database,
        tokens: TokenCodec,
        settings: SettingsService,
        *,
        base_url: str = "",
        login_attempts_per_minute: int = 10,
    ) -> None:
        self.db = db
        self.tokens = tokens
        self.settings = settings
        self.base_url = base_url.rstrip("/")
        self.throttle = LoginThrottle(login_attempts_per_minute)

    def issue(self, principal_type: PrincipalType, user: StaffUser | Customer) -> str:
        """A token for a new session of `user` (who must have been read from the database just now)."""
        role = as_role(user.role) if isinstance(user, StaffUser) else None
        claims = TokenClaims(
            id=user.id,
            email=user.email,
            type=principal_type,
            role=role,
            version=user.token_version or 0,
        )
        return self.tokens.encode(claims)

    async def _throttled(self, kind: str, email: str, client: str | None, attempt: Callable[[], Awaitable[T]]) -> T:
        """Run one login attempt within the login budgets (unless the owner switched rate limiting off)."""
        if not (await self.settings.resolved()).get("advanced.enableRateLimiting"):
            return await attempt()
        keys = self.throttle.keys(kind, normalise_email(email), client)
        wait, at = self.throttle.begin(keys)
        if wait:
            raise RateLimited(LOGIN_THROTTLED, retry_after=wait)
        result = await attempt()  # a failure raises and keeps its slot in both budgets
        self.throttle.succeeded(keys, at)
        return result

    async def login_staff(self, email: str, password: str, *, client: str | None = None) -> StaffUser:
        async def attempt() -> StaffUser:
            async with self.db.session() as session:
                user = await session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))
            # verify even when the user is unknown or inactive, so timing does not tell which it was
            valid = verify_password(user.password_hash if user else None, password)
            if user is None or not valid or not user.is_active:
                raise Unauthorized(INVALID_CREDENTIALS, code="INVALID_CREDENTIALS")
            return user

        return await self._throttled("staff", email, client, attempt)

    async def login_customer(self, email: str, password: str, *, client: str | None = None) -> Customer:
        async def attempt() -> Customer:
            async with self.db.session() as session:
                customer = await session.scalar(select(Customer).where(Customer.email == normalise_email(email)))
            valid = verify_password(customer.password_hash if customer else None, password)
            if customer is None or not valid:
                raise Unauthorized(INVALID_CREDENTIALS, code="INVALID_CREDENTIALS")
            if not customer.is_active:  # said only to the account holder: the password was right
                raise Forbidden(CUSTOMER_DEACTIVATED, code="ACCOUNT_DEACTIVATED")
            return customer

        return await self._throttled("customer", email, client, attempt)

    async def logout(self, principal: Principal | None) -> None:
        """End the caller's session (its token, and every renewal of it, stops working at once)."""
        if principal is not None:
            await end_session(self.db, principal, expires_at=utcnow() + self.tokens.expiry)

    async def me(self, principal: Principal) -> MeOut:
        async with self.db.session() as session:
            if principal.is_staff:
                user = await session.get(StaffUser, principal.id)
                if user is None:
                    raise NotFound("Account not found", code="ACCOUNT_NOT_FOUND")
                role = cast(Role, user.role)  # a column of Role values (checked on every write)
                return MeOut(
                    type="staff",
                    user=StaffMe(id=user.id, email=user.email, name=user.name, role=role, phone=user.phone),
                )
            customer = await session.get(Customer, principal.id)
            if customer is None:
                raise NotFound("Account not found", code="ACCOUNT_NOT_FOUND")
            return MeOut(type="customer", customer=customer_out(customer))

    # ---------------------------------------------------------------- password reset

    def reset_url(self, token: str) -> str:
        return f"{self.base_url}/reset-password?token={token}"

    async def request_reset(self, *, principal_type: PrincipalType, email: str) -> str | None:
        """Create a reset token and e-mail its link. Answers the same whether or not the account exists.

        Returns the raw token (for the CLI and tests); the HTTP route never reveals it.
        """
        mail_configured, restaurant = await self.settings.mail_context()
        email = normalise_email(email)
        model: type[StaffUser] | type[Customer] = StaffUser if principal_type == "staff" else Customer
        token, token_hash = new_one_time_token()
        async with self.db.transaction() as session:
            account: StaffUser | Customer | None = await session.scalar(select(model).where(model.email == email))
            if account is None or not account.is_active:
                return None
            self._add_reset(session, principal_type, account, token, token_hash, mail_configured, restaurant)
        return token

    def _add_reset(
        self,
        session: AsyncSession,
        principal_type: PrincipalType,
        account: StaffUser | Customer,
        token: str,
        token_hash: str,
        mail_configured: bool,
        restaurant: str,
    ) -> datetime:
        """The reset link's row and, when mail is configured, its e-mail in the outbox; returns when it expires."""
        expires = utcnow() + RESET_TTL
        session.add(
            PasswordResetToken(
                token_hash=token_hash, principal_type=principal_type, principal_id=account.id, expires_at=expires
            )
        )
        if mail_configured:
            mail = render_email(
                "password_reset",
                f"Reset your {restaurant} password",
                restaurant=restaurant,
                link=self.reset_url(token),
            )
            outbox.enqueue_email(
                session,
                to=account.email,
                subject=mail.subject,
                html=mail.html,
                text=mail.text,
                source="builtin:password_reset",
            )
        return expires

    async def send_staff_reset(self, staff_id: str) -> ResetLinkOut:
        """An admin resets a staff member's password the safe way: a single-use, 30-minute reset link, mailed
        through the outbox when mail is configured and returned so it can be handed over. The admin never learns
        or sets the password; the account's sessions end when the link is used."""
        mail_configured, restaurant = await self.settings.mail_context()
        token, token_hash = new_one_time_token()
        async with self.db.transaction() as session:
            user = await session.get(StaffUser, staff_id)
            if user is None:
                raise NotFound("Staff member not found", code="STAFF_NOT_FOUND")
            if not user.is_active:
                raise Conflict(
                    "This account is deactivated; reactivate it before resetting its password",
                    code="ACCOUNT_INACTIVE",
                )
            expires = self._add_reset(session, "staff", user, token, token_hash, mail_configured, restaurant)
            audit.note(
                session,
                action="password_reset",
                entity="staff_user",
                entity_id=user.id,
                changes={"resetLink": ["emailed" if mail_configured else "shown", None]},
            )
        return ResetLinkOut(
            staff_id=user.id,
            email=user.email,
            reset_url=self.reset_url(token),
            expires_at=iso(expires) or "",
            emailed=mail_configured,
        )

    async def reset_password(self, *, token: str, password: str) -> PrincipalType:
        password_hash = hash_password(password)
        now = utcnow()
        async with self.db.transaction() as session:
            reset = await session.scalar(
                select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))
            )
            if reset is None or reset.used_at is not None or reset.expires_at <= now:
                raise ValidationFailed(
                    "This reset link is invalid, used or expired; ask for a new one", code="RESET_TOKEN_INVALID"
                )
            claimed = await session.execute(
                update(PasswordResetToken)
                .where(PasswordResetToken.id == reset.id, PasswordResetToken.used_at.is_(None))
                .values(used_at=now)
            )
            if rowcount(claimed) != 1:
                raise ValidationFailed(
                    "This reset link is invalid, used or expired; ask for a new one", code="RESET_TOKEN_INVALID"
                )
            model = StaffUser if reset.principal_type == "staff" else Customer
            if await session.get(model, reset.principal_id) is None:
                raise ValidationFailed(
                    "This reset link is invalid, used or expired; ask for a new one", code="RESET_TOKEN_INVALID"
                )
            owner = staff_queries if reset.principal_type == "staff" else customer_queries
            await owner.set_password(session, reset.principal_id, password_hash)
            # every other outstanding link for the account stops working too
            await session.execute(
                update(PasswordResetToken)
                .where(
                    PasswordResetToken.principal_type == reset.principal_type,
                    PasswordResetToken.principal_id == reset.principal_id,
                    PasswordResetToken.used_at.is_(None),
                )
                .values(used_at=now)
            )
        return cast(PrincipalType, reset.principal_type)  # written from a PrincipalType
