"""No silent overwrite in the scorecard: indicators, their targets and reporting rounds keep
the first save and tell the second person."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from scorecard.forms import IndicatorForm
from scorecard.models import Indicator, ReportingRound, Target
from tests.factories import UserFactory, assign
from tests.locking import client_for, form_data, two_people_save
from tests.scorecard.conftest import YEAR


@pytest.fixture
def colleague(world: Any) -> Any:
    return assign(UserFactory(username="p_staff_2"), "osm_staff", cluster=world.cluster)


def test_a_stale_indicator_form_gets_the_conflict_page(indicator, osm_staff, colleague):
    read = form_data(IndicatorForm(instance=indicator, cluster_id=indicator.cluster_id))
    url = reverse("scorecard:indicator-edit", args=[indicator.pk])
    response = two_people_save(
        url, read, colleague, osm_staff, field="name_th", theirs="ชื่อเพื่อน", mine="ชื่อฉัน"
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert 'id="conflict"' in page
    assert 'data-testid="saved-now">ชื่อเพื่อน<' in page
    assert 'data-testid="yours">ชื่อฉัน<' in page
    assert Indicator.objects.get(pk=indicator.pk).name_th == "ชื่อเพื่อน"


def _targets_read(client: Any, indicator: Indicator) -> dict[str, Any]:
    """The targets form as the page renders it (every cell, weight and the version)."""
    page = client.get(reverse("scorecard:targets", args=[indicator.pk]))
    form = page.context["form"]
    return form_data(form)


def test_stale_targets_get_the_conflict_page(indicator, osm_staff, colleague):
    read = _targets_read(client_for(osm_staff), indicator)
    assert read["lock_version"] == indicator.targets_lock_version
    url = reverse("scorecard:targets", args=[indicator.pk])
    field = f"cluster-{YEAR}"
    # Only the cluster target changes, and no province commitments for the year: both valid.
    read = {k: v for k, v in read.items() if not (k.startswith("p") and k.endswith(str(YEAR)))}
    response = two_people_save(
        url, read, colleague, osm_staff, field=field, theirs="111", mine="222"
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert 'id="conflict"' in page
    assert 'data-testid="saved-now">111' in page
    assert Target.objects.get(indicator=indicator, fiscal_year=YEAR).value == Decimal("111")


def test_a_stale_round_page_does_not_close_a_reopened_round(reporting_round, osm_staff, colleague):
    """A closed the round, B reopened it; C's page still showed it open at the first version:
    C's close is refused with a message, and the round stays open."""
    read_version = reporting_round.lock_version
    close = reverse("scorecard:round-close", args=[reporting_round.pk])
    reopen = reverse("scorecard:round-reopen", args=[reporting_round.pk])
    assert client_for(colleague).post(close, {"lock_version": read_version}).status_code == 302
    reporting_round.refresh_from_db()
    client_for(colleague).post(
        reopen, {"lock_version": reporting_round.lock_version, "reason": "ขยายเวลา"}
    )
    client = client_for(osm_staff)
    response = client.post(close, {"lock_version": read_version}, follow=True)
    assert "Somebody else changed this round" in response.content.decode()
    assert ReportingRound.objects.get(pk=reporting_round.pk).is_open
