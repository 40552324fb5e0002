"""What a new cluster does next, linked from where it stands: the approved plan leads to its
indicators, the scorecard offers adding one (open while an objective has none), the targets
page leads on."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.factories import IndicatorFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def _page(client: Any, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_add_indicator_block_is_open_while_an_objective_has_none(
    client: Any, osm_staff: Any, indicator: Any, objective: Any
) -> None:
    bare = ObjectiveFactory(issue=objective.issue, code="1.9")
    url = reverse("scorecard:cluster", args=[indicator.cluster_id])
    page = _page(client, osm_staff, url)
    block = page[page.index('id="add-indicator"') :]
    assert block.startswith('id="add-indicator" open')
    assert "1 objective has no indicator yet" in block
    assert reverse("scorecard:indicator-create", args=[bare.pk]) in block
    IndicatorFactory(objective=bare, code="K9")
    page = _page(client, osm_staff, url)
    assert 'id="add-indicator">' in page  # every objective has one: closed


def test_readers_get_no_add_indicator_block(client: Any, committee: Any, indicator: Any) -> None:
    page = _page(client, committee, reverse("scorecard:cluster", args=[indicator.cluster_id]))
    assert 'id="add-indicator"' not in page


def test_an_approved_plan_leads_to_its_scorecard_and_to_adding_indicators(
    client: Any, osm_staff: Any, committee: Any, plan: Any
) -> None:
    url = plan.get_absolute_url()
    page = _page(client, osm_staff, url)
    scorecard = reverse("scorecard:cluster", args=[plan.cluster_id])
    assert f'href="{scorecard}#add-indicator" data-testid="plan-add-indicators"' in page
    page = _page(client, committee, url)
    assert 'data-testid="plan-scorecard"' in page and "plan-add-indicators" not in page


def test_a_draft_plan_has_no_indicator_links(client: Any, osm_staff: Any, plan: Any) -> None:
    plan.status = plan.Status.DRAFT
    plan.save(update_fields=["status"])
    assert "plan-scorecard" not in _page(client, osm_staff, plan.get_absolute_url())


def test_the_targets_page_leads_on_for_staff_only(
    client: Any, osm_staff: Any, committee: Any, indicator: Any
) -> None:
    url = reverse("scorecard:targets", args=[indicator.pk])
    page = _page(client, osm_staff, url)
    assert 'id="targets-next"' in page and 'data-testid="add-another-indicator"' in page
    assert indicator.objective.get_absolute_url() in page  # the breadcrumb
    assert 'id="targets-next"' not in _page(client, committee, url)


def test_the_indicator_form_has_a_way_back_and_its_choices_one_per_line(
    client: Any, osm_staff: Any, objective: Any
) -> None:
    page = _page(client, osm_staff, reverse("scorecard:indicator-create", args=[objective.pk]))
    assert objective.get_absolute_url() in page  # breadcrumb and cancel
    assert "<legend" in page and 'class="form-check"' in page
    assert 'for="id_entry_0"' in page and 'for="id_cascade_rule_1"' in page
