"""Requesting, rendering and sweeping documents (the API is described in osm.documents)."""

from __future__ import annotations

import enum
import hashlib
import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from osm import registry
from osm.documents.alerts import document_alerts_refresh, document_has_open_alert
from osm.documents.models import Document, params_key
from osm.lib import display
from osm.models import Cluster, User

log = logging.getLogger(__name__)
# pg_try_advisory_lock(bigint) key space of documents: "OSMD" in the high 32 bits.
LOCK_NAMESPACE = 0x4F534D44


class DocumentError(Exception):
    """A failure the people who asked can act on (no approved plan, no data for the year).
    Its message, already translated, is shown on the page; it is not retried."""


class Outcome(enum.StrEnum):
    READY = "ready"
    FAILED = "failed"
    RETRY = "retry"  # failed this time; the task retries after `retry_countdown`
    SKIPPED = "skipped"  # nothing to do: already ready or failed, or no such document
    BUSY = "busy"  # another live worker holds it


def document_request(
    *,
    kind: str,
    subject: models.Model,
    params: dict[str, Any] | None = None,
    by: User | None = None,
) -> Document:
    """Ask for the document `kind` about `subject` with `params`; returns its record.

    One record per (kind, subject, params): a first request creates it, a request for a
    ready or failed one regenerates it in place (the last good file stays downloadable
    meanwhile), a request for one already queued or being built changes nothing. The
    render task is queued after commit; when the broker cannot take it the record stays
    queued with `enqueued_at` None (`waiting_for_queue`) and beat sends it later.
    """
    spec = registry.document_kind(kind)
    params = {"language": settings.LANGUAGE_CODE, **(params or {})}
    content_type = ContentType.objects.get_for_model(subject)
    now = timezone.now()
    with transaction.atomic():
        document, created = Document.objects.select_for_update().get_or_create(
            kind=kind,
            content_type=content_type,
            object_id=subject.pk,
            params_key=params_key(params),
            defaults={
                "cluster_id": spec.cluster_of(subject),
                "params": params,
                "requested_by": by,
                "requested_at": now,
            },
        )
        if not created:
            if document.in_progress and not document.waiting_for_queue:
                return document  # already on its way (a lost task is re-sent by beat)
            if not document.in_progress:
                document.status = Document.Status.QUEUED
                document.generation += 1
                document.attempts = 0
                document.error_code = document.error_message = ""
                document.requested_by = by
                document.requested_at = now
                document.enqueued_at = document.started_at = document.finished_at = None
                document.save(
                    update_fields=[
                        "status",
                        "generation",
                        "attempts",
                        "error_code",
                        "error_message",
                        "requested_by",
                        "requested_at",
                        "enqueued_at",
                        "started_at",
                        "finished_at",
                    ]
                )
        pk = document.pk
        transaction.on_commit(lambda: document_enqueue(document_id=pk))
    return document


def document_enqueue(*, document_id: int) -> bool:
    """Hand the render task to the broker now; record when it was taken. False (and the
    record untouched) when the broker is away."""
    from osm import tasks

    if not tasks.enqueue(tasks.render_document, document_id):
        return False
    Document.objects.filter(pk=document_id).update(enqueued_at=timezone.now())
    return True


