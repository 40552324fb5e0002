from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from osm.lib.workflow import ReviewStatus
from scorecard import services
from scorecard.models import Indicator, ReportingRound, Result

pytestmark = pytest.mark.django_db


def test_seed_scale_builds_consistent_data(world):
    out = StringIO()
    call_command("seed_scale", years=2, clusters=1, stdout=out)
    assert "1 clusters" in out.getvalue()
    cluster_indicators = Indicator.objects.filter(code__startswith="S-")
    assert cluster_indicators.count() == 66
    cluster = cluster_indicators.first().cluster
    provinces = cluster.provinces.count()
    assert Result.objects.count() == 66 * provinces * 2 * 4
    assert ReportingRound.objects.filter(cluster=cluster).count() == 8
    assert set(Result.objects.values_list("status", flat=True)) >= {
        ReviewStatus.APPROVED,
        ReviewStatus.SUBMITTED,
    }
    # The bulk computation of values to date agrees with the services' rule.
    for indicator in cluster_indicators.filter(accumulation="cumulative")[:3]:
        for year in (2569, 2570):
            province = cluster.provinces.first()
            before = list(
                Result.objects.filter(indicator=indicator, province=province, fiscal_year=year)
                .order_by("quarter")
                .values_list("period_value", flat=True)
            )
            services.refresh_period_values(indicator, province.pk, year)
            after = list(
                Result.objects.filter(indicator=indicator, province=province, fiscal_year=year)
                .order_by("quarter")
                .values_list("period_value", flat=True)
            )
            assert before == after
    # Running it again adds nothing.
    call_command("seed_scale", years=2, clusters=1, stdout=StringIO())
    assert Indicator.objects.filter(code__startswith="S-").count() == 66
