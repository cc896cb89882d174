"""The guard on every request that leaves the box (webhooks, SMS, later payment providers): no SSRF.

A manager chooses webhook URLs, so the server must never be made to call itself or its neighbours. The check is
made on the address actually connected to, not on the name in the URL: `GuardedBackend` (an httpcore network
backend) resolves the host itself, refuses the connection when any resolved address is

- unspecified (0.0.0.0/8, ::), loopback (127.0.0.0/8, ::1), link-local (169.254.0.0/16, the cloud metadata
  address 169.254.169.254 included, fe80::/10), multicast, or any other address that is not globally routable;
- private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), unless `advanced.allowPrivateNetworkTargets`;

IPv4-mapped IPv6 forms count as the IPv4 address they carry, and numeric tricks (`2130706433`, `0x7f.1`) are
caught because the check is on what the resolver returned. It then connects to the checked IP itself (TLS still
verifies the host name of the URL). Entries of the boot setting `outbound_allowed_hosts` (`host` or `host:port`,
matched against the URL's host or the resolved address) are trusted by the owner and skip the check.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import anyio
import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

PRIVATE = "a private network address"
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
SAVE_RESOLVE_SECONDS = 3.0


class TargetRefused(Exception):
    """The destination is not one the server may call; the message is our own short reason."""

    def __init__(self, host: str, reason: str, *, literal: bool) -> None:
        self.host = host
        self.private = reason == PRIVATE
        self.detail = f"{host} {'is' if literal else 'resolves to'} {reason}"
        super().__init__(f"refused: {self.detail}")


def as_ip(host: str) -> IPAddress | None:
    """The address when `host` is an IP literal (brackets, a URL-encoded zone id allowed), else None."""
    text = host.strip("[]").replace("%25", "%")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def refusal(address: IPAddress) -> str | None:
    """Why an address may not be called (PRIVATE for private ranges), or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified or address in THIS_NETWORK:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if any(address in network for network in PRIVATE_NETWORKS):
        return PRIVATE
    if not address.is_global:
        return "a reserved address"
    return None


@dataclass(frozen=True)
class AllowedHost:
    host: str
    port: int | None

    @classmethod
    def parse(cls, entry: str) -> AllowedHost:
        """`host`, `host:port`, `[v6]:port` or a bare IPv6 address (already checked by the settings registry)."""
        entry = entry.strip().lower()
        if entry.startswith("["):
            host, _, rest = entry[1:].partition("]")
            return cls(host, int(rest[1:]) if rest.startswith(":") else None)
        if entry.count(":") == 1:
            host, port = entry.split(":")
            return cls(host, int(port))
        return cls(entry, None)

    def matches(self, host: str, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        mine, theirs = as_ip(self.host), as_ip(host)
        if mine is not None and theirs is not None:
            return mine == theirs
        return self.host == host.lower().rstrip(".")


AllowPrivate = Callable[[], Awaitable[bool]]


async def _never() -> bool:
    return False


class OutboundPolicy:
    """Which destinations outgoing requests may reach: the owner's allowlist (boot setting) and whether private
    ranges are allowed (a site setting, read each time through `allow_private`)."""

    def __init__(self, allowed_hosts: Iterable[str] = (), allow_private: AllowPrivate = _never) -> None:
        self.allowed = tuple(AllowedHost.parse(entry) for entry in allowed_hosts)
        self.allow_private = allow_private

    def _allowed(self, host: str, port: int) -> bool:
        return any(entry.matches(host, port) for entry in self.allowed)

    async def addresses(self, host: str, port: int) -> list[str]:
        """The addresses `host` resolves to, each checked; raises TargetRefused, or OSError when it does not
        resolve."""
        literal = as_ip(host)
        if literal is not None:
            found: list[IPAddress] = [literal]
        else:
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if self._allowed(host, port):
            return _unique(found)
        private_ok: bool | None = None
        for address in found:
            if self._allowed(str(address), port):
                continue
            reason = refusal(address)
            if reason == PRIVATE:
                if private_ok is None:
                    private_ok = await self.allow_private()
                if private_ok:
                    continue
            if reason is not None:
                raise TargetRefused(host, reason, literal=literal is not None)
        return _unique(found)

    async def check_url(self, url: str) -> None:
        """Save-time check of a URL: raises TargetRefused, or ValueError when the client could not use it. A name
        that does not resolve within SAVE_RESOLVE_SECONDS passes: the check made when connecting is the one that
        counts."""
        try:
            parsed = httpx.URL(url)
            port = parsed.port or (443 if parsed.scheme == "https" else 80)
            host = parsed.host
        except (httpx.InvalidURL, UnicodeError) as exc:
            raise ValueError(str(exc)) from None
        try:
            with anyio.fail_after(SAVE_RESOLVE_SECONDS):
                await self.addresses(host, port)
        except (OSError, UnicodeError):  # TimeoutError included; UnicodeError: not a valid IDNA name
            return


def _unique(addresses: list[IPAddress]) -> list[str]:
    return list(dict.fromkeys(str(a) for a in addresses))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend, connecting only to addresses the policy let through."""

    def __init__(self, policy: OutboundPolicy) -> None:
        self.policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's backend interface
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await self.policy.addresses(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} took too long") from None
        except (OSError, UnicodeError):
            raise httpcore.ConnectError(f"cannot resolve {host}") from None
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's backend interface
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("outgoing requests never use unix sockets")

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (request/response mapping, error types) over a pool that connects through
    `GuardedBackend`. No proxy: one from the environment could route around the check."""

    def __init__(self, policy: OutboundPolicy, *, verify: ssl.SSLContext | None = None) -> None:
        context = verify or httpx.create_ssl_context(trust_env=False)
        super().__init__(verify=context, trust_env=False)
        # A fresh connection per request: every request is checked again (DNS or the setting may have changed).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_keepalive_connections=0,
            network_backend=GuardedBackend(policy),
        )
