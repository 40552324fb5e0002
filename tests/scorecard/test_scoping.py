"""A province officer can neither read nor write another province's unapproved results —
through pages, forms, htmx endpoints and downloads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecard import services

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
SECRET = Decimal("97531")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def sibling_submitted(sibling_result, other_officer):
    services.result_save(
        result=sibling_result,
        by=other_officer,
        expected_version=1,
        reporting="reported",
        value=SECRET,
        note="บันทึกลับของจังหวัดอื่น",
        submit=True,
    )
    services.evidence_add(
        result=sibling_result,
        by=other_officer,
        upload=SimpleUploadedFile("ผล.pdf", b"%PDF-1.4 sibling"),
    )
    return sibling_result


def test_pages_do_not_show_it(client, province_officer, sibling_submitted, world, indicator):
    client.force_login(province_officer)
    pages = [
        reverse("scorecard:result-edit", args=[sibling_submitted.pk]),
        reverse("scorecard:indicator-detail", args=[indicator.pk]) + "?year=2570&quarter=1",
        reverse("scorecard:comparison", args=[world.cluster.pk]) + "?year=2570&quarter=1",
        reverse("scorecard:cluster", args=[world.cluster.pk]) + "?year=2570&quarter=1",
        reverse("scorecard:round-detail", args=[sibling_submitted.round_id]),
        reverse("home"),
    ]
    for url in pages:
        for headers in ({}, HTMX):
            response = client.get(url, headers=headers)
            body = response.content.decode()
            assert "97,531" not in body, url
            assert "97531" not in body, url
            assert "บันทึกลับ" not in body, url


def test_forms_and_htmx_posts_cannot_change_it(client, province_officer, sibling_submitted):
    client.force_login(province_officer)
    data = {"reporting": "reported", "value": "1", "action": "draft", "version": 2}
    for headers in ({}, HTMX):
        edit = reverse("scorecard:result-edit", args=[sibling_submitted.pk])
        assert client.post(edit, data, headers=headers).status_code == 404
        review = reverse("scorecard:result-review", args=[sibling_submitted.pk])
        assert (
            client.post(review, {"decision": "approve", "version": 2}, headers=headers).status_code
            == 404
        )
        reopen = reverse("scorecard:result-reopen", args=[sibling_submitted.pk])
        assert (
            client.post(reopen, {"reason": "x", "version": 2}, headers=headers).status_code == 404
        )
    sibling_submitted.refresh_from_db()
    assert sibling_submitted.value == SECRET
    assert sibling_submitted.status == "submitted"


def test_downloads_do_not_include_it(client, province_officer, sibling_submitted):
    client.force_login(province_officer)
    evidence = sibling_submitted.evidence.get()
    assert client.get(reverse("scorecard:evidence-download", args=[evidence.pk])).status_code == 404
    workbook = client.get(reverse("scorecard:round-workbook", args=[sibling_submitted.round_id]))
    assert workbook.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(workbook.content)).worksheets[0]
    values = {cell.value for row in sheet.iter_rows() for cell in row}
    assert float(SECRET) not in values
    assert sibling_submitted.province.code not in values


def test_an_approved_value_shows_other_provinces_officers_no_history(
    client, result, province_officer, other_officer, osm_staff
):
    """Officers read the other provinces' approved values, not who entered or returned them."""
    from tests.scorecard.conftest import approve

    approve(result, "12", by=osm_staff)
    page_url = reverse("scorecard:result-edit", args=[result.pk])
    client.force_login(other_officer)
    response = client.get(page_url)
    assert response.status_code == 200
    assert 'id="history"' not in response.content.decode()
    client.force_login(province_officer)
    assert 'id="history"' in client.get(page_url).content.decode()
