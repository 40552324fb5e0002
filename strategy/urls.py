from __future__ import annotations

from django.urls import path

from strategy.views import alignment, plans, reviews, structure

app_name = "strategy"

urlpatterns = [
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/new/", plans.plan_create, name="plan-create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/approve/", reviews.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/delete/", reviews.plan_delete, name="plan-delete"),
    path("plans/<int:pk>/reject/", reviews.plan_reject, name="plan-reject"),
    path("plans/<int:pk>/review/", reviews.plan_review, name="plan-review"),
    path("plans/<int:pk>/compare/", plans.plan_compare, name="plan-compare"),
    path("plans/<int:pk>/map/", plans.plan_map, name="plan-map"),
    path("plans/<int:pk>/map.svg", plans.plan_map_svg, name="plan-map-svg"),
    path("plans/<int:pk>/alignment/", alignment.plan_alignment, name="plan-alignment"),
    path(
        "plans/<int:pk>/alignment.xlsx",
        alignment.plan_alignment_export,
        name="plan-alignment-export",
    ),
    path("plans/<int:pk>/export.xlsx", plans.plan_export, name="plan-export"),
    path("plans/<int:pk>/import/", plans.plan_import, name="plan-import"),
    path("plans/<int:pk>/issues/new/", structure.issue_create, name="issue-create"),
    path("plans/<int:pk>/links/new/", structure.link_create, name="link-create"),
    path("issues/<int:pk>/edit/", structure.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/delete/", structure.issue_delete, name="issue-delete"),
    path("issues/<int:pk>/move/", structure.issue_move, name="issue-move"),
    path("issues/<int:pk>/alignment/", alignment.issue_alignment, name="issue-alignment"),
    path("issues/<int:pk>/objectives/new/", structure.objective_create, name="objective-create"),
    path("objectives/<int:pk>/", structure.objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/edit/", structure.objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/delete/", structure.objective_delete, name="objective-delete"),
    path("objectives/<int:pk>/move/", structure.objective_move, name="objective-move"),
    path(
        "objectives/<int:pk>/alignment/", alignment.objective_alignment, name="objective-alignment"
    ),
    path("links/<int:pk>/delete/", structure.link_delete, name="link-delete"),
    path("perspectives/<int:pk>/edit/", structure.perspective_edit, name="perspective-edit"),
    path("national-targets/", alignment.target_list, name="target-list"),
]
