"""Alignment with the national planning layers: the matrix, tagging, the target list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from osm.access import Action
from osm.http import AuthedRequest, xlsx_response
from strategy import exports, forms, selectors, services
from strategy.models import (
    AlignmentTarget,
    Plan,
)
from strategy.views._common import (
    form_page,
    get_issue_for_user,
    get_objective_for_user,
    get_plan_for_user,
    posted,
)


def _matrix(request: HttpRequest, plan: Plan) -> tuple[selectors.Matrix, forms.MatrixFilterForm]:
    filters = forms.MatrixFilterForm(request.GET)
    return selectors.alignment_matrix(plan, **filters.values()), filters


@require_GET
def plan_alignment(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    matrix, filters = _matrix(request, plan)
    context = {
        "plan": plan,
        "matrix": matrix,
        "filters": filters,
        "query": request.GET.urlencode(),
    }
    return render(request, "strategy/plan_alignment.html", context)


@require_GET
def plan_alignment_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The matrix as shown (same filters) in an Excel workbook."""
    plan = get_plan_for_user(request.user, pk)
    matrix, _filters = _matrix(request, plan)
    filename = (
        f"ความสอดคล้อง-{plan.cluster.name_th}-{plan.start_year}-{plan.end_year}-v{plan.version}.xlsx"
    )
    return xlsx_response(exports.alignment_matrix_workbook(matrix), filename)


def _alignment_edit(request: AuthedRequest, element: Any, plan: Plan) -> HttpResponse:
    current = selectors.tags_of(element)
    region = plan.cluster.region_th
    form = forms.AlignmentForm(posted(request), initial={"targets": current}, region_th=region)
    if request.method == "POST" and form.is_valid():
        services.alignment_set(element=element, targets=form.cleaned_data["targets"])
        if request.htmx:
            return HttpResponseClientRedirect(element.get_absolute_url())
        messages.success(request, _("The alignment was saved."))
        return redirect(element)
    chosen = {t.pk for t in current}
    if form.is_bound:
        chosen = {int(v) for v in form["targets"].value() or [] if str(v).isdigit()}
    context = {
        "element": element,
        "plan": plan,
        "form": form,
        "layers": selectors.targets_by_layer(region_th=region),
        "chosen": chosen,
    }
    return form_page(request, "strategy/alignment_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def issue_alignment(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, action=Action.EDIT)
    return _alignment_edit(request, issue, issue.plan)


@login_required
@require_http_methods(["GET", "POST"])
def objective_alignment(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_objective_for_user(request.user, pk, action=Action.EDIT)
    return _alignment_edit(request, objective, objective.plan)


@require_GET
def target_list(request: HttpRequest) -> HttpResponse:
    layers = selectors.targets_by_layer(active_only=False)
    context = {"layers": layers, "count": AlignmentTarget.objects.count()}
    return render(request, "strategy/target_list.html", context)
