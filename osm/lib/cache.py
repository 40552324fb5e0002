"""A Redis cache that degrades to "no cache" instead of failing the request.

Django's RedisCache raises when Redis is down, so every page that reads the cache answers 500.
`ResilientRedisCache` treats a Redis error as a miss (reads) or a no-op (writes), logs it, and
then skips Redis altogether for `RETRY_SECONDS` (a small circuit breaker per process), so a
page costs at most one short connect timeout while Redis is away, not one per cache call.

Invalidations that could not be written while Redis was away (`incr`, `delete`) are
remembered and written again by the first cache call that reaches Redis afterwards, so a
fragment cached before the outage is not served after a write made during it.

Configure the timeouts through OPTIONS (see osm/settings.py): `socket_connect_timeout`,
`socket_timeout`, and `retry` (one immediate retry, no backoff).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_SECONDS = 5.0
_LOST_LIMIT = 1000


class _Breaker:
    """Per-process state shared by every thread's cache instance of one location."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.lost: set[tuple[str, str, int | None]] = set()

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self) -> None:
        self.open_until = time.monotonic() + RETRY_SECONDS


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


def reset_breakers() -> None:
    """Forget every outage (for tests)."""
    with _breakers_lock:
        _breakers.clear()


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._breaker = _breaker_for(server)

    # The guard -------------------------------------------------------------------------------

    def is_available(self) -> bool:
        """False while Redis is known to be away (the breaker is open)."""
        return not self._breaker.is_open()

    def _guard(
        self,
        call: Callable[[], T],
        fallback: Callable[[], T],
        lost: Iterable[tuple[str, str, int | None]] = (),
    ) -> T:
        breaker = self._breaker
        if breaker.is_open():
            self._remember(lost)
            return fallback()
        try:
            if breaker.lost:
                self._replay()
            return call()
        except RedisError as exc:
            breaker.trip()
            log.warning("cache unavailable, treated as a miss: %s", exc.__class__.__name__)
            self._remember(lost)
            return fallback()

    def _remember(self, lost: Iterable[tuple[str, str, int | None]]) -> None:
        breaker = self._breaker
        with breaker.lock:
            for item in lost:
                if len(breaker.lost) < _LOST_LIMIT:
                    breaker.lost.add(item)

    def _replay(self) -> None:
        breaker = self._breaker
        with breaker.lock:
            pending, breaker.lost = breaker.lost, set()
        try:
            for op, key, version in pending:
                if op == "incr":
                    if super().has_key(key, version=version):
                        super().incr(key, 1, version=version)
                else:
                    super().delete(key, version=version)
        except RedisError:
            self._remember(pending)
            raise

    # The cache API ---------------------------------------------------------------------------

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: False,
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(
            lambda: super(ResilientRedisCache, self).get(key, default, version), lambda: default
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        # A value that could not be stored must not survive from before the outage.
        self._guard(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: None,
            [("delete", key, version)],
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version), lambda: False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: False,
            [("delete", key, version)],
        )

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), dict)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).has_key(key, version), lambda: False
        )

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def missing() -> int:
            raise ValueError(f"Key '{key}' not found (cache unavailable).")

        return self._guard(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            missing,
            [("incr", key, version)],
        )

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._guard(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: list(data),
            [("delete", key, version) for key in data],
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        keys = list(keys)
        self._guard(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: None,
            [("delete", key, version) for key in keys],
        )

    def clear(self) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).clear(), lambda: None)
