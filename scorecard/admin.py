from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from scorecard.models import Indicator, ReportingRound, Result


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    """Read-mostly: indicators are edited in the app, where every change is checked."""

    list_display = ["code", "name_th", "cluster", "unit", "aggregation", "frequency"]
    list_filter = ["cluster", "aggregation", "frequency", "accumulation"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["cluster"]
    readonly_fields = ["cluster"]
    raw_id_fields = ["objective", "owner_agency"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin[ReportingRound]):
    list_display = ["cluster", "fiscal_year", "quarter", "deadline", "state"]
    list_filter = ["state", "fiscal_year", "cluster"]
    list_select_related = ["cluster"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin[Result]):
    """For looking only: results change through the review workflow (versions, audit)."""

    list_display = ["indicator", "province", "fiscal_year", "quarter", "status", "value"]
    list_filter = ["status", "reporting", "fiscal_year", "quarter"]
    search_fields = ["indicator__code", "province__name_th"]
    list_select_related = ["indicator", "province"]
    raw_id_fields = ["indicator", "province", "round", "province_target"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
