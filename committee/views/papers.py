"""Papers of agenda items: upload (checked before anything is kept), download through this
scoped view only, and removal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from committee.forms import AgendaItemForm, PaperForm
from committee.services import papers as services
from committee.views.common import get_item_for_user, get_paper_for_user
from committee.views.meetings import item_context
from osm.access import Action
from osm.http import AuthedRequest, apply_errors


@login_required
@require_POST
def paper_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, action=Action.EDIT)
    form = PaperForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            paper = services.paper_add(item=item, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was attached.") % {"name": paper.original_name})
            return redirect(reverse("committee:item-edit", args=[item.pk]) + "#papers")
    initial = {
        "plans": list(item.plans.all()),
        "indicators": list(item.indicators.all()),
        "projects": list(item.projects.all()),
    }
    item_form = AgendaItemForm(
        instance=item, cluster_id=item.meeting.committee.cluster_id, initial=initial
    )
    context = item_context(item, item_form, paper_form=form)
    return render(request, "committee/item_form.html", context, status=400)


@login_required
@require_GET
def paper_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Papers are served only here, to the committee's readers."""
    paper = get_paper_for_user(request.user, pk)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=paper.original_name, content_type=paper.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def paper_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_paper_for_user(request.user, pk, action=Action.EDIT)
    back = reverse("committee:item-edit", args=[paper.item_id]) + "#papers"
    error = ""
    if request.method == "POST":
        try:
            services.paper_delete(paper=paper)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("“%(name)s” was removed.") % {"name": paper.original_name})
            return redirect(back)
    context = {
        "error": error,
        "title": _("Remove the paper “%(name)s”?") % {"name": paper.original_name},
        "question": _("The file is deleted from the agenda item. This cannot be undone."),
        "action": reverse("committee:paper-delete", args=[paper.pk]),
        "button": _("Remove the paper"),
        "cancel": back,
    }
    return render(request, "osm/confirm.html", context, status=400 if error else 200)
