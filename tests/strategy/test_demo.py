from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from strategy.models import AlignmentLink, Objective, ObjectiveLink, Plan

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_approved_plan_once(settings: Any) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    plan = Plan.objects.get(cluster__provinces__code="TH-50", start_year=2566)
    counts = (
        plan.issues.count(),
        plan.objectives.count(),
        plan.links.count(),
        AlignmentLink.objects.count(),
    )
    assert plan.status == Plan.Status.APPROVED
    assert (plan.start_year, plan.end_year) == (2566, 2570)
    assert counts[0] >= 3
    assert counts[1] >= 10
    assert counts[2] >= 8
    assert counts[3] > 0
    assert set(plan.objectives.values_list("perspective__key", flat=True)) == {
        "effectiveness",
        "service_quality",
        "efficiency",
        "org_development",
    }
    assert not plan.objectives.filter(name_en="").exists()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # One approved plan per demo cluster (Chiang Mai's and two in other regions).
    assert Plan.objects.count() == 3
    assert set(Plan.objects.values_list("status", flat=True)) == {Plan.Status.APPROVED}
    assert (
        plan.issues.count(),
        Objective.objects.filter(plan=plan).count(),
        ObjectiveLink.objects.filter(plan=plan).count(),
        AlignmentLink.objects.count(),
    ) == counts


def test_load_national_targets_command_is_idempotent() -> None:
    from io import StringIO

    out = StringIO()
    call_command("load_national_targets", stdout=out)
    assert out.getvalue().startswith("created 0, updated 0")
