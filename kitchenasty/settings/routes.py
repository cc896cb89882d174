from __future__ import annotations

from typing import Any

from litestar import Controller, get, put
from litestar.params import JSONBody

from kitchenasty.core.api import Ok, ok
from kitchenasty.core.guards import admin_only, manager_or_admin
from kitchenasty.services import ServicesDep
from kitchenasty.settings.schemas import GroupView
from kitchenasty.settings.service import SettingsService, public_settings

GROUP_SHAPE = (
    "Answers {success, data: {field: value}, sources: {field: db|toml|env|default}, fields: [{name, key, type, "
    "value, source: database|toml|environment|default, sourceDetail, help, secret, default, choices, minimum, "
    "maximum, maxLength, envVars, tomlKey}]}; secrets are masked, and a PUT that sends a mask back keeps the "
    "stored secret. A PUT saves only the fields it names; null removes a saved value."
)


async def _view(service: SettingsService, group: str) -> GroupView:
    values, sources = await service.view_group(group)
    return GroupView(data=values, sources=dict(sources), fields=await service.describe_group(group))


async def _save(service: SettingsService, group: str, data: dict[str, Any]) -> GroupView:
    await service.update_group(group, data)
    return await _view(service, group)


class SettingsController(Controller):
    """`/api/settings`: the public subset, and the seven groups with the original's per-group roles.

    Every group GET and PUT answers `{success, data: {field: value}, sources: {field: db|toml|env|default},
    fields: [{name, key, type, value, source: database|toml|environment|default, sourceDetail, help, secret,
    default, choices, minimum, maximum, maxLength, envVars, tomlKey}]}` (secrets masked; a PUT that sends a mask
    back keeps the stored secret).
    """

    path = "/api/settings"
    tags = ["settings"]

    @get("/", summary="Public settings (no secrets)")
    async def public(self, services: ServicesDep) -> Ok[dict[str, dict[str, Any]]]:
        return ok(await public_settings(services.settings))

    @get("/general", guards=[manager_or_admin], description=GROUP_SHAPE)
    async def get_general(self, services: ServicesDep) -> GroupView:
        return await _view(services.settings, "general")

    @put("/general", guards=[manager_or_admin], description=GROUP_SHAPE)
    async def put_general(self, services: ServicesDep, data: JSONBody[dict[str, Any]]) -> GroupView:
        return await _save(services.settings, "general", data)

    @get("/order", guards=[manager_or_admin], description=GROUP_SHAPE)
    async def get_orders(self, services: ServicesDep) -> GroupView:
        return await _view(services.settings, "orders")

    @put("/order", guards=[manager_or_admin], description=GROUP_SHAPE)
    async def put_orders(self, services: ServicesDep, data: JSONBody[dict[str, Any]]) -> GroupView:
        return await _save(services.settings, "orders", data)

    @get("/reservation", guards=[manager_or_admin], description=GROUP_SHAPE)
    async def get_reservations(self, services: ServicesDep) -> GroupView:
        return await _view(services.settings, "reservations")

    @put("/reservation", guards=[manager_or_admin], description=GROUP_SHAPE)
    async def put_reservations(self, services: ServicesDep, data: JSONBody[dict[str, Any]]) -> GroupView:
        return await _save(services.settings, "reservations", data)

    @get("/mail", guards=[admin_only], description=GROUP_SHAPE)
    async def get_mail(self, services: ServicesDep) -> GroupView:
        return await _view(services.settings, "mail")

    @put("/mail", guards=[admin_only], description=GROUP_SHAPE)
    async def put_mail(self, services: ServicesDep, data: JSONBody[dict[str, Any]]) -> GroupView:
        return await _save(services.settings, "mail", data)

    @get("/payment", guards=[admin_only], description=GROUP_SHAPE)
    async def get_payments(self, services: ServicesDep) -> GroupView:
        return await _view(services.settings, "payments")

    @put("/payment", guards=[admin_only], description=GROUP_SHAPE)
    async def put_payments(self, services: ServicesDep, data: JSONBody[dict[str, Any]]) -> GroupView:
        return await _save(services.settings, "payments", data)

    @get("/review", guards=[manager_or_admin], description=GROUP_SHAPE)
    async def get_reviews(self, services: ServicesDep) -> GroupView:
        return await _view(services.settings, "reviews")

    @put("/review", guards=[manager_or_admin], description=GROUP_SHAPE)
    async def put_reviews(self, services: ServicesDep, data: JSONBody[dict[str, Any]]) -> GroupView:
        return await _save(services.settings, "reviews", data)

    @get("/advanced", guards=[admin_only], description=GROUP_SHAPE)
    async def get_advanced(self, services: ServicesDep) -> GroupView:
        return await _view(services.settings, "advanced")

    @put("/advanced", guards=[admin_only], description=GROUP_SHAPE)
    async def put_advanced(self, services: ServicesDep, data: JSONBody[dict[str, Any]]) -> GroupView:
        return await _save(services.settings, "advanced", data)
