from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from osm.lib.workflow import ReviewStatus, StaleVersion
from scorecard import services
from scorecard.models import Indicator, Result

pytestmark = pytest.mark.django_db


def save(result, by, **kw):
    defaults = {"reporting": "reported", "value": Decimal(100)}
    defaults.update(kw)
    return services.result_save(result=result, by=by, expected_version=result.version, **defaults)


def test_round_creates_a_draft_for_every_province(reporting_round, provinces, indicator):
    rows = Result.objects.filter(round=reporting_round)
    assert rows.count() == len(provinces)
    assert set(rows.values_list("status", flat=True)) == {ReviewStatus.DRAFT}
    assert all(r.province_target_id for r in rows)


def test_draft_then_submit_then_approve(result, province_officer, osm_staff):
    save(result, province_officer, value=Decimal(120))
    assert result.status == ReviewStatus.DRAFT
    assert result.version == 2
    save(result, province_officer, value=Decimal(120), submit=True)
    assert result.status == ReviewStatus.SUBMITTED
    assert result.first_submitted_at is not None
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    result.refresh_from_db()
    assert result.status == ReviewStatus.APPROVED
    assert result.reviewed_by == osm_staff
    assert result.period_value == Decimal(120)


def test_returned_result_is_corrected_and_resubmitted(result, province_officer, osm_staff):
    save(result, province_officer, value=Decimal(120), submit=True)
    with pytest.raises(ValidationError) as err:
        services.result_review(
            result=result, by=osm_staff, expected_version=result.version, approve=False
        )
    assert "reason" in err.value.message_dict
    services.result_review(
        result=result,
        by=osm_staff,
        expected_version=result.version,
        approve=False,
        reason="ตัวเลขไม่ตรงกับรายงานของสำนักงานพาณิชย์จังหวัด",
    )
    result.refresh_from_db()
    assert result.status == ReviewStatus.RETURNED
    assert "พาณิชย์" in result.review_note
    first = result.first_submitted_at
    save(result, province_officer, value=Decimal(130), submit=True)
    result.refresh_from_db()
    assert result.status == ReviewStatus.SUBMITTED
    assert result.value == Decimal(130)
    assert result.first_submitted_at == first  # timeliness counts the first submission


def test_approved_result_is_locked_until_reopened_with_a_reason(
    result, province_officer, osm_staff
):
    save(result, province_officer, submit=True)
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    with pytest.raises(ValidationError, match="cannot be changed"):
        save(result, province_officer, value=Decimal(1))
    with pytest.raises(ValidationError):
        services.result_reopen(
            result=result, by=osm_staff, expected_version=result.version, reason=" "
        )
    services.result_reopen(
        result=result, by=osm_staff, expected_version=result.version, reason="แก้ไขข้อมูลตามที่จังหวัดแจ้ง"
    )
    result.refresh_from_db()
    assert result.status == ReviewStatus.DRAFT
    assert result.period_value is None
    save(result, province_officer, value=Decimal(1))


def test_submitted_result_cannot_be_edited_by_the_province(result, province_officer):
    save(result, province_officer, submit=True)
    with pytest.raises(ValidationError):
        save(result, province_officer, value=Decimal(5))


def test_off_track_value_needs_explanation_and_corrective_action(result, province_officer):
    with pytest.raises(ValidationError) as err:
        save(result, province_officer, value=Decimal(50), submit=True)
    assert {"explanation", "corrective_action"} <= set(err.value.message_dict)
    # A draft may be saved without them.
    save(result, province_officer, value=Decimal(50))
    save(
        result,
        province_officer,
        value=Decimal(50),
        explanation="ภัยแล้ง",
        corrective_action="เร่งส่งเสริม",
        submit=True,
    )
    assert result.status == ReviewStatus.SUBMITTED


def test_at_risk_value_also_needs_explanation(result, province_officer):
    with pytest.raises(ValidationError) as err:
        save(result, province_officer, value=Decimal(85), submit=True)
    assert "explanation" in err.value.message_dict


def test_on_track_value_needs_no_explanation(result, province_officer):
    save(result, province_officer, value=Decimal(100), submit=True)
    assert result.status == ReviewStatus.SUBMITTED


def test_not_reported_carries_no_value_and_is_submitted_only_with_a_reason(
    result, province_officer
):
    with pytest.raises(ValidationError) as err:
        save(result, province_officer, reporting="not_reported", value=Decimal(0))
    assert "value" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        save(result, province_officer, reporting="not_reported", value=None, submit=True)
    assert "not_reported_reason" in err.value.message_dict
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=result.version,
        reporting="not_reported",
        value=None,
        not_reported_reason="  แหล่งข้อมูลยังไม่เผยแพร่  ",
        submit=True,
    )
    result.refresh_from_db()
    assert result.status == ReviewStatus.SUBMITTED
    assert result.not_reported_reason == "แหล่งข้อมูลยังไม่เผยแพร่"


