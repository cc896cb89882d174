"""Coupons: staff CRUD, the public validation, and their use by orders (counted in the order's own transaction).

An order applies a coupon with `apply_in` (checks, no write), then `redeem_in` (a coupon_redemptions row and
usage_count + 1, guarded by a conditional UPDATE so the usage limit holds under concurrency); a cancelled order
gives the use back with `release_in`. These three take the caller's synchronous `Session`, so the coupon use
commits or rolls back with the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from kitchenasty.core.api import PageParams, provided
from kitchenasty.core.db import Database
from kitchenasty.core.errors import Conflict, NotFound, ValidationFailed
from kitchenasty.core.fastsql import fast
from kitchenasty.core.money import MoneyFormat, from_basis_points, from_cents, to_basis_points, to_cents
from kitchenasty.core.schema import iso, new_id, table_of, utcnow
from kitchenasty.core.security import Principal
from kitchenasty.coupons import rules
from kitchenasty.coupons.models import Coupon, CouponRedemption
from kitchenasty.coupons.rules import CouponTerms
from kitchenasty.coupons.schemas import (
    CouponIn,
    CouponOut,
    CouponType,
    CouponUpdateIn,
    CouponValidateIn,
    CouponValidateOut,
)
from kitchenasty.settings.service import SettingsService

coupons_t = table_of(Coupon)
redemptions_t = table_of(CouponRedemption)

MAX_AMOUNT_CENTS = 10_000_000  # 100,000.00 in major units

_BY_CODE = select(
    coupons_t.c.id,
    coupons_t.c.code,
    coupons_t.c.type,
    coupons_t.c.value_units,
    coupons_t.c.min_order_cents,
    coupons_t.c.max_discount_cents,
    coupons_t.c.usage_limit,
    coupons_t.c.usage_count,
    coupons_t.c.per_customer,
    coupons_t.c.starts_at,
    coupons_t.c.expires_at,
    coupons_t.c.is_active,
)
_BY_CODE_PARAM = _BY_CODE.where(coupons_t.c.code == bindparam("code"))
_USES_BY = (
    select(func.count())
    .select_from(redemptions_t)
    .where(redemptions_t.c.coupon_id == bindparam("coupon_id"), redemptions_t.c.customer_key == bindparam("key"))
)
_TAKE_USE = (
    update(coupons_t)
    .where(
        coupons_t.c.id == bindparam("coupon_id"),
        coupons_t.c.is_active.is_(True),
        or_(coupons_t.c.usage_limit.is_(None), coupons_t.c.usage_count < coupons_t.c.usage_limit),
    )
    .values(usage_count=coupons_t.c.usage_count + 1)
)
_GIVE_USE = (
    update(coupons_t)
    .where(coupons_t.c.id == bindparam("coupon_id"), coupons_t.c.usage_count > 0)
    .values(usage_count=coupons_t.c.usage_count - 1)
)
_RELEASE = (
    delete(redemptions_t).where(redemptions_t.c.order_id == bindparam("order_id")).returning(redemptions_t.c.coupon_id)
)
_INSERT_REDEMPTION = insert(redemptions_t)


def normalise_code(code: str) -> str:
    return code.strip().upper()


def customer_key(*, customer_id: str | None, guest_email: str | None) -> str:
    """Who used a coupon, for the per-customer limit: a customer account, else the guest's e-mail."""
    if customer_id:
        return f"customer:{customer_id}"
    return f"guest:{(guest_email or '').strip().lower()}"


def coupon_out(c: Coupon) -> CouponOut:
    if c.type == "PERCENTAGE":
        value = from_basis_points(c.value_units)
    elif c.type == "FIXED":
        value = from_cents(c.value_units)
    else:
        value = 0.0
    return CouponOut(
        id=c.id,
        code=c.code,
        type=cast(CouponType, c.type),  # a column of coupon types (checked on every write)
        value=value,
        min_order=from_cents(c.min_order_cents),
        max_discount=from_cents(c.max_discount_cents) if c.max_discount_cents is not None else None,
        usage_limit=c.usage_limit,
        usage_count=c.usage_count,
        per_customer=c.per_customer,
        starts_at=iso(c.starts_at),
        expires_at=iso(c.expires_at),
        is_active=c.is_active,
        created_at=iso(c.created_at) or "",
        updated_at=iso(c.updated_at) or "",
    )


