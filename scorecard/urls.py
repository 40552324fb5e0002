from __future__ import annotations

from django.urls import path

from scorecard.views import dashboards, indicators, results, review, rounds

app_name = "scorecard"

urlpatterns = [
    path("", dashboards.index, name="index"),
    path("national/", dashboards.national, name="national"),
    path("clusters/<int:pk>/", dashboards.cluster_scorecard, name="cluster"),
    path("clusters/<int:pk>/provinces/", dashboards.comparison, name="comparison"),
    path("clusters/<int:pk>/timeliness/", dashboards.timeliness, name="timeliness"),
    path("clusters/<int:pk>/rounds/", rounds.round_list, name="round-list"),
    path("clusters/<int:pk>/review/", results.review_queue, name="review"),
    path(
        "objectives/<int:objective_pk>/indicators/new/",
        indicators.indicator_create,
        name="indicator-create",
    ),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/edit/", indicators.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/fate/", indicators.indicator_fate, name="indicator-fate"),
    path(
        "indicators/<int:pk>/corrective-action/",
        indicators.corrective_action,
        name="corrective-action",
    ),
    path("indicators/<int:pk>/targets/", indicators.targets_edit, name="targets"),
    path("indicators/<int:pk>/targets/check/", indicators.cascade_check, name="cascade-check"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round-detail"),
    path("rounds/<int:pk>/workbook/", rounds.round_workbook, name="round-workbook"),
    path("rounds/<int:pk>/upload/", rounds.round_upload, name="round-upload"),
    path("rounds/<int:pk>/close/", rounds.round_close, name="round-close"),
    path("rounds/<int:pk>/reopen/", rounds.round_reopen, name="round-reopen"),
    path("results/<int:pk>/edit/", results.result_edit, name="result-edit"),
    path("results/<int:pk>/review/", results.result_review, name="result-review"),
    path("results/<int:pk>/reopen/", results.result_reopen, name="result-reopen"),
    path("evidence/<int:pk>/", results.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/delete/", review.evidence_delete, name="evidence-delete"),
    path("clusters/<int:pk>/review/approve/", review.review_approve_many, name="review-approve"),
]
