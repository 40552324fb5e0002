"""No silent overwrite in the strategy app: plans, issues and objectives keep the first
save and show the second person the conflict page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from strategy import forms
from strategy.models import Objective, Plan, StrategicIssue
from tests.factories import UserFactory, assign
from tests.locking import client_for, form_data, two_people_save


@pytest.fixture
def colleague(world: Any) -> Any:
    return assign(UserFactory(username="p_staff_2"), "osm_staff", cluster=world.cluster)


@pytest.fixture
def issue(chain: list[Objective]) -> StrategicIssue:
    return chain[0].issue


def _assert_conflict(response: Any, theirs: str, mine: str) -> None:
    page = response.content.decode()
    assert response.status_code == 409
    assert 'id="conflict"' in page
    assert f'data-testid="saved-now">{theirs}<' in page
    assert f'data-testid="yours">{mine}<' in page


def test_a_stale_plan_form_gets_the_conflict_page(english, draft, osm_staff, colleague):
    read = form_data(forms.PlanForm(instance=draft))
    url = reverse("strategy:plan-edit", args=[draft.pk])
    response = two_people_save(
        url, read, colleague, osm_staff, field="title_th", theirs="ชื่อของเพื่อน", mine="ชื่อของฉัน"
    )
    _assert_conflict(response, "ชื่อของเพื่อน", "ชื่อของฉัน")
    assert Plan.objects.get(pk=draft.pk).title_th == "ชื่อของเพื่อน"


def test_a_stale_issue_form_gets_the_conflict_page(english, issue, osm_staff, colleague):
    read = form_data(forms.IssueForm(instance=issue))
    url = reverse("strategy:issue-edit", args=[issue.pk])
    response = two_people_save(
        url, read, colleague, osm_staff, field="name_th", theirs="ประเด็นเพื่อน", mine="ประเด็นฉัน"
    )
    _assert_conflict(response, "ประเด็นเพื่อน", "ประเด็นฉัน")
    assert StrategicIssue.objects.get(pk=issue.pk).name_th == "ประเด็นเพื่อน"


def test_a_stale_objective_form_gets_the_conflict_page(english, chain, osm_staff, colleague):
    objective = chain[1]
    read = form_data(forms.ObjectiveForm(instance=objective, plan=objective.plan))
    url = reverse("strategy:objective-edit", args=[objective.pk])
    response = two_people_save(
        url, read, colleague, osm_staff, field="name_th", theirs="เป้าเพื่อน", mine="เป้าฉัน"
    )
    _assert_conflict(response, "เป้าเพื่อน", "เป้าฉัน")
    assert Objective.objects.get(pk=objective.pk).name_th == "เป้าเพื่อน"


def test_after_seeing_the_conflict_saving_again_is_a_choice(english, chain, osm_staff, colleague):
    """The conflict page moves the form to the newer version: saving it again applies the
    person's values knowingly."""
    objective = chain[1]
    read = form_data(forms.ObjectiveForm(instance=objective, plan=objective.plan))
    url = reverse("strategy:objective-edit", args=[objective.pk])
    two_people_save(url, read, colleague, osm_staff, field="name_th", theirs="ก", mine="ข")
    objective.refresh_from_db()
    again = client_for(osm_staff).post(
        url, {**read, "name_th": "ข", "lock_version": objective.lock_version}
    )
    assert again.status_code == 302
    assert Objective.objects.get(pk=objective.pk).name_th == "ข"


def test_an_edit_form_without_its_version_is_refused(english, chain, osm_staff):
    objective = chain[1]
    read = form_data(forms.ObjectiveForm(instance=objective, plan=objective.plan))
    del read["lock_version"]
    response = client_for(osm_staff).post(
        reverse("strategy:objective-edit", args=[objective.pk]), {**read, "name_th": "ไม่มีรุ่น"}
    )
    assert response.status_code == 200
    assert "This form is out of date" in response.content.decode()
    assert Objective.objects.get(pk=objective.pk).name_th != "ไม่มีรุ่น"
