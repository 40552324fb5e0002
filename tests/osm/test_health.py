from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse


def test_healthz_answers_without_touching_services(
    client: Any, db: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """A real Redis server of this test's own, which the test may stop."""
    server = shutil.which("redis-server")
    assert server, "redis-server must be installed (make test installs it)"
    port = _free_port()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    for _ in range(50):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)

    yield url, stop
    if process.poll() is None:
        stop()


def test_readyz_is_ready_while_redis_runs_and_503_when_it_stops(
    client: Any, settings: Any, own_redis: tuple[str, Any], db: Any
) -> None:
    url, stop = own_redis
    settings.REDIS_URL = url
    response = client.get(reverse("readyz"))
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok"}

    stop()
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["redis: ConnectionError"]


def test_readyz_names_the_database_when_it_fails(
    client: Any, settings: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osm.lib import health

    settings.REDIS_URL = ""

    def broken_cursor(*args: Any, **kwargs: Any) -> Any:
        from django.db import OperationalError

        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(health.connection, "cursor", broken_cursor)
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["database: OperationalError"]
