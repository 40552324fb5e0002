from __future__ import annotations

from django.urls import path

from scorecard import views

app_name = "scorecard"

urlpatterns = [
    path("", views.index, name="index"),
    path("national/", views.national, name="national"),
    path("clusters/<int:pk>/", views.cluster_scorecard, name="cluster"),
    path("clusters/<int:pk>/provinces/", views.comparison, name="comparison"),
    path("clusters/<int:pk>/timeliness/", views.timeliness, name="timeliness"),
    path("clusters/<int:pk>/rounds/", views.round_list, name="round-list"),
    path("clusters/<int:pk>/review/", views.review_queue, name="review"),
    path(
        "objectives/<int:objective_pk>/indicators/new/",
        views.indicator_create,
        name="indicator-create",
    ),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/targets/", views.targets_edit, name="targets"),
    path("indicators/<int:pk>/targets/check/", views.cascade_check, name="cascade-check"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/workbook/", views.round_workbook, name="round-workbook"),
    path("rounds/<int:pk>/upload/", views.round_upload, name="round-upload"),
    path("rounds/<int:pk>/close/", views.round_close, name="round-close"),
    path("rounds/<int:pk>/reopen/", views.round_reopen, name="round-reopen"),
    path("results/<int:pk>/edit/", views.result_edit, name="result-edit"),
    path("results/<int:pk>/review/", views.result_review, name="result-review"),
    path("results/<int:pk>/reopen/", views.result_reopen, name="result-reopen"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
]
