"""Numbers that explain themselves, as the pages show them: coverage and provisional marks,
why a value is missing, not reported with a reason, running totals of cumulative values,
decimal places, BE years, Thai messages and the "at least" cascade."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from scorecard import services
from scorecard.models import Indicator, ProvinceTarget, Result, Target
from tests.factories import IndicatorFactory, targets_for
from tests.scorecard.conftest import YEAR, approve

pytestmark = pytest.mark.django_db


def page(client, name, *args, **query):
    url = reverse(name, args=args)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.get(url).content.decode()


def rows_of(reporting_round, indicator):
    return list(
        Result.objects.filter(round=reporting_round, indicator=indicator)
        .select_related("indicator", "province_target", "round")
        .order_by("province__name_th")
    )


@pytest.fixture
def one_approved(reporting_round, indicator, osm_staff):
    """One province approved at its target; the others still drafts."""
    rows = rows_of(reporting_round, indicator)
    approve(rows[0], 100, by=osm_staff)
    return rows


def test_cluster_scorecard_shows_coverage_and_a_provisional_status(
    client, committee, world, provinces, one_approved
):
    client.force_login(committee)
    html = page(client, "scorecard:cluster", world.cluster.pk, year=YEAR, quarter=1)
    assert f"Reported by 1 of {len(provinces)} provinces" in html
    assert 'data-provisional="true"' in html
    assert 'id="provisional-legend"' in html


def test_full_coverage_is_not_provisional(
    client, committee, world, provinces, reporting_round, indicator, osm_staff
):
    for row in rows_of(reporting_round, indicator):
        approve(row, 100, by=osm_staff)
    client.force_login(committee)
    html = page(client, "scorecard:cluster", world.cluster.pk, year=YEAR, quarter=1)
    assert f"Reported by {len(provinces)} of {len(provinces)} provinces" in html
    assert f'id="indicator-{indicator.pk}" data-status="on_track" data-provisional="false"' in html


def test_cluster_scorecard_says_why_provinces_are_missing(
    client, committee, world, provinces, one_approved, province_officer, osm_staff
):
    pending = one_approved[1]
    services.result_save(
        result=pending,
        by=osm_staff,
        expected_version=pending.version,
        reporting="reported",
        value=Decimal(90),
        explanation="x",
        corrective_action="y",
        submit=True,
    )
    client.force_login(committee)
    html = page(client, "scorecard:cluster", world.cluster.pk, year=YEAR, quarter=1)
    assert "1 awaiting review" in html
    # The round's deadline (22 Jan 2027) is ahead: the rest are not late, only not yet due.
    assert f"{len(provinces) - 2} provinces not yet due" in html


def test_national_overview_counts_provisional_statuses(client, central, one_approved):
    client.force_login(central)
    html = page(client, "scorecard:national", year=YEAR, quarter=1)
    assert '<td class="text-end" data-testid="provisional">1</td>' in html


def test_comparison_says_why_each_cell_is_empty(
    client, committee, world, one_approved, other_officer
):
    sibling = next(r for r in one_approved if r.province_id == world.sibling.pk)
    services.result_save(
        result=sibling,
        by=other_officer,
        expected_version=sibling.version,
        reporting="not_reported",
        value=None,
        not_reported_reason="สำนักงานสถิติยังไม่เผยแพร่",
        submit=True,
    )
    client.force_login(committee)
    html = page(client, "scorecard:comparison", world.cluster.pk, year=YEAR, quarter=1)
    assert "Awaiting review" in html
    assert "Not yet due (deadline" in html
    html_q2 = page(client, "scorecard:comparison", world.cluster.pk, year=YEAR, quarter=2)
    assert "No reporting round for this quarter" in html_q2


def test_staff_see_the_not_reported_reason_in_the_queue_and_on_the_indicator(
    client, osm_staff, world, indicator, result, province_officer
):
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=result.version,
        reporting="not_reported",
        value=None,
        not_reported_reason="แหล่งข้อมูลยังไม่เผยแพร่",
        submit=True,
    )
    client.force_login(osm_staff)
    queue = page(client, "scorecard:review", world.cluster.pk)
    assert "Why not reported:</strong> แหล่งข้อมูลยังไม่เผยแพร่" in queue
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    detail = page(client, "scorecard:indicator-detail", indicator.pk, year=YEAR, quarter=1)
    assert "Not reported: แหล่งข้อมูลยังไม่เผยแพร่" in detail
    assert "1 not reported, with a reason" in detail


def test_officer_submits_not_reported_with_a_reason_from_the_form(client, province_officer, result):
    client.force_login(province_officer)
    url = reverse("scorecard:result-edit", args=[result.pk])
    data = {"reporting": "not_reported", "version": result.version, "action": "submit"}
    r = client.post(url, data)
    assert r.status_code == 200
    assert "Say why there is no value" in r.content.decode()
    r = client.post(url, data | {"not_reported_reason": "ยังไม่มีข้อมูลจากกรมการค้า"})
    assert r.status_code == 302
    result.refresh_from_db()
    assert result.status == "submitted" and result.not_reported_reason


@pytest.fixture
def cumulative(indicator, world, osm_staff):
    """A cumulative indicator with Q1 and Q2 rounds open."""
    Indicator.objects.filter(pk=indicator.pk).update(accumulation="cumulative")
    rounds = [
        services.round_open(
            cluster=world.cluster,
            fiscal_year=YEAR,
            quarter=q,
            opens_on=dt.date(2026, 12, 1),
            deadline=dt.date(2027, 1, 20) + dt.timedelta(days=90 * (q - 1)),
            by=osm_staff,
        )
        for q in (1, 2)
    ]
    indicator.refresh_from_db()
    return rounds


def _row(reporting_round, indicator, province):
    return Result.objects.select_related("indicator", "province_target", "round").get(
        round=reporting_round, indicator=indicator, province=province
    )


def test_entry_form_shows_the_running_total_of_quarter_amounts(
    client, province_officer, world, indicator, cumulative, osm_staff
):
    approve(_row(cumulative[0], indicator, world.province), 30, by=osm_staff)
    q2 = _row(cumulative[1], indicator, world.province)
    Result.objects.filter(pk=q2.pk).update(reporting="reported", value=Decimal(20))
    client.force_login(province_officer)
    html = page(client, "scorecard:result-edit", q2.pk)
    assert "This quarter&#x27;s own amount (not the total to date)" in html
    assert '<strong data-testid="to-date">50.00</strong>' in html


def test_entry_form_derives_the_quarter_amount_from_a_year_to_date_total(
    client, province_officer, world, indicator, cumulative, osm_staff
):
    Indicator.objects.filter(pk=indicator.pk).update(entry="year_to_date")
    approve(_row(cumulative[0], indicator, world.province), 30, by=osm_staff)
    q2 = _row(cumulative[1], indicator, world.province)
    Result.objects.filter(pk=q2.pk).update(reporting="reported", value=Decimal(75))
    client.force_login(province_officer)
    html = page(client, "scorecard:result-edit", q2.pk)
    assert "Total from the start of the fiscal year to the end of this quarter" in html
    assert '<strong data-testid="quarter-amount">45.00</strong>' in html


def test_a_missing_earlier_quarter_is_noted_on_the_form_and_the_dashboard(
    client, province_officer, committee, world, indicator, cumulative, osm_staff
):
    q2 = _row(cumulative[1], indicator, world.province)
    client.force_login(province_officer)
    html = page(client, "scorecard:result-edit", q2.pk)
    assert "The total to date leaves out quarter 1, which was not reported." in html
    approve(q2, 25, by=osm_staff)
    client.force_login(committee)
    html = page(client, "scorecard:indicator-detail", indicator.pk, year=YEAR, quarter=2)
    assert "The total to date leaves out quarter 1" in html
    assert 'data-testid="rollup-value">25.00' in html  # a value, not "no data"


def test_a_gini_keeps_its_third_decimal(client, osm_staff, objective, world, provinces):
    ind = IndicatorFactory(
        objective=objective, decimal_places=3, aggregation="mean", direction="down"
    )
    targets_for(ind, YEAR, Decimal("0.385"), {p: Decimal("0.385") for p in provinces})
    assert Target.objects.get(indicator=ind).value == Decimal("0.385")
    client.force_login(osm_staff)
    html = page(client, "scorecard:targets", ind.pk)
    assert 'value="0.385"' in html


def _indicator_data(**extra):
    data = {
        "code": "K9",
        "name_th": "ค่าสัมประสิทธิ์ความไม่เสมอภาค",
        "unit": "ค่า",
        "direction": "down",
        "decimal_places": "3",
        "frequency": "yearly",
        "accumulation": "point",
        "entry": "quarter",
        "aggregation": "mean",
        "cascade_rule": "exact",
        "on_track_at": "100",
        "at_risk_at": "80",
        "order": "0",
    }
    return data | extra


def test_indicator_form_explains_a_common_era_year_in_thai(client, osm_staff, objective):
    client.force_login(osm_staff)
    client.cookies["django_language"] = "th"
    url = reverse("scorecard:indicator-create", args=[objective.pk])
    r = client.post(url, _indicator_data(baseline="0.385", baseline_year="2026"))
    html = r.content.decode()
    assert "2026 ดูเป็นปีคริสต์ศักราช" in html and "2569" in html
    r = client.post(url, _indicator_data(decimal_places="5"))
    assert "ตำแหน่ง" in r.content.decode() or "น้อยกว่าหรือเท่ากับ 4" in r.content.decode()


def test_indicator_form_keeps_four_places_and_rejects_more(client, osm_staff, objective):
    client.force_login(osm_staff)
    url = reverse("scorecard:indicator-create", args=[objective.pk])
    r = client.post(url, _indicator_data(baseline="0.3851"))
    assert "The baseline has more decimal places than the indicator" in r.content.decode()
    r = client.post(url, _indicator_data(baseline="0.385", baseline_year="2568"))
    assert r.status_code == 302
    assert Indicator.objects.get(code="K9").baseline == Decimal("0.385")


def test_duplicate_code_is_refused_in_thai(client, osm_staff, objective, indicator):
    client.force_login(osm_staff)
    client.cookies["django_language"] = "th"
    url = reverse("scorecard:indicator-create", args=[indicator.objective_id])
    r = client.post(url, _indicator_data(code=indicator.code))
    assert r.status_code == 200
    assert "เป้าประสงค์นี้มีตัวชี้วัดรหัสนี้อยู่แล้ว" in r.content.decode()


@pytest.mark.parametrize(
    ("direction", "province_value", "ok"),
    [("up", "120", True), ("up", "80", False), ("down", "80", True), ("down", "120", False)],
)
def test_at_least_cascade_follows_the_indicator_direction(
    indicator, provinces, direction, province_value, ok
):
    Indicator.objects.filter(pk=indicator.pk).update(cascade_rule="at_least", direction=direction)
    indicator.refresh_from_db()
    values = {p.pk: Decimal(province_value) for p in provinces}
    check = services.cascade_check(
        indicator=indicator, cluster_target=Decimal(100 * len(provinces)), values=values
    )
    assert check.ok is ok


def test_exact_cascade_refuses_commitments_beyond_the_target(indicator, provinces):
    values = {p.pk: Decimal(120) for p in provinces}
    check = services.cascade_check(
        indicator=indicator, cluster_target=Decimal(100 * len(provinces)), values=values
    )
    assert not check.ok


def test_targets_page_notes_the_at_least_rule(client, osm_staff, indicator):
    Indicator.objects.filter(pk=indicator.pk).update(cascade_rule="at_least", direction="down")
    client.force_login(osm_staff)
    html = page(client, "scorecard:targets", indicator.pk)
    assert "must be at most the cluster target" in html


def test_weights_are_saved_without_targets(client, osm_staff, objective, provinces):
    ind = IndicatorFactory(objective=objective, aggregation="weighted_mean")
    client.force_login(osm_staff)
    data = {"save": "1"} | {f"w{p.pk}": str(i + 1) for i, p in enumerate(provinces)}
    r = client.post(reverse("scorecard:targets", args=[ind.pk]), data)
    assert r.status_code == 302
    saved = ProvinceTarget.objects.filter(indicator=ind, weight__isnull=False)
    assert saved.exists() and not saved.filter(value__isnull=False).exists()
    assert {pt.weight for pt in saved} == {Decimal(i + 1) for i in range(len(provinces))}


def test_weights_are_copied_from_another_indicator(
    client, osm_staff, objective, indicator, provinces
):
    ProvinceTarget.objects.filter(indicator=indicator, province=provinces[0]).update(weight=7)
    other = IndicatorFactory(objective=objective)
    client.force_login(osm_staff)
    r = client.post(
        reverse("scorecard:targets", args=[other.pk]),
        {"copy_weights": "1", "weights_source": str(indicator.pk)},
    )
    assert r.context["form"].data[f"w{provinces[0].pk}"] == "7"
    assert "A proposal was filled in" in r.content.decode()
    assert not ProvinceTarget.objects.filter(indicator=other).exists()  # nothing saved yet
