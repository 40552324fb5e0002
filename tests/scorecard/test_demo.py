from __future__ import annotations

import pytest

from osm.demo import DemoContext
from osm.lib.workflow import ReviewStatus
from scorecard import demo
from scorecard.models import Indicator, ProvinceTarget, Result

pytestmark = pytest.mark.django_db


def test_demo_seed_builds_indicators_targets_and_two_quarters_in_mixed_states(world):
    from osm.demo import demo_seed

    context = demo_seed()
    indicators = Indicator.objects.filter(cluster=world.cluster)
    assert indicators.exists()
    assert ProvinceTarget.objects.filter(indicator__in=indicators).exists()
    statuses = set(Result.objects.filter(fiscal_year__lt=2570).values_list("status", flat=True))
    assert statuses == set(ReviewStatus.values)
    assert Result.objects.filter(reporting="not_applicable").exists()
    assert any(line.startswith("scorecard:") for line in context.log)
    # Idempotent.
    count = indicators.count()
    demo_seed()
    assert Indicator.objects.filter(cluster=world.cluster).count() == count


def test_demo_seed_without_an_approved_plan_creates_nothing(world):
    context = DemoContext(cluster=world.cluster, province=world.province, users={}, log=[])
    demo.seed(context)
    assert not Indicator.objects.exists()
    assert "no approved plan" in context.log[0]
