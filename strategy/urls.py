from __future__ import annotations

from django.urls import path

from strategy import views

app_name = "strategy"

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/reject/", views.plan_reject, name="plan-reject"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan-review"),
    path("plans/<int:pk>/compare/", views.plan_compare, name="plan-compare"),
    path("plans/<int:pk>/map/", views.plan_map, name="plan-map"),
    path("plans/<int:pk>/map.svg", views.plan_map_svg, name="plan-map-svg"),
    path("plans/<int:pk>/alignment/", views.plan_alignment, name="plan-alignment"),
    path("plans/<int:pk>/export.xlsx", views.plan_export, name="plan-export"),
    path("plans/<int:pk>/import/", views.plan_import, name="plan-import"),
    path("plans/<int:pk>/issues/new/", views.issue_create, name="issue-create"),
    path("plans/<int:pk>/links/new/", views.link_create, name="link-create"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/delete/", views.issue_delete, name="issue-delete"),
    path("issues/<int:pk>/move/", views.issue_move, name="issue-move"),
    path("issues/<int:pk>/alignment/", views.issue_alignment, name="issue-alignment"),
    path("issues/<int:pk>/objectives/new/", views.objective_create, name="objective-create"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/delete/", views.objective_delete, name="objective-delete"),
    path("objectives/<int:pk>/move/", views.objective_move, name="objective-move"),
    path("objectives/<int:pk>/alignment/", views.objective_alignment, name="objective-alignment"),
    path("links/<int:pk>/delete/", views.link_delete, name="link-delete"),
    path("perspectives/<int:pk>/edit/", views.perspective_edit, name="perspective-edit"),
    path("national-targets/", views.target_list, name="target-list"),
]
