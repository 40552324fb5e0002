"""The minutes of a meeting: read (the committee's readers) and edited (staff) until the
next meeting approves them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from committee import selectors
from committee.forms import MinutesForm
from committee.models import Attendance, Meeting, Minutes
from committee.services import minutes as services
from committee.views.common import get_meeting_for_user, posted
from osm import access, audit
from osm.access import Action
from osm.http import AuthedRequest, apply_errors, conflict, conflict_status
from osm.lib.locking import StaleVersion


def _minutes_of(meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("approved_at_meeting")
        .prefetch_related(Prefetch("attendance", Attendance.objects.select_related("member")))
        .first()
    )


def _attendance(minutes: Minutes) -> dict[str, list[Attendance]]:
    rows = list(minutes.attendance.all())
    return {
        "present": [r for r in rows if r.status != Attendance.Status.ABSENT],
        "absent": [r for r in rows if r.status == Attendance.Status.ABSENT],
    }


@login_required
@require_GET
def minutes_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    record = _minutes_of(meeting)
    scope = access.scope_for(request.user)
    context: dict[str, Any] = {
        "meeting": meeting,
        "cluster": meeting.committee.cluster,
        "committee": meeting.committee,
        "minutes": record,
        "can_edit": scope.can_edit_cluster(meeting.committee.cluster_id)
        and record is not None
        and not record.is_approved,
    }
    if record is not None:
        context |= {
            "sections": selectors.agenda(meeting),
            "others": [line for line in record.other_attendees.splitlines() if line.strip()],
            "history": audit.history_for_user(request.user, record),
            **_attendance(record),
        }
    return render(request, "committee/minutes_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, action=Action.EDIT)
    record = _minutes_of(meeting)
    if record is None or record.is_approved:
        messages.info(
            request,
            _("The minutes are drafted when the meeting is marked as held.")
            if record is None
            else _("These minutes are approved; they are no longer edited."),
        )
        return redirect("committee:minutes", meeting.pk)
    items = [item for section in selectors.agenda(meeting) for item in section.items]
    form = MinutesForm(
        posted(request), instance=record, attendance=list(record.attendance.all()), items=items
    )
    context: dict[str, Any] = {
        "meeting": meeting,
        "cluster": meeting.committee.cluster,
        "minutes": record,
        "form": form,
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changed = services.minutes_update(
                    minutes=record,
                    lock_version=form.cleaned_data["lock_version"],
                    attendance=form.attendance_data(),
                    item_texts=form.item_texts(),
                    **form.header(),
                )
            except StaleVersion as error:
                context |= conflict(request, form, error)
                status = conflict_status(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The minutes were saved.") if changed else _("Nothing changed."),
                )
                return redirect("committee:minutes", meeting.pk)
    return render(request, "committee/minutes_form.html", context, status=status)
