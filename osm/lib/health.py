"""Readiness checks for /readyz: each returns None when fine, else a short reason.

The database is required: without it the instance is not ready (503). Redis is not: pages
render without the cache and e-mails wait in the outbox, so a Redis outage is reported as
"degraded" with status 200, and the load balancer keeps sending traffic.
"""

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
        client = redis.Redis.from_url(
            url, socket_connect_timeout=settings.REDIS_TIMEOUT, socket_timeout=1
        )
        client.ping()
    except Exception as exc:  # connection refused, timeout, auth …
        return f"redis: {exc.__class__.__name__}"
    return None


def failures() -> list[str]:
    """What makes this instance unready."""
    return [reason for check in (check_database,) if (reason := check())]


def degradations() -> list[str]:
    """What is away while the instance still serves."""
    return [reason for check in (check_redis,) if (reason := check())]
