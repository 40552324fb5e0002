from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm, Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from osm import access, audit
from osm.access import Action
from osm.http import AuthedRequest, HtmxHttpRequest
from osm.lib.dates import current_fiscal_year
from osm.lib.spreadsheets import XLSX_CONTENT_TYPE
from osm.models import Cluster
from strategy import forms, imports, maps, selectors, services
from strategy.models import (
    AlignmentTarget,
    Objective,
    ObjectiveLink,
    Perspective,
    Plan,
    Review,
    StrategicIssue,
)

# --- Lookups: one per aggregate, scoped (404 outside scope, 403 when not allowed) -----------


def get_plan_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Plan:
    return access.get_for_user(user, selectors.plan_with_cluster(), action=action, pk=pk)


def get_issue_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> StrategicIssue:
    qs = StrategicIssue.objects.select_related("plan__cluster")
    return access.get_for_user(user, qs, action=action, pk=pk)


def get_objective_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Objective:
    qs = selectors.objective_for_page(Objective.objects.all())
    return access.get_for_user(user, qs, action=action, pk=pk)


def _posted(request: HttpRequest) -> Any:
    """The POST data to bind a form to (an empty POST still binds), or None on GET."""
    return request.POST if request.method == "POST" else None


def _apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError back on the form, next to the field it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _structure(request: HttpRequest, plan: Plan, error: str = "") -> HttpResponse:
    """The plan's issues and objectives, as the fragment that htmx swaps into the page."""
    context = {**_structure_context(request, plan), "error": error}
    response = render(request, "strategy/plan_detail.html#structure", context)
    return reswap(retarget(response, "#plan-structure"), "outerHTML")


def _delete_from_structure(
    request: AuthedRequest, plan: Plan, delete: Callable[[], Any], done: str
) -> HttpResponse:
    """Run a delete service; answer with the plan's structure (htmx) or back to the plan."""
    try:
        delete()
    except ValidationError as error:
        if request.htmx:
            return _structure(request, plan, error=" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    if request.htmx:
        return _structure(request, plan)
    messages.success(request, done)
    return redirect(plan)


def _structure_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    return {
        "plan": plan,
        "issues": selectors.issues_with_objectives(plan),
        "can_edit": access.can(request.user, Action.EDIT, plan),
    }


# --- Plans --------------------------------------------------------------------------------------


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    context = {
        "plans": selectors.plans_for(request.user),
        "can_create": bool(scope.staff_clusters) or scope.is_superuser,
    }
    return render(request, "strategy/plan_list.html", context)


def _editable_clusters(user: Any) -> QuerySet[Cluster]:
    scope = access.scope_for(user)
    if scope.is_superuser:
        return Cluster.objects.order_by("number")
    return Cluster.objects.filter(pk__in=scope.staff_clusters).order_by("number")


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedRequest) -> HttpResponse:
    clusters = _editable_clusters(request.user)
    if not clusters.exists():
        raise PermissionDenied
    form = forms.PlanCreateForm(_posted(request), clusters=clusters)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The draft plan was created. Add its issues next."))
            return redirect(plan)
    return render(request, "strategy/plan_form.html", {"form": form, "plan": None})


