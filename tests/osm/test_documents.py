"""The document machinery: requests, idempotent renders, retries, failures, the sweep."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.utils import translation

from osm import registry, tasks
from osm.alerts.engine import alerts_run
from osm.alerts.rules import render
from osm.documents import services
from osm.documents.alerts import CODE as FAILED
from osm.documents.alerts import DOCUMENT_FAILED
from osm.documents.models import Document
from osm.documents.services import Outcome, document_render, document_request, documents_sweep
from osm.models import Alert, Notification, OutboxEmail
from tests.osm import document_kinds
from tests.osm.document_kinds import SAMPLE, sample_kind, sample_pdf


@pytest.fixture
def private_root(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def kind(private_root: Path) -> Iterator[registry.DocumentKind]:
    with sample_kind() as k:
        yield k


def _files(root: Path, document: Document) -> list[Path]:
    folder = root / "documents" / str(document.cluster_id) / str(document.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_request_is_rendered_after_commit_into_a_private_file(
    kind: Any,
    world: Any,
    osm_staff: Any,
    private_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = document_request(
            kind=SAMPLE, subject=world.cluster, params={"n": 1}, by=osm_staff
        )
        assert document.status == Document.Status.QUEUED
    assert len(callbacks) == 1
    document.refresh_from_db()
    content = sample_pdf("sample 1")
    assert document.status == Document.Status.READY
    assert document.checksum == hashlib.sha256(content).hexdigest()
    assert (document.pages, document.size) == (1, len(content))
    assert document.cluster_id == world.cluster.pk
    assert document.params == {"language": "th", "n": 1}
    assert document.enqueued_at and document.started_at and document.finished_at
    assert document.data_as_of == document.started_at
    assert document.attempts == 1 and document.requested_by == osm_staff
    [path] = _files(private_root, document)
    assert path.read_bytes() == content
    assert str(private_root) in document.file.path  # PRIVATE_MEDIA_ROOT, not MEDIA_ROOT


def test_requesting_again_regenerates_the_same_record_and_keeps_one_file(
    kind: Any,
    world: Any,
    osm_staff: Any,
    private_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = document_request(kind=SAMPLE, subject=world.cluster, params={"n": 1}, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        again = document_request(kind=SAMPLE, subject=world.cluster, params={"n": 1}, by=osm_staff)
    assert again.pk == first.pk
    assert Document.objects.count() == 1
    again.refresh_from_db()
    assert (again.status, again.generation, again.requested_by) == ("ready", 2, osm_staff)
    assert len(_files(private_root, again)) == 1
    assert document_kinds.calls == [first.pk, first.pk]
    # Other params are another document.
    with django_capture_on_commit_callbacks(execute=True):
        other = document_request(kind=SAMPLE, subject=world.cluster, params={"n": 2}, by=None)
    assert other.pk != first.pk and Document.objects.count() == 2


def test_a_request_while_one_is_on_its_way_queues_nothing(
    kind: Any, world: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    sent: list[int] = []
    monkeypatch.setattr(services, "document_enqueue", lambda document_id: sent.append(document_id))
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=SAMPLE, subject=world.cluster, by=None)
    Document.objects.filter(pk=document.pk).update(enqueued_at=document.requested_at)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document_request(kind=SAMPLE, subject=world.cluster, by=None)
    assert callbacks == [] and sent == [document.pk]


def test_a_second_run_of_the_task_does_not_render_a_ready_document_again(
    kind: Any, world: Any, private_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=SAMPLE, subject=world.cluster, by=None)
    document.refresh_from_db()
    assert document_render(document_id=document.pk) == Outcome.SKIPPED
    tasks.render_document.delay(document.pk)
    assert document_kinds.calls == [document.pk]
    assert Document.objects.get(pk=document.pk).checksum == document.checksum
    assert document_render(document_id=987654) == Outcome.SKIPPED


def test_with_the_broker_away_the_request_is_kept_and_beat_sends_it_later(
    kind: Any, world: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args, **kw: False)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=SAMPLE, subject=world.cluster, by=None)
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED and document.waiting_for_queue
    assert documents_sweep() == 0  # still away: still kept
    assert Document.objects.get(pk=document.pk).waiting_for_queue
    monkeypatch.undo()
    assert documents_sweep() == 1
    assert Document.objects.get(pk=document.pk).status == Document.Status.READY


def test_an_ordinary_error_is_retried_then_fails_with_a_message_and_an_early_warning(
    kind: Any,
    world: Any,
    osm_staff: Any,
    committee: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind=SAMPLE, subject=world.cluster, params={"fail": "always"}, by=committee
        )
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.attempts == 3  # eager retries run at once
    assert document.error_code == Document.Error.RENDER
    assert "boom" not in document.error_text and document.error_text
    # The failed-document rule ran at once: one alert, told once to the requester and staff.
    alert = Alert.objects.get(rule=FAILED)
    assert (alert.subject, alert.cluster_id, alert.owner_id) == (
        document,
        world.cluster.pk,
        committee.pk,
    )
    assert alert.severity == "warning"
    assert alert.url == f"/documents/{document.pk}/"
    warned = Notification.objects.filter(alert=alert)
    assert sorted(warned.values_list("user_id", flat=True)) == sorted([osm_staff.pk, committee.pk])
    assert all(n.level == Notification.Level.WARNING for n in warned)
    assert Notification.objects.count() == 2  # no direct notice besides the alert's
    with translation.override("th"):
        title, body = render(DOCUMENT_FAILED, alert)
    assert "เอกสารทดสอบ" in title and document.error_text in body
    assert "boom" not in body
    emails = OutboxEmail.objects.filter(recipients__contains=[osm_staff.email])
    assert emails.count() == 1  # e-mail at once: the kind's default


def test_a_failed_document_warns_once_and_the_warning_resolves_when_it_is_ready_again(
    kind: Any,
    world: Any,
    osm_staff: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def request() -> Document:
        with django_capture_on_commit_callbacks(execute=True):
            document = document_request(
                kind=SAMPLE, subject=world.cluster, params={"fail": "kind"}, by=osm_staff
            )
        document.refresh_from_db()
        return document

    document = request()
    assert document.status == Document.Status.FAILED
    assert alerts_run().raised == 0  # the daily run: raised already, at the failure
    assert request().status == Document.Status.FAILED  # fails again: still the one alert
    alert = Alert.objects.get(rule=FAILED)
    assert alert.resolved_at is None
    assert Notification.objects.filter(user=osm_staff, alert=alert).count() == 1
    assert Alert.objects.count() == 1
    # Fixed: the next request builds it, and the alert resolves at once by itself.
    fixed = dataclasses.replace(kind, build=lambda d: document_kinds.sample_pdf("fixed"))
    monkeypatch.setitem(registry.document_kinds, SAMPLE, fixed)
    assert request().status == Document.Status.READY
    alert.refresh_from_db()
    assert alert.resolution == Alert.Resolution.AUTO and alert.resolved_at is not None
    assert alerts_run().raised == 0
    assert not Alert.objects.filter(resolved_at__isnull=True).exists()


def test_a_kind_error_fails_at_once_with_its_own_message(
    kind: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind=SAMPLE, subject=world.cluster, params={"fail": "kind"}, by=None
        )
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("failed", 1)
    assert document.error_text == "ยังไม่มีแผนที่อนุมัติ"


def test_a_kind_no_longer_offered_fails_the_document(
    kind: Any, world: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(services, "document_enqueue", lambda document_id: False)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=SAMPLE, subject=world.cluster, by=None)
    registry.document_kinds.pop(SAMPLE)
    assert document_render(document_id=document.pk) == Outcome.FAILED
    assert Document.objects.get(pk=document.pk).error_code == Document.Error.UNKNOWN_KIND


def _other_connection() -> psycopg.Connection[Any]:
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
        autocommit=True,
    )


def _queued(world: Any, monkeypatch: pytest.MonkeyPatch, captured: Any) -> Document:
    monkeypatch.setattr(services, "document_enqueue", lambda document_id: False)
    with captured(execute=True):
        document = document_request(kind=SAMPLE, subject=world.cluster, by=None)
    monkeypatch.undo()
    return document


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks: PostgreSQL")
def test_a_document_held_by_a_live_worker_is_not_built_twice_nor_swept(
    kind: Any, world: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    document = _queued(world, monkeypatch, django_capture_on_commit_callbacks)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.RENDERING, attempts=1)
    key = (services.LOCK_NAMESPACE << 32) | document.pk
    with _other_connection() as other:
        other.execute("SELECT pg_advisory_lock(%s)", [key])
        assert document_render(document_id=document.pk) == Outcome.BUSY
        assert documents_sweep() == 0
        assert document_kinds.calls == []
    # The holder's connection is gone (a worker killed): the sweep sends it again.
    assert documents_sweep() == 1
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("ready", 2)


def test_a_document_whose_worker_keeps_dying_ends_failed_as_worker_lost(
    kind: Any, world: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    document = _queued(world, monkeypatch, django_capture_on_commit_callbacks)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.RENDERING, attempts=3)
    assert document_render(document_id=document.pk) == Outcome.FAILED
    document.refresh_from_db()
    assert document.error_code == Document.Error.WORKER_LOST
    assert document_kinds.calls == []


def test_a_kill_between_writing_and_recording_leaves_one_file(
    kind: Any,
    world: Any,
    private_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = _queued(world, monkeypatch, django_capture_on_commit_callbacks)
    folder = private_root / "documents" / str(world.cluster.pk) / str(document.pk)
    folder.mkdir(parents=True)
    (folder / "0123456789abcdef0123.pdf").write_bytes(b"%PDF- left by a killed worker")
    (folder / "x.pdf.99.part").write_bytes(b"%PDF- half")
    assert document_render(document_id=document.pk) == Outcome.READY
    [path] = _files(private_root, document)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == Document.objects.get().checksum


def test_the_render_task_is_routed_to_the_pdf_queue_with_late_acks(settings: Any) -> None:
    task = tasks.render_document
    assert settings.CELERY_TASK_ROUTES[task.name] == {"queue": "pdf"}
    assert task.acks_late and task.reject_on_worker_lost
    assert settings.CELERY_BEAT_SCHEDULE["sweep-documents"]["task"] == tasks.sweep_documents.name
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.DOCUMENT_RENDER_SECONDS >= task.time_limit
    assert services.retry_countdown(10) < visibility / 2 + 1


def test_the_files_stay_outside_media_root(kind: Any, settings: Any) -> None:
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT) + os.sep)