def amount_cents(value: Decimal, field: str) -> int:
    """A non-negative amount with at most 2 decimals, as cents (400 otherwise)."""
    cents = to_cents(value, field=field)
    if cents < 0:
        raise ValidationFailed(f"{field} must not be negative", code="INVALID_AMOUNT")
    if cents > MAX_AMOUNT_CENTS:
        raise ValidationFailed(f"{field} is too large", code="INVALID_AMOUNT")
    return cents


def parse_moment(text: str | None, *, field: str, tz: ZoneInfo, end_of_day: bool) -> datetime | None:
    """An ISO date or date-time; a bare date is the start (or the end) of that day in the restaurant's zone."""
    if text is None or not text.strip():
        return None
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            moment = datetime.combine(day, time.min, tzinfo=tz)
            if end_of_day:
                moment = moment + timedelta(days=1) - timedelta(milliseconds=1)
            return moment.astimezone(UTC)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(
            f"{field} must be an ISO date (2025-12-31) or date-time (2025-12-31T18:00)", code="INVALID_DATE"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class AppliedCoupon:
    """A coupon that passed every check for one order (not yet counted)."""

    id: str
    code: str
    type: str
    discount_cents: int
    free_delivery: bool
    per_customer: int | None
    customer_key: str


class CouponService:
    def __init__(self, db: Database, settings: SettingsService) -> None:
        self.db = db
        self.settings = settings

    async def _zone_and_money(self) -> tuple[ZoneInfo, MoneyFormat]:
        resolved = await self.settings.resolved()
        return ZoneInfo(resolved.get("general.timezone")), resolved.money

    # ---------------------------------------------------------------- staff CRUD

    def _fields(self, data: dict[str, Any], tz: ZoneInfo, current: Coupon | None) -> dict[str, Any]:
        """Request fields (camel-free names) to model columns, validated; `current` is the row being updated."""
        out: dict[str, Any] = {}
        if "code" in data:
            code = normalise_code(data["code"])
            if not code:
                raise ValidationFailed("code must not be empty", code="VALIDATION_ERROR")
            out["code"] = code
        kind = data.get("type", current.type if current else None)
        if "type" in data:
            out["type"] = kind
        if "value" in data or "type" in data:
            value = data.get("value")
            if value is None:  # the type changed and no value came with it: reinterpret the stored one
                value = Decimal(current.value_units).scaleb(-2) if current is not None else Decimal(0)
            if kind == "PERCENTAGE":
                bp = to_basis_points(value, field="value")
                if bp < 0 or bp > 10_000:
                    raise ValidationFailed(
                        "A percentage coupon's value must be between 0 and 100", code="INVALID_VALUE"
                    )
                out["value_units"] = bp
            elif kind == "FIXED":
                out["value_units"] = amount_cents(value, "value")
            else:
                amount_cents(value, "value")
                out["value_units"] = 0
        if "min_order" in data:
            out["min_order_cents"] = 0 if data["min_order"] is None else amount_cents(data["min_order"], "minOrder")
        if "max_discount" in data:
            md = data["max_discount"]
            out["max_discount_cents"] = None if md is None else amount_cents(md, "maxDiscount")
        for name in ("usage_limit", "per_customer", "is_active"):
            if name in data:
                out[name] = data[name]
        if "starts_at" in data:
            out["starts_at"] = parse_moment(data["starts_at"], field="startsAt", tz=tz, end_of_day=False)
        if "expires_at" in data:
            out["expires_at"] = parse_moment(data["expires_at"], field="expiresAt", tz=tz, end_of_day=True)
        starts = out.get("starts_at", current.starts_at if current else None)
        expires = out.get("expires_at", current.expires_at if current else None)
        if starts is not None and expires is not None and expires < starts:
            raise ValidationFailed("The coupon would expire before it starts", code="INVALID_DATES")
        return out

    async def create(self, data: CouponIn) -> CouponOut:
        tz, _ = await self._zone_and_money()
        fields = self._fields({name: getattr(data, name) for name in data.__struct_fields__}, tz, None)
        try:
            async with self.db.transaction() as session:
                if await session.scalar(select(Coupon.id).where(Coupon.code == fields["code"])):
                    raise Conflict("Coupon code already exists", code="COUPON_CODE_TAKEN")
                coupon = Coupon(**fields)
                session.add(coupon)
        except IntegrityError:
            raise Conflict("Coupon code already exists", code="COUPON_CODE_TAKEN") from None
        return coupon_out(coupon)

    async def list_coupons(self, params: PageParams) -> tuple[list[CouponOut], int]:
        async with self.db.session() as session:
            total = await session.scalar(select(func.count()).select_from(Coupon)) or 0
            rows = (
                await session.scalars(
                    select(Coupon)
                    .order_by(Coupon.created_at.desc(), Coupon.id)
                    .limit(params.limit)
                    .offset(params.offset)
                )
            ).all()
        return [coupon_out(c) for c in rows], total

    async def _get(self, session: AsyncSession, coupon_id: str) -> Coupon:
        coupon = await session.get(Coupon, coupon_id)
        if coupon is None:
            raise NotFound("Coupon not found", code="COUPON_NOT_FOUND")
        return coupon

    async def get(self, coupon_id: str) -> CouponOut:
        async with self.db.session() as session:
            return coupon_out(await self._get(session, coupon_id))

    async def update(self, coupon_id: str, changes: CouponUpdateIn) -> CouponOut:
        tz, _ = await self._zone_and_money()
        data = provided(changes)
        for name in ("code", "type", "value", "is_active"):
            if name in data and data[name] is None:
                raise ValidationFailed(f"{name} cannot be null", code="VALIDATION_ERROR")
        try:
            async with self.db.transaction() as session:
                coupon = await self._get(session, coupon_id)
                fields = self._fields(data, tz, coupon)
                if "code" in fields and fields["code"] != coupon.code:
                    taken = await session.scalar(
                        select(Coupon.id).where(Coupon.code == fields["code"], Coupon.id != coupon_id)
                    )
                    if taken:
                        raise Conflict("Coupon code already exists", code="COUPON_CODE_TAKEN")
                for key, value in fields.items():
                    setattr(coupon, key, value)
        except IntegrityError:
            raise Conflict("Coupon code already exists", code="COUPON_CODE_TAKEN") from None
        return coupon_out(coupon)

    async def delete(self, coupon_id: str) -> None:
        """Hard delete; orders keep the code they were placed with (their coupon link becomes empty)."""
        async with self.db.transaction() as session:
            coupon = await self._get(session, coupon_id)
            await session.delete(coupon)

    # ---------------------------------------------------------------- public validation

    async def validate(self, data: CouponValidateIn, principal: Principal | None) -> CouponValidateOut:
        """`POST /api/coupons/validate`: what this code would take off `subtotal` now (nothing is counted)."""
        if not data.code or not data.code.strip():
            raise ValidationFailed("Coupon code is required", code="COUPON_CODE_REQUIRED")
        subtotal = 0 if data.subtotal is None else amount_cents(data.subtotal, "subtotal")
        _, money = await self._zone_and_money()
        key = customer_key(customer_id=principal.id, guest_email=None) if principal and principal.is_customer else None

        def read(session: Session) -> tuple[Any, int | None]:
            row = fast(session).execute(_BY_CODE_PARAM, {"code": normalise_code(data.code or "")}).first()
            if row is None or key is None or row.per_customer is None:
                return row, None
            return row, self.uses_in(session, row.id, key)

        row, uses = await self.db.run_read(read)
        if row is None:
            raise NotFound("Invalid coupon code", code="COUPON_INVALID")
        terms = CouponTerms.of(row)
        result = rules.evaluate(terms, subtotal_cents=subtotal, now=utcnow(), customer_uses=uses, money=money)
        if terms.type == "PERCENTAGE":
            value = from_basis_points(terms.value_units)
        elif terms.type == "FIXED":
            value = from_cents(terms.value_units)
        else:
            value = 0.0
        return CouponValidateOut(
            code=terms.code,
            type=cast(CouponType, terms.type),
            value=value,
            discount=from_cents(result.discount_cents),
            free_delivery=result.free_delivery,
        )

    # ---------------------------------------------------------------- use by orders (inside the order's transaction)

    @staticmethod
    def uses_in(session: Session, coupon_id: str, key: str) -> int:
        return fast(session).execute(_USES_BY, {"coupon_id": coupon_id, "key": key}).scalar_one()

    def apply_in(
        self,
        session: Session,
        code: str,
        *,
        subtotal_cents: int,
        now: datetime,
        key: str,
        money: MoneyFormat,
    ) -> AppliedCoupon:
        """Check `code` for an order (400 with the reason otherwise); nothing is written."""
        row = fast(session).execute(_BY_CODE_PARAM, {"code": normalise_code(code)}).first()
        if row is None:
            raise ValidationFailed("Invalid coupon code", code="COUPON_INVALID")
        uses = self.uses_in(session, row.id, key) if row.per_customer is not None else None
        effect = rules.evaluate(
            CouponTerms.of(row), subtotal_cents=subtotal_cents, now=now, customer_uses=uses, money=money
        )
        return AppliedCoupon(
            id=row.id,
            code=row.code,
            type=row.type,
            discount_cents=effect.discount_cents,
            free_delivery=effect.free_delivery,
            per_customer=row.per_customer,
            customer_key=key,
        )

    def redeem_in(self, session: Session, applied: AppliedCoupon, *, order_id: str, now: datetime) -> None:
        """Count one use for `order_id`; refuses (and so rolls the order back) when the limit was reached meanwhile."""
        conn = fast(session)
        taken = conn.execute(_TAKE_USE, {"coupon_id": applied.id})
        if taken.rowcount != 1:
            raise ValidationFailed("Coupon usage limit reached", code="COUPON_EXHAUSTED")
        # The UPDATE above holds the coupon's row lock (on servers with row locks), so this count is current.
        if applied.per_customer is not None and self.uses_in(session, applied.id, applied.customer_key) >= (
            applied.per_customer
        ):
            raise ValidationFailed("You have already used this coupon", code="COUPON_CUSTOMER_LIMIT")
        conn.execute(
            _INSERT_REDEMPTION,
            {
                "id": new_id(),
                "coupon_id": applied.id,
                "order_id": order_id,
                "customer_key": applied.customer_key,
                "created_at": now,
            },
        )

    def release_in(self, session: Session, *, order_id: str) -> None:
        """Give back the coupon use of a cancelled order (if it had one)."""
        conn = fast(session)
        for (coupon_id,) in conn.execute(_RELEASE, {"order_id": order_id}).all():
            conn.execute(_GIVE_USE, {"coupon_id": coupon_id})


_REDEMPTIONS_OF = (
    select(coupons_t.c.code, redemptions_t.c.order_id, redemptions_t.c.created_at)
    .select_from(redemptions_t.join(coupons_t, coupons_t.c.id == redemptions_t.c.coupon_id))
    .where(redemptions_t.c.customer_key == bindparam("key"))
    .order_by(redemptions_t.c.created_at, redemptions_t.c.id)
)


def redemptions_of_customer(session: Any, customer_id: str) -> list[dict[str, Any]]:
    """A customer's coupon uses, oldest first, for the export of their data (`core.links`; a synchronous read)."""
    key = customer_key(customer_id=customer_id, guest_email=None)
    return [
        {"couponCode": row.code, "orderId": row.order_id, "usedAt": iso(row.created_at)}
        for row in fast(session).execute(_REDEMPTIONS_OF, {"key": key}).all()
    ]
