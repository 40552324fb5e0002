"""Reviewing and reopening a progress report through the pages: OSM staff approve or return
from the review queue (an htmx swap of the row, or a redirect back to the queue without JS),
and reopen an approved report with a reason. Refusals are messages; nothing is written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from osm.lib.workflow import ReviewStatus
from projects.models import ProgressReport, Project
from projects.services import progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(running: Project, province_officer: Any) -> ProgressReport:
    return progress.report_save(
        project=running,
        quarter=1,
        by=province_officer,
        expected_version=None,
        physical_pct=Decimal(20),
        disbursed_to_date=Decimal("200000.00"),
        submit=True,
    )


@pytest.fixture
def approved(submitted: ProgressReport, osm_staff: Any) -> ProgressReport:
    return progress.report_review(
        report=submitted, by=osm_staff, expected_version=submitted.version, approve=True
    )


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _review(client: Any, report: ProgressReport, **data: Any) -> Any:
    return client.post(reverse("projects:report-review", args=[report.pk]), data)


def _reopen(client: Any, report: ProgressReport, **data: Any) -> Any:
    return client.post(reverse("projects:report-reopen", args=[report.pk]), data)


def test_staff_approve_and_go_back_to_the_review_queue(
    client: Any, osm_staff: Any, submitted: ProgressReport
) -> None:
    client.force_login(osm_staff)
    response = _review(client, submitted, decision="approve", version=submitted.version)
    assert response.status_code == 302
    assert response.url == reverse("projects:review", args=[submitted.project.cluster_id])
    assert _messages(response) == ["Approved."]
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.APPROVED
    assert submitted.reviewed_by == osm_staff


def test_staff_return_with_a_reason(client: Any, osm_staff: Any, submitted: ProgressReport) -> None:
    client.force_login(osm_staff)
    response = _review(
        client, submitted, decision="return", reason="แนบภาพถ่าย", version=submitted.version
    )
    assert response.status_code == 302
    assert _messages(response) == ["Returned to the province."]
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.RETURNED
    assert submitted.review_note == "แนบภาพถ่าย"


def test_returning_without_a_reason_is_refused_with_a_message(
    client: Any, osm_staff: Any, submitted: ProgressReport
) -> None:
    client.force_login(osm_staff)
    response = _review(client, submitted, decision="return", version=submitted.version)
    assert response.status_code == 302
    assert _messages(response) == ["Give a reason."]
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED


def test_an_incomplete_review_form_is_refused_with_a_message(
    client: Any, osm_staff: Any, submitted: ProgressReport
) -> None:
    client.force_login(osm_staff)
    response = _review(client, submitted, decision="approve")  # no version
    assert response.status_code == 302
    assert _messages(response) == ["The review could not be recorded."]
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED


def test_reviewing_a_report_changed_meanwhile_writes_nothing(
    client: Any, osm_staff: Any, submitted: ProgressReport
) -> None:
    client.force_login(osm_staff)
    response = _review(client, submitted, decision="approve", version=submitted.version - 1)
    assert response.status_code == 302
    assert _messages(response) == [
        "Somebody else saved this in the meantime. Their version is shown; nothing of yours "
        "was saved."
    ]
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED


def test_htmx_review_returns_the_queue_row(
    client: Any, osm_staff: Any, submitted: ProgressReport
) -> None:
    client.force_login(osm_staff)
    response = client.post(
        reverse("projects:report-review", args=[submitted.pk]),
        {"decision": "approve", "version": submitted.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<tr id="review-{submitted.pk}"')
    assert 'name="decision"' not in html  # approved: the row shows its badge, no buttons
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.APPROVED


def test_review_guards(
    client: Any, committee: Any, other_staff: Any, province_officer: Any, submitted: Any
) -> None:
    url = reverse("projects:report-review", args=[submitted.pk])
    data = {"decision": "approve", "version": submitted.version}
    assert client.post(url, data).status_code == 302  # anonymous: to the login page
    client.force_login(committee)
    assert client.post(url, data).status_code == 403
    client.force_login(province_officer)
    assert client.post(url, data).status_code == 403
    client.force_login(other_staff)
    assert client.post(url, data).status_code == 404
    assert client.get(url).status_code == 405
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED


def test_staff_reopen_an_approved_report_with_a_reason(
    client: Any, osm_staff: Any, approved: ProgressReport
) -> None:
    client.force_login(osm_staff)
    response = _reopen(client, approved, reason="ยอดเบิกจ่ายผิด", version=approved.version)
    assert response.status_code == 302
    assert response.url == approved.get_absolute_url()
    assert _messages(response) == ["The report is reopened for correction."]
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.DRAFT
    assert approved.review_note == "ยอดเบิกจ่ายผิด"


def test_reopening_without_a_reason_is_refused(
    client: Any, osm_staff: Any, approved: ProgressReport
) -> None:
    client.force_login(osm_staff)
    response = _reopen(client, approved, reason="", version=approved.version)
    assert response.status_code == 302
    assert response.url == approved.get_absolute_url()
    assert _messages(response) == ["Give a reason for reopening."]
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.APPROVED


def test_reopening_a_report_that_is_not_approved_is_refused(
    client: Any, osm_staff: Any, submitted: ProgressReport
) -> None:
    client.force_login(osm_staff)
    response = _reopen(client, submitted, reason="ขอแก้", version=submitted.version)
    assert _messages(response) == ["A Submitted item cannot become Draft."]
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED


def test_reopen_guards(client: Any, committee: Any, other_staff: Any, approved: Any) -> None:
    url = reverse("projects:report-reopen", args=[approved.pk])
    data = {"reason": "ขอแก้", "version": approved.version}
    client.force_login(committee)
    assert client.post(url, data).status_code == 403
    client.force_login(other_staff)
    assert client.post(url, data).status_code == 404
    assert client.get(url).status_code == 405
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.APPROVED
