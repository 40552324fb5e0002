"""The document views: generate (POST), the status panel polled by htmx, the download."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from osm import tasks
from osm.documents.models import Document
from osm.documents.services import document_render, document_request
from tests.osm.document_kinds import SAMPLE, sample_kind


@pytest.fixture(autouse=True)
def kind(settings: Any, tmp_path: Path) -> Iterator[Any]:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    with sample_kind() as k:
        yield k


def _generate(world: Any) -> str:
    return reverse("osm:document-generate", args=[SAMPLE, world.cluster.pk])


def _ready(world: Any) -> Document:
    document = document_request(kind=SAMPLE, subject=world.cluster, params={"n": 3}, by=None)
    document_render(document_id=document.pk)  # what the task does after commit
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    return document


def test_staff_generate_and_land_on_a_status_page_without_javascript(
    client: Any, osm_staff: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(osm_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_generate(world), {"n": "3", "next": "/clusters/"})
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("osm:document-status", args=[document.pk]))
    assert document.params == {"language": "th", "n": 3}
    assert document.requested_by == osm_staff
    page = client.get(response["Location"]).content.decode()
    # The flash message, in Thai (the task ran after the view answered, at commit).
    assert "กำลังจัดทำเอกสาร หน้านี้แสดงความคืบหน้า" in page
    assert reverse("osm:document-download", args=[document.pk]) in page
    assert 'href="/clusters/"' in page  # back where the button was


def test_the_htmx_post_returns_the_panel_which_polls_while_the_document_is_queued(
    client: Any,
    osm_staff: Any,
    world: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args, **kw: True)  # a worker will do it
    client.force_login(osm_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_generate(world), {"n": "1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    document = Document.objects.get()
    assert response.status_code == 200 and "<html" not in html
    assert 'hx-trigger="every 2s"' in html
    assert reverse("osm:document-status", args=[document.pk]) in html
    assert 'data-status="queued"' in html
    # The worker finishes: the next poll returns the panel without polling, with the link.
    document_render(document_id=document.pk)
    poll = client.get(
        reverse("osm:document-status", args=[document.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'data-status="ready"' in poll and "hx-trigger" not in poll
    assert reverse("osm:document-download", args=[document.pk]) in poll


def test_without_the_broker_the_button_says_it_could_not_be_queued_and_keeps_the_request(
    client: Any,
    osm_staff: Any,
    world: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args, **kw: False)
    client.force_login(osm_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_generate(world), {"n": "1"}, headers={"HX-Request": "true"})
    # What the person sees once the request's transaction committed and the broker refused.
    response = client.get(
        reverse("osm:document-status", args=[Document.objects.get().pk]),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="document-not-queued"' in html
    document = Document.objects.get()
    assert document.status == Document.Status.QUEUED and document.waiting_for_queue
    # Pressing again is allowed (the button is not disabled) and still keeps one record.
    client.post(_generate(world), {"n": "1"}, headers={"HX-Request": "true"})
    assert Document.objects.count() == 1


def test_bad_parameters_are_refused_with_a_message(client: Any, osm_staff: Any, world: Any) -> None:
    from django.core.exceptions import ValidationError

    def refuse(data: Any, subject: Any) -> dict[str, Any]:
        raise ValidationError("โปรดเลือกปีงบประมาณ")

    with sample_kind(clean_params=refuse):
        client.force_login(osm_staff)
        response = client.post(_generate(world), {}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "โปรดเลือกปีงบประมาณ" in response.content.decode()
    assert not Document.objects.exists()


def test_the_download_streams_the_file_with_a_thai_file_name(
    client: Any, committee: Any, world: Any
) -> None:
    document = _ready(world)
    client.force_login(committee)
    response = client.get(reverse("osm:document-download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and len(body) == document.size
    # "เอกสาร/ทดสอบ 3": the slash cannot reach the file system; Thai goes as RFC 5987.
    assert f"filename*=utf-8''{quote('เอกสาร-ทดสอบ 3.pdf')}" in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["province_officer", "other_staff", "no_role"])
def test_people_outside_the_kinds_read_rule_get_404(
    client: Any, world: Any, persona: str, request: Any
) -> None:
    document = _ready(world)
    client.force_login(request.getfixturevalue(persona))
    for name in ("osm:document-download", "osm:document-status"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 404
    assert client.post(_generate(world), {"n": "3"}).status_code == 404
    assert Document.objects.get().generation == 1


def test_committee_reads_but_may_not_generate(client: Any, committee: Any, world: Any) -> None:
    document = _ready(world)
    client.force_login(committee)
    assert client.post(_generate(world), {"n": "3"}).status_code == 403
    html = client.get(reverse("osm:document-status", args=[document.pk])).content.decode()
    assert 'data-testid="document-download"' in html
    assert 'data-testid="document-generate"' not in html


def test_a_failed_document_shows_its_error_to_staff(
    client: Any, osm_staff: Any, world: Any
) -> None:
    document = document_request(
        kind=SAMPLE, subject=world.cluster, params={"fail": "always"}, by=osm_staff
    )
    for _attempt in range(3):
        document_render(document_id=document.pk)
    client.force_login(osm_staff)
    html = client.get(reverse("osm:document-status", args=[document.pk])).content.decode()
    assert 'data-testid="document-error"' in html
    assert "ไม่สามารถจัดทำเอกสารได้" in html and "boom" not in html
    assert 'data-testid="document-generate"' in html  # staff may try again


def _panel(user: Any, subject: Any, **params: Any) -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    template = Template('{% load osm_tags %}{% document_panel "tests.sample" subject n=n %}')
    return template.render(Context({"request": request, "subject": subject, "n": params["n"]}))


def test_the_panel_tag_offers_the_button_to_staff_and_nothing_to_outsiders(
    osm_staff: Any, province_officer: Any, world: Any, django_assert_num_queries: Any
) -> None:
    _ready(world)
    with django_assert_num_queries(2):  # the scope, the document's record
        html = _panel(osm_staff, world.cluster, n=3)
    assert 'data-testid="document-generate"' in html and 'data-status="ready"' in html
    assert 'name="n" value="3"' in html
    assert _panel(osm_staff, world.cluster, n=4).count('data-status="none"') == 1
    assert _panel(province_officer, world.cluster, n=3).strip() == ""
