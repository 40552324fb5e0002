"""Dashboard fragments: never served when they fail to verify, and pages without Redis."""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from osm.lib import cache as resilient
from scorecard import cache as fragments
from scorecard import services
from tests.redis_server import RedisServer
from tests.scorecard.conftest import YEAR

EVIL = '<script src="https://evil.example/x.js"></script>'


def _page(world: Any) -> str:
    return reverse("scorecard:cluster", args=[world.cluster.pk]) + f"?year={YEAR}&quarter=1"


def _fragment_keys() -> list[str]:
    return [key for key in cache._cache if "scorecard:frag" in key]  # type: ignore[attr-defined]


def test_a_tampered_fragment_is_rebuilt_not_served(client, committee, world, result) -> None:
    client.force_login(committee)
    first = client.get(_page(world)).content.decode()
    keys = _fragment_keys()
    assert keys, "the dashboard stores its fragments in the cache"
    for key in keys:
        cache._cache[key] = pickle.dumps(EVIL)  # type: ignore[attr-defined]
    again = client.get(_page(world)).content.decode()
    assert EVIL not in again
    assert 'data-status="no_data"' in first
    assert 'data-status="no_data"' in again  # the dashboard, rebuilt
    assert "มูลค่าการค้าชายแดน" in again


def test_a_fragment_signed_for_another_key_is_not_served(db: Any) -> None:
    fragments.fragment(["a"], 1, lambda: "<p>a</p>")
    fragments.fragment(["b"], 1, lambda: "<p>b</p>")
    (key_a,) = [k for k in _fragment_keys() if k.endswith(":a")]
    (key_b,) = [k for k in _fragment_keys() if k.endswith(":b")]
    cache._cache[key_b] = cache._cache[key_a]  # type: ignore[attr-defined]
    assert fragments.fragment(["b"], 1, lambda: "<p>b</p>") == "<p>b</p>"


def test_a_verified_fragment_is_served_from_the_cache(db: Any) -> None:
    builds: list[int] = []

    def build() -> str:
        builds.append(1)
        return "<p>ok</p>"

    assert fragments.fragment(["k"], 1, build) == "<p>ok</p>"
    assert fragments.fragment(["k"], 1, build) == "<p>ok</p>"
    assert len(builds) == 1


@pytest.fixture
def redis_cache(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The production cache backend on a Redis of the test's own."""
    server = RedisServer(tmp_path)
    server.start()
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0.2)
    resilient.reset_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "osm.lib.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "osm",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    yield server
    server.stop()
    resilient.reset_breakers()


def test_with_redis_stopped_pages_render_and_show_writes_made_meanwhile(
    client, committee, world, result, province_officer, osm_staff, plan, redis_cache
) -> None:
    client.force_login(committee)
    page = _page(world)
    assert 'data-status="no_data"' in client.get(page).content.decode()  # cached now

    redis_cache.stop()
    started = time.monotonic()
    for url in [
        reverse("home"),
        page,
        reverse("scorecard:comparison", args=[world.cluster.pk]),
        reverse("strategy:plan-detail", args=[plan.pk]),
        reverse("osm:notification-list"),
    ]:
        assert client.get(url).status_code == 200, url
    assert time.monotonic() - started < 10

    # A result approved while Redis is away: saved once, and shown at once …
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal("4321"),
        submit=True,
    )
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    assert "4,321.00" in client.get(page).content.decode()

    # … and still after Redis returns with the fragments cached before the outage.
    redis_cache.start()
    time.sleep(0.25)
    assert "4,321.00" in client.get(page).content.decode()
