from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.redis_server import RedisServer, free_port

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_without_touching_services(
    client: Any, db: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A real Redis server of this test's own, which the test may stop."""
    server = RedisServer(tmp_path, persistent=False)
    server.start()
    yield server
    server.stop()


def test_readyz_is_ok_while_redis_runs_and_degraded_but_ready_when_it_stops(
    client: Any, settings: Any, own_redis: RedisServer, db: Any
) -> None:
    settings.REDIS_URL = own_redis.url
    response = client.get(reverse("readyz"))
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok"}

    own_redis.stop()
    response = client.get(reverse("readyz"))
    # Pages still render without Redis, so the instance stays in the load balancer.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "degraded": ["redis: ConnectionError"]}


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


THAI_503 = "ระบบไม่พร้อมให้บริการชั่วคราว"


def test_with_the_database_unreachable_pages_answer_a_thai_503_and_readiness_fails() -> None:
    """A real unreachable database: PostgreSQL on a closed port, in a fresh process."""
    script = (
        "import django, json\n"
        "import osm.settings as s\n"  # hashed static files are not collected here
        "s.STORAGES['staticfiles'] = {'BACKEND': "
        "'django.contrib.staticfiles.storage.StaticFilesStorage'}\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "c = Client(raise_request_exception=False)\n"
        "c.cookies['sessionid'] = 'x' * 32\n"
        "out = {}\n"
        "for path in ['/', '/scorecard/']:\n"
        "    r = c.get(path, follow=False)\n"
        "    out[path] = [r.status_code, r.get('Retry-After'), r.content.decode()]\n"
        "r = Client().get('/readyz')\n"  # the load balancer sends no cookie
        "out['/readyz'] = [r.status_code, None, r.content.decode()]\n"
        "print(json.dumps(out))\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/osm_nowhere",
        "REDIS_URL": "",
        "DEBUG": "false",
        "SECRET_KEY": "fault-test-" + "k9Zx!p@Lm#Qr$Tv%Wy^Bn&Hj*Df(Gs)Ka-Ce_Ui+Oa=" * 2,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    import json

    pages = json.loads(result.stdout.strip().splitlines()[-1])
    for path in ["/", "/scorecard/"]:
        status, retry_after, body = pages[path]
        assert status == 503, path
        assert retry_after == "30", path
        assert THAI_503 in body, path
        assert "Traceback" not in body and "OperationalError" not in body, path
    status, _, body = pages["/readyz"]
    assert status == 503
    assert json.loads(body)["failed"] == ["database: OperationalError"]


def test_a_view_that_loses_the_database_answers_the_503_page(
    client: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from osm import views

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.registry, "panels_for", unreachable)
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert THAI_503 in body
    assert "กรุณาลองใหม่ในอีก 30 วินาที" in body


def test_the_503_page_follows_the_chosen_language(
    client: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import InterfaceError

    from osm import views

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(views.registry, "panels_for", unreachable)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert "The service is temporarily unavailable" in response.content.decode()


def test_other_errors_still_answer_the_500_page(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.test import Client

    from osm import views

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError

    monkeypatch.setattr(views.registry, "panels_for", broken)
    response = Client(raise_request_exception=False).get(reverse("home"))
    assert response.status_code == 500
    assert THAI_503 not in response.content.decode()
