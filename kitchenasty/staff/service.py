"""Staff accounts and invitations. The last active SUPER_ADMIN can be neither demoted nor deactivated.

Deactivating an account or setting its password ends all of its sessions (`auth.sessions`); a role change keeps
them and applies to their next request.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kitchenasty.core import outbox
from kitchenasty.core.api import PageParams, provided
from kitchenasty.core.db import Database
from kitchenasty.core.emails import render_email
from kitchenasty.core.errors import Conflict, NotFound, ValidationFailed
from kitchenasty.core.events import DomainEvent, event_type, notify, record
from kitchenasty.core.fastsql import rowcount
from kitchenasty.core.schema import iso, utcnow
from kitchenasty.core.security import (
    Principal,
    Role,
    as_role,
    hash_password,
    hash_token,
    new_one_time_token,
)
from kitchenasty.core.validate import normalise_email
from kitchenasty.locations.models import Location
from kitchenasty.settings.service import SettingsService
from kitchenasty.staff import queries as staff_queries
from kitchenasty.staff.models import StaffInvite, StaffUser
from kitchenasty.staff.schemas import (
    InvitationOut,
    InviteCheckOut,
    InviteEventOut,
    InviteOut,
    LocationRef,
    StaffBrief,
    StaffFilter,
    StaffOut,
    StaffRef,
    StaffUpdateIn,
)

INVITE_TTL = timedelta(days=7)
LAST_ADMIN_DEMOTE = "Cannot demote the last active super admin; make someone else a super admin first"
LAST_ADMIN_DEACTIVATE = "Cannot deactivate the last active super admin; make someone else a super admin first"


@event_type
class StaffInvited(DomainEvent, frozen=True):
    """Someone was invited to join the staff."""

    name = "staff.invited"
    invite: InviteEventOut


class StaffChanged(DomainEvent, frozen=True):
    """In-process: a staff account changed (role, active flag); principal caches drop it."""

    name = "staff.changed"
    staff_id: str


def staff_out(user: StaffUser, location: Location | None) -> StaffOut:
    return StaffOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=as_role(user.role),
        phone=user.phone,
        is_active=user.is_active,
        location_id=user.location_id,
        location=LocationRef(id=location.id, name=location.name) if location else None,
        created_at=iso(user.created_at) or "",
        updated_at=iso(user.updated_at) or "",
    )


def staff_brief(user: StaffUser) -> StaffBrief:
    return StaffBrief(id=user.id, email=user.email, name=user.name, role=as_role(user.role))


async def _other_active_admins(session: AsyncSession, staff_id: str) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(StaffUser)
            .where(StaffUser.role == "SUPER_ADMIN", StaffUser.is_active.is_(True), StaffUser.id != staff_id)
        )
        or 0
    )


class StaffService:
    def __init__(self, db: Database, settings: SettingsService, *, base_url: str = "") -> None:
        self.db = db
        self.settings = settings
        self.base_url = base_url.rstrip("/")

    # ---------------------------------------------------------------- accounts

    async def create(self, *, email: str, password: str, name: str, role: Role = "STAFF") -> StaffUser:
        email = normalise_email(email)
        password_hash = hash_password(password)
        try:
            async with self.db.transaction() as session:
                if await session.scalar(select(StaffUser.id).where(StaffUser.email == email)):
                    raise Conflict("Email already registered", code="EMAIL_TAKEN")
                user = StaffUser(email=email, password_hash=password_hash, name=name.strip(), role=role)
                session.add(user)
        except IntegrityError:
            raise Conflict("Email already registered", code="EMAIL_TAKEN") from None
        return user

    async def count(self) -> int:
        async with self.db.session() as session:
            return await session.scalar(select(func.count()).select_from(StaffUser)) or 0

    async def list_staff(self, params: PageParams, filters: StaffFilter) -> tuple[list[StaffOut], int]:
        conditions = []
        if filters.role:
            conditions.append(StaffUser.role == filters.role)
        if filters.is_active is not None:
            conditions.append(StaffUser.is_active.is_(filters.is_active))
        if filters.search:
            needle = f"%{filters.search.strip().lower()}%"
            conditions.append(or_(func.lower(StaffUser.name).like(needle), StaffUser.email.like(needle)))
        async with self.db.session() as session:
            total = await session.scalar(select(func.count()).select_from(StaffUser).where(*conditions)) or 0
            rows = (
                await session.execute(
                    select(StaffUser, Location)
                    .outerjoin(Location, Location.id == StaffUser.location_id)
                    .where(*conditions)
                    .order_by(StaffUser.created_at.desc(), StaffUser.id)
                    .limit(params.limit)
                    .offset(params.offset)
                )
            ).all()
        return [staff_out(user, loc) for user, loc in rows], total

    async def get(self, staff_id: str) -> StaffOut:
        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(StaffUser, Location)
                    .outerjoin(Location, Location.id == StaffUser.location_id)
                    .where(StaffUser.id == staff_id)
                )
            ).first()
        if row is None:
            raise NotFound("Staff member not found", code="STAFF_NOT_FOUND")
        return staff_out(*row)

    async def update(self, actor: Principal, staff_id: str, changes: StaffUpdateIn) -> StaffOut:
        """Name, phone, location, role and active flag. Deactivating ends every session at once (open sockets
        close with 4401); reactivating does not bring the old tokens back. Refused with 409: changing your own
        role, deactivating yourself, demoting or deactivating the last active SUPER_ADMIN (counted inside the
        write transaction, so two admins demoting each other at once cannot both succeed)."""
        fields = provided(changes)
        async with self.db.transaction() as session:
            user = await session.get(StaffUser, staff_id)
            if user is None:
                raise NotFound("Staff member not found", code="STAFF_NOT_FOUND")
            if "role" in fields and fields["role"] != user.role:
                if staff_id == actor.id:
                    raise Conflict("Cannot change your own role", code="OWN_ROLE")
                if user.role == "SUPER_ADMIN" and user.is_active and not await _other_active_admins(session, staff_id):
                    raise Conflict(LAST_ADMIN_DEMOTE, code="LAST_ADMIN")
            deactivating = fields.get("is_active") is False and user.is_active
            if deactivating:
                await self._check_deactivation(session, actor, user)
                await staff_queries.bump_token_version(session, staff_id)
            if fields.get("location_id") and await session.get(Location, fields["location_id"]) is None:
                raise ValidationFailed("Location not found", code="LOCATION_NOT_FOUND")
            for key, value in fields.items():
                setattr(user, key, value.strip() if key == "name" else value)
            notify(session, StaffChanged(staff_id=staff_id))
        return await self.get(staff_id)

    async def _check_deactivation(self, session: AsyncSession, actor: Principal, user: StaffUser) -> None:
        if user.id == actor.id:
            raise Conflict("Cannot deactivate your own account", code="OWN_ACCOUNT")
        if user.role == "SUPER_ADMIN" and user.is_active and not await _other_active_admins(session, user.id):
            raise Conflict(LAST_ADMIN_DEACTIVATE, code="LAST_ADMIN")

    async def deactivate(self, actor: Principal, staff_id: str) -> None:
        async with self.db.transaction() as session:
            user = await session.get(StaffUser, staff_id)
            if user is None:
                raise NotFound("Staff member not found", code="STAFF_NOT_FOUND")
            await self._check_deactivation(session, actor, user)
            if user.is_active:
                await staff_queries.bump_token_version(session, staff_id)
            user.is_active = False
            notify(session, StaffChanged(staff_id=staff_id))

    async def set_password(self, email: str, password: str) -> StaffUser:
        """The owner's way back in (`kitchenasty set-password`): a new password, and every session ends."""
        password_hash = hash_password(password)
        async with self.db.transaction() as session:
            user = await session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))
            if user is None:
                raise NotFound(f"No staff account for {email}", code="STAFF_NOT_FOUND")
            await staff_queries.set_password(session, user.id, password_hash)
            notify(session, StaffChanged(staff_id=user.id))
        return user

    # ---------------------------------------------------------------- invitations

    def accept_url(self, token: str) -> str:
        return f"{self.base_url}/staff/accept-invite?token={token}"

    async def invite(self, *, email: str, role: Role, name: str | None, invited_by: str | None) -> InviteOut:
        """A single-use, 7-day invitation. The e-mail (when mail is configured) goes through the outbox."""
        mail_configured, restaurant = await self.settings.mail_context()
        email = normalise_email(email)
        token, token_hash = new_one_time_token()
        expires = utcnow() + INVITE_TTL
        async with self.db.transaction() as session:
            if await session.scalar(select(StaffUser.id).where(StaffUser.email == email)):
                raise Conflict("A user with this email already exists", code="EMAIL_TAKEN")
            invite = StaffInvite(
                token_hash=token_hash, email=email, name=name, role=role, invited_by=invited_by, expires_at=expires
            )
            session.add(invite)
            await session.flush()
            record(
                session,
                StaffInvited(
                    invite=InviteEventOut(
                        id=invite.id, email=email, role=role, name=name, expires_at=iso(expires) or ""
                    )
                ),
            )
            if mail_configured:
                self._enqueue_invite_mail(session, invite, token, restaurant)
        return self._invite_out(invite, token, emailed=mail_configured)

    def _invite_out(self, invite: StaffInvite, token: str, *, emailed: bool) -> InviteOut:
        return InviteOut(
            id=invite.id,
            email=invite.email,
            role=as_role(invite.role),
            expires_at=iso(invite.expires_at) or "",
            token=token,
            accept_url=self.accept_url(token),
            emailed=emailed,
        )

    def _enqueue_invite_mail(self, session: AsyncSession, invite: StaffInvite, token: str, restaurant: str) -> None:
        mail = render_email(
            "staff_invite",
            f"You're invited to join {restaurant}",
            restaurant=restaurant,
            name=invite.name or "",
            role=invite.role.replace("_", " ").title(),
            link=self.accept_url(token),
        )
        outbox.enqueue_email(
            session,
            to=invite.email,
            subject=mail.subject,
            html=mail.html,
            text=mail.text,
            source="builtin:staff_invitation",
        )

    async def list_invitations(self, params: PageParams) -> tuple[list[InvitationOut], int]:
        """Invitations not accepted and not withdrawn, newest first (expired ones included, marked)."""
        pending = (StaffInvite.used_at.is_(None), StaffInvite.revoked_at.is_(None))
        now = utcnow()
        async with self.db.session() as session:
            total = await session.scalar(select(func.count()).select_from(StaffInvite).where(*pending)) or 0
            rows = (
                await session.execute(
                    select(StaffInvite, StaffUser)
                    .outerjoin(StaffUser, StaffUser.id == StaffInvite.invited_by)
                    .where(*pending)
                    .order_by(StaffInvite.created_at.desc(), StaffInvite.id.desc())
                    .limit(params.limit)
                    .offset(params.offset)
                )
            ).all()
        return [
            InvitationOut(
                id=invite.id,
                email=invite.email,
                name=invite.name,
                role=as_role(invite.role),
                invited_by=StaffRef(id=by.id, name=by.name, email=by.email) if by is not None else None,
                created_at=iso(invite.created_at) or "",
                expires_at=iso(invite.expires_at) or "",
                expired=invite.expires_at <= now,
            )
            for invite, by in rows
        ], total

    async def _open_invite(self, session: AsyncSession, invite_id: str) -> StaffInvite:
        invite = await session.get(StaffInvite, invite_id)
        if invite is None:
            raise NotFound("Invitation not found", code="INVITE_NOT_FOUND")
        if invite.used_at is not None:
            raise Conflict("This invitation was already accepted", code="INVITE_USED")
        if invite.revoked_at is not None:
            raise Conflict("This invitation was withdrawn; send a new one", code="INVITE_REVOKED")
        return invite

    async def resend_invite(self, invite_id: str) -> InviteOut:
        """A new link for a pending (or expired) invitation: a new token and 7 more days; the old link stops
        working at once. Mailed through the outbox when mail is configured."""
        mail_configured, restaurant = await self.settings.mail_context()
        token, token_hash = new_one_time_token()
        async with self.db.transaction() as session:
            invite = await self._open_invite(session, invite_id)
            if await session.scalar(select(StaffUser.id).where(StaffUser.email == invite.email)):
                raise Conflict("A user with this email already exists", code="EMAIL_TAKEN")
            invite.token_hash = token_hash
            invite.expires_at = utcnow() + INVITE_TTL
            if mail_configured:
                self._enqueue_invite_mail(session, invite, token, restaurant)
        return self._invite_out(invite, token, emailed=mail_configured)

    async def revoke_invite(self, invite_id: str) -> None:
        """Withdraw a pending invitation: its link answers "This invite was withdrawn" from now on."""
        async with self.db.transaction() as session:
            invite = await self._open_invite(session, invite_id)
            invite.revoked_at = utcnow()

    async def _usable_invite(self, session: AsyncSession, token: str) -> StaffInvite:
        invite = await session.scalar(select(StaffInvite).where(StaffInvite.token_hash == hash_token(token)))
        if invite is None:
            raise NotFound("Invalid invite token", code="INVITE_INVALID")
        if invite.used_at is not None:
            raise ValidationFailed("This invite has already been used", code="INVITE_USED")
        if invite.revoked_at is not None:
            raise ValidationFailed("This invite was withdrawn; ask for a new one", code="INVITE_REVOKED")
        if invite.expires_at <= utcnow():
            raise ValidationFailed("This invite has expired", code="INVITE_EXPIRED")
        return invite

    async def check_invite(self, token: str) -> InviteCheckOut:
        async with self.db.session() as session:
            invite = await self._usable_invite(session, token)
        return InviteCheckOut(email=invite.email, role=as_role(invite.role), name=invite.name)

    async def accept_invite(self, *, token: str, name: str, password: str) -> StaffUser:
        password_hash = hash_password(password)
        async with self.db.transaction() as session:
            invite = await self._usable_invite(session, token)
            if await session.scalar(select(StaffUser.id).where(StaffUser.email == invite.email)):
                raise Conflict("A user with this email already exists", code="EMAIL_TAKEN")
            claimed = await session.execute(
                update(StaffInvite)
                .where(StaffInvite.id == invite.id, StaffInvite.used_at.is_(None))
                .values(used_at=utcnow())
            )
            if rowcount(claimed) != 1:
                raise ValidationFailed("This invite has already been used", code="INVITE_USED")
            user = StaffUser(email=invite.email, password_hash=password_hash, name=name.strip(), role=invite.role)
            session.add(user)
        return user
