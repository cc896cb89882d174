"""Small in-process sliding-window limiters: per client and bucket (register, password reset, coupon checks), and
the login throttle (failed logins per account and per client)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class SlidingWindowLimiter:
    def __init__(self, limit: int, window_seconds: float = 60.0, *, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def hit(self, key: str, *, now: float | None = None) -> int:
        """Record one attempt. Returns 0 if allowed, else the seconds to wait before the next attempt."""
        return self.hit_all((key,), now=now)

    def hit_all(self, keys: tuple[str, ...], *, now: float | None = None) -> int:
        """Record one attempt under every key, or (when any key is out of budget) under none of them.
        Returns 0 if allowed, else the seconds to wait before the next attempt."""
        now = time.monotonic() if now is None else now
        with self._lock:
            wait = 0
            for key in keys:
                hits = self._window(key, now)
                if len(hits) >= self.limit:
                    wait = max(wait, math.ceil(hits[0] + self.window - now), 1)
            if wait:
                return wait
            for key in keys:
                self._hits[key].append(now)
            return 0

    def refund(self, key: str, at: float) -> None:
        """Give back the attempt recorded under `key` at `at` (it turned out not to count)."""
        with self._lock:
            hits = self._hits.get(key)
            if hits is not None and at in hits:
                hits.remove(at)

    def clear(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)

    def _window(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self._max_keys:
                self._evict(now)
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def _evict(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
            del self._hits[key]

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


class LoginThrottle:
    """Failed logins, counted per account (normalised e-mail) and per client address, each with `limit` a window.

    An attempt takes a slot from both budgets before the password is checked, so concurrent guesses cannot overrun
    them; a successful login gives the client's slot back and clears the account's count, so only failures count.
    The account key is the e-mail whether or not such an account exists, so the 429 tells nothing about it.
    """

    def __init__(self, limit: int, window_seconds: float = 60.0) -> None:
        self._limiter = SlidingWindowLimiter(limit, window_seconds)

    @staticmethod
    def keys(kind: str, email: str, client: str | None) -> tuple[str, ...]:
        account = f"account:{kind}:{email}"
        return (account, f"client:{client}") if client else (account,)

    def begin(self, keys: tuple[str, ...]) -> tuple[int, float]:
        """Take a slot under `keys`: (0, when) if allowed, else (seconds to wait, 0)."""
        now = time.monotonic()
        wait = self._limiter.hit_all(keys, now=now)
        return wait, now

    def succeeded(self, keys: tuple[str, ...], at: float) -> None:
        account, *clients = keys
        self._limiter.clear(account)
        for client in clients:
            self._limiter.refund(client, at)

    def reset(self) -> None:
        self._limiter.reset()
