"""Readiness checks for /readyz: each returns None when fine, else a short reason."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"database: {exc.__class__.__name__}"
    return None


def check_redis() -> str | None:
    url = settings.REDIS_URL
    if not url:
        return None  # embedded mode: no Redis in use
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as exc:  # connection refused, timeout, auth …
        return f"redis: {exc.__class__.__name__}"
    return None


def failures() -> list[str]:
    return [reason for check in (check_database, check_redis) if (reason := check())]
