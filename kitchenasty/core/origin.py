"""Same-origin checks for what a browser sends with the login cookie: WebSocket handshakes and unsafe requests.

SameSite=Lax keeps the cookie off requests from other *sites*, but a page on another port of the box's own address
is the same site: its scripts could read the kitchen room or change orders with the staff member's cookie. So:
- a WebSocket handshake that carries an `Origin` must come from one of the server's own origins;
- a cookie-authenticated POST/PUT/PATCH/DELETE (no `Authorization` header) must name one of them in `Origin` (or,
  failing that, `Referer`) and, when it has a body, send JSON (a cross-origin form or `text/plain` post cannot).
Bearer-token clients are not affected: a foreign page cannot make the browser add that header.

The server's own origins are `public_url`'s and the one the request's `Host` header names (http or https, since a
TLS proxy may sit in front). A foreign page cannot choose the Host header its victim's browser sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from litestar.connection import ASGIConnection
from litestar.types import Scope

from kitchenasty.core.errors import Forbidden
from kitchenasty.core.security import AUTH_COOKIE

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_COOKIE_NEEDLE = f"{AUTH_COOKIE}=".encode()


def normalise_origin(value: str) -> str | None:
    """`scheme://host[:port]` in lower case with the default port left out, or None for "null" or garbage."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def own_origins(host_header: str | None, public_url: str) -> set[str]:
    """The origins this server answers as: `public_url`'s and the request host's (over http and https)."""
    found: set[str] = set()
    if public_url:
        origin = normalise_origin(public_url)
        if origin:
            found.add(origin)
    if host_header:
        for scheme in ("http", "https"):
            origin = normalise_origin(f"{scheme}://{host_header}")
            if origin:
                found.add(origin)
    return found


def is_own_origin(origin: str, host_header: str | None, public_url: str) -> bool:
    normalised = normalise_origin(origin)
    return normalised is not None and normalised in own_origins(host_header, public_url)


def require_own_origin(connection: ASGIConnection[Any, Any, Any, Any], public_url: str) -> None:
    """For WebSocket handshakes: a browser always sends `Origin`; when present it must be one of ours."""
    origin = connection.headers.get("origin")
    if origin is not None and not is_own_origin(origin, connection.headers.get("host"), public_url):
        raise Forbidden("Live updates are only available on the restaurant's own pages", code="CROSS_ORIGIN_SOCKET")


def _header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key == name:
            return value
    return None


def _has_auth_cookie(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(key == b"cookie" and _COOKIE_NEEDLE in value for key, value in headers)


def cookie_request_refusal(scope: Scope, public_url: str) -> tuple[int, str, str] | None:
    """Why a cookie-authenticated unsafe request is refused (status, message, code), or None to let it through."""
    headers = list(scope["headers"])
    if _header(headers, b"authorization") is not None or not _has_auth_cookie(headers):
        return None
    host = (_header(headers, b"host") or b"").decode("latin-1")
    claimed = _header(headers, b"origin") or _header(headers, b"referer")
    if claimed is None or not is_own_origin(claimed.decode("latin-1"), host, public_url):
        return (
            403,
            "This request came from another web page and was refused; use the restaurant's own pages.",
            "CROSS_ORIGIN_REQUEST",
        )
    if _has_body(headers):
        content_type = (_header(headers, b"content-type") or b"").split(b";", 1)[0].strip().lower()
        if content_type != b"application/json" and not content_type.endswith(b"+json"):
            return 415, "Send the request body as JSON (Content-Type: application/json).", "UNSUPPORTED_MEDIA_TYPE"
    return None


def _has_body(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    length = _header(headers, b"content-length")
    if length is not None:
        return length.strip() not in (b"", b"0")
    return _header(headers, b"transfer-encoding") is not None