@contextmanager
def _render_lock(document_id: int) -> Iterator[bool]:
    """A PostgreSQL session lock on the document while a worker builds it. The server drops
    it when the worker's connection dies, so a killed worker never leaves it held: a lock
    that can be taken on a document "being built" means its worker is gone. (SQLite, the
    embedded demo, renders inline: no lock needed.)"""
    if connection.vendor != "postgresql":
        yield True
        return
    key = (LOCK_NAMESPACE << 32) | (document_id & 0xFFFFFFFF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def retry_countdown(attempts: int) -> int:
    """Seconds before the next attempt: 30, 60, 120 … never near the visibility timeout
    (a countdown longer than it would be delivered twice by Redis)."""
    countdown = 30 * 2 ** max(attempts - 1, 0)
    return int(
        min(countdown, settings.DOCUMENT_RENDER_SECONDS, settings.CELERY_VISIBILITY_TIMEOUT // 2)
    )


def document_render(*, document_id: int, task_id: str = "") -> Outcome:
    """Build the document now (the body of the render task). Idempotent: a document that is
    ready or failed is left alone, and one held by a live worker is skipped, so a task
    delivered twice renders once."""
    from celery.exceptions import SoftTimeLimitExceeded

    with _render_lock(document_id) as held:
        if not held:
            return Outcome.BUSY
        document = Document.objects.filter(pk=document_id).first()
        if document is None or not document.in_progress:
            return Outcome.SKIPPED
        try:
            spec = registry.document_kind(document.kind)
        except LookupError:
            return _fail(document, Document.Error.UNKNOWN_KIND)
        if document.attempts >= spec.max_attempts:
            lost = document.status == Document.Status.RENDERING or (
                document.error_code == Document.Error.WORKER_LOST
            )
            return _fail(document, Document.Error.WORKER_LOST if lost else Document.Error.RENDER)
        started = timezone.now()
        Document.objects.filter(pk=document_id).update(
            status=Document.Status.RENDERING,
            started_at=started,
            attempts=F("attempts") + 1,
            task_id=task_id[:64],
            error_code="",
            error_message="",
        )
        document.refresh_from_db()
        document.data_as_of = started  # what the build prints as "data as of"
        if document.subject is None:
            return _fail(document, Document.Error.SUBJECT_GONE)
        try:
            built = _build(spec, document)
        except DocumentError as error:
            return _fail(document, Document.Error.KIND, str(error)[:500])
        except SoftTimeLimitExceeded:
            return _fail(document, Document.Error.TIMEOUT)
        except Exception:
            log.exception("document %s (%s) failed to render", document.pk, document.kind)
            if document.attempts < spec.max_attempts:
                Document.objects.filter(pk=document_id).update(
                    status=Document.Status.QUEUED, enqueued_at=timezone.now()
                )
                return Outcome.RETRY
            return _fail(document, Document.Error.RENDER)
        _store(document, built, data_as_of=built.data_as_of or started)
        return Outcome.READY


def _build(spec: registry.DocumentKind, document: Document) -> registry.DocumentBuild:
    """Run the kind's build in the document's language and digits."""
    thai = document.params.get("thai_digits")
    if thai is None:
        thai = Cluster.objects.filter(pk=document.cluster_id).values_list("thai_digits", flat=True)
        thai = bool(thai.first())
    token = display.thai_digits_enabled.set(bool(thai))
    try:
        with translation.override(document.language):
            built = spec.build(document)
    finally:
        display.thai_digits_enabled.reset(token)
    if isinstance(built, bytes):
        built = registry.DocumentBuild(built)
    return built


def _page_count(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def _folder(document: Document) -> str:
    return f"documents/{document.cluster_id}/{document.pk}"


def _store(document: Document, built: registry.DocumentBuild, *, data_as_of: Any) -> None:
    """Write the file (atomically: a worker killed mid-write leaves no half file under the
    final name), point the record at it, and remove the document's older files."""
    storage = Document._meta.get_field("file").storage
    content = built.content
    checksum = hashlib.sha256(content).hexdigest()
    folder = _folder(document)
    name = f"{folder}/{checksum[:20]}.pdf"
    path = storage.path(name)
    if not (os.path.exists(path) and _sha256_of(path) == checksum):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial = f"{path}.{os.getpid()}.part"
        with open(partial, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.READY,
        file=name,
        checksum=checksum,
        size=len(content),
        pages=built.pages if built.pages is not None else _page_count(content),
        data_as_of=data_as_of,
        finished_at=timezone.now(),
        error_code="",
        error_message="",
    )
    if document_has_open_alert(document.pk):  # it failed before: the alert resolves now
        document_alerts_refresh()
    _, files = storage.listdir(folder)
    for other in files:
        if f"{folder}/{other}" != name:
            storage.delete(f"{folder}/{other}")


def _sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fail(document: Document, code: str, message: str = "") -> Outcome:
    """Mark the document failed; the failed-document rule warns the person who asked and the
    cluster's staff (osm/documents/alerts.py)."""
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.FAILED,
        error_code=code,
        error_message=message,
        finished_at=timezone.now(),
    )
    document.refresh_from_db()
    document_alerts_refresh()
    return Outcome.FAILED


def documents_sweep() -> int:
    """Re-send render tasks that were lost (beat runs this every minute): documents queued
    while the broker was away, queued ones whose task has waited longer than
    DOCUMENT_REQUEUE_SECONDS, and ones left "being built" by a worker that died. Returns
    how many were sent. Sending one twice is harmless: rendering is idempotent."""
    now = timezone.now()
    requeue = now - timedelta(seconds=settings.DOCUMENT_REQUEUE_SECONDS)
    waiting = Document.objects.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue), status=Document.Status.QUEUED
    ).values_list("pk", flat=True)
    rendering = Document.objects.filter(status=Document.Status.RENDERING)
    if connection.vendor != "postgresql":  # no lock to ask: a render past its time limit
        rendering = rendering.filter(
            started_at__lt=now - timedelta(seconds=settings.DOCUMENT_RENDER_SECONDS + 60)
        )
    sent = 0
    for pk in list(waiting):
        sent += document_enqueue(document_id=pk)
    for pk in list(rendering.values_list("pk", flat=True)):
        with _render_lock(pk) as free:
            # Lock taken and still "being built": its worker is gone.
            orphaned = free and Document.objects.filter(
                pk=pk, status=Document.Status.RENDERING
            ).update(
                status=Document.Status.QUEUED,
                enqueued_at=None,
                error_code=Document.Error.WORKER_LOST,
            )
        if orphaned:
            log.warning("document %s was left by a worker that died: sent again", pk)
            sent += document_enqueue(document_id=pk)
    return sent
