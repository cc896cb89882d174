"""Stripe through its documented form-encoded HTTP API (httpx; the base URL is the setting `payments.stripeApiBase`).

Only what the product uses: Checkout Sessions (hosted page, one line for the order's exact total), PaymentIntents
(API clients), Refunds. Every request carries an `Idempotency-Key` (a retried call never charges or refunds twice)
and goes through the outbound guard (`core.http_out.new_client`). A failure is told in our own words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from kitchenasty.core.http_out import TIMEOUT_SECONDS
from kitchenasty.core.logging import get_logger, register_secret
from kitchenasty.core.outbound import TargetRefused

log = get_logger("kitchenasty.payments.stripe")


class StripeError(Exception):
    """Stripe refused or could not be reached; the message is ours, for people."""


def form(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Stripe's form encoding of nested values: `line_items[0][price_data][currency]=eur`, `metadata[orderId]=...`."""
    out: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if value is None:
            continue
        if isinstance(value, Mapping):
            out.extend(form(value, name))
        elif isinstance(value, list | tuple):
            for i, entry in enumerate(value):
                if isinstance(entry, Mapping):
                    out.extend(form(entry, f"{name}[{i}]"))
                else:
                    out.append((f"{name}[{i}]", str(entry)))
        elif isinstance(value, bool):
            out.append((name, "true" if value else "false"))
        else:
            out.append((name, str(value)))
    return out


class Stripe:
    def __init__(self, client: httpx.AsyncClient, *, base_url: str, secret_key: str) -> None:
        self.client = client
        self.base = base_url.rstrip("/")
        self.secret_key = secret_key
        register_secret(secret_key)

    async def _call(
        self, method: str, path: str, data: Mapping[str, Any] | None = None, *, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        try:
            response = await self.client.request(
                method,
                f"{self.base}{path}",
                content=urlencode(form(data)).encode() if data else None,
                headers={
                    **headers,
                    "Authorization": f"Bearer {self.secret_key}",
                    **({"Content-Type": "application/x-www-form-urlencoded"} if data else {}),
                },
                timeout=TIMEOUT_SECONDS,
            )
        except TargetRefused as exc:
            log.warning("stripe.refused_target", detail=exc.detail)
            raise StripeError("The card payment service's address is not allowed from this server.") from None
        except httpx.HTTPError as exc:
            log.warning("stripe.unreachable", error=exc.__class__.__name__)
            raise StripeError("The card payment service could not be reached; please try again.") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not response.is_success or not isinstance(body, dict):
            code = (body or {}).get("error", {}).get("code") if isinstance(body, dict) else None
            log.warning("stripe.refused", status=response.status_code, code=code)
            raise StripeError(f"The card payment service refused the request (HTTP {response.status_code}).")
        return body

    async def create_checkout_session(
        self,
        *,
        amount: int,
        currency: str,
        name: str,
        description: str,
        success_url: str,
        cancel_url: str,
        email: str | None,
        metadata: Mapping[str, str],
        idempotency_key: str,
    ) -> dict[str, Any]:
        """A hosted Checkout Session charging exactly `amount` (minor units): one line, the order, whose
        description lists the items (Stripe has no negative lines for a discount)."""
        data: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency.lower(),
                        "unit_amount": amount,
                        "product_data": {"name": name, "description": description[:500] or None},
                    },
                }
            ],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "customer_email": email,
            "client_reference_id": metadata.get("orderId"),
            "metadata": dict(metadata),
            "payment_intent_data": {"metadata": dict(metadata)},
        }
        return await self._call("POST", "/v1/checkout/sessions", data, idempotency_key=idempotency_key)

    async def create_payment_intent(
        self, *, amount: int, currency: str, email: str | None, metadata: Mapping[str, str], idempotency_key: str
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "amount": amount,
            "currency": currency.lower(),
            "receipt_email": email,
            "automatic_payment_methods": {"enabled": True},
            "metadata": dict(metadata),
        }
        return await self._call("POST", "/v1/payment_intents", data, idempotency_key=idempotency_key)

    async def refund(
        self, *, payment_intent: str, amount: int, metadata: Mapping[str, str], idempotency_key: str
    ) -> dict[str, Any]:
        data = {"payment_intent": payment_intent, "amount": amount, "metadata": dict(metadata)}
        return await self._call("POST", "/v1/refunds", data, idempotency_key=idempotency_key)

    async def checkout_session(self, session_id: str) -> dict[str, Any]:
        return await self._call("GET", f"/v1/checkout/sessions/{session_id}")
