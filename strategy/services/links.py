"""Cause-and-effect links between objectives; they must run one way (no cycles)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from osm import events
from strategy.models import (
    Objective,
    ObjectiveLink,
    Plan,
)


def reaches(edges: Iterable[tuple[Any, Any]], start: Any, goal: Any) -> bool:
    """Whether `goal` can be reached from `start` along `edges` (cause, effect)."""
    following: dict[Any, list[Any]] = defaultdict(list)
    for cause, effect in edges:
        following[cause].append(effect)
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in following[node]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def find_cycle_link(edges: list[tuple[Any, Any]]) -> tuple[Any, Any] | None:
    """The first edge, in order, that closes a cycle with the edges before it."""
    accepted: list[tuple[Any, Any]] = []
    for cause, effect in edges:
        if cause == effect or reaches(accepted, effect, cause):
            return cause, effect
        accepted.append((cause, effect))
    return None


@transaction.atomic
def link_create(*, cause: Objective, effect: Objective, note: str = "") -> ObjectiveLink:
    """A cause → effect link; refused when it would close a cycle."""
    if cause.plan_id != effect.plan_id:
        raise ValidationError({"effect": _("Both objectives must belong to the same plan.")})
    if cause.pk == effect.pk:
        raise ValidationError({"effect": _("An objective cannot cause itself.")})
    # Lock the plan row so two concurrent links cannot close a cycle together.
    Plan.objects.select_for_update().filter(pk=cause.plan_id).first()
    edges = list(
        ObjectiveLink.objects.filter(plan_id=cause.plan_id).values_list("cause_id", "effect_id")
    )
    if (cause.pk, effect.pk) in edges:
        raise ValidationError({"effect": _("These objectives are already linked.")})
    if reaches(edges, effect.pk, cause.pk):
        raise ValidationError(
            {
                "effect": _(
                    "This link would make a cycle: %(effect)s already leads, through other "
                    "links, to %(cause)s. Cause and effect must run one way."
                )
                % {"effect": effect.code, "cause": cause.code}
            }
        )
    link = ObjectiveLink.objects.create(
        plan_id=cause.plan_id, cause=cause, effect=effect, note=note
    )
    events.publish(events.PLAN_CHANGED, cluster_id=cause.plan.cluster_id, plan_id=cause.plan_id)
    return link


def link_delete(*, link: ObjectiveLink) -> None:
    plan = link.plan
    link.delete()
    events.publish(events.PLAN_CHANGED, cluster_id=plan.cluster_id, plan_id=plan.pk)
