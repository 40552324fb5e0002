"""The Redis cache degrades to "no cache": misses and no-ops, a short wait, no error."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redis.backoff import NoBackoff
from redis.retry import Retry

from osm.lib import cache as resilient
from tests.redis_server import RedisServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def store(server: RedisServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0.2)
    resilient.reset_breakers()
    backend = resilient.ResilientRedisCache(
        server.url,
        {
            "KEY_PREFIX": "t",
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "retry": Retry(NoBackoff(), 1),
            },
        },
    )
    yield backend
    resilient.reset_breakers()


def test_with_redis_away_reads_miss_and_writes_do_nothing_quickly(
    store: Any, server: RedisServer
) -> None:
    store.set("page", "<p>cached</p>")
    assert store.get("page") == "<p>cached</p>"
    server.stop()
    started = time.monotonic()
    assert store.get("page") is None
    assert store.get("page", "default") == "default"
    assert store.get_many(["page"]) == {}
    assert store.add("k", 1) is False
    assert store.set("k", 1) is None
    assert store.has_key("page") is False
    with pytest.raises(ValueError):
        store.incr("counter")
    assert store.is_available() is False
    # One short connect attempt at most, then the breaker skips Redis altogether.
    assert time.monotonic() - started < 1.0
    started = time.monotonic()
    for _ in range(200):
        store.get("page")
    assert time.monotonic() - started < 0.2


def test_the_cache_is_used_again_when_redis_returns(store: Any, server: RedisServer) -> None:
    server.stop()
    assert store.get("x") is None
    server.start()
    time.sleep(0.25)  # the breaker's retry time
    store.set("x", "back")
    assert store.get("x") == "back"
    assert store.is_available() is True


def test_invalidations_lost_in_an_outage_are_written_when_redis_returns(
    store: Any, server: RedisServer
) -> None:
    store.set("generation", 41, timeout=None)
    store.set("fragment", "<p>before the outage</p>", timeout=None)
    server.stop()
    with pytest.raises(ValueError):
        store.incr("generation")  # a write moved the generation: lost for now
    store.set("fragment", "<p>rebuilt during the outage</p>")  # not stored
    server.start()  # the append-only file brings back what was there before
    time.sleep(0.25)
    assert store.get("generation") == 42
    assert store.get("fragment") is None  # the stale value is gone, not served
