"""Early warnings from the scorecard (rules in the form of osm/alerts/rules.py): deadline
reminders, late results, missed deadlines in a row, off-track values — each at its
boundaries, raised once, resolved when the condition clears — and the note to an officer
whose value came back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from osm.alerts.engine import alerts_run
from osm.alerts.rules import rule_evaluate
from osm.models import Alert, ClusterAlertSettings, Notification
from scorecard import alerts, services
from scorecard.models import ReportingRound, Result
from tests.factories import IndicatorFactory, ObjectiveFactory, PlanFactory, targets_for

DEADLINE = dt.date(2027, 1, 20)  # a Wednesday


@pytest.fixture
def indicator(world: Any) -> Any:
    plan = PlanFactory(cluster=world.cluster)
    indicator = IndicatorFactory(objective=ObjectiveFactory(issue__plan=plan))
    provinces = list(world.cluster.provinces.all())
    for year in (2569, 2570):
        targets_for(
            indicator, year, Decimal(len(provinces) * 100), {p: Decimal(100) for p in provinces}
        )
    return indicator


@pytest.fixture
def open_round(world: Any, osm_staff: Any, indicator: Any) -> Any:
    return services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=1,
        opens_on=dt.date(2026, 11, 1),
        deadline=DEADLINE,
        by=osm_staff,
    )


def _submit(result: Result, officer: Any, value: Decimal, **extra: Any) -> Result:
    services.result_save(
        result=result,
        by=officer,
        expected_version=result.version,
        reporting="reported",
        value=value,
        submit=True,
        **extra,
    )
    result.refresh_from_db()
    return result


def _off_track(result: Result, officer: Any) -> Result:
    return _submit(result, officer, Decimal(1), explanation="ฝนแล้ง", corrective_action="เร่งส่งเสริม")


def _approve(result: Result, staff: Any) -> Result:
    services.result_review(result=result, by=staff, expected_version=result.version, approve=True)
    result.refresh_from_db()
    return result


def test_officers_are_reminded_three_working_days_before_the_deadline(
    open_round: Any, world: Any
) -> None:
    # Fri 15 Jan 2027: the deadline (Wed 20 Jan) is the third working day ahead.
    found = rule_evaluate(alerts.ROUND_DUE, today=dt.date(2027, 1, 15))
    assert {c.province_id for c in found} == set(
        world.cluster.provinces.values_list("pk", flat=True)
    )
    assert all(c.params["n"] == 1 and c.quarter == 1 for c in found)
    # Thu 14 Jan: four working days ahead — not yet.
    assert rule_evaluate(alerts.ROUND_DUE, today=dt.date(2027, 1, 14)) == []
    # The deadline day itself is still a reminder, not a late warning.
    assert rule_evaluate(alerts.ROUND_DUE, today=DEADLINE)
    assert rule_evaluate(alerts.ROUND_LATE, today=DEADLINE) == []


def test_staff_set_a_longer_lead_time_for_their_cluster(open_round: Any, world: Any) -> None:
    ClusterAlertSettings.objects.create(
        cluster=world.cluster, values={"scorecard.round_due.working_days": 5}
    )
    assert rule_evaluate(alerts.ROUND_DUE, today=dt.date(2027, 1, 13))
    assert rule_evaluate(alerts.ROUND_DUE, today=dt.date(2027, 1, 12)) == []


def test_the_reminder_reaches_the_provinces_officers_in_thai(
    open_round: Any, province_officer: Any, other_officer: Any, osm_staff: Any
) -> None:
    alerts_run(today=dt.date(2027, 1, 18), codes={"scorecard.round_due"})
    mine = Notification.objects.get(user=province_officer, kind="scorecard.round_due")
    assert mine.level == Notification.Level.REMINDER
    assert "20 ม.ค. 2570" in mine.title
    assert Notification.objects.filter(user=other_officer, kind="scorecard.round_due").count() == 1
    assert not Notification.objects.filter(user=osm_staff, alert__isnull=False).exists()


def test_after_the_deadline_officers_and_staff_are_warned(
    open_round: Any, province_officer: Any, osm_staff: Any, world: Any
) -> None:
    late = rule_evaluate(alerts.ROUND_LATE, today=dt.date(2027, 1, 21))
    assert world.province.pk in {c.province_id for c in late}
    [summary] = rule_evaluate(alerts.ROUND_LATE_SUMMARY, today=dt.date(2027, 1, 21))
    assert summary.object_id == open_round.pk
    assert summary.params["n"] == world.cluster.provinces.count()
    alerts_run(today=dt.date(2027, 1, 21))
    officer_note = Notification.objects.get(user=province_officer, kind="scorecard.round_late")
    assert officer_note.level == Notification.Level.WARNING
    staff_note = Notification.objects.get(user=osm_staff, kind="scorecard.round_late_summary")
    assert world.province.name_th in staff_note.body


def test_provinces_that_submitted_everything_are_left_alone(
    open_round: Any, province_officer: Any, world: Any
) -> None:
    result = Result.objects.get(round=open_round, province=world.province)
    _submit(result, province_officer, Decimal(100))
    found = rule_evaluate(alerts.ROUND_LATE, today=dt.date(2027, 1, 21))
    assert world.province.pk not in {c.province_id for c in found}


def test_a_late_warning_resolves_itself_once_the_province_submits(
    open_round: Any, province_officer: Any, world: Any
) -> None:
    today = dt.date(2027, 1, 21)
    alerts_run(today=today)
    alert = Alert.objects.get(rule="scorecard.round_late", province=world.province)
    _submit(
        Result.objects.get(round=open_round, province=world.province),
        province_officer,
        Decimal(100),
    )
    report = alerts_run(today=today)
    alert.refresh_from_db()
    assert alert.resolution == Alert.Resolution.AUTO
    assert alert.resolved_at is not None
    assert report.raised == 0
    # The summary of late provinces stays open (others are late), its list now shorter.
    summary = Alert.objects.get(rule="scorecard.round_late_summary", resolved_at__isnull=True)
    assert summary.params["n"] == world.cluster.provinces.count() - 1


def test_rules_run_daily_through_the_core_without_repeating(
    open_round: Any, province_officer: Any
) -> None:
    first = alerts_run(today=dt.date(2027, 1, 18))
    assert first.raised >= 1
    again = alerts_run(today=dt.date(2027, 1, 18))
    assert again.raised == 0
    assert again.resolved == 0
    assert Notification.objects.filter(user=province_officer, alert__isnull=False).count() == 1


def test_off_track_approved_values_warn_the_clusters_staff(
    open_round: Any, province_officer: Any, osm_staff: Any, committee: Any, world: Any
) -> None:
    result = Result.objects.get(round=open_round, province=world.province)
    _submit(
        result, province_officer, Decimal(1), explanation="ฝนแล้ง", corrective_action="เร่งส่งเสริม"
    )
    # Submitted, not approved: no judgement yet.
    assert rule_evaluate(alerts.OFF_TRACK, today=dt.date(2027, 1, 5)) == []
    _approve(result, osm_staff)
    [found] = rule_evaluate(alerts.OFF_TRACK, today=dt.date(2027, 1, 5))
    assert found.object_id == result.pk
    assert found.params["why"] == "ฝนแล้ง"
    alerts_run(today=dt.date(2027, 1, 5), codes={"scorecard.off_track"})
    alert = Alert.objects.get(rule="scorecard.off_track")
    told = set(alert.deliveries.values_list("user_id", flat=True))
    # The staff hear of it; the committee reads it in its weekly digest, not one by one.
    assert told == {osm_staff.pk}


def test_an_on_track_value_raises_nothing(
    open_round: Any, province_officer: Any, osm_staff: Any, world: Any
) -> None:
    result = Result.objects.get(round=open_round, province=world.province)
    _approve(_submit(result, province_officer, Decimal(100)), osm_staff)
    assert rule_evaluate(alerts.OFF_TRACK, today=dt.date(2027, 1, 5)) == []


def test_a_newer_value_on_track_resolves_the_off_track_alert(
    open_round: Any, province_officer: Any, osm_staff: Any, world: Any
) -> None:
    _approve(
        _off_track(Result.objects.get(round=open_round, province=world.province), province_officer),
        osm_staff,
    )
    alerts_run(today=dt.date(2027, 1, 5), codes={"scorecard.off_track"})
    alert = Alert.objects.get(rule="scorecard.off_track")
    services.round_close(reporting_round=open_round)
    q2 = services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=2,
        opens_on=dt.date(2027, 3, 15),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    _approve(
        _submit(
            Result.objects.get(round=q2, province=world.province), province_officer, Decimal(100)
        ),
        osm_staff,
    )
    alerts_run(today=dt.date(2027, 4, 5), codes={"scorecard.off_track"})
    alert.refresh_from_db()
    assert alert.resolution == Alert.Resolution.AUTO


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
        _approve(_off_track(result, officer), osm_staff)
    # the latest approved values (with indicator, province, target); cluster targets are
    # read only for the cluster's own values (none here)
    with django_assert_num_queries(1):
        found = list(alerts.off_track(_context(alerts.OFF_TRACK, dt.date(2027, 1, 5))))
    assert len(found) == 2


def _context(rule: Any, today: dt.date) -> Any:
    from osm.alerts.rules import RuleContext

    return RuleContext(rule, today, timezone.now(), {}, [])


# --- Deadlines missed in a row ---------------------------------------------------------------


@pytest.fixture
def two_rounds(world: Any, osm_staff: Any, indicator: Any) -> list[ReportingRound]:
    made = []
    for quarter, deadline in ((1, dt.date(2027, 1, 20)), (2, dt.date(2027, 4, 21))):
        reporting_round = services.round_open(
            cluster=world.cluster,
            fiscal_year=2570,
            quarter=quarter,
            opens_on=deadline - dt.timedelta(days=30),
            deadline=deadline,
            by=osm_staff,
        )
        made.append(reporting_round)
    return made


def _submitted_on(
    reporting_round: ReportingRound, province: Any, officer: Any, day: dt.date
) -> None:
    result = Result.objects.get(round=reporting_round, province=province)
    _submit(result, officer, Decimal(100))
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    Result.objects.filter(pk=result.pk).update(first_submitted_at=when, submitted_at=when)


def test_a_province_late_in_two_rounds_in_a_row_is_flagged(
    two_rounds: list[ReportingRound], world: Any, province_officer: Any
) -> None:
    q1, q2 = two_rounds
    _submitted_on(q1, world.province, province_officer, q1.deadline + dt.timedelta(days=1))
    _submitted_on(q2, world.province, province_officer, q2.deadline + dt.timedelta(days=2))
    # The day after Q2's deadline: both missed.
    found = rule_evaluate(alerts.DEADLINES_MISSED, today=dt.date(2027, 4, 22))
    mine = [c for c in found if c.province_id == world.province.pk]
    assert len(mine) == 1
    assert (mine[0].fiscal_year, mine[0].quarter) == (2570, 2)
    # On Q2's deadline day only Q1 has passed: one missed deadline is not two.
    assert rule_evaluate(alerts.DEADLINES_MISSED, today=dt.date(2027, 4, 21)) == []


def test_submitting_on_the_deadline_day_is_on_time(
    two_rounds: list[ReportingRound], world: Any, province_officer: Any
) -> None:
    q1, q2 = two_rounds
    _submitted_on(q1, world.province, province_officer, q1.deadline + dt.timedelta(days=1))
    _submitted_on(q2, world.province, province_officer, q2.deadline)
    found = rule_evaluate(alerts.DEADLINES_MISSED, today=dt.date(2027, 4, 22))
    assert world.province.pk not in {c.province_id for c in found}
    # Provinces that never submitted missed both.
    assert world.sibling.pk in {c.province_id for c in found}


def test_three_in_a_row_when_staff_ask_for_three(
    two_rounds: list[ReportingRound], world: Any
) -> None:
    ClusterAlertSettings.objects.create(
        cluster=world.cluster, values={"scorecard.deadlines_missed.rounds": 3}
    )
    assert rule_evaluate(alerts.DEADLINES_MISSED, today=dt.date(2027, 4, 22)) == []


def test_missed_deadlines_reach_the_provinces_officers_and_the_staff(
    two_rounds: list[ReportingRound],
    world: Any,
    province_officer: Any,
    other_officer: Any,
    osm_staff: Any,
    other_staff: Any,
) -> None:
    alerts_run(today=dt.date(2027, 4, 22), codes={"scorecard.deadlines_missed"})
    alert = Alert.objects.get(rule="scorecard.deadlines_missed", province=world.province)
    assert alert.severity == "critical"
    told = set(alert.deliveries.values_list("user_id", flat=True))
    assert told == {province_officer.pk, osm_staff.pk}
    assert other_officer.pk not in told and other_staff.pk not in told


# --- Other notices ---------------------------------------------------------------------------


def test_a_returned_value_notifies_the_officer_who_submitted_it(
    open_round: Any, province_officer: Any, osm_staff: Any, world: Any
) -> None:
    result = _submit(
        Result.objects.get(round=open_round, province=world.province),
        province_officer,
        Decimal(100),
    )
    services.result_review(
        result=result,
        by=osm_staff,
        expected_version=result.version,
        approve=False,
        reason="แนบหลักฐานไม่ครบ",
    )
    note = Notification.objects.get(user=province_officer, key__contains="returned")
    assert note.body == "แนบหลักฐานไม่ครบ"
    assert note.url == result.get_absolute_url()
