"""What every view needs, once: typed requests, page-or-partial rendering, service errors on a
form, spreadsheet downloads, a safe `next` and field updates that say what changed.

Views use these instead of hand-rolled copies (STYLE.md §17, §21):
- ``render_page_or_partial(request, "app/page.html", "partial", context)``: the whole page,
  or only ``{% partialdef partial %}`` for an htmx request; always ``Vary: HX-Request`` so a
  cache never serves the fragment for the page or the reverse.
- ``apply_errors(form, error)``: a service's ``ValidationError`` on the form, next to the
  field it names (on the form as a whole otherwise).
- ``xlsx_response(content, filename)``: an attachment with the right content type and a
  filename that survives Thai (RFC 5987 ``filename*``, with an ASCII fallback).
- ``safe_next(request, default)``: the ``next`` the form sent if it is one of our own pages,
  else ``default`` — never a redirect to another site.
- ``update_fields(obj, fields)``: set the fields, save only those that changed, return them
  (for a flash message that says what changed, and for no write at all when nothing did).
- ``conflict(request, form, error)`` / ``conflict_status(request)``: the conflict page after
  a stale save (osm/lib/locking.py): the newer values next to the person's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from osm.lib.locking import StaleVersion, conflict_rows
from osm.lib.spreadsheets import XLSX_CONTENT_TYPE
from osm.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxHttpRequest):
    """A request behind @login_required: `user` is a real User."""

    user: User


def wants_partial(request: HttpRequest) -> bool:
    """An htmx swap (not a boosted navigation, which wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted  # type: ignore[union-attr]


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Mark a response that depends on whether htmx asked for it."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_page_or_partial(
    request: HttpRequest,
    template: str,
    partial: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """The page, or only its `partial` for an htmx swap; `Vary: HX-Request` either way."""
    name = f"{template}#{partial}" if wants_partial(request) else template
    return vary_on_htmx(render(request, name, dict(context), status=status))


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, next to the field it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook download. The filename may be Thai: browsers read `filename*` (RFC 5987,
    UTF-8, percent-encoded); the plain `filename` is the ASCII fallback. Private: never kept
    by a shared cache."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to: the posted (or queried) `next` when it is a page of this site,
    else `default`. Stops `next=https://evil.example/` open redirects."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def update_fields(
    obj: models.Model, fields: Mapping[str, Any], *, extra: tuple[str, ...] = ()
) -> dict[str, tuple[Any, Any]]:
    """Set `fields` on `obj`, save those that changed (plus `extra`, e.g. "updated_at", when
    anything did) and return {name: (old, new)} of the changed ones. Nothing changed:
    nothing is written, not even an audit event."""
    changed: dict[str, tuple[Any, Any]] = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            changed[name] = (old, value)
            setattr(obj, name, value)
    if changed:
        obj.save(update_fields=[*changed, *extra])
    return changed


def changed_labels(model: type[models.Model], changed: Mapping[str, Any]) -> str:
    """The verbose names of changed fields, for a flash message."""
    opts = model._meta
    labels = []
    for name in changed:
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:  # a form field that is not a model field
            labels.append(name)
            continue
        labels.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(labels)


def conflict(request: HttpRequest, form: Any, error: StaleVersion) -> dict[str, Any]:
    """After a stale save: the context of the conflict page (`osm/_conflict.html`: the
    newer values next to this person's) with the form moved to the newer version. Answer
    with `conflict_status(request)`."""
    rows = conflict_rows(form, error.current)
    form.show_conflict(error.current)
    return {"conflict": rows, "conflict_current": error.current}


def conflict_status(request: HttpRequest) -> int:
    """409 Conflict; 200 for an htmx swap (htmx does not swap error answers by default)."""
    return 200 if wants_partial(request) else 409
