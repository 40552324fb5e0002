"""Quarterly progress reports: entry and submission by the province (or staff), review,
return and reopening by OSM staff — the core workflow, with optimistic locking."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osm import access, audit
from osm.access import Action
from osm.forms import ReopenForm, ReviewForm
from osm.http import AuthedRequest
from osm.lib.dates import FiscalQuarter
from osm.lib.workflow import StaleVersion
from osm.workflow_views import handle_reopen, handle_review
from projects import selectors
from projects.forms import ProgressReportForm
from projects.models import ProgressEvidence, ProgressReport
from projects.services import progress as services
from projects.views.common import (
    add_errors,
    get_cluster_for_user,
    get_project_for_user,
    get_report_for_user,
)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: AuthedRequest, pk: int, quarter: int) -> HttpResponse:
    """The project's report for one quarter: entered, saved as a draft or submitted by those
    who report for it; read by the cluster; reviewed by its staff."""
    if quarter not in (1, 2, 3, 4):
        raise Http404
    project = get_project_for_user(request.user, pk)
    existing = (
        ProgressReport.objects.filter(project=project, quarter=quarter)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    if existing is not None and not access.can(request.user, Action.VIEW, existing):
        raise Http404
    can_submit = access.can(request.user, Action.SUBMIT, project)
    if request.method == "POST" and not can_submit:
        raise PermissionDenied
    initial: dict[str, Any] = {"version": existing.version if existing else 0}
    if existing is not None:
        initial |= {
            "physical_pct": existing.physical_pct,
            "disbursed_to_date": existing.disbursed_to_date,
            "obstacles": existing.obstacles,
            "help_needed": existing.help_needed,
        }
    form = ProgressReportForm(request.POST or None, request.FILES or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                saved = services.report_save(
                    project=project,
                    quarter=quarter,
                    by=request.user,
                    expected_version=data["version"] or None,
                    physical_pct=data["physical_pct"],
                    disbursed_to_date=data["disbursed_to_date"],
                    obstacles=data["obstacles"],
                    help_needed=data["help_needed"],
                    submit=request.POST.get("action") == "submit",
                )
                if data.get("evidence"):
                    services.evidence_add(report=saved, by=request.user, upload=data["evidence"])
        except StaleVersion as err:
            conflict = err.current
            form.add_error(None, err)
        except ValidationError as err:
            add_errors(form, err)
        else:
            if saved.status == "submitted":
                messages.success(request, _("The progress report was submitted for review."))
            else:
                messages.success(request, _("The draft was saved."))
            return redirect(saved)
    context = {
        "project": project,
        "quarter": quarter,
        "period": FiscalQuarter(project.fiscal_year, quarter),
        "report": existing,
        "form": form,
        "conflict": conflict,
        "can_submit": can_submit and (existing is None or existing.is_editable),
        "can_review": access.can(request.user, Action.REVIEW, project),
        "evidence": list(existing.evidence.all()) if existing else [],
        "review_form": ReviewForm(initial={"version": existing.version if existing else 0}),
        "reopen_form": ReopenForm(initial={"version": existing.version if existing else 0}),
        "history": audit.history_for(existing) if existing else [],
    }
    status = 409 if conflict is not None else 400 if form.errors else 200
    return render(request, "projects/report_edit.html", context, status=status)


@login_required
@require_POST
def report_review(request: AuthedRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, action=Action.REVIEW)
    return handle_review(
        request,
        report,
        review=partial(services.report_review, report=report),
        row_template="projects/review_queue.html#review-row",
        redirect_to=reverse("projects:review", args=[report.project.cluster_id]),
    )


@login_required
@require_POST
def report_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, action=Action.REVIEW)
    return handle_reopen(
        request,
        report,
        reopen=partial(services.report_reopen, report=report),
        reopened=_("The report is reopened for correction."),
    )


@login_required
@require_GET
def review_queue(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    rows = [
        (r, ReviewForm(initial={"version": r.version}))
        for r in selectors.review_queue([cluster.pk])
    ]
    return render(request, "projects/review_queue.html", {"cluster": cluster, "rows": rows})


@login_required
@require_GET
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Evidence is served only here, to people who may see its report."""
    evidence = access.get_for_user(
        request.user, ProgressEvidence.objects.select_related("report__project"), pk=pk
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
