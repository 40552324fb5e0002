"""Results: entry with evidence, review and reopening, the review queue, evidence download."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osm import access, audit
from osm.access import Action
from osm.forms import ReopenForm, ReviewForm
from osm.http import AuthedRequest, apply_errors, safe_next
from osm.lib.locking import StaleVersion
from osm.workflow_views import handle_reopen, handle_review
from scorecard import selectors, services
from scorecard.forms import ResultForm, ReviewFilterForm
from scorecard.models import Evidence, Result
from scorecard.views._common import (
    get_cluster_for_user,
    get_result_for_user,
)


def _result_context(user: Any, result: Result, form: ResultForm, **extra: Any) -> dict[str, Any]:
    typed = form.cleaned_data.get("value") if form.is_bound and form.is_valid() else None
    return {
        "result": result,
        "form": form,
        "running": services.running_total(result, typed if typed is not None else result.value),
        "target": services.province_target_value(result),
        # Evidence stays with its province: officers of other provinces do not see it.
        "evidence": list(access.visible(user, result.evidence.all())),
        "history": audit.history_for_user(user, result),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def result_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """A province enters, saves as draft, or submits one result (staff and committee see it)."""
    result = get_result_for_user(request.user, pk)
    can_submit = access.can(request.user, Action.SUBMIT, result)
    if request.method == "POST" and not can_submit:
        raise PermissionDenied
    form = ResultForm(
        request.POST or None,
        request.FILES or None,
        indicator=result.indicator,
        initial={
            "reporting": result.reporting,
            "value": (
                None
                if result.value is None
                else result.value.quantize(services.unit_of(result.indicator))
            ),
            "not_reported_reason": result.not_reported_reason,
            "note": result.note,
            "explanation": result.explanation,
            "corrective_action": result.corrective_action,
            "version": result.version,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.result_save(
                result=result,
                by=request.user,
                expected_version=data["version"],
                reporting=data["reporting"],
                value=data["value"],
                note=data["note"],
                explanation=data["explanation"],
                corrective_action=data["corrective_action"],
                not_reported_reason=data["not_reported_reason"],
                submit=request.POST.get("action") == "submit",
                evidence=data.get("evidence") or None,
            )
        except StaleVersion as err:
            conflict = err.current
            form.add_error(None, err)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            if result.status == "submitted":
                messages.success(request, _("The result was submitted for review."))
            else:
                messages.success(request, _("The draft was saved."))
            return redirect(result.round or result)
    context = _result_context(request.user, result, form, can_submit=can_submit, conflict=conflict)
    context["can_review"] = access.can(request.user, Action.REVIEW, result)
    context["review_form"] = ReviewForm(initial={"version": result.version})
    context["reopen_form"] = ReopenForm(initial={"version": result.version})
    status = 409 if conflict is not None else 200
    return render(request, "scorecard/result_edit.html", context, status=status)


@login_required
@require_POST
def result_review(request: AuthedRequest, pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk, action=Action.REVIEW)
    return handle_review(
        request,
        result,
        review=partial(services.result_review, result=result),
        row_template="scorecard/review_queue.html#review-row",
        prepare_row=_with_performance,
        # `next` comes from the form: only a page of this site (no open redirect).
        redirect_to=safe_next(
            request, reverse("scorecard:review", args=[result.indicator.cluster_id])
        ),
    )


def _with_performance(result: Result) -> None:
    """How the value stands against its target, as every row of the review queue shows it
    (an htmx swap of one row too)."""
    result.performance = services.result_status(  # type: ignore[attr-defined]
        result, reporting=result.reporting, value=result.value
    )


@login_required
@require_POST
def result_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk, action=Action.REVIEW)
    return handle_reopen(
        request,
        result,
        reopen=partial(services.result_reopen, result=result),
        reopened=_("The result is reopened for correction."),
    )


@login_required
@require_GET
def review_queue(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    queue = selectors.review_queue([cluster.pk])
    filters = ReviewFilterForm(request.GET or None, cluster=cluster)
    if filters.is_valid():
        queue = filters.apply(queue)
    rows = list(queue)
    for r in rows:  # how each value stands against its target, for the reviewer
        _with_performance(r)
    context = {
        "cluster": cluster,
        "filters": filters,
        "rows": [(r, ReviewForm(initial={"version": r.version})) for r in rows],
    }
    return render(request, "scorecard/review_queue.html", context)


@login_required
@require_GET
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Evidence is served only here, to people who may see its result."""
    evidence = access.get_for_user(
        request.user, Evidence.objects.select_related("result__indicator"), pk=pk
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
