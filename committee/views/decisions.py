"""Resolutions, action items and their follow-up, and the register of resolutions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from committee import selectors
from committee.forms import (
    ActionFilterForm,
    ActionItemForm,
    FollowUpForm,
    RegisterFilterForm,
    ResolutionForm,
)
from committee.models import ActionItem, Resolution
from committee.services import committees, decisions
from committee.views.common import (
    get_action_item_for_user,
    get_cluster_for_user,
    get_item_for_user,
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
from osm.models import Cluster

REGISTER_PAGE = 25
ACTIONS_PAGE = 50


def _resolution_initial(item: Any) -> dict[str, Any]:
    """A new resolution starts from the item's proposal; a matter put for consideration is
    most often approved, any other matter noted."""
    considered = item.section == item.Section.FOR_CONSIDERATION
    kind = Resolution.Kind.APPROVED if considered else Resolution.Kind.NOTED
    return {"text": item.proposal, "kind": kind}


@login_required
@require_http_methods(["GET", "POST"])
def resolution_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record, or correct, the resolution of an agenda item."""
    item = get_item_for_user(request.user, pk, action=Action.EDIT)
    existing = Resolution.objects.filter(item=item).first()
    form = ResolutionForm(
        posted(request),
        instance=existing,
        cluster_id=item.meeting.committee.cluster_id,
        initial=_resolution_initial(item) if existing is None else None,
    )
    context: dict[str, Any] = {
        "item": item,
        "meeting": item.meeting,
        "cluster": item.meeting.committee.cluster,
        "form": form,
        "resolution": existing,
        "number": selectors.item_number(item),
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                decisions.resolution_record(
                    item=item,
                    by=request.user,
                    kind=data["kind"],
                    text=data["text"],
                    approves_plan=data.get("approves_plan"),
                    approves_action_plan=data.get("approves_action_plan"),
                    lock_version=data.get("lock_version"),
                )
            except StaleVersion as error:
                context |= conflict(request, form, error)
                status = conflict_status(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The resolution was recorded."))
                return redirect(item)
    return render(request, "committee/resolution_form.html", context, status=status)


def _action_fields(form: ActionItemForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("lock_version", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: AuthedRequest, pk: int) -> HttpResponse:
    resolution = access.get_for_user(
        request.user,
        Resolution.objects.select_related("item__meeting__committee__cluster"),
        action=Action.EDIT,
        pk=pk,
    )
    cluster = resolution.item.meeting.committee.cluster
    form = ActionItemForm(posted(request), cluster_id=cluster.pk)
    if request.method == "POST" and form.is_valid():
        try:
            item = decisions.action_item_create(
                resolution=resolution, by=request.user, **_action_fields(form)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The action item was added; it comes back under matters arising until it is done."
                ),
            )
            return redirect(item)
    status = 400 if request.method == "POST" else 200
    context = {"resolution": resolution, "cluster": cluster, "form": form, "action_item": None}
    return render(request, "committee/action_form.html", context, status=status)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def action_list(request: AuthedRequest) -> HttpResponse:
    """The action items the person may see: their clusters' (staff, committee, central),
    their province's (officers) or their own — an empty list for anybody else."""
    form = ActionFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else "open"
    cluster_id = request.GET.get("cluster", "")
    cluster_id_int = int(cluster_id) if cluster_id.isdigit() else None
    rows = selectors.action_item_list(
        access.visible(request.user, ActionItem),
        status="" if status == "all" else (status or "open"),
        cluster_id=cluster_id_int,
    )
    page = Paginator(rows, ACTIONS_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "status": status or "open",
        "cluster": Cluster.objects.filter(pk=cluster_id_int).first() if cluster_id_int else None,
        "today": timezone.localdate(),
    }
    return render_page_or_partial(request, "committee/action_list.html", "rows", context)


def _action_context(request: AuthedRequest, item: ActionItem, **extra: Any) -> dict[str, Any]:
    scope = access.scope_for(request.user)
    reads_committee = scope.can_read_cluster(item.cluster_id)
    return {
        "action_item": item,
        "meeting": item.resolution.item.meeting,
        "notes": list(item.notes.select_related("by")),
        "note_form": FollowUpForm(),
        "can_note": access.can(request.user, Action.COMMENT, item),
        "can_edit": scope.can_edit_cluster(item.cluster_id),
        # Officers and owners see the item, not the rest of the committee's records.
        "reads_committee": reads_committee,
        "today": timezone.localdate(),
        "history": audit.history_for_user(request.user, item),
    } | extra


@login_required
@require_GET
def action_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_action_item_for_user(request.user, pk)
    return render(request, "committee/action_detail.html", _action_context(request, item))


@login_required
@require_POST
def action_note(request: AuthedRequest, pk: int) -> HttpResponse:
    """A dated follow-up note: staff, the owning province's officers, the owning person."""
    item = get_action_item_for_user(request.user, pk, action=Action.COMMENT)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            decisions.follow_up_add(
                item=item,
                by=request.user,
                text=form.cleaned_data["text"],
                noted_on=form.cleaned_data["noted_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The follow-up note was added."))
            return redirect(item)
    context = _action_context(request, item, note_form=form)
    return render(request, "committee/action_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_action_item_for_user(request.user, pk, action=Action.EDIT)
    form = ActionItemForm(posted(request), instance=item, cluster_id=item.cluster_id)
    context: dict[str, Any] = {
        "resolution": item.resolution,
        "cluster": item.cluster,
        "form": form,
        "action_item": item,
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changed = decisions.action_item_update(
                    item=item,
                    lock_version=form.cleaned_data["lock_version"],
                    **_action_fields(form),
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
                        _("Saved: %(fields)s.") % {"fields": changed_labels(ActionItem, changed)},
                    )
                return redirect(item)
    return render(request, "committee/action_form.html", context, status=status)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def register(request: AuthedRequest, pk: int) -> HttpResponse:
    """The register of resolutions (ทะเบียนมติ): searchable, filtered by year, topic and
    follow-up, a page at a time."""
    cluster = get_cluster_for_user(request.user, pk)
    committee = committees.committee_draft(cluster)
    years = selectors.register_years(committee) if committee.pk else []
    form = RegisterFilterForm(request.GET or None, years=years)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "query": data["q"].strip(),
            "year": data["year"],
            "topic": data["topic"],
            "follow_up": data["follow_up"],
        }
    rows = selectors.register(committee, **filters) if committee.pk else Resolution.objects.none()
    page = Paginator(rows, REGISTER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "cluster": cluster,
        "committee": committee,
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render_page_or_partial(request, "committee/register.html", "results", context)
