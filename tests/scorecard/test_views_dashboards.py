"""Dashboards: content, htmx fragments, bookmarkable filters and pinned query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from scorecard.models import Result
from tests.factories import IndicatorFactory, targets_for
from tests.scorecard.conftest import YEAR, approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(reporting_round, indicator, objective, provinces, osm_staff):
    """Three more indicators; every province approved at 100 (on track) or 50 (off track)."""
    from scorecard import services

    for _ in range(3):
        ind = IndicatorFactory(objective=objective)
        targets_for(ind, YEAR, Decimal(100 * len(provinces)), {p: Decimal(100) for p in provinces})
    services.create_round_results(reporting_round)
    Result.objects.filter(round__isnull=True).update(round=reporting_round)
    rows = Result.objects.filter(round=reporting_round).select_related(
        "indicator", "province_target", "round"
    )
    for i, row in enumerate(rows):
        approve(row, 100 if i % 2 else 50, by=osm_staff)
    return rows


def url(name, *args, **query):
    base = reverse(name, args=args)
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def test_cluster_scorecard_shows_status_as_text_and_icon(client, committee, world, filled):
    client.force_login(committee)
    r = client.get(url("scorecard:cluster", world.cluster.pk, year=YEAR, quarter=1))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-status="on_track"' in html or 'data-status="off_track"' in html
    assert 'aria-hidden="true">✕</span>' in html or 'aria-hidden="true">✓</span>' in html


def test_cluster_scorecard_htmx_returns_the_dashboard_fragment(client, committee, world, filled):
    client.force_login(committee)
    r = client.get(
        url("scorecard:cluster", world.cluster.pk, year=YEAR, quarter=1),
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert b"<html" not in r.content
    assert b'id="dashboard"' in r.content
    assert r["Vary"]
    assert "HX-Request" in r["Vary"]


def test_period_filter_is_a_bookmarkable_get_form(client, committee, world, filled):
    client.force_login(committee)
    html = client.get(url("scorecard:cluster", world.cluster.pk)).content.decode()
    assert 'method="get"' in html
    assert 'hx-push-url="true"' in html


@pytest.mark.parametrize(
    ("name", "persona", "queries"),
    [
        ("scorecard:cluster", "committee", 8),
        ("scorecard:comparison", "committee", 8),
        ("scorecard:timeliness", "committee", 8),
    ],
)
def test_dashboard_query_count_is_pinned(
    client, request, world, filled, name, persona, queries, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    with django_assert_num_queries(queries):
        r = client.get(url(name, world.cluster.pk, year=YEAR, quarter=1))
    assert r.status_code == 200


def test_national_overview_query_count(client, central, filled, django_assert_num_queries):
    client.force_login(central)
    with django_assert_num_queries(8):
        r = client.get(url("scorecard:national", year=YEAR, quarter=1))
    assert r.status_code == 200
    assert r.content.count(b"scorecard/clusters/") >= 18


def test_indicator_page_has_chart_with_data_table(
    client, committee, indicator, filled, django_assert_num_queries
):
    client.force_login(committee)
    r = client.get(
        reverse("scorecard:indicator-detail", args=[indicator.pk]) + f"?year={YEAR}&quarter=1"
    )
    html = r.content.decode()
    assert "<svg" in html
    assert 'role="img"' in html
    assert 'id="trend-table"' in html
    assert 'id="breakdown-table"' in html


def test_province_comparison_hides_other_provinces_unapproved_values_from_officers(
    client, province_officer, world, sibling_result, other_officer
):
    from scorecard import services

    services.result_save(
        result=sibling_result,
        by=other_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal("987654"),
        submit=True,
    )
    client.force_login(province_officer)
    r = client.get(url("scorecard:comparison", world.cluster.pk, year=YEAR, quarter=1))
    assert "987,654" not in r.content.decode()


def test_timeliness_is_for_committee_and_staff(client, committee, province_officer, world, filled):
    client.force_login(committee)
    r = client.get(url("scorecard:timeliness", world.cluster.pk, year=YEAR))
    assert r.status_code == 200
    assert b'id="timeliness-table"' in r.content
    client.force_login(province_officer)
    assert client.get(url("scorecard:timeliness", world.cluster.pk)).status_code == 403


def test_dashboard_is_cached_and_forgotten_when_a_result_changes(
    client,
    committee,
    world,
    indicator,
    result,
    province_officer,
    osm_staff,
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scorecard import services

    client.force_login(committee)
    page = url("scorecard:cluster", world.cluster.pk, year=YEAR, quarter=1)
    with CaptureQueriesContext(connection) as cold:
        first = client.get(page).content.decode()
    with CaptureQueriesContext(connection) as warm:
        client.get(page)
    assert len(warm) < len(cold)
    assert 'data-status="no_data"' in first
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal("4321"),
        submit=True,
    )
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    assert "4,321.00" in client.get(page).content.decode()


def test_officers_and_staff_do_not_share_comparison_fragments(
    client, province_officer, osm_staff, world, sibling_result, other_officer
):
    from scorecard import services

    services.result_save(
        result=sibling_result,
        by=other_officer,
        expected_version=1,
        reporting="reported",
        value=Decimal(700),
        submit=True,
    )
    page = url("scorecard:comparison", world.cluster.pk, year=YEAR, quarter=1)
    client.force_login(osm_staff)
    client.get(page)
    client.force_login(province_officer)
    r = client.get(page)
    assert r.status_code == 200
    from scorecard.views._common import audience_key

    assert audience_key(province_officer, world.cluster.pk) != audience_key(
        osm_staff, world.cluster.pk
    )
