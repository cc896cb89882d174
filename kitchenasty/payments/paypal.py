"""PayPal Orders v2 through httpx (the base URL is `payments.paypalApiBase`, else sandbox or live by
`payments.paypalSandbox`): create an order for the exact total, capture it once the guest approved, refund a
capture. The OAuth client-credentials token is cached until shortly before it expires (`TokenCache`)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from kitchenasty.core.http_out import TIMEOUT_SECONDS
from kitchenasty.core.logging import get_logger, register_secret
from kitchenasty.core.outbound import TargetRefused

log = get_logger("kitchenasty.payments.paypal")

SANDBOX = "https://api-m.sandbox.paypal.com"
LIVE = "https://api-m.paypal.com"
EARLY_SECONDS = 60
"""A token is fetched again this long before PayPal says it expires."""


class PayPalError(Exception):
    """PayPal refused or could not be reached; the message is ours."""


def api_base(configured: str, sandbox: bool) -> str:
    return (configured or (SANDBOX if sandbox else LIVE)).rstrip("/")


@dataclass
class TokenCache:
    """Access tokens by (API base, client id), each until its expiry (less a minute)."""

    tokens: dict[tuple[str, str], tuple[str, float]] = field(default_factory=dict)

    def get(self, key: tuple[str, str]) -> str | None:
        found = self.tokens.get(key)
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]

    def put(self, key: tuple[str, str], token: str, expires_in: int) -> None:
        self.tokens[key] = (token, time.monotonic() + max(expires_in - EARLY_SECONDS, 0))


class PayPal:
    def __init__(
        self, client: httpx.AsyncClient, cache: TokenCache, *, base_url: str, client_id: str, client_secret: str
    ) -> None:
        self.client = client
        self.cache = cache
        self.base = base_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        register_secret(client_secret)

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self.client.request(method, f"{self.base}{path}", timeout=TIMEOUT_SECONDS, **kwargs)
        except TargetRefused as exc:
            log.warning("paypal.refused_target", detail=exc.detail)
            raise PayPalError("PayPal's address is not allowed from this server.") from None
        except httpx.HTTPError as exc:
            log.warning("paypal.unreachable", error=exc.__class__.__name__)
            raise PayPalError("PayPal could not be reached; please try again.") from None

    async def token(self) -> str:
        key = (self.base, self.client_id)
        cached = self.cache.get(key)
        if cached:
            return cached
        response = await self._send(
            "POST",
            "/v1/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=httpx.BasicAuth(self.client_id, self.client_secret),
        )
        body = _json(response)
        if not response.is_success or not isinstance(body.get("access_token"), str):
            log.warning("paypal.token_refused", status=response.status_code)
            raise PayPalError(f"PayPal refused the shop's credentials (HTTP {response.status_code}).")
        token = body["access_token"]
        register_secret(token)
        self.cache.put(key, token, int(body.get("expires_in") or 0))
        return token

    async def _call(self, path: str, body: Mapping[str, Any] | None, *, request_id: str) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {await self.token()}", "PayPal-Request-Id": request_id}
        response = await self._send("POST", path, json=dict(body or {}), headers=headers)
        return response.status_code, _json(response)

    async def create_order(
        self,
        *,
        value: str,
        currency: str,
        reference_id: str,
        custom_id: str,
        return_url: str,
        cancel_url: str,
        request_id: str,
    ) -> dict[str, Any]:
        body = {
            "intent": "CAPTURE",
            "purchase_units": [
                {
                    "reference_id": reference_id,
                    "custom_id": custom_id,
                    "amount": {"currency_code": currency.upper(), "value": value},
                }
            ],
            "application_context": {"return_url": return_url, "cancel_url": cancel_url},
        }
        status, answer = await self._call("/v2/checkout/orders", body, request_id=request_id)
        if status >= 300 or not isinstance(answer.get("id"), str):
            log.warning("paypal.order_refused", status=status)
            raise PayPalError(f"PayPal refused to create the payment (HTTP {status}).")
        return answer

    async def capture(self, paypal_order_id: str, *, request_id: str) -> tuple[int, dict[str, Any]]:
        return await self._call(f"/v2/checkout/orders/{paypal_order_id}/capture", None, request_id=request_id)

    async def refund(self, capture_id: str, *, value: str, currency: str, request_id: str) -> dict[str, Any]:
        body = {"amount": {"value": value, "currency_code": currency.upper()}}
        status, answer = await self._call(f"/v2/payments/captures/{capture_id}/refund", body, request_id=request_id)
        if status >= 300 or not isinstance(answer.get("id"), str):
            log.warning("paypal.refund_refused", status=status)
            raise PayPalError(f"PayPal refused the refund (HTTP {status}).")
        return answer


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def approval_url(order: Mapping[str, Any]) -> str | None:
    for link in order.get("links") or []:
        if (
            isinstance(link, dict)
            and link.get("rel") in ("approve", "payer-action")
            and isinstance(link.get("href"), str)
        ):
            return str(link["href"])
    return None


def capture_of(answer: Mapping[str, Any]) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(order status, capture id, capture status, amount value, currency) of a capture answer."""
    units = answer.get("purchase_units") or []
    unit = units[0] if units and isinstance(units[0], dict) else {}
    captures = ((unit.get("payments") or {}).get("captures") or []) if isinstance(unit, dict) else []
    capture = captures[0] if captures and isinstance(captures[0], dict) else {}
    amount = capture.get("amount") or {}
    return (
        answer.get("status"),
        capture.get("id"),
        capture.get("status"),
        amount.get("value") if isinstance(amount, dict) else None,
        amount.get("currency_code") if isinstance(amount, dict) else None,
    )


def custom_id_of(answer: Mapping[str, Any]) -> str | None:
    units = answer.get("purchase_units") or []
    unit = units[0] if units and isinstance(units[0], dict) else {}
    value = unit.get("custom_id") if isinstance(unit, dict) else None
    if value is None and isinstance(unit, dict):
        captures = (unit.get("payments") or {}).get("captures") or []
        if captures and isinstance(captures[0], dict):
            value = captures[0].get("custom_id")
    return value if isinstance(value, str) else None
