"""Safe defaults: DEBUG off unless set, a real SECRET_KEY required, security headers on
pages and downloads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import PlanFactory

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "k" * 20 + "Zx9!p@Lm#Qr$Tv%Wy^Bn&Hj*Df(Gs)Ka-Ce_Ui+Oa="


def _settings_in_a_fresh_process(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings as `manage.py runserver` or gunicorn would (not under pytest)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.AXES_IPWARE_PROXY_COUNT, ','.join(s.AXES_IPWARE_META_PRECEDENCE_ORDER))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "osm.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_is_off_unless_set() -> None:
    result = _settings_in_a_fresh_process(SECRET_KEY=REAL_KEY)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[0] == "False"


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "change-me-to-50-random-characters",
        "insecure-dev-only-key-change-me-in-production-0123456789",
        "django-insecure-" + "x1y2z3" * 10,
        "short-but-random-9f8a7b",
        "a" * 60,
    ],
)
def test_without_a_real_secret_key_the_app_refuses_to_start(key: str | None) -> None:
    env = {} if key is None else {"SECRET_KEY": key}
    result = _settings_in_a_fresh_process(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_debug_keeps_the_development_key() -> None:
    result = _settings_in_a_fresh_process(DEBUG="true")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[0] == "True"


def test_the_proxy_count_makes_the_client_address_come_from_the_proxy_header() -> None:
    direct = _settings_in_a_fresh_process(SECRET_KEY=REAL_KEY)
    assert direct.stdout.split()[1:] == ["0", "REMOTE_ADDR"]
    behind = _settings_in_a_fresh_process(SECRET_KEY=REAL_KEY, AXES_PROXY_COUNT="1")
    # One proxy appends the client's address: X-Forwarded-For holds the client alone.
    assert behind.stdout.split()[1:] == ["0", "HTTP_X_FORWARDED_FOR,REMOTE_ADDR"]


def _assert_security_headers(response: Any) -> None:
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_a_page_carries_csp_and_permissions_policy(client: Any, osm_staff: Any) -> None:
    client.force_login(osm_staff)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    _assert_security_headers(response)


def test_a_download_carries_csp_and_permissions_policy(client: Any, world: Any) -> None:
    plan = PlanFactory(cluster=world.cluster)
    response = client.get(reverse("strategy:plan-export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    _assert_security_headers(response)


def test_pages_have_no_inline_script_or_style(client: Any, osm_staff: Any) -> None:
    """The policy forbids them, so the pages must not need them."""
    client.force_login(osm_staff)
    body = client.get(reverse("home")).content.decode()
    assert "<script>" not in body and " style=" not in body
    assert '"allowEval":false' in body and '"includeIndicatorStyles":false' in body
