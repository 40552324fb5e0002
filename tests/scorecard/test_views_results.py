"""Result entry, review and evidence through the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from osm.lib.workflow import ReviewStatus
from scorecard import services
from scorecard.models import Evidence, Result

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def edit_url(result):
    return reverse("scorecard:result-edit", args=[result.pk])


def post(client, result, **data):
    payload = {
        "reporting": "reported",
        "value": "100",
        "action": "draft",
        "version": result.version,
    }
    payload.update(data)
    return client.post(edit_url(result), payload)


def test_officer_saves_a_draft_and_is_redirected_to_the_round(client, province_officer, result):
    client.force_login(province_officer)
    r = post(client, result, value="123.5")
    assert r.status_code == 302
    assert r.url == result.round.get_absolute_url()
    result.refresh_from_db()
    assert result.value == Decimal("123.5")
    assert result.status == ReviewStatus.DRAFT


def test_officer_submits(client, province_officer, result):
    client.force_login(province_officer)
    post(client, result, action="submit")
    result.refresh_from_db()
    assert result.status == ReviewStatus.SUBMITTED


def test_off_track_submission_without_explanation_shows_errors(client, province_officer, result):
    client.force_login(province_officer)
    r = post(client, result, value="10", action="submit")
    assert r.status_code == 200
    assert r.context["form"].errors.keys() >= {"explanation", "corrective_action"}
    result.refresh_from_db()
    assert result.status == ReviewStatus.DRAFT
    assert result.value is None


def test_concurrent_save_gets_a_conflict_with_the_newer_value(client, province_officer, result):
    client.force_login(province_officer)
    stale_version = result.version
    post(client, result, value="111")
    r = post(client, result, value="222", version=stale_version)
    assert r.status_code == 409
    assert r.context["conflict"].value == Decimal("111")
    assert b'data-testid="newer-value"' in r.content
    result.refresh_from_db()
    assert result.value == Decimal("111")


def test_invalid_number_rerenders(client, province_officer, result):
    client.force_login(province_officer)
    r = post(client, result, value="abc")
    assert r.status_code == 200
    assert "value" in r.context["form"].errors


def test_edit_page_wrong_method(client, province_officer, result):
    client.force_login(province_officer)
    assert client.put(edit_url(result)).status_code == 405


def test_officer_cannot_read_or_write_sibling_unapproved_result(
    client, province_officer, sibling_result
):
    client.force_login(province_officer)
    assert client.get(edit_url(sibling_result)).status_code == 404
    assert post(client, sibling_result).status_code == 404
    sibling_result.refresh_from_db()
    assert sibling_result.value is None


def test_officer_reads_sibling_result_once_approved(
    client, province_officer, other_officer, osm_staff, sibling_result
):
    services.result_save(
        result=sibling_result,
        by=other_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal(100),
        submit=True,
    )
    services.result_review(
        result=sibling_result, by=osm_staff, expected_version=sibling_result.version, approve=True
    )
    client.force_login(province_officer)
    assert client.get(edit_url(sibling_result)).status_code == 200
    assert post(client, sibling_result).status_code == 403


def test_evidence_upload_and_scoped_download(client, province_officer, other_officer, result):
    client.force_login(province_officer)
    upload = SimpleUploadedFile("รายงาน.pdf", b"%PDF-1.7 evidence", content_type="application/pdf")
    r = client.post(
        edit_url(result),
        {
            "reporting": "reported",
            "value": "100",
            "action": "draft",
            "version": 1,
            "evidence": upload,
        },
    )
    assert r.status_code == 302
    evidence = Evidence.objects.get(result=result)
    assert evidence.original_name == "รายงาน.pdf"
    assert "รายงาน" not in evidence.file.name  # stored under a random name
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 - no public URL exists
    url = reverse("scorecard:evidence-download", args=[evidence.pk])
    r = client.get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == b"%PDF-1.7 evidence"
    assert r["Content-Disposition"].startswith("attachment")
    client.force_login(other_officer)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [("x.exe", b"MZ"), ("fake.pdf", b"MZ\x90\x00 not a pdf"), ("x.html", b"<script>")],
)
def test_evidence_of_wrong_kind_is_refused(client, province_officer, result, name, content):
    client.force_login(province_officer)
    upload = SimpleUploadedFile(name, content)
    r = client.post(
        edit_url(result),
        {
            "reporting": "reported",
            "value": "100",
            "action": "draft",
            "version": 1,
            "evidence": upload,
        },
    )
    assert r.status_code == 200
    assert not Evidence.objects.exists()
    result.refresh_from_db()
    assert result.value is None  # all or nothing: the value was not saved either


def test_evidence_too_large_is_refused(client, province_officer, result, monkeypatch):
    monkeypatch.setattr(services.results, "EVIDENCE_MAX_BYTES", 10)
    client.force_login(province_officer)
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 20)
    r = client.post(
        edit_url(result),
        {
            "reporting": "reported",
            "value": "100",
            "action": "draft",
            "version": 1,
            "evidence": upload,
        },
    )
    assert r.status_code == 200
    assert not Evidence.objects.exists()


def submitted(result, officer):
    services.result_save(
        result=result,
        by=officer,
        expected_version=result.version,
        reporting="reported",
        value=Decimal(100),
        submit=True,
    )
    return result


def test_staff_returns_with_reason_and_officer_sees_it(client, osm_staff, province_officer, result):
    submitted(result, province_officer)
    client.force_login(osm_staff)
    r = client.post(
        reverse("scorecard:result-review", args=[result.pk]),
        {"decision": "return", "reason": "แนบหลักฐานเพิ่มเติม", "version": result.version},
    )
    assert r.status_code == 302
    result.refresh_from_db()
    assert result.status == ReviewStatus.RETURNED
    client.force_login(province_officer)
    page = client.get(edit_url(result))
    assert "แนบหลักฐานเพิ่มเติม" in page.content.decode()
    assert b'id="result-form"' in page.content


def test_htmx_approve_returns_the_row_fragment(client, osm_staff, province_officer, result):
    submitted(result, province_officer)
    client.force_login(osm_staff)
    r = client.post(
        reverse("scorecard:result-review", args=[result.pk]),
        {"decision": "approve", "version": result.version},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert b"<html" not in r.content
    assert f'id="review-{result.pk}"'.encode() in r.content
    assert b'data-status="' in r.content  # the row keeps its status against the target
    result.refresh_from_db()
    assert result.status == ReviewStatus.APPROVED


def test_approved_result_is_locked_on_the_page_and_reopen_is_audited(
    client, osm_staff, province_officer, result
):
    submitted(result, province_officer)
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    client.force_login(province_officer)
    assert b'id="result-form"' not in client.get(edit_url(result)).content
    r = post(client, result, value="5")
    assert r.status_code == 200  # refused with a message on the form
    result.refresh_from_db()
    assert result.value == Decimal(100)
    client.force_login(osm_staff)
    client.post(
        reverse("scorecard:result-reopen", args=[result.pk]),
        {"reason": "จังหวัดขอแก้ไขตัวเลข", "version": result.version},
    )
    result.refresh_from_db()
    assert result.status == ReviewStatus.DRAFT
    assert result.review_note == "จังหวัดขอแก้ไขตัวเลข"
    from osm import audit

    assert any(
        c.new == "Draft" or c.new == "ร่าง" for e in audit.history_for(result) for c in e.changes
    )


def test_review_queue_lists_submitted_results_with_pinned_queries(
    client, osm_staff, world, reporting_round, django_assert_num_queries
):
    rows = Result.objects.filter(round=reporting_round).select_related(
        "indicator", "province_target", "round"
    )
    for row in rows:
        services.result_save(
            result=row,
            by=osm_staff,
            expected_version=1,
            reporting="reported",
            value=Decimal(100),
            submit=True,
        )
    client.force_login(osm_staff)
    # + the filter's provinces and rounds
    with django_assert_num_queries(9):
        r = client.get(reverse("scorecard:review", args=[world.cluster.pk]))
    assert r.content.count(b'value="approve"') == rows.count() >= 3


def test_home_shows_what_is_due_to_the_officer(client, province_officer, reporting_round):
    client.force_login(province_officer)
    r = client.get(reverse("home"))
    assert b'id="due-panel"' in r.content
    assert reverse("scorecard:round-detail", args=[reporting_round.pk]).encode() in r.content


def test_home_shows_the_review_count_to_staff(client, osm_staff, province_officer, result):
    submitted(result, province_officer)
    client.force_login(osm_staff)
    assert b'id="review-panel"' in client.get(reverse("home")).content


def test_home_lists_every_due_indicator_with_its_status(
    client, province_officer, result, indicator
):
    client.force_login(province_officer)
    html = client.get(reverse("home")).content.decode()
    assert edit_url(result) in html
    assert 'data-review="draft"' in html


def test_not_combinable_indicator_gets_a_cluster_value_entered_by_staff(
    client, osm_staff, province_officer, world, objective
):
    import datetime as dt

    from tests.factories import IndicatorFactory

    ind = IndicatorFactory(objective=objective, aggregation="none")
    ind.targets.create(fiscal_year=2570, value=Decimal(5))
    r = services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=2,
        opens_on=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    own = Result.objects.get(round=r, indicator=ind, province__isnull=True)
    client.force_login(province_officer)
    assert (
        client.post(
            edit_url(own), {"reporting": "reported", "value": "5", "action": "submit", "version": 1}
        ).status_code
        == 404  # not the officer's to see while unapproved
    )
    client.force_login(osm_staff)
    page = client.get(r.get_absolute_url()).content.decode()
    assert 'id="cluster-values-table"' in page
    response = client.post(
        edit_url(own), {"reporting": "reported", "value": "5", "action": "submit", "version": 1}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == ReviewStatus.SUBMITTED
    # Four eyes: another member of the staff approves what this one entered.
    from tests.factories import UserFactory, assign

    colleague = assign(UserFactory(), "osm_staff", cluster=world.cluster)
    services.result_review(result=own, by=colleague, expected_version=own.version, approve=True)
    from scorecard.rollup import rollups

    assert rollups(fiscal_year=2570, quarter=2, indicator_ids=[ind.pk])[ind.pk].value == Decimal(5)


def test_a_draft_nobody_filled_in_reads_not_entered_yet(client, province_officer, result):
    """Every new result starts "not reported"; until somebody says so with a reason, the
    pages call it "not entered yet"."""
    client.force_login(province_officer)
    page = client.get(result.round.get_absolute_url()).content.decode()
    row = page[page.index(f'id="result-{result.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "not entered yet" in row and "Not reported" not in row
    post(client, result, reporting="not_reported", value="", not_reported_reason="No survey")
    page = client.get(result.round.get_absolute_url()).content.decode()
    row = page[page.index(f'id="result-{result.pk}"') :]
    assert "Not reported" in row[: row.index("</tr>")]


# --- review and reopen: where each answer goes, and what a refusal says ----------------------


def _messages(response):
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


def _review(client, result, **data):
    return client.post(reverse("scorecard:result-review", args=[result.pk]), data)


def test_review_goes_back_to_the_page_it_was_posted_from(
    client, osm_staff, province_officer, result
):
    submitted(result, province_officer)
    client.force_login(osm_staff)
    r = _review(client, result, decision="approve", version=result.version, next=edit_url(result))
    assert r.status_code == 302
    assert r.url == edit_url(result)
    assert _messages(r) == ["Approved."]
    result.refresh_from_db()
    assert result.status == ReviewStatus.APPROVED


def test_review_never_redirects_to_another_site(client, osm_staff, province_officer, result):
    submitted(result, province_officer)
    client.force_login(osm_staff)
    r = _review(
        client, result, decision="approve", version=result.version, next="https://evil.example/"
    )
    assert r.url == reverse("scorecard:review", args=[result.indicator.cluster_id])


def test_returning_without_a_reason_is_refused_with_a_message(
    client, osm_staff, province_officer, result
):
    submitted(result, province_officer)
    client.force_login(osm_staff)
    r = _review(client, result, decision="return", version=result.version)
    assert r.status_code == 302
    assert _messages(r) == ["Give a reason."]
    result.refresh_from_db()
    assert result.status == ReviewStatus.SUBMITTED


def test_an_incomplete_review_form_is_refused_with_a_message(
    client, osm_staff, province_officer, result
):
    submitted(result, province_officer)
    client.force_login(osm_staff)
    r = _review(client, result, decision="maybe", version=result.version)
    assert _messages(r) == ["The review could not be recorded."]
    result.refresh_from_db()
    assert result.status == ReviewStatus.SUBMITTED


def test_reviewing_a_result_changed_meanwhile_writes_nothing(
    client, osm_staff, province_officer, result
):
    submitted(result, province_officer)
    client.force_login(osm_staff)
    r = _review(client, result, decision="approve", version=result.version - 1)
    assert _messages(r) == [
        "Somebody else saved this in the meantime. Their version is shown; nothing of yours "
        "was saved."
    ]
    result.refresh_from_db()
    assert result.status == ReviewStatus.SUBMITTED


def test_htmx_review_row_varies_on_htmx_and_a_refusal_keeps_the_buttons(
    client, osm_staff, province_officer, result
):
    submitted(result, province_officer)
    client.force_login(osm_staff)
    r = client.post(
        reverse("scorecard:result-review", args=[result.pk]),
        {"decision": "return", "version": result.version},  # no reason: refused
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert "HX-Request" in r["Vary"]
    html = r.content.decode()
    assert html.lstrip().startswith(f'<tr id="review-{result.pk}"')
    assert 'name="decision"' in html  # still submitted: the reviewer can try again
    assert _messages(r) == ["Give a reason."]


def test_reopen_goes_to_the_result_with_its_message(client, osm_staff, province_officer, result):
    submitted(result, province_officer)
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    client.force_login(osm_staff)
    r = client.post(
        reverse("scorecard:result-reopen", args=[result.pk]),
        {"reason": "ขอแก้ตัวเลข", "version": result.version},
    )
    assert r.status_code == 302
    assert r.url == result.get_absolute_url()
    assert _messages(r) == ["The result is reopened for correction."]


def test_reopening_without_a_reason_is_refused(client, osm_staff, province_officer, result):
    submitted(result, province_officer)
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    client.force_login(osm_staff)
    r = client.post(
        reverse("scorecard:result-reopen", args=[result.pk]), {"version": result.version}
    )
    assert r.url == result.get_absolute_url()
    assert _messages(r) == ["Give a reason for reopening."]
    result.refresh_from_db()
    assert result.status == ReviewStatus.APPROVED


def test_reopen_guards(client, committee, other_staff, province_officer, osm_staff, result):
    submitted(result, province_officer)
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    url = reverse("scorecard:result-reopen", args=[result.pk])
    data = {"reason": "ขอแก้", "version": result.version}
    client.force_login(committee)
    assert client.post(url, data).status_code == 403
    client.force_login(province_officer)
    assert client.post(url, data).status_code == 403
    client.force_login(other_staff)
    assert client.post(url, data).status_code == 404
    assert client.get(url).status_code == 405
    result.refresh_from_db()
    assert result.status == ReviewStatus.APPROVED
