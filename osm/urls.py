from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from osm import views
from osm.people.urls import patterns as people_patterns

osm_patterns = (
    [
        path("preferences/", views.preferences, name="preferences"),
        path("notifications/", views.notification_list, name="notification-list"),
        path("notifications/read/", views.notification_read, name="notification-read"),
        path("clusters/", views.cluster_list, name="cluster-list"),
        path("clusters/<int:pk>/", views.cluster_detail, name="cluster-detail"),
        path("provinces/<int:pk>/", views.province_detail, name="province-detail"),
        *people_patterns,
    ],
    "osm",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include(osm_patterns)),
    path("strategy/", include("strategy.urls")),
    path("scorecard/", include("scorecard.urls")),
    path("projects/", include("projects.urls")),
    path("committee/", include("committee.urls")),
]
