"""Early warning: an indicator off track round after round with no corrective action
recorded; and the staff's page that records one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from osm.alerts.engine import alerts_run
from osm.alerts.rules import rule_evaluate
from osm.models import Alert, ClusterAlertSettings
from scorecard import services
from scorecard.alerts_repeated import OFF_TRACK_REPEATED
from scorecard.models import CorrectiveAction, Result
from tests.factories import (
    IndicatorFactory,
    ObjectiveFactory,
    PlanFactory,
    UserFactory,
    assign,
    targets_for,
)

AFTER_Q2 = dt.date(2027, 4, 22)  # the day after Q2's deadline


@pytest.fixture
def indicator(world: Any) -> Any:
    plan = PlanFactory(cluster=world.cluster)
    indicator = IndicatorFactory(objective=ObjectiveFactory(issue__plan=plan))
    provinces = list(world.cluster.provinces.all())
    targets_for(
        indicator, 2570, Decimal(len(provinces) * 100), {p: Decimal(100) for p in provinces}
    )
    return indicator


def _round(world: Any, staff: Any, quarter: int, deadline: dt.date, value: Decimal) -> Any:
    reporting_round = services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=quarter,
        opens_on=deadline - dt.timedelta(days=30),
        deadline=deadline,
        by=staff,
    )
    for result in Result.objects.filter(round=reporting_round, province__isnull=False):
        officer = assign(UserFactory(), "province_officer", province=result.province)
        services.result_save(
            result=result,
            by=officer,
            expected_version=result.version,
            reporting="reported",
            value=value,
            explanation="ภัยแล้ง",
            corrective_action="เร่งส่งเสริม",
            submit=True,
        )
        result.refresh_from_db()
        services.result_review(
            result=result, by=staff, expected_version=result.version, approve=True
        )
    services.round_close(reporting_round=reporting_round)
    return reporting_round


@pytest.fixture
def twice_off_track(world: Any, osm_staff: Any, indicator: Any) -> Any:
    _round(world, osm_staff, 1, dt.date(2027, 1, 20), Decimal(1))
    _round(world, osm_staff, 2, dt.date(2027, 4, 21), Decimal(1))
    return indicator


def test_off_track_in_both_rounds_with_no_action_is_flagged(
    twice_off_track: Any, world: Any
) -> None:
    [found] = rule_evaluate(OFF_TRACK_REPEATED, today=AFTER_Q2)
    assert (found.object_id, found.fiscal_year, found.quarter) == (twice_off_track.pk, 2570, 2)
    assert found.params["n"] == 2
    assert found.url.endswith("#corrective")
    # On Q2's deadline day the second round has not passed yet.
    assert rule_evaluate(OFF_TRACK_REPEATED, today=dt.date(2027, 4, 21)) == []


def test_back_on_track_in_the_latest_round_clears_it(
    world: Any, osm_staff: Any, indicator: Any
) -> None:
    _round(world, osm_staff, 1, dt.date(2027, 1, 20), Decimal(1))
    _round(world, osm_staff, 2, dt.date(2027, 4, 21), Decimal(100))
    assert rule_evaluate(OFF_TRACK_REPEATED, today=AFTER_Q2) == []


def test_a_corrective_action_recorded_resolves_the_alert(
    twice_off_track: Any, osm_staff: Any, committee: Any
) -> None:
    alerts_run(today=AFTER_Q2, codes={"scorecard.off_track_repeated"})
    alert = Alert.objects.get(rule="scorecard.off_track_repeated")
    assert alert.severity == "critical"
    services.corrective_action_record(
        indicator=twice_off_track, fiscal_year=2570, quarter=2, text="จัดประชุมเร่งรัด", by=osm_staff
    )
    alerts_run(today=AFTER_Q2, codes={"scorecard.off_track_repeated"})
    alert.refresh_from_db()
    assert alert.resolution == Alert.Resolution.AUTO


def test_three_rounds_when_staff_ask_for_three(twice_off_track: Any, world: Any) -> None:
    ClusterAlertSettings.objects.create(
        cluster=world.cluster, values={"scorecard.off_track_repeated.rounds": 3}
    )
    assert rule_evaluate(OFF_TRACK_REPEATED, today=AFTER_Q2) == []


def test_a_yearly_indicator_is_judged_on_its_own_rounds(twice_off_track: Any) -> None:
    type(twice_off_track).objects.filter(pk=twice_off_track.pk).update(frequency="yearly")
    assert rule_evaluate(OFF_TRACK_REPEATED, today=AFTER_Q2) == []


# --- The page that records a corrective action -----------------------------------------------


def test_staff_record_a_corrective_action_and_the_indicator_page_shows_it(
    client: Any, twice_off_track: Any, osm_staff: Any
) -> None:
    client.force_login(osm_staff)
    url = reverse("scorecard:corrective-action", args=[twice_off_track.pk])
    page = client.get(url).content.decode()
    assert 'value="2570-2"' in page
    response = client.post(url, {"period": "2570-2", "text": "ตั้งคณะทำงานเร่งรัดการตลาด"})
    assert response.status_code == 302
    assert response["Location"].endswith("#corrective")
    action = CorrectiveAction.objects.get()
    assert (action.quarter, action.recorded_by) == (2, osm_staff)
    detail = client.get(twice_off_track.get_absolute_url()).content.decode()
    assert "ตั้งคณะทำงานเร่งรัดการตลาด" in detail
    assert 'id="corrective"' in detail


def test_an_empty_action_is_refused_next_to_the_field(
    client: Any, twice_off_track: Any, osm_staff: Any
) -> None:
    client.force_login(osm_staff)
    url = reverse("scorecard:corrective-action", args=[twice_off_track.pk])
    response = client.post(url, {"period": "2570-2", "text": ""})
    assert response.status_code == 200
    assert 'id="id_text-errors"' in response.content.decode()
    response = client.post(url, {"period": "2599-9", "text": "x"})
    assert response.status_code == 200
    assert not CorrectiveAction.objects.exists()


def test_the_committee_reads_but_does_not_record(
    client: Any, twice_off_track: Any, committee: Any
) -> None:
    client.force_login(committee)
    assert (
        client.get(reverse("scorecard:corrective-action", args=[twice_off_track.pk])).status_code
        == 403
    )
    detail = client.get(twice_off_track.get_absolute_url()).content.decode()
    assert reverse("scorecard:corrective-action", args=[twice_off_track.pk]) not in detail
