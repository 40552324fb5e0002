"""A meeting and its agenda: scheduling, the agenda page, items and their order, pulling
items in from the data, and the meeting's status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from committee import selectors
from committee.forms import (
    AgendaItemForm,
    MeetingForm,
    MeetingStatusForm,
    MoveForm,
    PaperForm,
    PullForm,
)
from committee.models import AgendaItem, Meeting
from committee.services import committees, meetings, pulls
from committee.views.common import (
    get_cluster_for_user,
    get_item_for_user,
    get_meeting_for_user,
    posted,
)
from osm import access, audit
from osm.access import Action
from osm.http import (
    AuthedRequest,
    apply_errors,
    changed_labels,
    conflict,
    conflict_status,
    render_page_or_partial,
)
from osm.lib.locking import StaleVersion


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    form = MeetingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        committee = committees.committee_for(cluster)
        try:
            meeting = meetings.meeting_create(
                committee=committee, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if meeting.items.exists():
                text = _(
                    "%(meeting)s is scheduled. Its agenda starts with the previous minutes and the open action items."
                )
            else:  # the committee's first meeting: nothing to carry over
                text = _("%(meeting)s is scheduled. Add its agenda items below.")
            messages.success(request, text % {"meeting": meeting.label})
            return redirect(meeting)
    status = 400 if request.method == "POST" else 200
    context = {"cluster": cluster, "form": form, "meeting": None}
    return render(request, "committee/meeting_form.html", context, status=status)


def agenda_context(request: AuthedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    scope = access.scope_for(request.user)
    can_edit = scope.can_edit_cluster(meeting.committee.cluster_id)
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "cluster": meeting.committee.cluster,
        "sections": selectors.agenda(meeting),
        "can_edit": can_edit,
        "agenda_open": can_edit and meeting.status != Meeting.Status.MINUTES_APPROVED,
        "decides": can_edit and meeting.status != Meeting.Status.PLANNED,
        "pull_form": PullForm(),
        "status_form": MeetingStatusForm(lock_version=meeting.lock_version),
    }
    return context | extra


@login_required
@require_GET
@vary_on_headers("HX-Request")
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    context = agenda_context(request, meeting)
    context["history"] = audit.history_for_user(request.user, meeting)
    return render_page_or_partial(request, "committee/meeting_detail.html", "agenda", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, action=Action.EDIT)
    form = MeetingForm(posted(request), instance=meeting)
    context: dict[str, Any] = {
        "cluster": meeting.committee.cluster,
        "form": form,
        "meeting": meeting,
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            lock_version = data.pop("lock_version")
            data["number"] = data.get("number") or meeting.number
            try:
                changed = meetings.meeting_update(
                    meeting=meeting, lock_version=lock_version, **data
                )
            except StaleVersion as error:
                context |= conflict(request, form, error)
                status = conflict_status(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if changed:
                    messages.success(
                        request,
                        _("Saved: %(fields)s.") % {"fields": changed_labels(Meeting, changed)},
                    )
                return redirect(meeting)
    return render(request, "committee/meeting_form.html", context, status=status)


@login_required
@require_POST
def meeting_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark the meeting held (its minutes are drafted) or, by mistake, back to planned."""
    meeting = get_meeting_for_user(request.user, pk, action=Action.EDIT)
    form = MeetingStatusForm(request.POST, lock_version=meeting.lock_version)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(e) for e in form.errors.get("__all__", [])) or _("Choose a status."),
        )
        return redirect(meeting)
    lock_version = form.cleaned_data["lock_version"]
    try:
        if form.cleaned_data["status"] == Meeting.Status.HELD:
            meetings.meeting_mark_held(meeting=meeting, lock_version=lock_version)
            messages.success(
                request, _("The meeting is held: record its resolutions; its minutes are drafted.")
            )
        else:
            meetings.meeting_mark_planned(meeting=meeting, lock_version=lock_version)
            messages.success(request, _("The meeting is planned again."))
    except StaleVersion:
        messages.error(request, _("Somebody else changed the meeting in the meantime; look again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(meeting)


@login_required
@require_POST
def meeting_pull(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff's one action: pull in the open action items, the off-track indicators and the
    projects behind plan."""
    meeting = get_meeting_for_user(request.user, pk, action=Action.EDIT)
    form = PullForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        pulled = pulls.pull_all(
            meeting=meeting,
            matters_arising=data.get("matters_arising", False),
            off_track=data.get("off_track", False),
            behind=data.get("behind", False),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if pulled.total:
            messages.success(
                request,
                ngettext(
                    "%(n)s item was added to the agenda; items pulled in before are brought up to date.",
                    "%(n)s items were added to the agenda; items pulled in before are brought up to date.",
                    pulled.total,
                )
                % {"n": pulled.total},
            )
        else:
            messages.info(
                request, _("Nothing new to add; items pulled in before are brought up to date.")
            )
    if request.htmx:
        return render(
            request, "committee/meeting_detail.html#agenda", agenda_context(request, meeting)
        )
    return redirect(meeting)


def _item_fields(form: AgendaItemForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("lock_version", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, action=Action.EDIT)
    cluster_id = meeting.committee.cluster_id
    initial = {"section": request.GET.get("section") or AgendaItem.Section.FOR_CONSIDERATION}
    form = AgendaItemForm(posted(request), cluster_id=cluster_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = meetings.agenda_item_create(meeting=meeting, **_item_fields(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The item was added; attach its papers below."))
            return redirect("committee:item-edit", item.pk)
    status = 400 if request.method == "POST" else 200
    context = {"meeting": meeting, "cluster": meeting.committee.cluster, "form": form, "item": None}
    return render(request, "committee/item_form.html", context, status=status)


def item_context(item: AgendaItem, form: AgendaItemForm, **extra: Any) -> dict[str, Any]:
    return {
        "meeting": item.meeting,
        "cluster": item.meeting.committee.cluster,
        "item": item,
        "form": form,
        "papers": list(item.papers.select_related("uploaded_by").order_by("order", "pk")),
        "paper_form": PaperForm(),
        "number": selectors.item_number(item),
    } | extra


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, action=Action.EDIT)
    cluster_id = item.meeting.committee.cluster_id
    initial = {
        "plans": list(item.plans.all()),
        "indicators": list(item.indicators.all()),
        "projects": list(item.projects.all()),
    }
    form = AgendaItemForm(posted(request), instance=item, cluster_id=cluster_id, initial=initial)
    extra: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changed = meetings.agenda_item_update(
                    item=item, lock_version=form.cleaned_data["lock_version"], **_item_fields(form)
                )
            except StaleVersion as error:
                extra = conflict(request, form, error)
                status = conflict_status(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Saved: %(fields)s.") % {"fields": changed_labels(AgendaItem, changed)}
                    if changed
                    else _("The item's links were saved."),
                )
                return redirect(item)
    return render(
        request, "committee/item_form.html", item_context(item, form, **extra), status=status
    )


@login_required
@require_POST
def item_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move an item up or down in its section: a plain form without JavaScript (then back to
    the agenda), the agenda fragment for htmx."""
    item = get_item_for_user(request.user, pk, action=Action.EDIT)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            meetings.agenda_item_move(item=item, direction=form.cleaned_data["direction"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Move an item up or down."))
    if request.htmx:
        return render(
            request, "committee/meeting_detail.html#agenda", agenda_context(request, item.meeting)
        )
    return redirect(
        reverse("committee:meeting-detail", args=[item.meeting_id]) + f"#item-{item.pk}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, action=Action.EDIT)
    meeting = item.meeting
    error = ""
    if request.method == "POST":
        try:
            meetings.agenda_item_delete(item=item)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(
                request, _("The item “%(title)s” was taken off the agenda.") % {"title": item.title}
            )
            return redirect(meeting)
    papers = item.papers.count()
    context = {
        "title": _("Take “%(title)s” off the agenda?") % {"title": item.title},
        "question": ngettext(
            "The item and its %(n)s paper are deleted. This cannot be undone.",
            "The item and its %(n)s papers are deleted. This cannot be undone.",
            papers,
        )
        % {"n": papers},
        "error": error,
        "action": reverse("committee:item-delete", args=[item.pk]),
        "button": _("Delete the item"),
        "cancel": item.get_absolute_url(),
    }
    return render(request, "osm/confirm.html", context, status=400 if error else 200)
