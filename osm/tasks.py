"""Core tasks. Tasks take primitive arguments and call one service (STYLE.md §29)."""

from __future__ import annotations

import socket

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "osm:celery:heartbeat"


@shared_task(name="osm.heartbeat", ignore_result=False)
def heartbeat() -> dict[str, str]:
    """Beat sends this every minute; the time it stores shows that workers are alive."""
    beat = {"at": timezone.now().isoformat(), "worker": socket.gethostname()}
    cache.set(HEARTBEAT_KEY, beat, timeout=None)
    return beat
