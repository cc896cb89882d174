"""The service container: one instance of every domain service, built once per app (or CLI command)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TypeAlias

from litestar.di import NamedDependency

from kitchenasty.auth.service import AuthService
from kitchenasty.auth.sessions import SessionDirectory, SessionsEnded
from kitchenasty.automation.service import AutomationService
from kitchenasty.core import audit
from kitchenasty.core.config import BootSettings, SiteSettingsSources
from kitchenasty.core.db import Database
from kitchenasty.core.events import EventBus
from kitchenasty.core.links import Dependents
from kitchenasty.core.metrics import RequestMetrics
from kitchenasty.core.realtime import RoomPublisher
from kitchenasty.core.security import TokenCodec
from kitchenasty.coupons.service import CouponService, redemptions_of_customer
from kitchenasty.customers.service import CustomerService
from kitchenasty.dashboard.service import DashboardService
from kitchenasty.developer.service import AuditService, MetricsService
from kitchenasty.kitchen import queries as kitchen_queries
from kitchenasty.kitchen.events import StationsChanged
from kitchenasty.kitchen.service import StationService
from kitchenasty.locations.service import LocationChanged, LocationService
from kitchenasty.menu import queries as menu_queries
from kitchenasty.menu.events import MenuChanged
from kitchenasty.menu.rooms import MenuRooms
from kitchenasty.menu.service import MenuService
from kitchenasty.orders import queries as order_queries
from kitchenasty.orders.events import (
    OrderAcknowledged,
    OrderCreated,
    OrderItemPrepChanged,
    OrderItemVoided,
    OrderStatusChanged,
)
from kitchenasty.orders.kitchen import KitchenService
from kitchenasty.orders.rooms import OrderRooms
from kitchenasty.orders.service import OrderService
from kitchenasty.payments.events import OrderPaymentChanged
from kitchenasty.payments.rooms import PaymentRooms
from kitchenasty.payments.service import PaymentService
from kitchenasty.printing import queries as printing_queries
from kitchenasty.printing.events import PrintersChanged, PrintJobsQueued
from kitchenasty.printing.hooks import PrintHooks
from kitchenasty.printing.service import PrinterService
from kitchenasty.reports.service import ReportService
from kitchenasty.reservations import queries as reservation_queries
from kitchenasty.reservations.events import (
    ReservationChanged,
    ReservationCreated,
    ReservationDeleted,
    ReservationStatusChanged,
)
from kitchenasty.reservations.rooms import ReservationRooms
from kitchenasty.reservations.service import ReservationService
from kitchenasty.settings.service import SettingsChanged, SettingsService
from kitchenasty.settings.service import audit_changes as settings_audit_changes
from kitchenasty.staff.service import StaffChanged, StaffService


@dataclass
class Services:
    boot: BootSettings
    db: Database
    bus: EventBus
    tokens: TokenCodec
    settings: SettingsService
    auth: AuthService
    staff: StaffService
    sessions: SessionDirectory
    customers: CustomerService
    locations: LocationService
    menu: MenuService
    coupons: CouponService
    orders: OrderService
    kitchen: KitchenService
    automation: AutomationService
    audit: AuditService
    dashboard: DashboardService
    metrics: RequestMetrics
    request_metrics: MetricsService
    reports: ReportService
    reservations: ReservationService
    stations: StationService
    printing: PrinterService
    payments: PaymentService


def build_services(boot: BootSettings, db: Database | None = None) -> Services:
    """Every service over one Database and EventBus. Needs a secret key (tokens) - `init` creates it."""
    if not boot.secret_key:
        from kitchenasty.core.config import ConfigError

        raise ConfigError(f"no secret key in {boot.data_dir}; run `kitchenasty init` first")
    bus = db.bus if db is not None else EventBus()
    db = db or Database(boot.database_url, bus)
    tokens = TokenCodec(boot.secret_key, timedelta(hours=boot.jwt_expiry_hours))
    settings = SettingsService(db, SiteSettingsSources.load(boot))
    sessions = SessionDirectory(db)
    coupons = CouponService(db, settings)
    reservations = ReservationService(db, settings)
    dependents = _dependents(reservations)
    orders = OrderService(db, settings, coupons)
    metrics = RequestMetrics()
    orders = OrderService(db, settings, coupons)
    print_hooks = PrintHooks()
    orders.hooks = print_hooks
    services = Services(
        boot=boot,
        db=db,
        bus=bus,
        tokens=tokens,
        settings=settings,
        auth=AuthService(
            db, tokens, settings, base_url=boot.base_url, login_attempts_per_minute=boot.login_attempts_per_minute
        ),
        staff=StaffService(db, settings, base_url=boot.base_url),
        sessions=sessions,
        customers=CustomerService(db, dependents),
        locations=LocationService(db, settings, dependents),
        menu=MenuService(db, settings, dependents),
        coupons=coupons,
        orders=orders,
        kitchen=KitchenService(db, orders, settings),
        automation=AutomationService(db, settings, boot),
        audit=AuditService(db, settings),
        dashboard=DashboardService(db, settings),
        metrics=metrics,
        request_metrics=MetricsService(db, metrics),
        reports=ReportService(db, settings),
        reservations=reservations,
        stations=StationService(db, dependents),
        printing=PrinterService(db, orders.order_settings, print_hooks),
        payments=PaymentService(db, settings, orders, boot),
    )
    _subscribe(services)
    audit.mask_json_columns("site_settings", settings_audit_changes)
    return services


def _subscribe(services: Services) -> None:
    """Every in-process event subscription of the services, by event class, in one place."""
    bus = services.bus
    bus.subscribe(StaffChanged, services.sessions.forget)
    bus.subscribe(SessionsEnded, services.sessions.forget)
    bus.subscribe(SettingsChanged, lambda _event: services.settings.invalidate())
    bus.subscribe(SettingsChanged, services.automation.on_settings_changed)
    for catalog_change in (MenuChanged, LocationChanged, StationsChanged):
        bus.subscribe(catalog_change, services.orders.catalog.clear)
    for menu_change in (MenuChanged, LocationChanged, SettingsChanged):
        bus.subscribe(menu_change, services.menu.on_menu_event)
    for moved in (OrderCreated, OrderStatusChanged, OrderItemVoided):  # stock went down, or back up
        bus.subscribe(moved, services.menu.on_stock_event)
    for printers_change in (PrintersChanged, StationsChanged):  # the order hooks read the printers again
        bus.subscribe(printers_change, services.printing.hooks.invalidate)
    bus.subscribe(PrintJobsQueued, services.printing.worker.wake)
    bus.subscribe_all(services.automation.worker.on_event)


def subscribe_rooms(services: Services, publisher: RoomPublisher) -> None:
    """What the live rooms follow (the web app's part of the wiring: the rooms exist only there)."""
    rooms = OrderRooms(publisher)
    services.bus.subscribe(OrderCreated, rooms.on_created)
    services.bus.subscribe(OrderStatusChanged, rooms.on_status_changed)
    services.bus.subscribe(OrderItemPrepChanged, rooms.on_prep_changed)
    services.bus.subscribe(OrderAcknowledged, rooms.on_acknowledged)
    services.bus.subscribe(OrderItemVoided, rooms.on_status_changed)
    services.bus.subscribe(OrderPaymentChanged, PaymentRooms(publisher).on_changed)
    menu_rooms = MenuRooms(publisher)
    for menu_change in (MenuChanged, LocationChanged):  # open storefronts read their menu again
        services.bus.subscribe(menu_change, menu_rooms.on_changed)
    services.bus.subscribe(SessionsEnded, publisher.on_sessions_ended)
    bookings = ReservationRooms(publisher)
    services.bus.subscribe(ReservationCreated, bookings.on_created)
    services.bus.subscribe(ReservationStatusChanged, bookings.on_changed)
    services.bus.subscribe(ReservationChanged, bookings.on_changed)
    services.bus.subscribe(ReservationDeleted, bookings.on_deleted)


def _dependents(reservations: ReservationService) -> Dependents:
    """What the domains built on locations and the menu hold of their rows (see `core.links`)."""
    links = Dependents()
    links.uses("location", order_queries.any_order_at_location)
    links.uses(
        "location",
        reservation_queries.any_at_location,
        "Cannot delete location with existing reservations. Deactivate it instead.",
    )
    links.uses("table", order_queries.any_order_at_table)
    links.uses(
        "table",
        reservation_queries.any_upcoming_at_table,
        "Cannot delete table with upcoming reservations. Deactivate it instead: its bookings are then flagged for "
        "reassignment.",
    )
    links.after_update("table", reservations.table_changed)
    links.uses("menu_item", order_queries.any_order_of_item)
    links.finds("station", kitchen_queries.station_exists)
    links.uses(
        "station",
        printing_queries.any_printer_of_station,
        "This station has printers; move them to another station (or delete them) first",
    )
    links.summarises("station", "printers", printing_queries.printers_of_stations)
    links.counts("location", "orders", order_queries.orders_per_location)
    links.counts("location", "menuItems", menu_queries.items_per_location)
    links.before_delete("location", menu_queries.retire_location_rows)
    links.summarises("customer", "orders", order_queries.totals_per_customer)
    links.holds("customer", "orders", order_queries.orders_of_customer)
    links.holds("customer", "addresses", order_queries.addresses_of_customer)
    links.holds("customer", "couponRedemptions", redemptions_of_customer)
    links.holds("customer", "reservations", reservation_queries.reservations_of_customer)
    return links


ServicesDep: TypeAlias = NamedDependency[Services]
"""Route parameter type for the app's service container."""
