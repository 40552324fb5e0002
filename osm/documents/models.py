"""The document record: one generated file per (kind, subject, params). See osm.documents."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from osm.lib.storage import private_storage


def params_key(params: dict[str, Any]) -> str:
    """The request's parameters as one comparable value (sorted JSON, hashed)."""
    text = json.dumps(params, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Document(models.Model):
    """A generated document (a plan book, a meeting pack …) and the state of its rendering.

    Requesting it again regenerates it in place: the row stays, the file is replaced. The
    last good file stays downloadable while a new one renders.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Error(models.TextChoices):
        """Why a document failed, as the people who asked for it read it."""

        RENDER = "render", _("The document could not be built. The office has been told.")
        TIMEOUT = "timeout", _("Building the document took too long.")
        WORKER_LOST = "worker_lost", _("Building the document stopped several times.")
        SUBJECT_GONE = "subject_gone", _("What the document is about no longer exists.")
        UNKNOWN_KIND = "unknown_kind", _("This kind of document is no longer offered.")
        KIND = "kind", _("The document could not be built.")  # message in error_message

    kind = models.CharField(_("kind"), max_length=60)
    cluster = models.ForeignKey(
        "osm.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="documents"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("content_type", "object_id")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    params_key = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    # Counts requests: each regeneration starts a new generation of the same record.
    generation = models.PositiveIntegerField(_("generation"), default=1)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="documents/", max_length=300, blank=True
    )
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    # When the render task was handed to the broker (None: it could not be, yet).
    enqueued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error_code = models.CharField(_("error"), max_length=20, choices=Error, blank=True)
    # A kind's own explanation (already translated, never a traceback).
    error_message = models.CharField(_("error message"), max_length=500, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "params_key"],
                name="osm_document_request_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "rendering", "ready", "failed"]),
                name="osm_document_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="osm_document_subject"),
            models.Index(fields=["status", "requested_at"], name="osm_document_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def has_file(self) -> bool:
        return bool(self.file) and bool(self.checksum)

    @property
    def waiting_for_queue(self) -> bool:
        """Queued, but the broker could not take the task: beat will send it."""
        return self.status == self.Status.QUEUED and self.enqueued_at is None

    @property
    def language(self) -> str:
        return str(self.params.get("language") or settings.LANGUAGE_CODE)

    @property
    def error_text(self) -> str:
        """What went wrong, for the page (translated; never a traceback)."""
        if self.error_message:
            return self.error_message
        if self.error_code:
            return str(self.Error(self.error_code).label)
        return ""
