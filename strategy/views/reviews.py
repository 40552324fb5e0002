"""Reviews of a plan: start one, approve (with the committee's approval record, after deciding
what happens to what hangs on the objectives it drops) or reject its draft version, and delete
a mistaken draft."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from osm.access import Action
from osm.http import AuthedRequest, apply_errors
from osm.lib.dates import current_fiscal_year
from strategy import forms, selectors, services
from strategy.models import Plan, Review
from strategy.views._common import (
    get_plan_for_user,
    posted,
)


def approval_context(plan: Plan, form: forms.PlanApprovalForm) -> dict[str, Any]:
    """The approval page: what carries over, what the version drops and what hangs on it
    (through the registry each app fills), and the approval form. Five queries and one per
    app that registers dependents."""
    succession = selectors.plan_succession(plan)
    dependents, open_items = services.unresolved_dependents(succession)
    return {
        "plan": plan,
        "form": form,
        "review": Review.objects.filter(to_plan=plan).select_related("from_plan").first(),
        "succession": succession,
        "dropped": [(o, dependents.get(o.pk, [])) for o in succession.dropped],
        "open_items": open_items,
        "objectives": succession.objectives,
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.REVIEW)
    if plan.status != Plan.Status.DRAFT:
        messages.info(request, _("Only a draft version can be approved."))
        return redirect(plan)
    has_review = Review.objects.filter(to_plan=plan).exists()
    form = forms.PlanApprovalForm(posted(request), review=has_review)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_approve(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("This version is approved; the version before is archived.")
                if plan.previous_id
                else _("The plan is approved."),
            )
            return redirect(plan)
    return render(request, "strategy/plan_approve.html", approval_context(plan, form))


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


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete a mistaken draft (a new plan or a review's draft version), after a
    confirmation page; approved and archived versions are never deleted (403)."""
    plan = get_plan_for_user(request.user, pk, action=Action.EDIT)
    review = Review.objects.filter(to_plan=plan).select_related("from_plan").first()
    error = ""
    if request.method == "POST":
        back = review.from_plan.get_absolute_url() if review else reverse("strategy:plan-list")
        try:
            services.plan_delete(plan=plan, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The draft version was deleted."))
            return redirect(back)
    context = {
        "plan": plan,
        "review": review,
        "in_use": services.draft_dependents(plan),
        "n_issues": plan.issues.count(),
        "n_objectives": plan.objectives.count(),
        "error": error,
    }
    return render(request, "strategy/plan_delete.html", context)
