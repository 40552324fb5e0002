"""Writes for indicators, targets, the cascade, reporting rounds and results, one module per
aggregate. Callers use `from scorecard import services; services.<name>(...)`."""

from __future__ import annotations

from scorecard.services.indicators import (
    CLEAR,
    MOVE,
    RETIRE,
    indicator_create,
    indicator_plan_fate,
    indicator_update,
    indicators_follow_objectives,
)
from scorecard.services.results import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_TYPES,
    check_result_values,
    evidence_add,
    province_target_value,
    refresh_period_values,
    result_reopen,
    result_review,
    result_save,
    result_status,
)
from scorecard.services.rounds import (
    create_round_results,
    default_deadline,
    round_close,
    round_open,
    round_reopen,
)
from scorecard.services.targets import (
    CENT,
    CascadeCheck,
    SplitMethod,
    cascade_check,
    cascade_checks,
    cascade_propose,
    cascade_save,
    cascade_split,
    combine,
    targets_cascade_save,
    targets_set,
)

__all__ = [
    "CLEAR",
    "MOVE",
    "RETIRE",
    "CENT",
    "CascadeCheck",
    "EVIDENCE_MAX_BYTES",
    "EVIDENCE_TYPES",
    "SplitMethod",
    "cascade_check",
    "cascade_checks",
    "cascade_propose",
    "cascade_save",
    "cascade_split",
    "check_result_values",
    "combine",
    "create_round_results",
    "default_deadline",
    "evidence_add",
    "indicator_create",
    "indicator_plan_fate",
    "indicator_update",
    "indicators_follow_objectives",
    "province_target_value",
    "refresh_period_values",
    "result_reopen",
    "result_review",
    "result_save",
    "result_status",
    "round_close",
    "round_open",
    "round_reopen",
    "targets_cascade_save",
    "targets_set",
]
