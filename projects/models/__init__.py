"""Projects of a cluster's annual action plan, their money over time and their progress."""

from __future__ import annotations

from projects.models.money import DisbursementPlan, GovernmentDisbursementTarget, ProjectSettings
from projects.models.plans import ActionPlan, Milestone, Project, ProjectProvince
from projects.models.progress import ProgressEvidence, ProgressReport

__all__ = [
    "ActionPlan",
    "DisbursementPlan",
    "GovernmentDisbursementTarget",
    "Milestone",
    "ProgressEvidence",
    "ProgressReport",
    "Project",
    "ProjectProvince",
    "ProjectSettings",
]
