"""The standalone edit pages say that they saved; the htmx variant says it once, in place."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strategy.models import Plan, StrategicIssue
from tests.factories import IssueFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client, osm_staff: Any) -> Client:
    client.force_login(osm_staff)
    return client


@pytest.fixture
def draft_issue(world: Any) -> StrategicIssue:
    plan = PlanFactory(
        cluster=world.cluster, status=Plan.Status.DRAFT, start_year=2571, end_year=2575
    )
    return IssueFactory(plan=plan, code="1")


def _data(objective: Any, issue: StrategicIssue) -> dict[str, Any]:
    return {
        "code": objective.code,
        "name_th": "ชื่อที่แก้แล้ว",
        "issue": issue.pk,
        "perspective": objective.perspective_id,
        "lock_version": objective.lock_version,
    }


def test_standalone_objective_edit_page_shows_that_it_saved(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    objective = ObjectiveFactory(issue=draft_issue, code="1.1")
    url = reverse("strategy:objective-edit", args=[objective.pk])
    staff_client.cookies["django_language"] = "th"
    response = staff_client.post(url, _data(objective, draft_issue), follow=True)
    assert response.status_code == 200
    assert "บันทึกเป้าประสงค์แล้ว" in response.content.decode()
    # Shown once: not again on the next page.
    assert "บันทึกเป้าประสงค์แล้ว" not in staff_client.get(url).content.decode()


def test_htmx_objective_edit_says_it_saved_out_of_band(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    objective = ObjectiveFactory(issue=draft_issue, code="1.1")
    url = reverse("strategy:objective-edit", args=[objective.pk])
    staff_client.cookies["django_language"] = "th"
    response = staff_client.post(url, _data(objective, draft_issue), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'hx-swap-oob="true"' in html and "บันทึกเป้าประสงค์แล้ว" in html
    assert "บันทึกเป้าประสงค์แล้ว" not in staff_client.get(url).content.decode()
