"""The results workbook: download pre-filled, upload; every bad row reported, nothing saved."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from osm.lib.workflow import ReviewStatus
from scorecard import services
from scorecard.models import Result
from scorecard.sheets import ResultSheet

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, reporting_round):
    r = client.get(reverse("scorecard:round-workbook", args=[reporting_round.pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(r.content))


@pytest.fixture(autouse=True)
def _kept_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def upload(client, reporting_round, workbook, **options):
    """Upload, and confirm the preview when it offers a confirmation."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    f = SimpleUploadedFile("results.xlsx", buffer.getvalue(), content_type=XLSX)
    url = reverse("scorecard:round-upload", args=[reporting_round.pk])
    response = client.post(url, {"workbook": f, **options})
    step = response.context["import_step"] if response.context else None
    if response.status_code != 200 or step is None or step.confirm_form is None:
        return response
    form = step.confirm_form
    return client.post(url, {k: form.initial.get(k, "") for k in form.fields})


LABELS = {
    "Province code": "province_code",
    "Indicator code": "indicator_code",
    "Reporting": "reporting",
    "Value": "value",
    "Why is there no value?": "not_reported_reason",
    "Note": "note",
    "Version": "version",
}


def columns(sheet):
    """Column positions by the English label, whatever language the header is in."""
    keys = [c.key for c in ResultSheet().columns]
    return {label: keys.index(key) for label, key in LABELS.items()}


def set_cell(sheet, row, column, value):
    sheet.cell(row=row, column=columns(sheet)[column] + 1, value=value)


def test_officer_downloads_only_own_province(client, province_officer, reporting_round, world):
    client.force_login(province_officer)
    sheet = download(client, reporting_round).worksheets[0]
    codes = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert codes == {world.province.code}


def test_round_trip_saves_drafts(client, province_officer, reporting_round, result):
    client.force_login(province_officer)
    wb = download(client, reporting_round)
    sheet = wb.worksheets[0]
    set_cell(sheet, 2, "Reporting", "reported")
    set_cell(sheet, 2, "Value", "๑๒๐")  # Thai digits are accepted
    set_cell(sheet, 2, "Note", "จากรายงานพาณิชย์จังหวัด")
    r = upload(client, reporting_round, wb)
    assert r.status_code == 302
    result.refresh_from_db()
    assert result.value == Decimal(120)
    assert result.status == ReviewStatus.DRAFT
    assert result.version == 2


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("Value", "abc", "Value"),  # wrong type
        ("Indicator code", "NOPE", "unknown indicator code"),
        ("Province code", "TH-99", "unknown province code"),
        ("Value", "1e15", "Value"),  # out of a sane range
        ("Version", 0, "changed this result"),  # stale
    ],
)
def test_each_bad_row_is_reported_and_nothing_is_saved(
    client, province_officer, reporting_round, result, column, value, needle, indicator, objective
):
    from tests.factories import IndicatorFactory, targets_for

    # A second, good row proves that nothing at all is saved.
    second = IndicatorFactory(objective=objective, code="K2")
    targets_for(second, 2570, Decimal(1), {result.province: Decimal(1)})
    services.create_round_results(reporting_round)
    client.force_login(province_officer)
    wb = download(client, reporting_round)
    sheet = wb.worksheets[0]
    for row in (2, 3):
        set_cell(sheet, row, "Reporting", "reported")
        set_cell(sheet, row, "Value", 100)
    set_cell(sheet, 2, column, value)
    r = upload(client, reporting_round, wb)
    assert r.status_code == 400
    text = r.content.decode()
    assert 'id="import-errors"' in text
    assert needle in text
    assert not Result.objects.filter(round=reporting_round, value__isnull=False).exists()


def test_duplicate_rows_are_refused(client, province_officer, reporting_round, result):
    client.force_login(province_officer)
    wb = download(client, reporting_round)
    sheet = wb.worksheets[0]
    set_cell(sheet, 2, "Reporting", "reported")
    set_cell(sheet, 2, "Value", 100)
    sheet.append([c.value for c in sheet[2]])
    r = upload(client, reporting_round, wb)
    assert r.status_code == 400
    assert "more than once" in r.content.decode()
    result.refresh_from_db()
    assert result.value is None


