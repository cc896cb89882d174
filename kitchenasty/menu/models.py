from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kitchenasty.core.schema import Base, IdMixin, JSONColumn, TimestampMixin

menu_item_allergens = Table(
    "menu_item_allergens",
    Base.metadata,
    Column("menu_item_id", ForeignKey("menu_items.id", ondelete="CASCADE"), primary_key=True),
    Column("allergen_id", ForeignKey("allergens.id", ondelete="CASCADE"), primary_key=True),
)

menu_item_mealtimes = Table(
    "menu_item_mealtimes",
    Base.metadata,
    Column("menu_item_id", ForeignKey("menu_items.id", ondelete="CASCADE"), primary_key=True),
    Column("mealtime_id", ForeignKey("mealtimes.id", ondelete="CASCADE"), primary_key=True),
)


class Category(IdMixin, TimestampMixin, Base):
    """A menu category; categories nest through `parent_id` (an adjacency list)."""

    __tablename__ = "categories"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    slug: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    image: Mapped[str | None] = mapped_column(String(2048))
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"), index=True)


class MenuItem(IdMixin, TimestampMixin, Base):
    """A dish. `is_active` False hides it; `is_sold_out` keeps it on the menu but not orderable (one tap in the
    back office, independent of stock: a stock-tracked item with none left is sold out as well)."""

    __tablename__ = "menu_items"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    slug: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    image: Mapped[str | None] = mapped_column(String(2048))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    track_stock: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    stock_qty: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_sold_out: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=text("false"))
    order_type: Mapped[str | None] = mapped_column(String(16))
    category_id: Mapped[str] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"), index=True)
    # The kitchen line (issue 15): the station that prepares this item, overriding its category's station; None
    # follows the category (`kitchen.checks.resolve_station`). Written here, validated through `core.links`.
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id", ondelete="SET NULL"), index=True)

    options: Mapped[list[MenuOption]] = relationship(
        back_populates="menu_item", cascade="all, delete-orphan", order_by="MenuOption.sort_order"
    )
    allergens: Mapped[list[Allergen]] = relationship(secondary=menu_item_allergens, order_by="Allergen.name")
    mealtimes: Mapped[list[Mealtime]] = relationship(secondary=menu_item_mealtimes, order_by="Mealtime.start_time")


class MenuOption(IdMixin, Base):
    """An option group on an item (e.g. "Size"); display types SELECT, RADIO, CHECKBOX, QUANTITY."""

    __tablename__ = "menu_options"

    menu_item_id: Mapped[str] = mapped_column(
        ForeignKey("menu_items.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    display_type: Mapped[str] = mapped_column(String(16), nullable=False, default="SELECT")
    is_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    min_select: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    max_select: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    menu_item: Mapped[MenuItem] = relationship(back_populates="options")
    values: Mapped[list[MenuOptionValue]] = relationship(
        back_populates="option", cascade="all, delete-orphan", order_by="MenuOptionValue.sort_order"
    )


class MenuOptionValue(IdMixin, Base):
    __tablename__ = "menu_option_values"

    menu_option_id: Mapped[str] = mapped_column(
        ForeignKey("menu_options.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    price_modifier_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    option: Mapped[MenuOption] = relationship(back_populates="values")


class Allergen(IdMixin, Base):
    __tablename__ = "allergens"

    name: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)


class Mealtime(IdMixin, TimestampMixin, Base):
    """An availability window ("Lunch", 11:00-15:00 Mon-Fri); items linked to mealtimes sell only inside one."""

    __tablename__ = "mealtimes"

    name: Mapped[str] = mapped_column(String(60), nullable=False)
    start_time: Mapped[str] = mapped_column(String(5), nullable=False)
    end_time: Mapped[str] = mapped_column(String(5), nullable=False)
    days: Mapped[list[int]] = mapped_column(JSONColumn, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"))


Index("ix_menu_items_active_sort", MenuItem.is_active, MenuItem.sort_order)
