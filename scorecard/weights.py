"""Reads for the weights of the cascade: where they can be copied from, and what they are."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Max, Min

from scorecard.models import Indicator, ProvinceTarget


def weight_sources(indicator: Indicator) -> list[tuple[str, str]]:
    """Where weights can be copied from: this indicator's latest earlier year, and every
    other indicator of the cluster with weights (its latest year). One query."""
    from django.utils.translation import gettext as _

    first_year = min(indicator.objective.plan.years, default=None)
    rows = (
        ProvinceTarget.objects.filter(
            indicator__cluster_id=indicator.cluster_id, weight__isnull=False
        )
        .values("indicator_id", "indicator__code", "indicator__name_th")
        .annotate(latest=Max("fiscal_year"), earliest=Min("fiscal_year"))
        .order_by("indicator__code")
    )
    out: list[tuple[str, str]] = []
    for r in rows:
        if r["indicator_id"] == indicator.pk:
            if first_year is not None and r["earliest"] < first_year:
                out.insert(0, ("previous", _("This indicator, the year before the plan")))
            continue
        label = f"{r['indicator__code']} {r['indicator__name_th']} ({r['latest']})"
        out.append((str(r["indicator_id"]), label))
    return out


def weights_from(indicator: Indicator, source: str) -> dict[int, Decimal]:
    """The weights `source` (from `weight_sources`) holds, by province: its latest year."""
    if source == "previous":
        first_year = min(indicator.objective.plan.years)
        qs = ProvinceTarget.objects.filter(indicator=indicator, fiscal_year__lt=first_year)
    else:
        qs = ProvinceTarget.objects.filter(
            indicator_id=int(source), indicator__cluster_id=indicator.cluster_id
        )
    found: dict[int, Decimal] = {}
    for province_id, weight in (
        qs.filter(weight__isnull=False)
        .order_by("province_id", "-fiscal_year")
        .values_list("province_id", "weight")
    ):
        if weight is not None:
            found.setdefault(province_id, weight)
    return found
