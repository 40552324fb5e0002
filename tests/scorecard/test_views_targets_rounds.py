from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from osm.lib import dates
from scorecard.models import Indicator, ProvinceTarget, ReportingRound, Result, Target
from tests.scorecard.conftest import YEAR

pytestmark = pytest.mark.django_db


def grid(indicator, provinces, values, cluster=None, **extra):
    data = {f"p{p.pk}-{YEAR}": str(v) for p, v in zip(provinces, values, strict=True)}
    data["lock_version"] = indicator.targets_lock_version  # the version the page showed
    if cluster is not None:
        data[f"cluster-{YEAR}"] = str(cluster)
    data.update(extra)
    return data


def test_targets_page_shows_the_grid_and_check(client, osm_staff, indicator):
    client.force_login(osm_staff)
    r = client.get(reverse("scorecard:targets", args=[indicator.pk]))
    assert r.status_code == 200
    assert b'id="cascade-table"' in r.content
    assert b'data-ok="true"' in r.content


def test_save_consistent_cascade(client, osm_staff, indicator, provinces):
    client.force_login(osm_staff)
    values = [Decimal(10)] * len(provinces)
    r = client.post(
        reverse("scorecard:targets", args=[indicator.pk]),
        grid(indicator, provinces, values, cluster=10 * len(provinces), save="1"),
    )
    assert r.status_code == 302
    assert Target.objects.get(indicator=indicator, fiscal_year=YEAR).value == 10 * len(provinces)
    assert set(
        ProvinceTarget.objects.filter(indicator=indicator).values_list("value", flat=True)
    ) == {Decimal(10)}


def test_inconsistent_cascade_saves_nothing(client, osm_staff, indicator, provinces):
    client.force_login(osm_staff)
    before = list(
        ProvinceTarget.objects.filter(indicator=indicator).values_list("value", flat=True)
    )
    r = client.post(
        reverse("scorecard:targets", args=[indicator.pk]),
        grid(indicator, provinces, [1] * len(provinces), cluster=999, save="1"),
    )
    assert r.status_code == 200
    assert b'id="cascade-errors"' in r.content
    assert Target.objects.get(indicator=indicator, fiscal_year=YEAR).value != 999
    assert (
        list(ProvinceTarget.objects.filter(indicator=indicator).values_list("value", flat=True))
        == before
    )


