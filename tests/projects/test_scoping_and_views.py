"""Scoping and the pages: an officer reports only for projects in their province; outsiders
get 404 and read-only people 403; the pages show what they should, with pinned query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from osm import access
from osm.access import Action
from projects.models import Project
from projects.services import progress

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_an_officer_reports_only_for_projects_in_their_province(
    world: Any, make_project: Any, province_officer: Any, other_officer: Any
) -> None:
    here = make_project(provinces=[world.province], status=Project.Status.APPROVED)
    there = make_project(provinces=[world.sibling], status=Project.Status.APPROVED)
    assert access.can(province_officer, Action.SUBMIT, here)
    assert not access.can(province_officer, Action.SUBMIT, there)
    assert access.can(other_officer, Action.SUBMIT, there)
    assert access.can(province_officer, Action.VIEW, there)  # the cluster's projects are read


def test_the_officer_of_the_responsible_agencys_province_reports(
    world: Any, make_project: Any, province_officer: Any
) -> None:
    from tests.factories import AgencyFactory

    agency = AgencyFactory(province=world.province, cluster=world.cluster)
    project = make_project(provinces=[world.sibling], agency=agency, status=Project.Status.APPROVED)
    assert access.can(province_officer, Action.SUBMIT, project)


def test_officer_posting_for_another_provinces_project_is_refused(
    client: Any, world: Any, make_project: Any, province_officer: Any
) -> None:
    there = make_project(provinces=[world.sibling], status=Project.Status.APPROVED)
    client.force_login(province_officer)
    url = reverse("projects:report", args=[there.pk, 1])
    assert client.get(url).status_code == 200
    response = client.post(url, {"physical_pct": "10", "disbursed_to_date": "10", "version": "0"})
    assert response.status_code == 403
    assert not there.reports.exists()


def test_outsider_gets_404_and_committee_403(
    client: Any, running: Project, other_staff: Any, committee: Any
) -> None:
    client.force_login(other_staff)
    assert client.get(reverse("projects:detail", args=[running.pk])).status_code == 404
    client.force_login(committee)
    assert client.get(reverse("projects:edit", args=[running.pk])).status_code == 403


def test_officer_files_a_report_through_the_page_and_a_stale_form_shows_the_conflict(
    client: Any, running: Project, province_officer: Any, osm_staff: Any
) -> None:
    client.force_login(province_officer)
    url = reverse("projects:report", args=[running.pk, 1])
    data = {
        "physical_pct": "15",
        "disbursed_to_date": "120000",
        "obstacles": "ฝนตกหนัก",
        "version": "0",
    }
    response = client.post(url, {**data, "action": "submit"})
    assert response.status_code == 302
    report = running.reports.get()
    assert report.status == "submitted"
    # Staff return it; the officer's old form (version 2) then conflicts.
    progress.report_review(
        report=report,
        by=osm_staff,
        expected_version=report.version,
        approve=False,
        reason="แนบหลักฐาน",
    )
    response = client.post(url, {**data, "version": "2"})
    assert response.status_code == 409
    assert "Somebody else saved this report" in response.content.decode()


def test_list_filters_by_province_and_status_in_the_url(
    client: Any, world: Any, make_project: Any, committee: Any
) -> None:
    make_project(
        code="CM", name_th="เชียงใหม่", provinces=[world.province], status=Project.Status.APPROVED
    )
    make_project(code="LP", name_th="ลำพูน", provinces=[world.sibling])
    client.force_login(committee)
    url = reverse("projects:list", args=[world.cluster.pk])
    text = client.get(url, {"province": world.province.pk, "status": "approved"}).content.decode()
    assert 'id="project-' in text and "CM" in text and ">LP<" not in text


@pytest.mark.parametrize("n", [3, 12])
def test_integration_pages_use_a_fixed_number_of_queries(
    client: Any,
    world: Any,
    make_project: Any,
    committee: Any,
    indicator: Any,
    django_assert_num_queries: Any,
    n: int,
    provinces: list[Any],
) -> None:
    from projects.services.money import disbursement_plan_set

    for i in range(n):
        p = make_project(
            provinces=provinces[: i % 4],
            indicators=[indicator] if i % 2 else [],
            allocated=Decimal(1000 + i),
            status=Project.Status.APPROVED,
        )
        disbursement_plan_set(project=p, amounts={1: Decimal(100), 2: Decimal(200)})
    client.force_login(committee)
    # The budget page also shows the year's annual report (its document record: one query).
    expected = {"budget": 10, "disbursement": 12, "gaps": 9, "people": 10, "list": 12}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for name in expected:
        url = reverse(f"projects:{name}", args=[world.cluster.pk]) + f"?year={YEAR}"
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        found[name] = len(queries)
    assert found == expected


def test_budget_page_shows_the_same_total_in_every_table(
    client: Any,
    world: Any,
    make_project: Any,
    objectives: list[Any],
    committee: Any,
    provinces: list[Any],
) -> None:
    make_project(objective=objectives[0], provinces=provinces[:3], allocated=Decimal("100.00"))
    make_project(objective=objectives[2], provinces=[], allocated=Decimal("0.05"))
    client.force_login(committee)
    text = client.get(
        reverse("projects:budget", args=[world.cluster.pk]) + f"?year={YEAR}"
    ).content.decode()
    import re

    totals = re.findall(r'data-testid="total-(\w+)">.*?</tr>', text, re.S)
    assert sorted(totals) == ["issue", "objective", "province", "source"]
    rows = re.findall(r'data-testid="total-\w+">(.*?)</tr>', text, re.S)
    assert len({r.split("</td>")[3] for r in rows}) == 1  # the allocated column agrees
    assert "100.05" in rows[0]


def test_home_shows_the_officer_the_report_due_and_staff_the_reviews_waiting(
    client: Any, world: Any, objectives: list[Any], province_officer: Any, osm_staff: Any
) -> None:
    from osm.lib import dates
    from projects.services.projects import project_create

    period = dates.fiscal_quarter_of(timezone.localdate())
    project = project_create(
        cluster=world.cluster,
        fiscal_year=period.year,
        code="H1",
        name_th="โครงการที่ต้องรายงาน",
        objective=objectives[0],
        provinces=[world.province],
        allocated=Decimal(100),
        status=Project.Status.APPROVED,
    )
    client.force_login(province_officer)
    text = client.get(reverse("home")).content.decode()
    assert reverse("projects:report", args=[project.pk, period.quarter]) in text
    progress.report_save(
        project=project,
        quarter=period.quarter,
        by=province_officer,
        expected_version=None,
        physical_pct=Decimal(5),
        disbursed_to_date=Decimal(1),
        submit=True,
    )
    assert 'data-testid="due-H1"' not in client.get(reverse("home")).content.decode()
    client.force_login(osm_staff)
    text = client.get(reverse("home")).content.decode()
    assert reverse("projects:review", args=[world.cluster.pk]) in text
    assert "1 progress reports of" in text


def test_cluster_objective_and_indicator_pages_link_to_their_projects(
    client: Any, world: Any, committee: Any, objectives: list[Any], indicator: Any
) -> None:
    client.force_login(committee)
    pages = {
        reverse("osm:cluster-detail", args=[world.cluster.pk]): reverse(
            "projects:list", args=[world.cluster.pk]
        ),
        objectives[0].get_absolute_url(): f"?objective={objectives[0].pk}",
        indicator.get_absolute_url(): f"?indicator={indicator.pk}",
    }
    for page, link in pages.items():
        assert link in client.get(page).content.decode(), page
