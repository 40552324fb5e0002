from __future__ import annotations

from django.contrib import admin

from strategy.models import AlignmentTarget, Perspective, Plan, Review


@admin.register(AlignmentTarget)
class AlignmentTargetAdmin(admin.ModelAdmin[AlignmentTarget]):
    """Administrators correct and extend the national planning layers here."""

    list_display = ["code", "name_th", "name_en", "layer", "region_th", "parent", "active"]
    list_filter = ["layer", "region_th", "active"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    list_editable = ["active"]


@admin.register(Perspective)
class PerspectiveAdmin(admin.ModelAdmin[Perspective]):
    list_display = ["cluster", "key", "name_th", "name_en", "order"]
    list_filter = ["cluster"]
    list_select_related = ["cluster"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    """Read-mostly: plans are built in the app, where every change is checked and audited."""

    list_display = ["title_th", "cluster", "start_year", "end_year", "version", "status"]
    list_filter = ["status", "cluster"]
    list_select_related = ["cluster"]
    readonly_fields = ["status", "version", "previous", "approved_at", "created_by"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = ["from_plan", "to_plan", "fiscal_year", "decision", "started_at"]
    list_select_related = ["from_plan", "to_plan"]
