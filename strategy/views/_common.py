"""Scoped lookups (404 outside scope, 403 when not allowed) and the helpers the
strategy views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import reswap, retarget

from osm import access
from osm.access import Action
from osm.http import (
    AuthedRequest,
    HtmxHttpRequest,
    render_page_or_partial,
)
from strategy import forms, maps, selectors
from strategy.models import (
    Objective,
    Plan,
    StrategicIssue,
)


def get_plan_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Plan:
    return access.get_for_user(user, selectors.plan_with_cluster(), action=action, pk=pk)


def get_issue_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> StrategicIssue:
    qs = StrategicIssue.objects.select_related("plan__cluster")
    return access.get_for_user(user, qs, action=action, pk=pk)


def get_objective_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Objective:
    qs = selectors.objective_for_page(Objective.objects.all())
    return access.get_for_user(user, qs, action=action, pk=pk)


def posted(request: HttpRequest) -> Any:
    """The POST data to bind a form to (an empty POST still binds), or None on GET."""
    return request.POST if request.method == "POST" else None


def render_structure(request: HttpRequest, plan: Plan, error: str = "") -> HttpResponse:
    """The plan's issues and objectives, as the fragment that htmx swaps into the page."""
    context = {**structure_context(request, plan), "error": error}
    response = render(request, "strategy/plan_detail.html#structure", context)
    return reswap(retarget(response, "#plan-structure"), "outerHTML")


def delete_from_structure(
    request: AuthedRequest, plan: Plan, delete: Callable[[], Any], done: str
) -> HttpResponse:
    """Run a delete service; answer with the plan's structure (htmx) or back to the plan."""
    try:
        delete()
    except ValidationError as error:
        if request.htmx:
            return render_structure(request, plan, error=" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    if request.htmx:
        return render_structure(request, plan)
    messages.success(request, done)
    return redirect(plan)


def structure_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    return {
        "plan": plan,
        "issues": selectors.issues_with_objectives(plan),
        "can_edit": access.can(request.user, Action.EDIT, plan),
    }


def form_page(
    request: HtmxHttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The form page, or only its form fragment for htmx."""
    return render_page_or_partial(request, template, "form", context, status=status)


def map_context(request: HttpRequest, plan: Plan, form: Form | None = None) -> dict[str, Any]:
    can_edit = access.can(request.user, Action.EDIT, plan)
    data = maps.map_data(plan)
    svg = maps.map_data_svg(data)
    return {
        "plan": plan,
        "svg": svg,
        # A map whose box text would print below 8 pt prints in parts (strategy.maps.pages).
        "print_pages": maps.print_pages(data, svg),
        "links": selectors.links_of(plan),
        "can_edit": can_edit,
        "form": form or (forms.LinkForm(plan=plan) if can_edit else None),
    }
