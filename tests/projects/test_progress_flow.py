"""Progress reports on the core workflow: save, submit, return, correct, approve (locked,
counted in the project's money), reopen; optimistic locking; disbursement against plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from osm.lib.workflow import ReviewStatus, StaleVersion
from projects import figures
from projects.models import Project
from projects.services import progress
from projects.services.money import government_targets_set

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def _save(
    project: Project, by: Any, quarter: int = 1, version: int | None = None, **kw: Any
) -> Any:
    values = {"physical_pct": Decimal(20), "disbursed_to_date": Decimal("200000.00"), **kw}
    return progress.report_save(
        project=project, quarter=quarter, by=by, expected_version=version, **values
    )


def test_submit_return_correct_approve_counts_the_money(
    running: Project, province_officer: Any, osm_staff: Any
) -> None:
    report = _save(running, province_officer, submit=True)
    assert report.status == ReviewStatus.SUBMITTED
    progress.report_review(
        report=report,
        by=osm_staff,
        expected_version=report.version,
        approve=False,
        reason="ยอดไม่ตรง",
    )
    assert report.status == ReviewStatus.RETURNED and report.review_note == "ยอดไม่ตรง"
    report = _save(
        running,
        province_officer,
        version=report.version,
        submit=True,
        disbursed_to_date=Decimal("180000.50"),
    )
    running.refresh_from_db()
    assert running.disbursed == 0  # nothing counts before approval
    progress.report_review(
        report=report, by=osm_staff, expected_version=report.version, approve=True
    )
    running.refresh_from_db()
    assert running.disbursed == Decimal("180000.50")
    assert running.status == Project.Status.IN_PROGRESS
    assert running.remaining == Decimal("819999.50")


def test_an_approved_report_is_locked_until_reopened_with_a_reason(
    running: Project, province_officer: Any, osm_staff: Any
) -> None:
    report = _save(running, province_officer, submit=True)
    progress.report_review(
        report=report, by=osm_staff, expected_version=report.version, approve=True
    )
    with pytest.raises(ValidationError):
        _save(running, province_officer, version=report.version, physical_pct=Decimal(30))
    with pytest.raises(ValidationError):
        progress.report_reopen(
            report=report, by=osm_staff, expected_version=report.version, reason=" "
        )
    progress.report_reopen(
        report=report, by=osm_staff, expected_version=report.version, reason="แก้ไขยอด"
    )
    running.refresh_from_db()
    assert report.status == ReviewStatus.DRAFT and running.disbursed == 0
    _save(running, province_officer, version=report.version, physical_pct=Decimal(30))


def test_two_people_saving_the_same_version_the_second_gets_a_conflict(
    running: Project, province_officer: Any, osm_staff: Any
) -> None:
    report = _save(running, province_officer)
    read_version = report.version
    _save(running, osm_staff, version=read_version, physical_pct=Decimal(25))
    with pytest.raises(StaleVersion) as err:
        _save(running, province_officer, version=read_version, physical_pct=Decimal(22))
    assert err.value.current.physical_pct == Decimal(25)


def test_a_report_created_meanwhile_is_a_conflict_not_an_overwrite(
    running: Project, province_officer: Any, osm_staff: Any
) -> None:
    _save(running, osm_staff)
    with pytest.raises(StaleVersion):
        _save(running, province_officer, version=None)


def test_figures_to_date_never_fall_below_an_earlier_quarter(
    running: Project, province_officer: Any
) -> None:
    _save(running, province_officer, quarter=1, physical_pct=Decimal(30))
    with pytest.raises(ValidationError) as err:
        _save(
            running,
            province_officer,
            quarter=2,
            physical_pct=Decimal(10),
            disbursed_to_date=Decimal(100),
        )
    assert set(err.value.message_dict) == {"physical_pct", "disbursed_to_date"}


def test_disbursed_cannot_pass_the_budget(running: Project, province_officer: Any) -> None:
    with pytest.raises(ValidationError) as err:
        _save(running, province_officer, disbursed_to_date=Decimal("1000000.01"))
    assert "disbursed_to_date" in err.value.message_dict


def test_a_proposal_takes_no_progress_report(make_project: Any, province_officer: Any) -> None:
    with pytest.raises(ValidationError):
        _save(make_project(), province_officer)


def test_disbursement_against_plan_and_government_targets(
    world: Any, running: Project, make_project: Any, province_officer: Any, osm_staff: Any
) -> None:
    from projects.services.money import disbursement_plan_set

    other = make_project(allocated=Decimal("500000"), status=Project.Status.APPROVED)
    disbursement_plan_set(project=other, amounts={2: Decimal("500000")})
    government_targets_set(
        fiscal_year=YEAR,
        category="overall",
        pcts={1: Decimal(20), 2: Decimal(45), 3: Decimal(70), 4: Decimal(93)},
    )
    for quarter, amount in ((1, "100000"), (2, "300000")):
        report = _save(
            running,
            province_officer,
            quarter=quarter,
            disbursed_to_date=Decimal(amount),
            physical_pct=Decimal(10 * quarter),
            submit=True,
        )
        progress.report_review(
            report=report, by=osm_staff, expected_version=report.version, approve=True
        )
    summary = figures.disbursement_by_quarter(world.cluster.pk, YEAR)
    rows = {r["quarter"]: r for r in summary["rows"]}
    assert summary["budget"] == Decimal("1500000.00")
    assert rows[1]["planned"] == Decimal("250000.00") and rows[1]["disbursed"] == Decimal(
        "100000.00"
    )
    assert rows[2]["planned"] == Decimal("1000000.00") and rows[2]["disbursed"] == Decimal(
        "300000.00"
    )
    assert rows[4]["disbursed"] == Decimal("300000.00")  # carried forward, not zero
    assert rows[2]["target_amount"] == Decimal("675000.00")
    behind = list(figures.projects_against_plan(world.cluster.pk, YEAR, 2))
    assert behind[0].pk == other.pk and behind[0].lag == Decimal(100)
    assert behind[1].pk == running.pk and behind[1].lag == Decimal(20)


def test_government_targets_are_cumulative() -> None:
    with pytest.raises(ValidationError) as err:
        government_targets_set(
            fiscal_year=YEAR, category="overall", pcts={1: Decimal(30), 2: Decimal(20)}
        )
    assert "q2" in err.value.message_dict


# --- The returned report's notice, in the submitter's language -------------------------------


def _return(report: Any, by: Any) -> None:
    progress.report_review(
        report=report, by=by, expected_version=report.version, approve=False, reason="ยอดไม่ตรง"
    )


def test_a_returned_report_reaches_each_submitter_in_their_language(
    world: Any, running: Project, province_officer: Any, osm_staff: Any
) -> None:
    """A Thai-reading officer and an English-reading staff member, while the reviewers'
    requests are in English (tests/projects/conftest.py)."""
    from osm.models import Notification, OutboxEmail
    from tests.factories import UserFactory, assign

    running.name_en = "Lanna tourist routes"
    running.save(update_fields=["name_en"])
    province_officer.language = "th"
    province_officer.save(update_fields=["language"])
    osm_staff.language = "en"
    osm_staff.save(update_fields=["language"])
    colleague = assign(UserFactory(), "osm_staff", cluster=world.cluster)

    _return(_save(running, province_officer, submit=True), osm_staff)
    _return(
        _save(running, osm_staff, quarter=2, submit=True, disbursed_to_date=Decimal("400000")),
        colleague,
    )

    officer_note = Notification.objects.get(user=province_officer, key__contains="returned")
    staff_note = Notification.objects.get(user=osm_staff, key__contains="returned")
    assert officer_note.title == ("รายงานความก้าวหน้าถูกส่งคืนให้แก้ไข: R1 โครงการพัฒนาเส้นทางท่องเที่ยวล้านนา")
    assert staff_note.title == "Progress report returned: R1 Lanna tourist routes"
    assert officer_note.body == staff_note.body == "ยอดไม่ตรง"
    returned = OutboxEmail.objects.filter(subject__contains="R1")
    subjects = {e.recipients[0]: (e.subject, e.language) for e in returned}
    assert subjects[province_officer.email] == (f"[OSM] {officer_note.title}", "th")
    assert subjects[osm_staff.email] == (f"[OSM] {staff_note.title}", "en")
