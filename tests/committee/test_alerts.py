"""The overdue-action rule at its boundaries: who hears it, once per item and due date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from committee.alerts import overdue_action_items
from committee.models import ActionItem, AgendaItem
from committee.services import decisions
from osm import registry
from osm.models import Agency, Notification
from osm.notifications import alert_rules_run
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 11, 30)


def _item(decided: AgendaItem, **fields: Any) -> ActionItem:
    data = {
        "description": "ส่งรายงานความก้าวหน้า",
        "owner_kind": ActionItem.Owner.PROVINCE,
        "owner_province": None,
        "due_date": DUE,
    } | fields
    return decisions.action_item_create(resolution=decided.resolution, by=None, **data)


def test_due_today_is_not_overdue_and_the_day_after_is(
    decided: AgendaItem, world: Any, osm_staff: Any, province_officer: Any
) -> None:
    item = _item(decided, owner_province=world.province)
    assert overdue_action_items(today=DUE) == []
    alerts = overdue_action_items(today=DUE + dt.timedelta(days=1))
    assert {a.user_id for a in alerts} == {osm_staff.pk, province_officer.pk}
    assert {a.key for a in alerts} == {f"committee:action:{item.pk}:overdue:{DUE.isoformat()}"}
    assert all(a.url == item.get_absolute_url() for a in alerts)


@pytest.mark.parametrize("status", [ActionItem.Status.DONE, ActionItem.Status.CANCELLED])
def test_a_closed_item_warns_nobody(decided: AgendaItem, world: Any, status: str) -> None:
    item = _item(decided, owner_province=world.province)
    decisions.action_item_update(
        item=item,
        lock_version=item.lock_version,
        description=item.description,
        owner_kind=item.owner_kind,
        owner_province=world.province,
        due_date=DUE,
        status=status,
    )
    assert overdue_action_items(today=DUE + dt.timedelta(days=10)) == []


def test_in_progress_still_warns(decided: AgendaItem, world: Any) -> None:
    _item(decided, owner_province=world.province, status=ActionItem.Status.IN_PROGRESS)
    assert overdue_action_items(today=DUE + dt.timedelta(days=1))


def test_the_owner_is_warned_not_other_provinces(
    decided: AgendaItem,
    world: Any,
    osm_staff: Any,
    province_officer: Any,
    other_officer: Any,
    other_staff: Any,
) -> None:
    person = assign(UserFactory(), "committee", cluster=world.cluster)
    _item(decided, owner_kind=ActionItem.Owner.PERSON, owner_user=person)
    agency = Agency.objects.create(name_th="สำนักงานเกษตรจังหวัดเชียงใหม่", province=world.province)
    _item(decided, owner_kind=ActionItem.Owner.AGENCY, owner_agency=agency)
    heard = {a.user_id for a in overdue_action_items(today=DUE + dt.timedelta(days=1))}
    assert person.pk in heard and osm_staff.pk in heard
    assert province_officer.pk in heard  # the agency sits in Chiang Mai
    assert other_officer.pk not in heard and other_staff.pk not in heard


def test_running_the_rules_twice_warns_once_and_a_new_due_date_warns_again(
    decided: AgendaItem, world: Any, province_officer: Any, monkeypatch: Any
) -> None:
    item = _item(decided, owner_province=world.province)
    assert overdue_action_items in registry.alert_rules
    monkeypatch.setattr(
        registry, "alert_rules", [lambda: overdue_action_items(today=DUE + dt.timedelta(days=3))]
    )
    first = alert_rules_run()
    assert first >= 2
    assert alert_rules_run() == 0
    mine = Notification.objects.filter(user=province_officer, key__startswith="committee:action:")
    assert mine.count() == 1
    later = DUE + dt.timedelta(days=1)
    decisions.action_item_update(
        item=item,
        lock_version=item.lock_version,
        description=item.description,
        owner_kind=item.owner_kind,
        owner_province=world.province,
        due_date=later,
        status=item.status,
    )
    assert alert_rules_run() >= 1
    assert mine.count() == 2


def test_the_rule_costs_two_queries_whatever_the_number_of_items(
    decided: AgendaItem, world: Any, django_assert_num_queries: Any
) -> None:
    for _n in range(5):
        _item(decided, owner_province=world.province)
    with django_assert_num_queries(2):
        alerts = overdue_action_items(today=DUE + dt.timedelta(days=1))
    assert len(alerts) >= 5
