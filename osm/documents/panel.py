"""The document panel (generate button, live status, download link) and download names."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from osm import access, registry
from osm.documents.models import Document, params_key

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(spec: registry.DocumentKind, document: Document) -> str:
    """The file's name for the browser: the kind's (Thai is fine, sent RFC 5987-encoded),
    without characters that no file system takes, ending in .pdf."""
    name = spec.filename(document) if spec.filename else f"{spec.label}-{document.pk}"
    name = _UNSAFE.sub("-", str(name)).strip(" .-") or f"document-{document.pk}"
    name = name[:150]
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def document_for(kind: str, subject: models.Model, params: dict[str, Any]) -> Document | None:
    """The record of (kind, subject, params), if it was ever requested. One query."""
    full = {"language": settings.LANGUAGE_CODE, **params}
    return Document.objects.filter(
        kind=kind, object_id=subject.pk, params_key=params_key(full), **_type_of(subject)
    ).first()


def _type_of(subject: models.Model) -> dict[str, str]:
    """The subject's content type as a join: the same one query whether Django's content-type
    cache is warm or not (page query counts stay pinned)."""
    opts = subject._meta
    return {"content_type__app_label": opts.app_label, "content_type__model": str(opts.model_name)}


def panel_context(
    request: HttpRequest,
    spec: registry.DocumentKind,
    subject: models.Model,
    document: Document | None,
    *,
    params: dict[str, Any] | None = None,
    next_url: str = "",
    error: str = "",
) -> dict[str, Any]:
    """What osm/_document_panel.html needs. Nothing (`visible` false) for people the kind
    does not let read it."""
    scope = access.scope_for(request.user)
    visible = spec.allows_read(scope, subject)
    shown = dict(params if params is not None else (document.params if document else {}))
    shown.pop("language", None)
    next_url = next_url or request.get_full_path()
    query = "?" + urlencode({"next": next_url})
    key = params_key({"language": settings.LANGUAGE_CODE, **shown})[:8]
    return {
        "visible": visible,
        "kind": spec,
        "subject": subject,
        "document": document,
        "params": sorted(shown.items()),
        "can_request": visible and spec.allows_request(scope, subject),
        "panel_id": f"document-{spec.code.replace('.', '-').replace('_', '-')}-{subject.pk}-{key}",
        "generate_url": reverse("osm:document-generate", args=[spec.code, subject.pk]),
        "status_url": reverse("osm:document-status", args=[document.pk]) + query
        if document
        else "",
        "download_url": reverse("osm:document-download", args=[document.pk])
        if document and document.has_file
        else "",
        "next_url": next_url,
        "error": error,
    }


def panels_for(request: HttpRequest, subject: models.Model) -> list[dict[str, Any]]:
    """The panels of every listed kind about `subject` that the person may read (whichever
    app declared it), with their records: one query, none for people who may read none."""
    scope = access.scope_for(request.user)
    kinds = [
        kind
        for kind in registry.document_kinds.values()
        if kind.listed
        and kind.subject_model == subject._meta.label_lower
        and kind.allows_read(scope, subject)
    ]
    if not kinds:
        return []
    key = params_key({"language": settings.LANGUAGE_CODE})
    found = {
        d.kind: d
        for d in Document.objects.filter(
            kind__in=[k.code for k in kinds],
            object_id=subject.pk,
            params_key=key,
            **_type_of(subject),
        )
    }
    return [
        panel_context(request, kind, subject, found.get(kind.code), params={}) for kind in kinds
    ]
