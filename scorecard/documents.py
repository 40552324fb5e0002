"""The scorecard's documents: its section of the plan book, and the indicator definition
sheets (scorecard.indicator_sheets: one page per indicator of a plan).

The plan book belongs to the strategy app, which may not import the scorecard; the scorecard
adds its indicators to it with ``registry.add_document_section`` instead.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm import registry
from osm.lib.pdf import render_pdf_pages
from scorecard.models import Indicator, ProvinceTarget, Target

INDICATOR_SHEETS = "scorecard.indicator_sheets"


def plan_indicators(plan: Any) -> list[Indicator]:
    """The plan's indicators in the plan's order, each with `year_targets` (one per plan
    year) and `province_rows` [(province, [value per year])]. Four queries."""
    indicators = list(
        Indicator.objects.filter(objective__plan=plan, retired_at__isnull=True)
        .select_related("objective__issue", "objective__perspective", "owner_agency")
        .order_by(
            "objective__issue__order",
            "objective__issue__code",
            "objective__order",
            "objective__code",
            "order",
            "code",
        )
    )
    years = list(plan.years)
    ids = [i.pk for i in indicators]
    targets = {
        (indicator_id, year): value
        for indicator_id, year, value in Target.objects.filter(
            indicator_id__in=ids, fiscal_year__in=years
        ).values_list("indicator_id", "fiscal_year", "value")
    }
    by_province: dict[int, dict[tuple[int, int], Decimal | None]] = defaultdict(dict)
    for indicator_id, province_id, year, value in ProvinceTarget.objects.filter(
        indicator_id__in=ids, fiscal_year__in=years
    ).values_list("indicator_id", "province_id", "fiscal_year", "value"):
        by_province[indicator_id][(province_id, year)] = value
    provinces = list(plan.cluster.provinces.order_by("name_th"))
    for indicator in indicators:
        indicator.year_targets = [targets.get((indicator.pk, y)) for y in years]  # type: ignore[attr-defined]
        cascade = by_province.get(indicator.pk, {})
        indicator.province_rows = [  # type: ignore[attr-defined]
            (province, [cascade.get((province.pk, y)) for y in years])
            for province in provinces
            if any((province.pk, y) in cascade for y in years)
        ]
    return indicators


def plan_book_section(document: Any, plan: Any) -> list[registry.DocumentSection]:
    """The indicators of the plan with their targets per year and per province."""
    return [
        registry.DocumentSection(
            title=_("Indicators and targets"),
            template="scorecard/pdf/_plan_book_indicators.html",
            context={"indicators": plan_indicators(plan), "years": list(plan.years)},
            anchor="indicators",
            order=50,
        )
    ]


def build_indicator_sheets(document: Any) -> registry.DocumentBuild:
    plan = document.subject
    context = {
        "plan": plan,
        "cluster": plan.cluster,
        "indicators": plan_indicators(plan),
        "years": list(plan.years),
        "document": document,
    }
    rendered = render_pdf_pages("scorecard/pdf/indicator_sheets.html", context)
    return registry.DocumentBuild(rendered.content, rendered.pages)


def indicator_sheets_filename(document: Any) -> str:
    plan = document.subject
    return f"นิยามตัวชี้วัด {plan.cluster.name_th} {plan.start_year}-{plan.end_year}"


INDICATOR_SHEETS_KIND = registry.DocumentKind(
    code=INDICATOR_SHEETS,
    label=gettext_lazy("Indicator definition sheets"),
    subject_model="strategy.plan",
    build=build_indicator_sheets,
    filename=indicator_sheets_filename,
)
