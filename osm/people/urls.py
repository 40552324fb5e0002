"""People and agency routes, part of the core's `osm` namespace (see osm/urls.py)."""

from __future__ import annotations

from django.urls import path

from osm.people import agency_views, invitation_views, views

patterns = [
    path("people/", views.people_list, name="people-list"),
    path("people/invite/", invitation_views.invitation_create, name="invitation-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person-reactivate"),
    path("people/<int:pk>/roles/add/", views.role_add, name="role-add"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role-edit"),
    path("roles/<int:pk>/delete/", views.role_delete, name="role-delete"),
    path(
        "invitations/<int:pk>/resend/", invitation_views.invitation_resend, name="invitation-resend"
    ),
    path(
        "invitations/<int:pk>/revoke/", invitation_views.invitation_revoke, name="invitation-revoke"
    ),
    path(
        "invitations/accept/<str:key>/",
        invitation_views.invitation_accept,
        name="invitation-accept",
    ),
    path("agencies/", agency_views.agency_list, name="agency-list"),
    path("agencies/add/", agency_views.agency_create, name="agency-create"),
    path("agencies/<int:pk>/edit/", agency_views.agency_edit, name="agency-edit"),
    path("agencies/<int:pk>/deactivate/", agency_views.agency_deactivate, name="agency-deactivate"),
    path("agencies/<int:pk>/reactivate/", agency_views.agency_reactivate, name="agency-reactivate"),
    path("agencies/<int:pk>/delete/", agency_views.agency_delete, name="agency-delete"),
]
