"""Approving a selection from the review queue at once, and removing an evidence file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from osm import access
from osm.access import Action
from osm.http import AuthedRequest
from scorecard import selectors, services
from scorecard.models import Evidence
from scorecard.views._common import get_cluster_for_user


def _selection(request: AuthedRequest) -> dict[int, int]:
    """{result id: version read} from the ticked boxes ("<id>.<version>")."""
    chosen: dict[int, int] = {}
    for value in request.POST.getlist("result"):
        pk, _sep, version = value.partition(".")
        if pk.isdigit() and version.isdigit():
            chosen[int(pk)] = int(version)
    return chosen


@login_required
@require_POST
def review_approve_many(request: AuthedRequest, pk: int) -> HttpResponse:
    """Approve the ticked results of the queue: a first POST shows what will be approved
    and asks once; the confirming POST (``confirm=yes``) approves them all."""
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    queue_url = reverse("scorecard:review", args=[cluster.pk])
    back = request.POST.get("back", "")
    if back.startswith("?"):
        queue_url += back
    chosen = _selection(request)
    results = list(selectors.review_queue([cluster.pk]).filter(pk__in=chosen))
    if not results:
        messages.error(request, _("Tick the values to approve first."))
        return redirect(queue_url)
    if request.POST.get("confirm") != "yes":
        context = {"cluster": cluster, "results": results, "chosen": chosen, "back": back}
        return render(request, "scorecard/review_approve.html", context)
    approved, refused = services.results_approve_many(
        results=results, by=request.user, versions=chosen
    )
    if approved:
        messages.success(
            request,
            ngettext("%(n)d value approved.", "%(n)d values approved.", len(approved))
            % {"n": len(approved)},
        )
    for line in refused:
        messages.error(request, line)
    return redirect(queue_url)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """The uploader removes an evidence file before the result is approved (asks first)."""
    evidence = access.get_for_user(
        request.user,
        Evidence.objects.select_related("result__indicator", "result__province"),
        action=Action.SUBMIT,
        pk=pk,
    )
    result = evidence.result
    if request.method == "POST":
        try:
            services.evidence_delete(evidence=evidence, by=request.user)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("The evidence file was removed."))
        return redirect(reverse("scorecard:result-edit", args=[result.pk]))
    context = {"evidence": evidence, "result": result}
    return render(request, "scorecard/evidence_delete.html", context)