def test_live_check_fragment(client, osm_staff, indicator, provinces):
    client.force_login(osm_staff)
    r = client.post(
        reverse("scorecard:cascade-check", args=[indicator.pk]),
        grid(indicator, provinces, [1] * len(provinces), cluster=999),
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert b"<html" not in r.content
    assert b'id="cascade-check"' in r.content
    assert b'data-ok="false"' in r.content


def test_split_equally_fills_a_proposal_without_saving(client, osm_staff, indicator, provinces):
    client.force_login(osm_staff)
    data = {
        f"cluster-{YEAR}": "1000",
        "split": "equal",
        "lock_version": indicator.targets_lock_version,
    }
    fragment = client.post(
        reverse("scorecard:targets", args=[indicator.pk]), data, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert b'id="cascade-form"' in fragment.content
    r = client.post(reverse("scorecard:targets", args=[indicator.pk]), data)
    form = r.context["form"]
    assert sum(Decimal(form.data[f"p{p.pk}-{YEAR}"]) for p in provinces) == Decimal(1000)
    assert Target.objects.get(indicator=indicator, fiscal_year=YEAR).value != 1000


def test_split_by_weights(client, osm_staff, indicator, provinces):
    client.force_login(osm_staff)
    data = {
        f"cluster-{YEAR}": "100",
        "split": "weights",
        f"w{provinces[0].pk}": "1",
        "lock_version": indicator.targets_lock_version,
    }
    data |= {f"w{p.pk}": "0" for p in provinces[1:]}
    r = client.post(reverse("scorecard:targets", args=[indicator.pk]), data)
    assert Decimal(r.context["form"].data[f"p{provinces[0].pk}-{YEAR}"]) == 100


def test_split_by_weights_with_a_weight_missing_says_so(client, osm_staff, indicator, provinces):
    client.force_login(osm_staff)
    data = {f"cluster-{YEAR}": "100", "split": "weights", f"w{provinces[0].pk}": "1"}
    r = client.post(reverse("scorecard:targets", args=[indicator.pk]), data)
    errors = " ".join(r.context["form"].non_field_errors())
    assert f"{len(provinces) - 1} provinces have no weight" in errors
    assert "nothing was split" in errors
    assert r.context["form"].data.get(f"p{provinces[1].pk}-{YEAR}") in (None, "")


def test_split_by_weights_without_any_weight_says_so(client, osm_staff, indicator, provinces):
    client.force_login(osm_staff)
    data = {f"cluster-{YEAR}": "100", "split": "weights"}
    r = client.post(reverse("scorecard:targets", args=[indicator.pk]), data)
    assert "No province has a weight yet" in r.content.decode()


def test_read_only_people_see_targets_without_inputs(client, province_officer, indicator):
    client.force_login(province_officer)
    r = client.get(reverse("scorecard:targets", args=[indicator.pk]))
    assert r.status_code == 200
    assert b'type="number"' not in r.content
    assert b"100.00" in r.content  # Chiang Mai's cascaded target


def test_staff_opens_a_round_with_a_working_day_deadline(client, osm_staff, world, indicator):
    client.force_login(osm_staff)
    r = client.post(
        reverse("scorecard:round-list", args=[world.cluster.pk]),
        {"fiscal_year": YEAR, "quarter": 2, "deadline": "2027-04-13"},
    )
    assert r.status_code == 302, r.context["form"].errors
    created = ReportingRound.objects.get(fiscal_year=YEAR, quarter=2)
    assert r.status_code == 302
    assert r.url == created.get_absolute_url()
    assert dates.is_working_day(created.deadline)
    assert created.deadline > dt.date(2027, 4, 13)
    assert Result.objects.filter(round=created).count() == world.cluster.provinces.count()


def test_round_open_invalid_form(client, osm_staff, world):
    client.force_login(osm_staff)
    r = client.post(reverse("scorecard:round-list", args=[world.cluster.pk]), {"quarter": 9})
    assert r.status_code == 200
    assert r.context["form"].errors


def test_close_and_reopen_round_with_reason(client, osm_staff, reporting_round):
    client.force_login(osm_staff)
    client.post(
        reverse("scorecard:round-close", args=[reporting_round.pk]),
        {"lock_version": reporting_round.lock_version},
    )
    reporting_round.refresh_from_db()
    assert not reporting_round.is_open
    version = reporting_round.lock_version
    client.post(
        reverse("scorecard:round-reopen", args=[reporting_round.pk]),
        {"reason": "", "lock_version": version},
    )
    reporting_round.refresh_from_db()
    assert not reporting_round.is_open
    client.post(
        reverse("scorecard:round-reopen", args=[reporting_round.pk]),
        {"reason": "จังหวัดขอขยายเวลา", "deadline": "2027-02-06", "lock_version": version},
    )
    reporting_round.refresh_from_db()
    assert reporting_round.is_open
    assert reporting_round.reopen_reason == "จังหวัดขอขยายเวลา"
    assert dates.is_working_day(reporting_round.deadline)
    from osm import audit

    assert any(
        c.new == "จังหวัดขอขยายเวลา" for e in audit.history_for(reporting_round) for c in e.changes
    )


def test_round_detail_lists_the_officers_indicators(
    client, province_officer, reporting_round, indicator, django_assert_num_queries
):
    client.force_login(province_officer)
    r = client.get(reverse("scorecard:round-detail", args=[reporting_round.pk]))
    assert r.status_code == 200
    assert f'data-testid="open-{indicator.code}"'.encode() in r.content
    assert b'id="progress-table"' not in r.content


def test_staff_creates_an_indicator(client, osm_staff, objective):
    client.force_login(osm_staff)
    data = {
        "code": "K9",
        "name_th": "ร้อยละของผู้ประกอบการที่ได้รับการพัฒนา",
        "unit": "ร้อยละ",
        "direction": "up",
        "frequency": "quarterly",
        "accumulation": "point",
        "aggregation": "mean",
        "on_track_at": "100",
        "at_risk_at": "80",
        "order": "0",
    }
    r = client.post(reverse("scorecard:indicator-create", args=[objective.pk]), data)
    created = Indicator.objects.get(code="K9")
    assert r.status_code == 302
    assert created.cluster_id == objective.plan.cluster_id


def test_indicator_thresholds_must_be_ordered(client, osm_staff, indicator):
    client.force_login(osm_staff)
    data = {
        "code": indicator.code,
        "name_th": indicator.name_th,
        "unit": "ร้อยละ",
        "direction": "up",
        "frequency": "quarterly",
        "accumulation": "point",
        "aggregation": "sum",
        "on_track_at": "80",
        "at_risk_at": "90",
        "order": "0",
        "lock_version": indicator.lock_version,
    }
    r = client.post(reverse("scorecard:indicator-edit", args=[indicator.pk]), data)
    assert r.status_code == 200
    assert "at_risk_at" in r.context["form"].errors


def test_target_changes_are_audited(osm_staff, indicator):
    from osm import audit
    from scorecard import services

    services.targets_set(indicator=indicator, values={YEAR: Decimal(5)})
    target = indicator.targets.get(fiscal_year=YEAR)
    assert any(c.new == "5.0000" for e in audit.history_for(target) for c in e.changes)


def test_owner_agency_must_belong_to_the_cluster(client, osm_staff, indicator, world):
    from osm.models import Agency

    outside = Agency.objects.create(name_th="หน่วยงานนอกกลุ่ม", cluster=world.other_cluster)
    client.force_login(osm_staff)
    data = {
        "code": indicator.code,
        "name_th": indicator.name_th,
        "unit": "ร้อยละ",
        "direction": "up",
        "frequency": "quarterly",
        "accumulation": "point",
        "aggregation": "sum",
        "on_track_at": "100",
        "at_risk_at": "80",
        "order": "0",
        "owner_agency": outside.pk,
    }
    r = client.post(reverse("scorecard:indicator-edit", args=[indicator.pk]), data)
    assert r.status_code == 200
    assert "owner_agency" in r.context["form"].errors
