"""The overdue-action rule at its boundaries: when it holds, who hears it, once; it resolves
by itself when the item is closed or its due date moves ahead; the cluster's threshold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from committee.alerts import OVERDUE
from committee.models import ActionItem, AgendaItem
from committee.services import decisions
from osm.alerts.engine import alerts_run
from osm.alerts.rules import RuleContext, render, rule_evaluate, rule_for
from osm.models import Agency, Alert, ClusterAlertSettings, Notification
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 11, 30)
CODE = "committee.action_overdue"


def _item(decided: AgendaItem, **fields: Any) -> ActionItem:
    data = {
        "description": "ส่งรายงานความก้าวหน้า",
        "owner_kind": ActionItem.Owner.PROVINCE,
        "owner_province": None,
        "due_date": DUE,
    } | fields
    return decisions.action_item_create(resolution=decided.resolution, by=None, **data)


def _update(item: ActionItem, **fields: Any) -> None:
    item.refresh_from_db()
    data = {
        "description": item.description,
        "owner_kind": item.owner_kind,
        "owner_province": item.owner_province,
        "due_date": item.due_date,
        "status": item.status,
    } | fields
    decisions.action_item_update(item=item, lock_version=item.lock_version, **data)


def _run(day: dt.date) -> Any:
    return alerts_run(today=day, codes={CODE})


def _heard(item: ActionItem) -> set[int]:
    alert = Alert.objects.get(rule=CODE, object_id=item.pk, resolved_at__isnull=True)
    return set(Notification.objects.filter(alert=alert).values_list("user_id", flat=True))


def test_the_rule_is_registered_and_in_the_committee_digest() -> None:
    assert rule_for(CODE) is OVERDUE
    assert OVERDUE.committee_digest
    assert OVERDUE.model == "committee.actionitem"


def test_due_today_is_not_overdue_and_the_day_after_is(
    decided: AgendaItem, world: Any, osm_staff: Any, province_officer: Any
) -> None:
    item = _item(decided, owner_province=world.province)
    assert rule_evaluate(OVERDUE, today=DUE) == []
    assert _run(DUE).raised == 0
    [found] = rule_evaluate(OVERDUE, today=DUE + dt.timedelta(days=1))
    assert (found.object_id, found.cluster_id, found.province_id) == (
        item.pk,
        world.cluster.pk,
        world.province.pk,
    )
    assert found.url == item.get_absolute_url()
    assert _run(DUE + dt.timedelta(days=1)).raised == 1
    alert = Alert.objects.get(rule=CODE)
    assert alert.subject == item
    assert alert.fiscal_year == 2570  # 30 Nov 2026 falls in fiscal year 2570
    assert _heard(item) == {osm_staff.pk, province_officer.pk}
    with translation.override("th"):
        title, body = render(OVERDUE, alert)
    assert "ส่งรายงานความก้าวหน้า" in title and "2569" in title  # the BE date
    assert "การขับเคลื่อนการท่องเที่ยวเชิงสร้างสรรค์" in body
    with translation.override("en"):
        _title, body = render(OVERDUE, alert)
    assert f"Meeting no. {decided.meeting.number}/{decided.meeting.year}" in body


@pytest.mark.parametrize("status", [ActionItem.Status.DONE, ActionItem.Status.CANCELLED])
def test_a_closed_item_resolves_its_alert_by_itself(
    decided: AgendaItem, world: Any, status: str
) -> None:
    item = _item(decided, owner_province=world.province)
    later = DUE + dt.timedelta(days=10)
    assert _run(later).raised == 1
    _update(item, status=status)
    assert rule_evaluate(OVERDUE, today=later) == []
    report = _run(later)
    assert (report.raised, report.resolved) == (0, 1)
    alert = Alert.objects.get(rule=CODE, object_id=item.pk)
    assert alert.resolution == Alert.Resolution.AUTO and alert.resolved_at is not None


def test_in_progress_still_warns(decided: AgendaItem, world: Any) -> None:
    _item(decided, owner_province=world.province, status=ActionItem.Status.IN_PROGRESS)
    assert len(rule_evaluate(OVERDUE, today=DUE + dt.timedelta(days=1))) == 1


def test_the_owner_is_warned_not_other_provinces(
    decided: AgendaItem,
    world: Any,
    osm_staff: Any,
    province_officer: Any,
    other_officer: Any,
    other_staff: Any,
) -> None:
    person = assign(UserFactory(), "committee", cluster=world.cluster)
    mine = _item(decided, owner_kind=ActionItem.Owner.PERSON, owner_user=person)
    agency = Agency.objects.create(name_th="สำนักงานเกษตรจังหวัดเชียงใหม่", province=world.province)
    theirs = _item(decided, owner_kind=ActionItem.Owner.AGENCY, owner_agency=agency)
    assert _run(DUE + dt.timedelta(days=1)).raised == 2
    assert _heard(mine) == {person.pk, osm_staff.pk}  # no province follows a person's item
    # The agency sits in Chiang Mai: its officers hear, not the sibling province's.
    assert _heard(theirs) == {province_officer.pk, osm_staff.pk}
    told = set(Notification.objects.filter(kind=CODE).values_list("user_id", flat=True))
    assert other_officer.pk not in told and other_staff.pk not in told


def test_running_twice_raises_nothing_twice_and_a_missed_new_due_date_warns_again(
    decided: AgendaItem, world: Any, province_officer: Any
) -> None:
    item = _item(decided, owner_province=world.province)
    day = DUE + dt.timedelta(days=3)
    assert _run(day).raised == 1
    assert _run(day).raised == 0
    assert _run(day + dt.timedelta(days=1)).raised == 0
    mine = Notification.objects.filter(user=province_officer, kind=CODE)
    assert mine.count() == 1
    # Moved ahead: no longer overdue, the alert resolves; missed again: a new alert.
    _update(item, due_date=day + dt.timedelta(days=5))
    assert _run(day + dt.timedelta(days=1)).resolved == 1
    assert _run(day + dt.timedelta(days=6)).raised == 1
    assert mine.count() == 2
    assert Alert.objects.filter(rule=CODE, resolved_at__isnull=True).count() == 1


def test_the_clusters_threshold_delays_the_warning_and_only_there(
    decided: AgendaItem, world: Any
) -> None:
    ClusterAlertSettings.objects.create(cluster=world.cluster, values={f"{CODE}.days": 3})
    _item(decided, owner_province=world.province)
    assert rule_evaluate(OVERDUE, today=DUE + dt.timedelta(days=3)) == []
    assert len(rule_evaluate(OVERDUE, today=DUE + dt.timedelta(days=4))) == 1
    ClusterAlertSettings.objects.filter(cluster=world.cluster).update(
        values={f"{CODE}.days": 0, "other.rule.days": 9}
    )
    assert len(rule_evaluate(OVERDUE, today=DUE + dt.timedelta(days=1))) == 1


def test_the_rule_costs_one_query_whatever_the_number_of_items_and_clusters(
    decided: AgendaItem, world: Any, django_assert_num_queries: Any
) -> None:
    for _n in range(5):
        _item(decided, owner_province=world.province)
    settings = {world.cluster.pk: {f"{CODE}.days": 2}, world.other_cluster.pk: {f"{CODE}.days": 5}}
    context = RuleContext(
        OVERDUE,
        DUE + dt.timedelta(days=3),
        timezone.now(),
        settings,
        [world.cluster.pk, world.other_cluster.pk],
    )
    with django_assert_num_queries(1):
        found = list(OVERDUE.evaluate(context))
    assert len(found) == 5
