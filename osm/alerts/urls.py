from __future__ import annotations

from django.urls import path

from osm.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_index, name="index"),
    path("preferences/", views.alert_preferences, name="preferences"),
    path("clusters/<int:pk>/", views.cluster_alerts, name="cluster"),
    path("clusters/<int:pk>/settings/", views.alert_settings, name="settings"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path("<int:pk>/close/", views.alert_close, name="close"),
]
