"""Slowing down password guessing: log-in (django-axes) and request limits (the cache).

Log-in failures are counted three ways (settings.AXES_LOCKOUT_PARAMETERS), each with its own
limit: per username and address (`AXES_FAILURE_LIMIT`, the classic), per username from any
address (`AXES_USER_FAILURE_LIMIT`: one account tried from many addresses) and per address
for any username (`AXES_ADDRESS_FAILURE_LIMIT`: one password sprayed across accounts; higher,
because the people of one office share an address). Axes compares one number with one limit,
so `TieredAxesHandler` scales each count to `AXES_FAILURE_LIMIT`: a count reaches the lock-out
exactly when it reaches its own limit. Lock-outs end after `AXES_COOLOFF_TIME`, and a
successful log-in or password reset clears that person's own failures only (never the
address's count, which an attacker could otherwise clear by logging in to their own account).

`hit(...)` is a fixed-window counter in the default cache for other limits (password reset).
When the cache is away it counts in this process's memory: still limited, per process.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Sum
from django.http import HttpRequest

log = logging.getLogger(__name__)


def _limit_for(parameter: str | list[str]) -> int:
    if parameter == "username":
        return int(settings.AXES_USER_FAILURE_LIMIT)
    if parameter == "ip_address":
        return int(settings.AXES_ADDRESS_FAILURE_LIMIT)
    return int(settings.AXES_FAILURE_LIMIT)


class TieredAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        base = int(settings.AXES_FAILURE_LIMIT)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, failures * base // max(1, _limit_for(parameter)))
        return worst

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)


def unlock(*, username: str) -> int:
    """Clear a person's log-in failures (after a successful password reset)."""
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return int(count)


_local = LocMemCache("osm-throttle-fallback", {"MAX_ENTRIES": 10000})


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one request under `key`; False once more than `limit` came within the window
    (`window` seconds, fixed buckets)."""
    bucket = f"throttle:{key}:{int(time.time()) // window}"
    count = _count(cache, bucket, window)
    if count is None:  # the shared cache is away: count in this process
        count = _count(_local, bucket, window) or 1
    return count <= limit


def _count(store: Any, bucket: str, window: int) -> int | None:
    """The bucket's count after this request; None when `store` is unavailable."""
    if not getattr(store, "is_available", lambda: True)():
        return None
    store.add(bucket, 0, window + 1)
    try:
        return int(store.incr(bucket))
    except ValueError:
        available = getattr(store, "is_available", lambda: True)()
        if not available:
            return None
        # Expired between add and incr: start again.
        store.set(bucket, 1, window + 1)
        return 1
