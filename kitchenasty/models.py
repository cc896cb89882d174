"""Imports every model so that `Base.metadata` is complete (Alembic, tests). Wiring only; no logic."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "kitchenasty.core.events",
    "kitchenasty.core.outbox",
    "kitchenasty.core.audit",
    "kitchenasty.core.metrics",
    "kitchenasty.locations.models",
    "kitchenasty.staff.models",
    "kitchenasty.customers.models",
    "kitchenasty.auth.models",
    "kitchenasty.settings.models",
    "kitchenasty.menu.models",
    "kitchenasty.kitchen.models",
    "kitchenasty.coupons.models",
    "kitchenasty.orders.models",
    "kitchenasty.printing.models",
    "kitchenasty.payments.models",
    "kitchenasty.reservations.models",
    "kitchenasty.automation.models",
)


def load_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
