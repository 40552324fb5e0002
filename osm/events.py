"""Domain events: how one app tells the others that something happened, without importing them.

An app *publishes* an event from its services (``events.publish(events.OBJECTIVE_CHANGED,
cluster_id=…, objective_id=…)``); any app *subscribes* in its ``AppConfig.ready()``
(``events.subscribe(events.OBJECTIVE_CHANGED, handler)``). The publisher never knows who
listens, so the layers stay one-way: strategy publishes "plan approved" and the scorecard,
projects and committee each move what hangs on the plan's objectives; every write that touches
a cluster's numbers publishes an event the dashboard cache listens to.

Handlers run in two moments:
- ``subscribe(..., when=IMMEDIATE)`` (the default): inside the publisher's transaction, right
  away. Use it for work that must commit or fail with the write (moving indicators to the
  successor objectives of an approved plan). An exception aborts the write.
- ``subscribe(..., when=ON_COMMIT)``: after the transaction commits (cache busting, queueing a
  document). Exceptions are logged and swallowed: the write is already acknowledged.

Payloads are keyword arguments of primitive values (ids, strings, mappings of ids), so that an
ON_COMMIT handler can hand them to a Celery task unchanged.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

# Event names. Each documents the payload keys it carries; publishers send at least these.
PLAN_CHANGED = "plan.changed"  # cluster_id, plan_id
PLAN_APPROVED = "plan.approved"  # cluster_id, plan_id, previous_plan_id, successors {old: new}
PLAN_DELETED = "plan.deleted"  # cluster_id, plan_id
ISSUE_CHANGED = "issue.changed"  # cluster_id, plan_id, issue_id
OBJECTIVE_CHANGED = "objective.changed"  # cluster_id, plan_id, objective_id
PERSPECTIVE_CHANGED = "perspective.changed"  # cluster_id, perspective_id
INDICATOR_CHANGED = "indicator.changed"  # cluster_id, indicator_id
TARGETS_CHANGED = "targets.changed"  # cluster_id, indicator_id
ROUND_CHANGED = "round.changed"  # cluster_id, round_id
RESULT_SAVED = "result.saved"  # cluster_id, result_id, status
RESULT_APPROVED = "result.approved"  # cluster_id, result_id
PROJECT_CHANGED = "project.changed"  # cluster_id, project_id
PROGRESS_SAVED = "progress.saved"  # cluster_id, project_id, report_id, status
ORGANISATION_CHANGED = "organisation.changed"  # cluster_id (None: every cluster)


class When(StrEnum):
    IMMEDIATE = "immediate"
    ON_COMMIT = "on_commit"


IMMEDIATE = When.IMMEDIATE
ON_COMMIT = When.ON_COMMIT

Handler = Callable[..., Any]
_handlers: dict[str, list[tuple[When, Handler]]] = defaultdict(list)


def subscribe(name: str, handler: Handler, *, when: When = IMMEDIATE) -> None:
    """Call `handler(**payload)` whenever `name` is published. Idempotent per handler."""
    entry = (When(when), handler)
    if entry not in _handlers[name]:
        _handlers[name].append(entry)


def subscribers(name: str) -> list[tuple[When, Handler]]:
    return list(_handlers.get(name, ()))


def publish(name: str, **payload: Any) -> None:
    """Tell the subscribers of `name`. Immediate handlers run now, in the caller's
    transaction; the others after it commits (at once when there is no transaction)."""
    for when, handler in subscribers(name):
        if when == IMMEDIATE:
            handler(**payload)
        else:
            transaction.on_commit(_guarded(name, handler, payload), robust=True)


def _guarded(name: str, handler: Handler, payload: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        try:
            handler(**payload)
        except Exception:  # the write is committed; a failed side effect must not undo the answer
            logger.exception("Handler %r of event %s failed", handler, name)

    return run
