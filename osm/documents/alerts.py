"""Early warning of the document machinery (the rule API: osm/alerts/rules.py).

Document failed: a generated document whose status is "failed". One alert per document,
about the `Document` record, in its cluster, severity "warning"; it reaches the cluster's
OSM staff and the person who asked for it (`Audience.OWNER`). It resolves by itself when the
document is ready again (or is being built again when the rules run).

Told once, on the channel each person chose. The failure is not told directly any more
(the former ``notify()`` to the requester and staff): the alert record is the only telling.
Because the rules run once a day and a failure should be heard at once, the render service
runs *this rule alone* right after a failure is committed (`document_alerts_refresh`), and
again after a document with an open alert is ready, so that the alert resolves at once too.
That run goes through the engine, so each person gets it in the app, by e-mail at once or
in the daily digest as they chose, once: the engine's one-open-alert-per-object rule makes
the daily run, or a second failure of the same document before anyone ran the rules, raise
nothing twice. The rule reads every failed document (one query, the same as the daily run),
so a run for one document also settles the others; it never fails the render: an error is
logged and the daily run catches up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from osm import registry
from osm.alerts.models import Audience, Severity
from osm.alerts.rules import AlertRule, Condition, RuleContext
from osm.documents.models import Document

log = logging.getLogger(__name__)
CODE = "osm.document_failed"
LANGUAGES = ("th", "en")


def _in_each_language(text: object) -> dict[str, str]:
    """A lazy translation as {"th": …, "en": …} (alert params hold no language)."""
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            found[language] = str(text)
    return found


def _kind_label(code: str) -> dict[str, str] | str:
    try:
        return _in_each_language(registry.document_kind(code).label)
    except LookupError:
        return code


def document_failed(ctx: RuleContext) -> Iterator[Condition]:
    """Documents that failed: one query, whatever their number."""
    rows = Document.objects.filter(status=Document.Status.FAILED).values_list(
        "pk", "kind", "cluster_id", "requested_by_id", "error_code", "error_message"
    )
    labels: dict[str, dict[str, str] | str] = {}
    for pk, kind, cluster_id, requested_by_id, error_code, error_message in rows:
        if kind not in labels:
            labels[kind] = _kind_label(kind)
        if error_message:  # the kind's own, already in the document's language
            error: dict[str, str] | str = error_message
        elif error_code in Document.Error.values:
            error = _in_each_language(Document.Error(error_code).label)
        else:
            error = _in_each_language(Document.Error.RENDER.label)
        yield Condition(
            object_id=pk,
            cluster_id=cluster_id,
            params={"label": labels[kind], "error": error},
            url=reverse("osm:document-status", args=[pk]),
            owner_id=requested_by_id,
        )


DOCUMENT_FAILED = AlertRule(
    code=CODE,
    label=_("Document could not be built"),
    model="osm.document",
    evaluate=document_failed,
    title=_("The document “%(label)s” could not be built"),
    body=_("What went wrong: %(error)s"),
    severity=Severity.WARNING,
    audience=(Audience.OWNER, Audience.STAFF),
    order=90,
)


def document_alerts_refresh() -> None:
    """Run the failed-document rule (and tell the new alerts) once the current transaction
    commits: after a failure, or after a document with an open alert is ready again."""
    transaction.on_commit(_run_rule)


def document_has_open_alert(document_id: int) -> bool:
    from osm.alerts.models import Alert

    return Alert.objects.filter(rule=CODE, object_id=document_id, resolved_at__isnull=True).exists()


def _run_rule() -> None:
    from osm.alerts.engine import alerts_run

    try:
        alerts_run(codes={CODE})
    except Exception:  # the render's outcome stands; the daily run catches up
        log.exception("running %s after a document changed failed", CODE)