def test_locked_result_is_refused(client, province_officer, osm_staff, reporting_round, result):
    client.force_login(province_officer)
    wb = download(client, reporting_round)
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal(100),
        submit=True,
    )
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    sheet = wb.worksheets[0]
    set_cell(sheet, 2, "Reporting", "reported")
    set_cell(sheet, 2, "Value", 5)
    set_cell(sheet, 2, "Version", result.version)
    r = upload(client, reporting_round, wb)
    assert r.status_code == 400
    assert "locked" in r.content.decode()
    result.refresh_from_db()
    assert result.value == Decimal(100)


def test_wrong_province_row_is_refused(
    client, province_officer, osm_staff, reporting_round, sibling_result, world
):
    client.force_login(osm_staff)
    wb = download(client, reporting_round)  # staff's workbook has every province
    client.force_login(province_officer)
    sheet = wb.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        set_cell(sheet, row, "Reporting", "reported")
        set_cell(sheet, row, "Value", 100)
    r = upload(client, reporting_round, wb)
    assert r.status_code == 400
    assert "cannot report for" in r.content.decode()
    sibling_result.refresh_from_db()
    assert sibling_result.value is None


def test_off_track_value_without_explanation_may_be_saved_as_draft(
    client, province_officer, reporting_round, result
):
    client.force_login(province_officer)
    wb = download(client, reporting_round)
    sheet = wb.worksheets[0]
    set_cell(sheet, 2, "Reporting", "reported")
    set_cell(sheet, 2, "Value", 1)
    assert upload(client, reporting_round, wb).status_code == 302


def test_value_with_not_applicable_is_a_bad_row(client, province_officer, reporting_round, result):
    client.force_login(province_officer)
    wb = download(client, reporting_round)
    sheet = wb.worksheets[0]
    set_cell(sheet, 2, "Reporting", "not_applicable")
    set_cell(sheet, 2, "Value", 1)
    r = upload(client, reporting_round, wb)
    assert r.status_code == 400


def test_staff_and_committee_cannot_upload(client, osm_staff, committee, reporting_round):
    for person in (osm_staff, committee):
        client.force_login(person)
        f = SimpleUploadedFile("x.xlsx", b"PK", content_type=XLSX)
        assert (
            client.post(
                reverse("scorecard:round-upload", args=[reporting_round.pk]), {"workbook": f}
            ).status_code
            == 403
        )


def test_sibling_officer_download_has_no_chiang_mai_rows(
    client, other_officer, reporting_round, world
):
    client.force_login(other_officer)
    sheet = download(client, reporting_round).worksheets[0]
    assert world.province.code not in {row[0].value for row in sheet.iter_rows(min_row=2)}


def test_the_failed_upload_page_is_the_round_page_with_the_mistakes(
    client, province_officer, reporting_round, result, indicator
):
    """What an officer sees after a refused upload: the round as usual (their indicators to
    enter, the upload form to try again) and each mistake with its row."""
    client.force_login(province_officer)
    wb = download(client, reporting_round)
    set_cell(wb.worksheets[0], 2, "Reporting", "reported")
    set_cell(wb.worksheets[0], 2, "Value", "ไม่ใช่ตัวเลข")
    response = upload(client, reporting_round, wb)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="import-errors"' in page
    assert "Nothing was saved: 1 row has mistakes." in page
    errors = page[page.index('id="import-errors"') :]
    assert "2" in errors[: errors.index("</ul>")]  # the row of the mistake
    assert 'id="due-table"' in page
    assert f'data-testid="open-{indicator.code}"' in page
    assert 'id="upload-form"' in page
    result.refresh_from_db()
    assert result.value is None


def test_a_failed_upload_by_an_administrator_keeps_the_staff_parts_of_the_page(
    client, admin_user_, reporting_round
):
    """An administrator uploads for every province: the refused upload still shows the
    round's progress and its manage section."""
    client.force_login(admin_user_)
    response = client.post(reverse("scorecard:round-upload", args=[reporting_round.pk]), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="progress-heading"' in page
    assert 'id="manage-heading"' in page