@require_GET
def plan_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if request.htmx:
        return render(
            request, "strategy/plan_detail.html#structure", _structure_context(request, plan)
        )
    reviews = selectors.reviews_of(plan)
    context = {
        **_structure_context(request, plan),
        "can_review": access.can(request.user, Action.REVIEW, plan),
        "perspectives": selectors.perspectives_of(plan),
        "versions": selectors.versions_of(plan, request.user),
        "reviews": reviews,
        "approve_form": forms.ApproveForm(),
        "pending_review": next(
            (
                r
                for r in reviews
                if r.to_plan_id == plan.pk and r.decision == Review.Decision.PENDING
            ),
            None,
        ),
        "history": audit.history_for(plan) if request.user.is_authenticated else [],
    }
    return render(request, "strategy/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.EDIT)
    form = forms.PlanForm(_posted(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    return render(request, "strategy/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_POST
def plan_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.REVIEW)
    form = forms.ApproveForm(request.POST)
    form.is_valid()
    try:
        services.plan_approve(
            plan=plan, decision_note=form.cleaned_data.get("decision_note", ""), by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("This version is approved; the version before is archived."))
    return redirect(plan)


@login_required
@require_POST
def plan_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.REVIEW)
    form = forms.ApproveForm(request.POST)
    form.is_valid()
    try:
        services.plan_reject(
            plan=plan, decision_note=form.cleaned_data.get("decision_note", ""), by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The review was closed; the approved version stays in force."))
    return redirect(plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.REVIEW)
    initial = {"fiscal_year": current_fiscal_year()}
    form = forms.ReviewForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.plan_review_start(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The review started: this is the new draft version to revise.")
            )
            return redirect(review.to_plan)
    return render(request, "strategy/plan_review.html", {"plan": plan, "form": form})


@require_GET
def plan_compare(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    versions = [v for v in selectors.versions_of(plan, request.user) if v.pk != plan.pk]
    other = None
    wanted = request.GET.get("with") or plan.previous_id
    if wanted:
        # A version the person may not see (an archived one, for the public) is just absent.
        with contextlib.suppress(ValueError, Http404):
            other = get_plan_for_user(request.user, int(wanted))
    diffs = selectors.compare_plans(other, plan) if other else []
    context = {"plan": plan, "other": other, "versions": versions, "diffs": diffs}
    return render(request, "strategy/plan_compare.html", context)


@require_GET
def plan_map(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(request, "strategy/plan_map.html", _map_context(request, plan))


def _map_context(request: HttpRequest, plan: Plan, form: Form | None = None) -> dict[str, Any]:
    can_edit = access.can(request.user, Action.EDIT, plan)
    return {
        "plan": plan,
        "svg": maps.strategy_map_svg(plan),
        "links": selectors.links_of(plan),
        "can_edit": can_edit,
        "form": form or (forms.LinkForm(plan=plan) if can_edit else None),
    }


@require_GET
def plan_map_svg(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + maps.strategy_map_svg(
        plan, url_for=lambda o: request.build_absolute_uri(o.get_absolute_url())
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="strategy-map-{plan.pk}.svg"'
    return response


@require_GET
def plan_alignment(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    issues, layers = selectors.alignment_matrix(plan)
    served = sum(1 for _label, rows in layers for row in rows if row.served)
    total = sum(len(rows) for _label, rows in layers)
    context = {"plan": plan, "issues": issues, "layers": layers, "served": served, "total": total}
    return render(request, "strategy/plan_alignment.html", context)


@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    response = HttpResponse(imports.plan_structure_workbook(plan), content_type=XLSX_CONTENT_TYPE)
    filename = f"plan-{plan.cluster_id}-{plan.start_year}-{plan.end_year}-v{plan.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.EDIT)
    form = forms.ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = imports.plan_structure_import(plan=plan, uploaded=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                _("The workbook was imported: %(n)s objectives.") % {"n": result.rows_read},
            )
            return redirect(plan)
    context = {"plan": plan, "form": form, "result": result}
    return render(request, "strategy/plan_import.html", context)


# --- Issues -------------------------------------------------------------------------------------


def _form_page(request: HtmxHttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The form page, or only its form fragment for htmx."""
    if request.htmx:
        template += "#form"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.EDIT)
    form = forms.IssueForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(plan=plan, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if request.htmx:
                return _structure(request, plan)
            return redirect(issue)
    context = {"plan": plan, "form": form, "issue": None}
    return _form_page(request, "strategy/issue_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, action=Action.EDIT)
    form = forms.IssueForm(_posted(request), instance=issue)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_update(issue=issue, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if request.htmx:
                return _structure(request, issue.plan)
            return redirect(issue)
    context = {"plan": issue.plan, "form": form, "issue": issue}
    if not request.htmx and request.user.is_authenticated:
        context["history"] = audit.history_for(issue)
    return _form_page(request, "strategy/issue_form.html", context)


@login_required
@require_POST
def issue_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, action=Action.EDIT)
    return _delete_from_structure(
        request,
        issue.plan,
        lambda: services.issue_delete(issue=issue),
        _("The issue was deleted."),
    )


@login_required
@require_POST
def issue_move(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, action=Action.EDIT)
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        services.issue_move(issue=issue, direction=form.cleaned_data["direction"])
    if request.htmx:
        return _structure(request, issue.plan)
    return redirect(issue)


# --- Objectives ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, action=Action.EDIT)
    plan = issue.plan
    form = forms.ObjectiveForm(_posted(request), plan=plan, initial={"issue": issue})
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_create(**form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if request.htmx:
                return _structure(request, plan)
            return redirect(objective)
    context = {"plan": plan, "issue": issue, "form": form, "objective": None}
    return _form_page(request, "strategy/objective_form.html", context)


@require_GET
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_objective_for_user(request.user, pk)
    causes, effects = selectors.objective_neighbours(objective)
    context = {
        "objective": objective,
        "plan": objective.plan,
        "causes": causes,
        "effects": effects,
        "tags": selectors.tags_of(objective),
        "can_edit": access.can(request.user, Action.EDIT, objective),
        "history": audit.history_for(objective) if request.user.is_authenticated else [],
        "link_history": (
            selectors.link_history(objective) if request.user.is_authenticated else []
        ),
    }
    return render(request, "strategy/objective_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_objective_for_user(request.user, pk, action=Action.EDIT)
    plan = objective.plan
    form = forms.ObjectiveForm(_posted(request), instance=objective, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(objective=objective, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if request.htmx:
                return _structure(request, plan)
            return redirect(objective)
    context = {"plan": plan, "issue": objective.issue, "form": form, "objective": objective}
    return _form_page(request, "strategy/objective_form.html", context)


@login_required
@require_POST
def objective_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_objective_for_user(request.user, pk, action=Action.EDIT)
    return _delete_from_structure(
        request,
        objective.plan,
        lambda: services.objective_delete(objective=objective),
        _("The objective was deleted."),
    )


@login_required
@require_POST
def objective_move(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_objective_for_user(request.user, pk, action=Action.EDIT)
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        services.objective_move(objective=objective, direction=form.cleaned_data["direction"])
    if request.htmx:
        return _structure(request, objective.plan)
    return redirect(objective.plan)


# --- Alignment tags -----------------------------------------------------------------------------


def _alignment_edit(request: AuthedRequest, element: Any, plan: Plan) -> HttpResponse:
    current = selectors.tags_of(element)
    form = forms.AlignmentForm(_posted(request), initial={"targets": current})
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
        "layers": selectors.targets_by_layer(),
        "chosen": chosen,
    }
    return _form_page(request, "strategy/alignment_form.html", context)


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


# --- Cause-and-effect links ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def link_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.EDIT)
    form = forms.LinkForm(_posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_create(**form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("The link was added to the map."))
                return redirect("strategy:plan-map", plan.pk)
            form = forms.LinkForm(plan=plan)  # a fresh form under the redrawn map
    template = "strategy/plan_map.html"
    if request.htmx:
        template += "#map-section"
    return render(request, template, _map_context(request, plan, form))


@login_required
@require_POST
def link_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    link = access.get_for_user(
        request.user, ObjectiveLink.objects.select_related("plan"), action=Action.EDIT, pk=pk
    )
    plan = link.plan
    services.link_delete(link=link)
    if request.htmx:
        return render(request, "strategy/plan_map.html#map-section", _map_context(request, plan))
    messages.success(request, _("The link was removed."))
    return redirect("strategy:plan-map", plan.pk)


# --- Perspectives and national targets ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def perspective_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    perspective = access.get_for_user(
        request.user, Perspective.objects.select_related("cluster"), action=Action.EDIT, pk=pk
    )
    form = forms.PerspectiveForm(_posted(request), instance=perspective)
    if request.method == "POST" and form.is_valid():
        services.perspective_rename(perspective=perspective, **form.cleaned_data)
        messages.success(request, _("The perspective was renamed."))
        return redirect(_next_url(request) or reverse("strategy:plan-list"))
    context = {"perspective": perspective, "form": form, "next": _next_url(request)}
    return render(request, "strategy/perspective_form.html", context)


def _next_url(request: HttpRequest) -> str:
    """The page to go back to, if it is one of ours."""
    from django.utils.http import url_has_allowed_host_and_scheme

    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if allowed else ""


@require_GET
def target_list(request: HttpRequest) -> HttpResponse:
    layers = selectors.targets_by_layer(active_only=False)
    context = {"layers": layers, "count": AlignmentTarget.objects.count()}
    return render(request, "strategy/target_list.html", context)