def test_a_reason_is_dropped_when_a_value_is_reported(result, province_officer):
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=result.version,
        reporting="reported",
        value=Decimal(5),
        not_reported_reason="ไม่ใช้",
    )
    result.refresh_from_db()
    assert result.not_reported_reason == ""


def test_a_value_with_more_places_than_the_indicator_is_refused(result, province_officer):
    with pytest.raises(ValidationError) as err:
        save(result, province_officer, value=Decimal("1.234"))
    assert "value" in err.value.message_dict
    Indicator.objects.filter(pk=result.indicator_id).update(decimal_places=3)
    result.indicator.refresh_from_db()
    save(result, province_officer, value=Decimal("0.385"))
    result.refresh_from_db()
    assert result.value == Decimal("0.385")


def test_not_applicable_is_submitted_without_value(result, province_officer):
    save(
        result,
        province_officer,
        reporting="not_applicable",
        value=None,
        note="ไม่มีพื้นที่ชายแดน",
        submit=True,
    )
    assert result.status == ReviewStatus.SUBMITTED
    assert result.value is None


def test_second_save_with_stale_version_is_refused(result, province_officer, other_officer):
    stale_copy = Result.objects.select_related("indicator", "province_target", "round").get(
        pk=result.pk
    )
    save(result, province_officer, value=Decimal(111))
    with pytest.raises(StaleVersion) as err:
        save(stale_copy, province_officer, value=Decimal(222))
    assert err.value.current.value == Decimal(111)
    result.refresh_from_db()
    assert result.value == Decimal(111)
    assert result.version == 2


def test_review_with_stale_version_is_refused(result, province_officer, osm_staff):
    save(result, province_officer, submit=True)
    with pytest.raises(StaleVersion):
        services.result_review(
            result=result, by=osm_staff, expected_version=result.version - 1, approve=True
        )


def test_closed_round_refuses_results(result, reporting_round, province_officer):
    services.round_close(reporting_round=reporting_round)
    result.refresh_from_db()
    result.round.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        save(result, province_officer)
    with pytest.raises(ValidationError):
        services.round_reopen(reporting_round=reporting_round, reason="")
    services.round_reopen(reporting_round=reporting_round, reason="จังหวัดขอขยายเวลา")
    result.round.refresh_from_db()
    save(result, province_officer)


def test_result_changes_are_audited(result, province_officer):
    from osm import audit

    save(result, province_officer, value=Decimal(120))
    save(result, province_officer, value=Decimal(140))
    history = audit.history_for(result)
    changes = [(c.field, c.old, c.new) for e in history for c in e.changes]
    assert any(old == "120.0000" and new == "140.0000" for _f, old, new in changes)


def test_cumulative_submission_check_adds_earlier_quarters(
    indicator, world, osm_staff, province_officer
):
    import datetime as dt

    from scorecard.models import Indicator

    Indicator.objects.filter(pk=indicator.pk).update(accumulation="cumulative")
    r1 = services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=1,
        opens_on=dt.date(2026, 12, 1),
        deadline=dt.date(2027, 1, 20),
        by=osm_staff,
    )
    r2 = services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=2,
        opens_on=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    q1 = Result.objects.select_related("indicator", "province_target", "round").get(
        round=r1, province=world.province
    )
    q2 = Result.objects.select_related("indicator", "province_target", "round").get(
        round=r2, province=world.province
    )
    save(q1, province_officer, value=Decimal(25), submit=True)  # a quarter of 100: on track
    services.result_review(result=q1, by=osm_staff, expected_version=q1.version, approve=True)
    # 25 more by Q2 makes 50 of the 50 expected: on track, no explanation needed.
    save(q2, province_officer, value=Decimal(25), submit=True)
    assert q2.status == ReviewStatus.SUBMITTED


def test_a_result_is_saved_with_its_evidence(result, province_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scorecard.models import Evidence

    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 evidence")
    save(result, province_officer, value=Decimal(120), evidence=upload)
    result.refresh_from_db()
    assert result.value == Decimal(120)
    assert result.version == 2
    evidence = Evidence.objects.get(result=result)
    assert evidence.original_name == "report.pdf"
    assert evidence.uploaded_by == province_officer


def test_a_bad_evidence_file_saves_neither_and_is_reported_with_the_value_errors(
    result, province_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scorecard.models import Evidence

    renamed = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as caught:
        save(result, province_officer, value=None, evidence=renamed)
    assert set(caught.value.message_dict) == {"evidence", "value"}
    with pytest.raises(ValidationError) as caught:
        save(result, province_officer, value=Decimal(120), evidence=renamed)
    assert list(caught.value.message_dict) == ["evidence"]
    result.refresh_from_db()
    assert result.value is None
    assert result.version == 1
    assert not Evidence.objects.exists()
