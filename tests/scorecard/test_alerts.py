"""Early warnings from the scorecard: deadline reminders, late results, off-track values,
and the note to an officer whose value came back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from osm import notifications
from osm.models import Notification
from scorecard import alerts, services
from scorecard.models import Result
from tests.factories import IndicatorFactory, ObjectiveFactory, PlanFactory, targets_for


@pytest.fixture
def open_round(world: Any, osm_staff: Any) -> Any:
    plan = PlanFactory(cluster=world.cluster)
    indicator = IndicatorFactory(objective=ObjectiveFactory(issue__plan=plan))
    provinces = list(world.cluster.provinces.all())
    targets_for(
        indicator, 2570, Decimal(len(provinces) * 100), {p: Decimal(100) for p in provinces}
    )
    return services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=1,
        opens_on=dt.date(2026, 11, 1),
        deadline=dt.date(2027, 1, 20),
        by=osm_staff,
    )


def test_officers_are_reminded_three_working_days_before_the_deadline(
    open_round: Any, province_officer: Any, other_officer: Any, osm_staff: Any
) -> None:
    # Mon 18 Jan 2027: the deadline (Wed 20 Jan) is within 3 working days.
    found = alerts.round_deadlines(today=dt.date(2027, 1, 18))
    users = {a.user_id for a in found}
    assert users == {province_officer.pk, other_officer.pk}
    mine = next(a for a in found if a.user_id == province_officer.pk)
    assert mine.level == Notification.Level.REMINDER
    assert "20 ม.ค. 2570" in mine.title
    # A week earlier nobody is reminded yet.
    assert alerts.round_deadlines(today=dt.date(2027, 1, 11)) == []


def test_after_the_deadline_officers_and_staff_are_warned(
    open_round: Any, province_officer: Any, osm_staff: Any, world: Any
) -> None:
    found = alerts.round_deadlines(today=dt.date(2027, 1, 21))
    officer = next(a for a in found if a.user_id == province_officer.pk)
    assert officer.level == Notification.Level.WARNING
    summary = next(a for a in found if a.user_id == osm_staff.pk)
    assert world.province.name_th in summary.body
    assert f"{world.cluster.provinces.count()}" in summary.title


def test_provinces_that_submitted_everything_are_left_alone(
    open_round: Any, province_officer: Any
) -> None:
    result = Result.objects.get(round=open_round, province=province_officer.roles.get().province)
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal(100),
        submit=True,
    )
    found = alerts.round_deadlines(today=dt.date(2027, 1, 21))
    assert province_officer.pk not in {a.user_id for a in found}


def test_off_track_approved_values_warn_staff_and_committee(
    open_round: Any, province_officer: Any, osm_staff: Any, committee: Any, world: Any
) -> None:
    result = Result.objects.get(round=open_round, province=world.province)
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal(1),
        submit=True,
        explanation="ฝนแล้ง",
        corrective_action="เร่งส่งเสริม",
    )
    result.refresh_from_db()
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    found = alerts.off_track_results(now=timezone.now())
    assert {a.user_id for a in found} == {osm_staff.pk, committee.pk}
    assert "ฝนแล้ง" in found[0].body


def test_rules_run_daily_through_the_core_without_repeating(
    open_round: Any, province_officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(alerts.timezone, "localdate", lambda: dt.date(2027, 1, 18))
    first = notifications.alert_rules_run()
    assert first >= 1
    assert notifications.alert_rules_run() == 0
    assert Notification.objects.filter(user=province_officer).count() == 1


def test_a_returned_value_notifies_the_officer_who_submitted_it(
    open_round: Any, province_officer: Any, osm_staff: Any, world: Any
) -> None:
    result = Result.objects.get(round=open_round, province=world.province)
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal(100),
        submit=True,
    )
    result.refresh_from_db()
    services.result_review(
        result=result,
        by=osm_staff,
        expected_version=result.version,
        approve=False,
        reason="แนบหลักฐานไม่ครบ",
    )
    note = Notification.objects.get(user=province_officer)
    assert note.body == "แนบหลักฐานไม่ครบ"
    assert note.url == result.get_absolute_url()


def test_off_track_rule_reads_in_a_fixed_number_of_queries(
    open_round: Any,
    province_officer: Any,
    other_officer: Any,
    osm_staff: Any,
    world: Any,
    django_assert_num_queries: Any,
) -> None:
    for officer, province in ((province_officer, world.province), (other_officer, world.sibling)):
        result = Result.objects.get(round=open_round, province=province)
        services.result_save(
            result=result,
            by=officer,
            expected_version=1,
            reporting="reported",
            value=Decimal(1),
            submit=True,
            explanation="ฝนแล้ง",
            corrective_action="เร่งส่งเสริม",
        )
        result.refresh_from_db()
        services.result_review(
            result=result, by=osm_staff, expected_version=result.version, approve=True
        )
    # recent approvals, cluster targets (skipped: none needed), people of the clusters
    with django_assert_num_queries(2):
        found = alerts.off_track_results(now=timezone.now())
    assert len({a.key for a in found}) == 2
