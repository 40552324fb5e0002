"""A plan's structure: issues, objectives, cause-and-effect links and perspectives."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osm import access, audit
from osm.access import Action
from osm.http import AuthedRequest, apply_errors, conflict, conflict_status, safe_next
from osm.lib.locking import StaleVersion
from strategy import forms, selectors, services
from strategy.models import (
    ObjectiveLink,
    Perspective,
)
from strategy.views._common import (
    delete_from_structure,
    form_page,
    get_issue_for_user,
    get_objective_for_user,
    get_plan_for_user,
    map_context,
    posted,
    render_structure,
)


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.EDIT)
    form = forms.IssueForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(plan=plan, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if request.htmx:
                return render_structure(request, plan)
            return redirect(issue)
    context = {"plan": plan, "form": form, "issue": None}
    return form_page(request, "strategy/issue_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, action=Action.EDIT)
    form = forms.IssueForm(posted(request), instance=issue)
    context: dict[str, Any] = {"plan": issue.plan, "form": form, "issue": issue}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_update(issue=issue, **form.cleaned_data)
        except StaleVersion as error:
            context |= conflict(request, form, error)
            status = conflict_status(request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The issue was saved."))
            if request.htmx:
                return render_structure(request, issue.plan)
            return redirect(issue)
    if not request.htmx:
        context["history"] = audit.history_for_user(request.user, issue)
    return form_page(request, "strategy/issue_form.html", context, status=status)


@login_required
@require_POST
def issue_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, action=Action.EDIT)
    return delete_from_structure(
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
        return render_structure(request, issue.plan)
    return redirect(issue)


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk, action=Action.EDIT)
    plan = issue.plan
    form = forms.ObjectiveForm(posted(request), plan=plan, initial={"issue": issue})
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if request.htmx:
                return render_structure(request, plan)
            return redirect(objective)
    context = {"plan": plan, "issue": issue, "form": form, "objective": None}
    return form_page(request, "strategy/objective_form.html", context)


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
        "versions": selectors.objective_versions(objective, request.user),
        "can_edit": access.can(request.user, Action.EDIT, objective),
        "history": audit.history_for_user(request.user, objective),
        "link_history": (
            selectors.link_history(objective)
            if access.can(request.user, Action.HISTORY, objective)
            else []
        ),
    }
    return render(request, "strategy/objective_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_objective_for_user(request.user, pk, action=Action.EDIT)
    plan = objective.plan
    form = forms.ObjectiveForm(posted(request), instance=objective, plan=plan)
    context: dict[str, Any] = {
        "plan": plan,
        "issue": objective.issue,
        "form": form,
        "objective": objective,
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(objective=objective, **form.cleaned_data)
        except StaleVersion as error:
            context |= conflict(request, form, error)
            status = conflict_status(request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The objective was saved."))
            if request.htmx:
                return render_structure(request, plan)
            return redirect(objective)
    return form_page(request, "strategy/objective_form.html", context, status=status)


@login_required
@require_POST
def objective_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_objective_for_user(request.user, pk, action=Action.EDIT)
    return delete_from_structure(
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
        return render_structure(request, objective.plan)
    return redirect(objective.plan)


@login_required
@require_http_methods(["GET", "POST"])
def link_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.EDIT)
    form = forms.LinkForm(posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("The link was added to the map."))
                return redirect("strategy:plan-map", plan.pk)
            form = forms.LinkForm(plan=plan)  # a fresh form under the redrawn map
    template = "strategy/plan_map.html"
    if request.htmx:
        template += "#map-section"
    return render(request, template, map_context(request, plan, form))


@login_required
@require_POST
def link_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    link = access.get_for_user(
        request.user, ObjectiveLink.objects.select_related("plan"), action=Action.EDIT, pk=pk
    )
    plan = link.plan
    services.link_delete(link=link)
    if request.htmx:
        return render(request, "strategy/plan_map.html#map-section", map_context(request, plan))
    messages.success(request, _("The link was removed."))
    return redirect("strategy:plan-map", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def perspective_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    perspective = access.get_for_user(
        request.user, Perspective.objects.select_related("cluster"), action=Action.EDIT, pk=pk
    )
    form = forms.PerspectiveForm(posted(request), instance=perspective)
    if request.method == "POST" and form.is_valid():
        services.perspective_rename(perspective=perspective, **form.cleaned_data)
        messages.success(request, _("The perspective was renamed."))
        return redirect(safe_next(request, reverse("strategy:plan-list")))
    context = {"perspective": perspective, "form": form, "next": safe_next(request, "")}
    return render(request, "strategy/perspective_form.html", context)
