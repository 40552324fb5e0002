"""A round workbook downloaded and uploaded back: unchanged rows are skipped whatever their
state, a changed locked row is refused on its own line, and the upload can submit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from osm.lib.workflow import ReviewStatus
from scorecard import services
from scorecard.models import Result
from tests.factories import IndicatorFactory, targets_for
from tests.scorecard.test_excel import columns, download, set_cell, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def thai(client: Any, settings: Any) -> None:
    """Pages in Thai (the scorecard tests read English by default)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"


@pytest.fixture
def three(
    reporting_round: Any, result: Result, objective: Any, province_officer: Any, osm_staff: Any
) -> dict[str, Result]:
    """Chiang Mai's three results of the round: K1 approved, K2 submitted, K3 a draft."""
    for code in ("K2", "K3"):
        extra = IndicatorFactory(objective=objective, code=code)
        targets_for(extra, 2570, Decimal(1), {result.province: Decimal(1)})
    services.create_round_results(reporting_round)
    found = {
        r.indicator.code: r
        for r in Result.objects.filter(
            round=reporting_round, province=result.province
        ).select_related("indicator", "province_target", "round")
    }
    for code, value in (("K1", 100), ("K2", 7)):
        services.result_save(
            result=found[code],
            by=province_officer,
            expected_version=found[code].version,
            reporting="reported",
            value=Decimal(value),
            submit=True,
        )
    services.result_review(
        result=found["K1"], by=osm_staff, expected_version=found["K1"].version, approve=True
    )
    for r in found.values():
        r.refresh_from_db()
    return found


def line_of(sheet: Any, code: str) -> int:
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == code:
            return row[0].row
    raise AssertionError(code)


def test_unchanged_workbook_is_accepted_and_changes_nothing(
    client: Any, province_officer: Any, reporting_round: Any, three: dict[str, Result]
) -> None:
    client.force_login(province_officer)
    response = upload(client, reporting_round, download(client, reporting_round))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-nothing"' in page and 'id="import-errors"' not in page
    for r in three.values():
        before = r.version
        r.refresh_from_db()
        assert r.version == before


def test_locked_rows_unchanged_are_skipped_while_a_draft_is_saved(
    client: Any, province_officer: Any, reporting_round: Any, three: dict[str, Result]
) -> None:
    client.force_login(province_officer)
    book = download(client, reporting_round)
    sheet = book.worksheets[0]
    line = line_of(sheet, "K3")
    set_cell(sheet, line, "Reporting", "reported")
    set_cell(sheet, line, "Value", 55)
    response = upload(client, reporting_round, book)
    assert response.status_code == 302
    draft = three["K3"]
    draft.refresh_from_db()
    assert draft.value == Decimal(55) and draft.status == ReviewStatus.DRAFT
    three["K1"].refresh_from_db()
    assert three["K1"].status == ReviewStatus.APPROVED and three["K1"].value == Decimal(100)


def test_a_changed_locked_row_is_refused_on_its_own_line_in_thai(
    client: Any, province_officer: Any, reporting_round: Any, three: dict[str, Result], thai: None
) -> None:
    client.force_login(province_officer)
    book = download(client, reporting_round)
    sheet = book.worksheets[0]
    locked, draft = line_of(sheet, "K1"), line_of(sheet, "K3")
    set_cell(sheet, locked, "Value", 999)
    set_cell(sheet, draft, "Reporting", "reported")
    set_cell(sheet, draft, "Value", 55)
    response = upload(client, reporting_round, book)
    assert response.status_code == 400
    page = response.content.decode()
    errors = page[page.index('id="import-errors"') :]
    errors = errors[: errors.index("</table>")]
    assert f'<th scope="row">{locked}</th>' in errors
    assert f'<th scope="row">{draft}</th>' not in errors  # only the locked row is refused
    assert "อนุมัติแล้ว" in errors  # "approved and locked", in Thai beside its row
    three["K3"].refresh_from_db()
    assert three["K3"].value is None  # all or nothing


def test_the_upload_can_submit_the_rows_it_saves(
    client: Any, province_officer: Any, reporting_round: Any, three: dict[str, Result]
) -> None:
    client.force_login(province_officer)
    book = download(client, reporting_round)
    sheet = book.worksheets[0]
    line = line_of(sheet, "K3")
    set_cell(sheet, line, "Reporting", "reported")
    set_cell(sheet, line, "Value", 150)
    response = upload(client, reporting_round, book, submit="on")
    assert response.status_code == 302
    three["K3"].refresh_from_db()
    assert three["K3"].status == ReviewStatus.SUBMITTED and three["K3"].value == Decimal(150)


