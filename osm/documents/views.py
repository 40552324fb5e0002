"""Generate, watch and download documents. Every view checks the kind's rules on the server."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from osm import access, registry
from osm.documents import panel
from osm.documents.models import Document
from osm.documents.services import document_request
from osm.http import AuthedRequest, safe_next, vary_on_htmx, wants_partial


def _get_kind(code: str) -> registry.DocumentKind:
    try:
        return registry.document_kind(code)
    except LookupError:
        raise Http404 from None


def _get_subject_for_user(
    user: Any, kind: registry.DocumentKind, pk: int, *, request: bool = False
) -> models.Model:
    """The kind's subject: 404 when missing or unreadable, 403 when it may only be read."""
    model = apps.get_model(kind.subject_model)
    subject = model._default_manager.filter(pk=pk).first()
    scope = access.scope_for(user)
    if subject is None or not kind.allows_read(scope, subject):
        raise Http404
    if request and not kind.allows_request(scope, subject):
        raise PermissionDenied
    return subject


def _get_document_for_user(
    user: Any, pk: int
) -> tuple[Document, registry.DocumentKind, models.Model]:
    """A document, its kind and subject, when the kind lets `user` read it (else 404)."""
    document = Document.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    kind = _get_kind(document.kind)
    subject = document.subject
    if subject is None or not kind.allows_read(access.scope_for(user), subject):
        raise Http404
    return document, kind, subject


def _default_next(subject: models.Model) -> str:
    url = getattr(subject, "get_absolute_url", None)
    return url() if url else "/"


@login_required
@require_POST
def document_generate(request: AuthedRequest, kind: str, subject_id: int) -> HttpResponse:
    """(Re)generate a document: queued now, built by the worker."""
    spec = _get_kind(kind)
    subject = _get_subject_for_user(request.user, spec, subject_id, request=True)
    back = safe_next(request, _default_next(subject))
    try:
        params = dict(spec.clean_params(request.POST, subject))
    except ValidationError as error:
        return _refused(request, spec, subject, back, error)
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        params["language"] = language
    document = document_request(kind=spec.code, subject=subject, params=params, by=request.user)
    document.refresh_from_db()
    # Outside a transaction the task was offered to the broker already (on_commit runs at
    # once); inside one (a test, a caller's atomic block) it will be at commit.
    if document.waiting_for_queue and not transaction.get_connection().in_atomic_block:
        messages.warning(
            request,
            _(
                "The document could not be queued right now. Your request is kept and will "
                "be sent to the queue automatically; there is no need to press again."
            ),
        )
    elif document.status == Document.Status.READY:
        messages.success(request, _("The document is ready."))
    else:
        messages.info(request, _("The document is being prepared. This page shows its progress."))
    if wants_partial(request):
        context = panel.panel_context(request, spec, subject, document, next_url=back)
        return render(request, "osm/_document_panel.html", context)
    # Without JavaScript: a status page that reloads itself until the document is done.
    return redirect(
        reverse("osm:document-status", args=[document.pk]) + "?" + urlencode({"next": back})
    )


def _refused(
    request: AuthedRequest,
    spec: registry.DocumentKind,
    subject: models.Model,
    back: str,
    error: ValidationError,
) -> HttpResponse:
    text = " ".join(error.messages)
    if wants_partial(request):
        context = panel.panel_context(request, spec, subject, None, next_url=back, error=text)
        return render(request, "osm/_document_panel.html", context, status=400)
    messages.error(request, text)
    return redirect(back)


@require_GET
@login_required
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's panel: polled by htmx while it is built; a page of its own without JS."""
    document, spec, subject = _get_document_for_user(request.user, pk)
    back = safe_next(request, _default_next(subject))
    context = panel.panel_context(request, spec, subject, document, next_url=back)
    if wants_partial(request):
        return vary_on_htmx(render(request, "osm/_document_panel.html", context))
    context |= {"subject": subject, "back": back, "heading_level": 2}
    return vary_on_htmx(render(request, "osm/document_status.html", context))


@require_GET
@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The document's last good file, to those the kind lets read it."""
    document, spec, _subject = _get_document_for_user(request.user, pk)
    if not document.has_file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=panel.download_name(spec, document),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{document.checksum}"'
    return response
