"""Reviews of a plan: start one, approve or reject its draft version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from osm.access import Action
from osm.http import AuthedRequest, apply_errors
from osm.lib.dates import current_fiscal_year
from strategy import forms, services
from strategy.views._common import (
    get_plan_for_user,
    posted,
)


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
    form = forms.ReviewForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.plan_review_start(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The review started: this is the new draft version to revise.")
            )
            return redirect(review.to_plan)
    return render(request, "strategy/plan_review.html", {"plan": plan, "form": form})
