"""Writes of the strategy app: plans, their structure, links, alignment tags and reviews, one
module per aggregate. Callers use `from strategy import services; services.<name>(...)`."""

from __future__ import annotations

from strategy.services.alignment import (
    NATIONAL_PLANS_CSV,
    TargetLoadReport,
    alignment_set,
    alignment_targets_load,
)
from strategy.services.links import (
    find_cycle_link,
    link_create,
    link_delete,
    reaches,
)
from strategy.services.plans import (
    plan_changed,
    plan_copy,
    plan_create,
    plan_reject,
    plan_review_start,
    plan_update,
)
from strategy.services.structure import (
    DEFAULT_PERSPECTIVES,
    clean_code,
    issue_create,
    issue_delete,
    issue_move,
    issue_update,
    objective_create,
    objective_delete,
    objective_move,
    objective_update,
    perspective_rename,
    perspectives_ensure,
)
from strategy.services.versions import (
    draft_dependents,
    plan_approve,
    plan_delete,
    unresolved_dependents,
)

__all__ = [
    "clean_code",
    "DEFAULT_PERSPECTIVES",
    "NATIONAL_PLANS_CSV",
    "TargetLoadReport",
    "alignment_set",
    "alignment_targets_load",
    "draft_dependents",
    "find_cycle_link",
    "issue_create",
    "issue_delete",
    "issue_move",
    "issue_update",
    "link_create",
    "link_delete",
    "objective_create",
    "objective_delete",
    "objective_move",
    "objective_update",
    "perspective_rename",
    "perspectives_ensure",
    "plan_approve",
    "plan_changed",
    "plan_copy",
    "plan_create",
    "plan_delete",
    "plan_reject",
    "plan_review_start",
    "plan_update",
    "reaches",
    "unresolved_dependents",
]
