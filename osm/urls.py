from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from osm import views
from osm.alerts import views as alert_views
from osm.documents import views as documents
from osm.people.urls import patterns as people_patterns

osm_patterns = (
    [
        path("preferences/", views.preferences, name="preferences"),
        path("notifications/", alert_views.notification_list, name="notification-list"),
        path("notifications/read/", alert_views.notification_read, name="notification-read"),
        path("notifications/count/", alert_views.notification_count, name="notification-count"),
        path("clusters/", views.cluster_list, name="cluster-list"),
        path("clusters/<int:pk>/", views.cluster_detail, name="cluster-detail"),
        path("clusters/<int:pk>/settings/", views.cluster_settings, name="cluster-settings"),
        path("provinces/<int:pk>/", views.province_detail, name="province-detail"),
        *people_patterns,
        path(
            "documents/<str:kind>/<int:subject_id>/generate/",
            documents.document_generate,
            name="document-generate",
        ),
        path("documents/<int:pk>/", documents.document_status, name="document-status"),
        path("documents/<int:pk>/download/", documents.document_download, name="document-download"),
    ],
    "osm",
)

handler500 = "osm.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # django.contrib.auth.urls, with the password reset throttled and sent via the outbox.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include(osm_patterns)),
    path("alerts/", include("osm.alerts.urls")),
    path("strategy/", include("strategy.urls")),
    path("scorecard/", include("scorecard.urls")),
    path("projects/", include("projects.urls")),
    path("committee/", include("committee.urls")),
]
