"""`create_app(settings)`: the only place that wires everything together."""

from __future__ import annotations

import gc
from typing import Any

from litestar import Litestar, Request
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from kitchenasty import __version__
from kitchenasty.auth.routes import AuthController
from kitchenasty.core.backup import BackupScheduler
from kitchenasty.core.config import BootSettings
from kitchenasty.core.fanout import ServerSendApp
from kitchenasty.core.guards import provide_principal, send_renewed_token
from kitchenasty.core.health import health
from kitchenasty.core.http import EXCEPTION_HANDLERS, KitchenRequest, RequestScreen, with_nosniff
from kitchenasty.core.openapi import SECURITY_COMPONENTS, document_operations
from kitchenasty.core.openapi_docs import DOCS_ROUTES
from kitchenasty.core.ratelimit import SlidingWindowLimiter
from kitchenasty.core.realtime import realtime_plugins
from kitchenasty.core.security import Principal
from kitchenasty.menu.rooms import LASTING_ROOMS as MENU_ROOMS
from kitchenasty.orders.rooms import LASTING_ROOMS as ORDER_ROOMS
from kitchenasty.reservations.rooms import LASTING_ROOMS as RESERVATION_ROOMS
from kitchenasty.services import Services, ServicesDep, build_services, subscribe_rooms
from kitchenasty.settings.routes import SettingsController
from kitchenasty.staff.routes import StaffController
from kitchenasty.web.errors import page_aware


def _domain_routes() -> list[Any]:
    from kitchenasty.automation.routes import ROUTES as automation_routes
    from kitchenasty.coupons.routes import ROUTES as coupon_routes
    from kitchenasty.customers.routes import ROUTES as customer_routes
    from kitchenasty.dashboard.routes import ROUTES as dashboard_routes
    from kitchenasty.developer.routes import ROUTES as developer_routes
    from kitchenasty.kitchen.routes import ROUTES as kitchen_routes
    from kitchenasty.locations.routes import ROUTES as location_routes
    from kitchenasty.menu.routes import ROUTES as menu_routes
    from kitchenasty.menu.sockets import SOCKET_ROUTES as menu_socket_routes
    from kitchenasty.orders.routes import ROUTES as order_routes
    from kitchenasty.orders.sockets import SOCKET_ROUTES as socket_routes
    from kitchenasty.payments.routes import ROUTES as payment_routes
    from kitchenasty.printing.routes import ROUTES as printing_routes
    from kitchenasty.reports.routes import ROUTES as report_routes
    from kitchenasty.reservations.routes import ROUTES as reservation_routes
    from kitchenasty.reservations.sockets import SOCKET_ROUTES as reservation_sockets
    from kitchenasty.web.admin import ROUTES as admin_routes
    from kitchenasty.web.routes import ROUTES as web_routes

    return [
        *location_routes,
        *menu_routes,
        *coupon_routes,
        *customer_routes,
        *order_routes,
        *socket_routes,
        *payment_routes,
        *menu_socket_routes,
        *reservation_routes,
        *reservation_sockets,
        *automation_routes,
        *developer_routes,
        *dashboard_routes,
        *kitchen_routes,
        *printing_routes,
        *report_routes,
        *web_routes,
        *admin_routes,
    ]


COUPON_CHECKS_PER_MINUTE = 30
"""Coupon validations per client a minute: more than a guest ever types, far too few to guess codes."""


def create_app(settings: BootSettings, *, services: Services | None = None) -> Litestar:
    """Build the application for `settings`. Nothing is opened until the app starts (lifespan)."""
    services = services or build_services(settings)
    per_minute = settings.login_attempts_per_minute

    async def rate_limiting_enabled() -> bool:
        return bool((await services.settings.resolved()).get("advanced.enableRateLimiting"))

    backups = BackupScheduler(settings)  # off unless backup_schedule_hours > 0
    lasting = ORDER_ROOMS | MENU_ROOMS | RESERVATION_ROOMS
    channels, publisher = realtime_plugins(settings, services.sessions, lasting_rooms=lasting)
    subscribe_rooms(services, publisher)

    async def on_startup(app: Litestar) -> None:
        await services.db.start_checkpoints()
        await services.automation.start()
        await services.printing.worker.start()
        services.metrics.start(services.db)
        # Everything imported and built so far lives as long as the process: move it out of the cyclic GC's
        # view, so full collections during service only walk request-time objects (shorter pauses under load).
        gc.collect()
        gc.freeze()
        backups.start()

    async def on_shutdown(app: Litestar) -> None:
        await backups.stop()
        await services.automation.stop()
        await services.printing.worker.stop()
        await services.metrics.stop()
        await services.db.dispose()

    def provide_services() -> Services:
        return services

    async def provide_caller(request: Request[Any, Any, Any], services: ServicesDep) -> Principal | None:
        # Depending on `services` puts the two dependencies in separate batches: Litestar resolves a batch of
        # several dependencies in an anyio task group, which cost ~0.1 ms on every request.
        return await provide_principal(request)

    app = ServerSendApp(
        route_handlers=[health, *DOCS_ROUTES, AuthController, StaffController, SettingsController, *_domain_routes()],
        dependencies={
            "principal": Provide(provide_caller),
            "services": Provide(provide_services, sync_to_thread=False, use_cache=True),
        },
        exception_handlers=page_aware(EXCEPTION_HANDLERS),  # HTML error pages outside /api/ and /static/
        middleware=[DefineMiddleware(RequestScreen, public_url=settings.public_url)],
        request_class=KitchenRequest,
        before_send=[send_renewed_token],
        request_max_body_size=settings.max_body_kb * 1024,
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        openapi_config=OpenAPIConfig(
            title="KitchenAsty API",
            version=__version__,
            path="/api/schema",
            render_plugins=[JsonRenderPlugin()],
            components=SECURITY_COMPONENTS,  # each operation names its own security (core.openapi)
        ),
        plugins=[channels, publisher],
        debug=False,
        logging_config=None,
    )
    document_operations(app)
    app.asgi_handler = with_nosniff(app.asgi_handler, services.metrics)
    app.state.services = services
    app.state.db = services.db
    app.state.tokens = services.tokens
    app.state.principals = services.sessions
    app.state.rate_limiting_enabled = rate_limiting_enabled
    app.state.limiters = {  # logins have their own throttle (per account and client, failures only): AuthService
        "register": SlidingWindowLimiter(per_minute),
        "reset": SlidingWindowLimiter(per_minute),
        "invite": SlidingWindowLimiter(per_minute * 3),
        "coupon": SlidingWindowLimiter(COUPON_CHECKS_PER_MINUTE),
    }
    return app