def test_the_preview_shows_the_change_before_saving(
    client: Any, province_officer: Any, reporting_round: Any, three: dict[str, Result], thai: None
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(province_officer)
    book = download(client, reporting_round)
    sheet = book.worksheets[0]
    line = line_of(sheet, "K3")
    set_cell(sheet, line, "Reporting", "reported")
    set_cell(sheet, line, "Value", 42)
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        reverse("scorecard:round-upload", args=[reporting_round.pk]),
        {"workbook": SimpleUploadedFile("r.xlsx", buffer.getvalue()), "submit": "on"},
    )
    page = response.content.decode()
    changes = page[page.index('id="import-changes"') :]
    changes = changes[: changes.index("</table>")]
    assert '<ins class="text-success">42</ins>' in changes
    assert "ส่งตรวจแล้ว" in changes  # the rows will be submitted
    three["K3"].refresh_from_db()
    assert three["K3"].value is None


def test_text_limits_are_the_same_in_the_form_and_the_workbook() -> None:
    from scorecard.forms import ResultForm
    from scorecard.sheets import ResultSheet

    form = ResultForm()
    columns = {c.key: c for c in ResultSheet().columns}
    for key in ("not_reported_reason", "note", "explanation", "corrective_action"):
        assert form.fields[key].max_length == columns[key].max_length == 2000


def test_a_value_typed_into_a_fresh_row_is_reported(
    client: Any, province_officer: Any, reporting_round: Any, three: dict[str, Result]
) -> None:
    """Fresh rows say "not reported"; an officer who only types the number reports it."""
    client.force_login(province_officer)
    book = download(client, reporting_round)
    sheet = book.worksheets[0]
    line = line_of(sheet, "K3")
    assert sheet.cell(row=line, column=columns(sheet)["Reporting"] + 1).value == "Not reported"
    set_cell(sheet, line, "Value", 61)
    response = upload(client, reporting_round, book, submit="on")
    assert response.status_code == 302
    three["K3"].refresh_from_db()
    assert three["K3"].reporting == "reported" and three["K3"].value == Decimal(61)
    assert three["K3"].status == ReviewStatus.SUBMITTED


def test_not_reported_with_a_reason_can_be_submitted_by_upload(
    client: Any, province_officer: Any, reporting_round: Any, three: dict[str, Result]
) -> None:
    client.force_login(province_officer)
    book = download(client, reporting_round)
    sheet = book.worksheets[0]
    line = line_of(sheet, "K3")
    set_cell(sheet, line, "Why is there no value?", "The source has not published yet")
    response = upload(client, reporting_round, book, submit="on")
    assert response.status_code == 302
    three["K3"].refresh_from_db()
    assert three["K3"].reporting == "not_reported"
    assert three["K3"].not_reported_reason == "The source has not published yet"
    assert three["K3"].status == ReviewStatus.SUBMITTED


def test_not_reported_without_a_reason_is_refused_on_submit(
    client: Any, province_officer: Any, reporting_round: Any, three: dict[str, Result]
) -> None:
    client.force_login(province_officer)
    book = download(client, reporting_round)
    sheet = book.worksheets[0]
    set_cell(sheet, line_of(sheet, "K3"), "Note", "checked")
    response = upload(client, reporting_round, book, submit="on")
    assert response.status_code == 400
    assert "Say why there is no value" in response.content.decode()
    three["K3"].refresh_from_db()
    assert three["K3"].status == ReviewStatus.DRAFT and three["K3"].note == ""


def test_an_upload_keeps_the_saved_reason(
    client: Any,
    province_officer: Any,
    reporting_round: Any,
    three: dict[str, Result],
) -> None:
    """A draft saved "not reported" with a reason, then a note changed in the workbook: the
    reason stays (it used to be cleared, as the workbook had no column for it)."""
    draft = three["K3"]
    services.result_save(
        result=draft,
        by=province_officer,
        expected_version=draft.version,
        reporting="not_reported",
        value=None,
        not_reported_reason="Awaiting the survey",
    )
    client.force_login(province_officer)
    book = download(client, reporting_round)
    sheet = book.worksheets[0]
    line = line_of(sheet, "K3")
    assert sheet.cell(row=line, column=columns(sheet)["Why is there no value?"] + 1).value == (
        "Awaiting the survey"
    )
    set_cell(sheet, line, "Note", "asked the office again")
    assert upload(client, reporting_round, book).status_code == 302
    draft.refresh_from_db()
    assert draft.note == "asked the office again"
    assert draft.not_reported_reason == "Awaiting the survey"
