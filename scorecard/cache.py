"""Cached dashboard fragments, invalidated by a per-cluster generation number.

Rendering a national-scale dashboard takes tens of milliseconds, most of it template work on
tables that change only when someone saves, submits or reviews. No service calls this module:
every write that shows on a dashboard publishes a domain event (`osm.events`: plan, issue,
objective, perspective, indicator, targets, round, result), and `subscribe()` — called from
`ScorecardConfig.ready()` — makes each of them `touch(cluster_id)`, which moves the cluster's
generation (and the national one) forward; fragment keys carry the generation, so a write
makes the old fragments unreachable at once. A strategy edit (renaming an objective) thus
reaches the dashboards without the strategy app knowing the scorecard exists. `touch` runs immediately and again after commit, so a request that read
the data just before the commit cannot leave a stale fragment under the new generation.
Entries also expire after settings.SCORECARD_FRAGMENT_TTL seconds as a safety net (0 turns
the cache off, e.g. to measure the uncached pages).

Fragments are stored signed (HMAC with SECRET_KEY, salted with the fragment's key) and the
page inserts them unescaped, so an entry that does not verify — written by something else
with access to Redis, or moved from another key — is never served: it is rebuilt.
With the cache away (osm/lib/cache.py answers misses), every fragment is built afresh.

The generation lives in the default cache: Redis in production, shared by every web process.
(With the local-memory cache of a single-process demo it is per process, which is enough
there.)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction

from osm import events

log = logging.getLogger(__name__)

NATIONAL = "all"


def _key(cluster_id: int | str) -> str:
    return f"scorecard:gen:{cluster_id}"


def generation(cluster_id: int | str) -> int:
    key = _key(cluster_id)
    value = cache.get(key)
    if value is None:
        # Start from the clock, not 0, so a lost counter never meets an old fragment.
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
        if value is None:  # the cache is away: a generation no fragment was stored under
            return time.time_ns()
    return int(value)


def _bump(cluster_ids: Iterable[int | str]) -> None:
    for cluster_id in (*cluster_ids, NATIONAL):
        key = _key(cluster_id)
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, time.time_ns(), timeout=None)


def touch(*cluster_ids: int) -> None:
    """The data of these clusters changed: forget their cached fragments."""
    _bump(cluster_ids)
    transaction.on_commit(lambda: _bump(cluster_ids))


# Every event whose write can change what a dashboard shows.
INVALIDATING_EVENTS = (
    events.PLAN_CHANGED,
    events.PLAN_APPROVED,
    events.PLAN_DELETED,
    events.ISSUE_CHANGED,
    events.OBJECTIVE_CHANGED,
    events.PERSPECTIVE_CHANGED,
    events.INDICATOR_CHANGED,
    events.TARGETS_CHANGED,
    events.ROUND_CHANGED,
    events.RESULT_SAVED,
    events.RESULT_APPROVED,
    events.ORGANISATION_CHANGED,
)


def on_event(*, cluster_id: int | None = None, **_payload: object) -> None:
    """Forget the fragments of the event's cluster (of every cluster when it names none)."""
    if cluster_id is None:
        touch_all()
    else:
        touch(cluster_id)


def subscribe() -> None:
    for name in INVALIDATING_EVENTS:
        events.subscribe(name, on_event, when=events.IMMEDIATE)


def touch_all() -> None:
    from osm.models import Cluster

    touch(*Cluster.objects.values_list("pk", flat=True))


def fragment(key_parts: Iterable[object], scope: int | str, build: Callable[[], str]) -> str:
    """The cached fragment for `key_parts` under `scope`'s generation, built when missing."""
    ttl = settings.SCORECARD_FRAGMENT_TTL
    if not ttl:
        return build()
    key = "scorecard:frag:" + ":".join(str(p) for p in (scope, generation(scope), *key_parts))
    signer = signing.Signer(salt=f"scorecard.fragment:{key}")
    stored = cache.get(key)
    if isinstance(stored, str):
        try:
            return signer.unsign(stored)
        except signing.BadSignature:
            log.warning("cached fragment %s failed verification; rebuilt", key)
    html = str(build())
    cache.set(key, signer.sign(html), ttl)
    return html
