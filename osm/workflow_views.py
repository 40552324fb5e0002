"""The view side of the review workflow (osm/lib/workflow.py): OSM staff approve, return or
reopen what a province submitted, alike for indicator results and project progress reports.

Each app's view stays a thin function: it looks up its own object, scoped to the person and
to ``Action.REVIEW`` (404 to outsiders, 403 to read-only people), and hands this module its
service bound to that object. The flow is written once here: bind ``ReviewForm`` /
``ReopenForm``, call the service with the version the reviewer read, turn a refusal
(``ValidationError``, a ``StaleVersion`` among them) into a message, flash the success, then
answer with the queue's row for an htmx swap or a redirect.

    @login_required
    @require_POST
    def result_review(request: AuthedRequest, pk: int) -> HttpResponse:
        result = get_result_for_user(request.user, pk, action=Action.REVIEW)
        return handle_review(
            request,
            result,
            review=partial(services.result_review, result=result),
            row_template="scorecard/review_queue.html#review-row",
            redirect_to=reverse("scorecard:review", args=[result.indicator.cluster_id]),
        )
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from osm.forms import ReopenForm, ReviewForm
from osm.http import AuthedRequest, vary_on_htmx


class Reviewable(Protocol):
    """What the flow reads of a reviewed object (a model with ``ReviewableMixin``)."""

    @property
    def version(self) -> int: ...

    @property
    def is_locked(self) -> bool: ...

    def get_absolute_url(self) -> str: ...


class ReviewService(Protocol):
    """An app's review service bound to its object (``partial(report_review, report=…)``)."""

    def __call__(self, *, by: Any, expected_version: int, approve: bool, reason: str) -> Any: ...


class ReopenService(Protocol):
    """An app's reopen service bound to its object (``partial(result_reopen, result=…)``)."""

    def __call__(self, *, by: Any, expected_version: int, reason: str) -> Any: ...


T = TypeVar("T", bound=Reviewable)


def handle_review(
    request: AuthedRequest,
    obj: T,
    *,
    review: ReviewService,
    row_template: str,
    redirect_to: str,
    prepare_row: Callable[[T], object] | None = None,
) -> HttpResponse:
    """Approve or return `obj` as the posted ``ReviewForm`` says, through `review` (which
    changes `obj` in place). An htmx request gets `row_template` — the queue's row, given
    ``r`` and ``review_form`` — after `prepare_row(obj)` has added what the row shows
    beyond the object; any other request is redirected to `redirect_to`."""
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review(
                by=request.user,
                expected_version=form.cleaned_data["version"],
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(
                request, _("Approved.") if obj.is_locked else _("Returned to the province.")
            )
    else:
        messages.error(request, _("The review could not be recorded."))
    if request.htmx:
        if prepare_row is not None:
            prepare_row(obj)
        context = {"r": obj, "review_form": ReviewForm(initial={"version": obj.version})}
        return vary_on_htmx(render(request, row_template, context))
    return redirect(redirect_to)


def handle_reopen(
    request: AuthedRequest, obj: Reviewable, *, reopen: ReopenService, reopened: str
) -> HttpResponse:
    """Reopen the approved `obj` for correction as the posted ``ReopenForm`` says, through
    `reopen`; `reopened` is the success message. Back to the object's page either way."""
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            reopen(
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, reopened)
    else:
        messages.error(request, _("Give a reason for reopening."))
    return redirect(obj.get_absolute_url())
