from __future__ import annotations

from django.urls import path

from committee.views import committees, decisions, meetings, minutes, papers

app_name = "committee"

urlpatterns = [
    path("", committees.index, name="index"),
    path("action-items/", decisions.action_list, name="action-list"),
    path("clusters/<int:pk>/", committees.detail, name="detail"),
    path("clusters/<int:pk>/settings/", committees.settings, name="settings"),
    path("clusters/<int:pk>/members/new/", committees.member_create, name="member-create"),
    path("clusters/<int:pk>/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("clusters/<int:pk>/resolutions/", decisions.register, name="register"),
    path("members/<int:pk>/edit/", committees.member_edit, name="member-edit"),
    path("members/<int:pk>/delete/", committees.member_delete, name="member-delete"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/status/", meetings.meeting_status, name="meeting-status"),
    path("meetings/<int:pk>/pull/", meetings.meeting_pull, name="meeting-pull"),
    path("meetings/<int:pk>/items/new/", meetings.item_create, name="item-create"),
    path("meetings/<int:pk>/minutes/", minutes.minutes_detail, name="minutes"),
    path("meetings/<int:pk>/minutes/edit/", minutes.minutes_edit, name="minutes-edit"),
    path("agenda-items/<int:pk>/edit/", meetings.item_edit, name="item-edit"),
    path("agenda-items/<int:pk>/move/", meetings.item_move, name="item-move"),
    path("agenda-items/<int:pk>/delete/", meetings.item_delete, name="item-delete"),
    path("agenda-items/<int:pk>/papers/", papers.paper_upload, name="paper-upload"),
    path("agenda-items/<int:pk>/resolution/", decisions.resolution_edit, name="resolution-edit"),
    path("papers/<int:pk>/", papers.paper_download, name="paper-download"),
    path("papers/<int:pk>/delete/", papers.paper_delete, name="paper-delete"),
    path("resolutions/<int:pk>/action-items/new/", decisions.action_create, name="action-create"),
    path("action-items/<int:pk>/", decisions.action_detail, name="action-detail"),
    path("action-items/<int:pk>/notes/", decisions.action_note, name="action-note"),
    path("action-items/<int:pk>/edit/", decisions.action_edit, name="action-edit"),
]
