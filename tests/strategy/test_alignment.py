"""Alignment with the national planning layers: every region's goals, a cluster matched
against its own region, sub-targets counting for their parents, the matrix and its export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from osm.models import Cluster
from strategy import selectors, services
from strategy.models import AlignmentTarget, Plan, StrategicIssue
from strategy.services.alignment import NATIONAL_PLANS_CSV
from tests.factories import IssueFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
# What a maintainer writes for a maintainer: none of it may reach a page.
MAINTAINER_NOTES = re.compile(
    r"ต้องตรวจสอบ|\bunverified\b|\bverified\b|sources? to check|check wording|paraphrased|/work/|"
    r"\w\.csv\b|\(via |\[U\]|\[V\]|\[I\]|\[S\]",
    re.IGNORECASE,
)


@pytest.fixture
def staff_client(client: Client, osm_staff: Any) -> Client:
    client.force_login(osm_staff)
    return client


@pytest.fixture
def issue(world: Any) -> StrategicIssue:
    plan = PlanFactory(
        cluster=world.cluster, status=Plan.Status.DRAFT, start_year=2571, end_year=2575
    )
    return IssueFactory(plan=plan, code="1", name_th="ยกระดับการท่องเที่ยวเชิงสร้างสรรค์")


def _target(code: str) -> AlignmentTarget:
    return AlignmentTarget.objects.get(code=code)


def test_every_clusters_region_has_its_development_goals() -> None:
    regions = set(Cluster.objects.values_list("region_th", flat=True))
    assert len(Cluster.objects.all()) == 18 and "" not in regions
    regional = AlignmentTarget.objects.filter(layer=AlignmentTarget.Layer.REGIONAL_TARGET)
    with_targets = set(regional.values_list("region_th", flat=True))
    assert regions <= with_targets, regions - with_targets
    # Six regions (ภาค), each with its development goals and guidelines at the top.
    tops = regional.filter(parent=None)
    assert len(tops) == 6 and {t.region_th for t in tops} == regions
    assert all(t.region_th in t.name_th for t in tops)
    assert not regional.filter(region_th="").exists()


def test_a_cluster_is_offered_and_matched_against_its_own_region_only(
    staff_client: Client, issue: StrategicIssue, world: Any
) -> None:
    assert world.cluster.region_th == "ภาคเหนือ"
    page = staff_client.get(reverse("strategy:issue-alignment", args=[issue.pk])).content
    form = page.decode()
    assert f'value="{_target("RN").pk}"' in form and f'value="{_target("RN02").pk}"' in form
    for other in ("RNE", "RC", "RE", "RS", "RSB"):
        assert f'value="{_target(other).pk}"' not in form
    assert f'value="{_target("MP03").pk}"' in form  # the national layers are for everyone
    # Another region's goal cannot be posted either.
    url = reverse("strategy:issue-alignment", args=[issue.pk])
    staff_client.post(url, {"targets": [_target("RNE").pk, _target("RN02").pk]})
    assert selectors.tags_of(issue) == []
    staff_client.post(url, {"targets": [_target("RN02").pk]})
    assert [t.code for t in selectors.tags_of(issue)] == ["RN02"]
    matrix = selectors.alignment_matrix(issue.plan)
    regional = [rows for key, _l, rows in matrix.layers if key == "regional_target"][0]
    assert {row.target.region_th for row in regional} == {"ภาคเหนือ"}
    # The other cluster (central region) sees its own region's goals.
    other = selectors.alignment_matrix(PlanFactory(cluster=world.other_cluster))
    codes = [r.target.code for k, _l, rows in other.layers if k == "regional_target" for r in rows]
    assert codes == ["RC"]


def test_a_sub_target_counts_for_the_master_plan_and_the_strategy_above_it(
    issue: StrategicIssue,
) -> None:
    objective = ObjectiveFactory(issue=issue, code="1.1")
    services.alignment_set(element=issue, targets=[_target("MP03-2")])
    services.alignment_set(element=objective, targets=[_target("RN02")])
    matrix = selectors.alignment_matrix(issue.plan)
    rows = {row.target.code: row for _k, _l, layer in matrix.layers for row in layer}
    assert rows["MP03-2"].issues == [issue] and rows["MP03-2"].through == []
    for parent in ("MP03", "NS2"):  # master plan, then the national strategy above it
        assert rows[parent].served and rows[parent].issues == [issue]
        assert [t.code for t in rows[parent].through] == ["MP03-2"]
        assert rows[parent].cells == ["issue"]
    assert rows["RN"].objectives == [objective] and rows["RN"].cells == ["objective"]
    assert not rows["MP05"].served and not rows["NS1"].served
    assert matrix.served == 5  # MP03-2, MP03, NS2, RN02, RN


def test_matrix_names_the_issues_filters_in_the_url_and_exports_what_it_shows(
    staff_client: Client, issue: StrategicIssue
) -> None:
    from openpyxl import load_workbook

    services.alignment_set(element=issue, targets=[_target("MP05-1"), _target("SDG08")])
    url = reverse("strategy:plan-alignment", args=[issue.plan_id])
    page = staff_client.get(url).content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert issue.name_th in head
    assert 'class="served" id="target-row-MP05"' in page  # through MP05-1
    assert 'class="gap" id="target-row-SDG14"' in page

    page = staff_client.get(url + "?layer=sdg&status=served").content.decode()
    rows = re.findall(r'id="target-row-([^"]+)"', page)
    assert rows == ["SDG08"]
    assert '<option value="sdg" selected>' in page and '<option value="served" selected>' in page
    export = reverse("strategy:plan-alignment-export", args=[issue.plan_id])
    assert f'href="{export}?layer=sdg&amp;status=served"' in page
    gaps = re.findall(
        r'id="target-row-([^"]+)"', staff_client.get(url + "?status=gap").content.decode()
    )
    assert "SDG08" not in gaps and "SDG14" in gaps and "MP05" not in gaps
    # An unknown filter value is no filter, not an error.
    assert staff_client.get(url + "?layer=nonsense").status_code == 200

    response = staff_client.get(export + "?layer=master_plan")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(issue.name_th in str(h) for h in table[0])
    by_code = {row[1]: row for row in table[1:]}
    assert set(by_code) == set(
        AlignmentTarget.objects.filter(layer="master_plan", active=True).values_list(
            "code", flat=True
        )
    )
    issue_column = next(i for i, h in enumerate(table[0]) if issue.name_th in str(h))
    assert by_code["MP05"][issue_column] == "●" and by_code["MP05"][-1] == "MP05-1"
    assert by_code["MP01"][issue_column] in (None, "")


def test_no_maintainer_notes_reach_a_page_or_the_shipped_data(
    staff_client: Client, issue: StrategicIssue
) -> None:
    for template in (ROOT / "templates").rglob("*.html"):
        found = MAINTAINER_NOTES.search(template.read_text(encoding="utf-8"))
        assert not found, (template, found.group(0))
    with NATIONAL_PLANS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = " ".join(v for k, v in row.items() if k != "source")
            assert not MAINTAINER_NOTES.search(text), row["code"]
            assert not MAINTAINER_NOTES.search(row["source"]), row["code"]  # admin shows it
    sources = [s for s in AlignmentTarget.objects.values_list("source", flat=True) if s]
    pages = [
        reverse("strategy:target-list"),
        reverse("strategy:plan-alignment", args=[issue.plan_id]),
        reverse("strategy:issue-alignment", args=[issue.pk]),
    ]
    for url in pages:
        body = staff_client.get(url).content.decode()
        assert not MAINTAINER_NOTES.search(body), url
        assert not any(source in body for source in sources), url  # sources: admin only
    help_texts = [
        str(f.help_text) for f in AlignmentTarget._meta.get_fields() if hasattr(f, "help_text")
    ]
    assert not any(MAINTAINER_NOTES.search(h) for h in help_texts)


def test_loading_fills_in_a_regional_targets_region_and_keeps_corrected_names() -> None:
    rn = _target("RN")
    AlignmentTarget.objects.filter(pk=rn.pk).update(region_th="", name_th="ชื่อที่แก้แล้ว")
    AlignmentTarget.objects.filter(code="RSB").delete()
    report = services.alignment_targets_load()
    rn.refresh_from_db()
    assert rn.region_th == "ภาคเหนือ" and rn.name_th == "ชื่อที่แก้แล้ว"
    assert report.created == 1 and _target("RSB").region_th == "ภาคใต้ชายแดน"
