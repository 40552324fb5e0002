from __future__ import annotations

from django.urls import path

from projects.views import action_plans, figures, progress
from projects.views import projects as views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("targets/", figures.government_targets, name="targets"),
    path("clusters/<int:pk>/", views.project_list, name="list"),
    path("clusters/<int:pk>/export/", views.project_export, name="export"),
    path("clusters/<int:pk>/new/", views.project_create, name="create"),
    path("clusters/<int:pk>/action-plan/", action_plans.action_plan, name="action-plan"),
    path(
        "clusters/<int:pk>/action-plan/ceiling/",
        action_plans.action_plan_ceiling,
        name="action-plan-ceiling",
    ),
    path(
        "clusters/<int:pk>/action-plan/approve/",
        action_plans.action_plan_approve,
        name="action-plan-approve",
    ),
    path("clusters/<int:pk>/import/", action_plans.project_import, name="import"),
    path(
        "clusters/<int:pk>/import/template/", action_plans.import_template, name="import-template"
    ),
    path("clusters/<int:pk>/budget/", figures.budget, name="budget"),
    path("clusters/<int:pk>/disbursement/", figures.disbursement, name="disbursement"),
    path("clusters/<int:pk>/gaps/", figures.gaps, name="gaps"),
    path("clusters/<int:pk>/owners/", figures.people, name="people"),
    path("clusters/<int:pk>/reviews/", progress.review_queue, name="review"),
    path("clusters/<int:pk>/settings/", figures.warning_settings, name="settings"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/rank/", action_plans.action_plan_move, name="move"),
    path("<int:pk>/disbursement-plan/", views.disbursement_plan, name="disbursement-plan"),
    path("<int:pk>/milestones/", views.milestones, name="milestones"),
    path("<int:pk>/fate/", views.project_fate, name="fate"),
    path("<int:pk>/reports/<int:quarter>/", progress.report, name="report"),
    path("reports/<int:pk>/review/", progress.report_review, name="report-review"),
    path("reports/<int:pk>/reopen/", progress.report_reopen, name="report-reopen"),
    path("evidence/<int:pk>/", progress.evidence_download, name="evidence-download"),
]
