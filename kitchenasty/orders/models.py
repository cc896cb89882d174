from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kitchenasty.core.schema import Base, IdMixin, JSONColumn, TimestampMixin, UTCDateTime, utcnow


class Order(IdMixin, TimestampMixin, Base):
    """A placed order. Amounts are cents; items and options are snapshots taken when the order was placed."""

    __tablename__ = "orders"

    order_number: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    tracking_token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id", ondelete="RESTRICT"), nullable=False)
    order_type: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="PENDING")
    subtotal_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    discount_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    delivery_fee_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tip_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    coupon_id: Mapped[str | None] = mapped_column(ForeignKey("coupons.id", ondelete="SET NULL"))
    coupon_code: Mapped[str | None] = mapped_column(String(50))
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment: Mapped[str | None] = mapped_column(Text)
    guest_name: Mapped[str | None] = mapped_column(String(120))
    guest_email: Mapped[str | None] = mapped_column(String(254))
    guest_phone: Mapped[str | None] = mapped_column(String(40))
    delivery_address: Mapped[dict[str, Any] | None] = mapped_column(JSONColumn)
    table_id: Mapped[str | None] = mapped_column(ForeignKey("tables.id", ondelete="SET NULL"))
    table_name: Mapped[str | None] = mapped_column(String(60))
    payment_method: Mapped[str] = mapped_column(String(16), nullable=False, default="CASH")
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    request_fingerprint: Mapped[str | None] = mapped_column(String(64))
    local_day: Mapped[date] = mapped_column(Date, nullable=False, default=lambda: utcnow().date())
    """The restaurant-local day and hour the order was placed in: its bucket in the rollups, fixed at placement
    (a later change of time zone does not move it)."""
    local_hour: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The kitchen line (issue 15): when a staff member acknowledged the new order (its alert repeats on every
    # kitchen display until then) and who did (a staff id).
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(32))

    # payments (issue 16): UNPAID, PENDING, PAID, PARTIALLY_REFUNDED, REFUNDED; written only by the payments
    # domain through `orders.queries.set_payment_status` (cash orders stay UNPAID until staff mark them paid).
    payment_status: Mapped[str] = mapped_column(String(24), nullable=False, default="UNPAID", server_default="UNPAID")

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderItem.position"
    )

    __table_args__ = (
        Index("ix_orders_status_created", "status", "created_at"),
        # A guest's order (most of them) writes no entry: "my orders" always asks for one customer's.
        Index(
            "ix_orders_customer_created",
            "customer_id",
            "created_at",
            sqlite_where=text("customer_id IS NOT NULL"),
            postgresql_where=text("customer_id IS NOT NULL"),
        ),
        Index("ix_orders_location_created", "location_id", "created_at"),
        Index("ix_orders_created", "created_at"),
    )


class OrderItem(IdMixin, Base):
    __tablename__ = "order_items"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    # Not indexed: an index on the dish (or below, the option value) took a page per distinct dish of every order
    # (11 of the 39 pages an order wrote); only deleting a never-ordered dish looks these columns up, and it scans.
    menu_item_id: Mapped[str] = mapped_column(ForeignKey("menu_items.id", ondelete="RESTRICT"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    subtotal_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str | None] = mapped_column(Text)
    stock_taken: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    """How many units this line took from the item's stock (given back if the order is cancelled)."""
    # The kitchen line (issue 15): the item's own preparation state (QUEUED -> PREPARING -> DONE), changed by
    # compare-and-set on `prep_version` (+1 per change), and when it last changed.
    prep_state: Mapped[str] = mapped_column(String(16), nullable=False, default="QUEUED", server_default="QUEUED")
    prep_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    prep_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The kitchen line (issue 15): the station that prepares this line, resolved when the order was placed (a
    # later change of stations does not move it); None: the expo view only. No foreign key: a deleted station
    # leaves its old orders as they were.
    station_id: Mapped[str | None] = mapped_column(String(32))
    # Item void (issue 15): the line was taken off the order after it was placed; its stock went back and the
    # order's totals no longer count it (`orders.voids`).
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by: Mapped[str | None] = mapped_column(String(32))
    void_reason: Mapped[str | None] = mapped_column(String(200))

    order: Mapped[Order] = relationship(back_populates="items")
    options: Mapped[list[OrderItemOption]] = relationship(
        back_populates="order_item", cascade="all, delete-orphan", order_by="OrderItemOption.position"
    )


class OrderItemOption(IdMixin, Base):
    __tablename__ = "order_item_options"

    order_item_id: Mapped[str] = mapped_column(
        ForeignKey("order_items.id", ondelete="CASCADE"), nullable=False, index=True
    )
    menu_option_value_id: Mapped[str] = mapped_column(
        ForeignKey("menu_option_values.id", ondelete="RESTRICT"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    value: Mapped[str] = mapped_column(String(120), nullable=False)
    price_modifier_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    order_item: Mapped[OrderItem] = relationship(back_populates="options")


class OrderStatusChange(IdMixin, Base):
    """The history of an order's status: who moved it (`actor_type` staff / customer / guest, `actor_id` the staff
    member's or customer's id), when, and the reason they gave (a cancellation's, say)."""

    __tablename__ = "order_status_changes"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_type: Mapped[str] = mapped_column(String(16), nullable=False)
    actor_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(200))


class KitchenMove(IdMixin, Base):
    """The kitchen's undo log (`POST /api/orders/{id}/recall`; a plain status change is not logged here, the status
    history is its record). `kind`:

    - `item`: one tap on an item: its state before and after, its `prep_version` after, and the order's status
      before and after (they differ when the tap moved the order by itself); `recalled_at` once undone.
    - `auto`: a status history row such a tap wrote (`status_change_id`): not a move of its own.
    - `recall`: a status history row a recall wrote (`status_change_id`), and the one it undid (`undone_change_id`).
    """

    __tablename__ = "kitchen_moves"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    item_id: Mapped[str | None] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    item_version: Mapped[int | None] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    status_change_id: Mapped[str | None] = mapped_column(String(32))
    undone_change_id: Mapped[str | None] = mapped_column(String(32))
    actor_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OrderCounter(Base):
    """Per-day order sequence, so order numbers are short, readable and unique under concurrent placement."""

    __tablename__ = "order_counters"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class OrderRollup(Base):
    """Orders summed per restaurant-local day, location, type, payment method and current status: what the
    dashboard and the end-of-day report read, so their cost does not grow with the number of orders. Kept in the
    transactions that place an order and move its status (`orders.rollups`)."""

    __tablename__ = "order_rollups"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    location_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    payment_method: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    orders: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    subtotal_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    discount_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    delivery_fee_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tip_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class HourRollup(Base):
    """Orders not cancelled and their totals per restaurant-local day, hour and location (revenue by hour)."""

    __tablename__ = "hour_rollups"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    orders: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class ItemRollup(Base):
    """Quantities sold per restaurant-local day, location and menu item (under the name it was ordered by)."""

    __tablename__ = "item_rollups"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    location_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    menu_item_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    subtotal_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
