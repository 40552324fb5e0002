"""The period a dashboard shows when none is chosen (scorecard.periods)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from osm.lib import dates
from scorecard import periods
from scorecard.models import ReportingRound

pytestmark = pytest.mark.django_db


def add_round(cluster, year, quarter, deadline, by):
    return ReportingRound.objects.create(
        cluster=cluster,
        fiscal_year=year,
        quarter=quarter,
        opens_on=deadline - dt.timedelta(days=30),
        deadline=deadline,
        created_by=by,
    )


def test_without_rounds_it_is_todays_quarter(world):
    today = dates.fiscal_quarter_of(timezone.localdate())
    assert periods.default_period(world.cluster) == (today.year, today.quarter)
    assert periods.default_period(None) == (today.year, today.quarter)


def test_it_is_the_latest_round_whose_deadline_has_passed(world, osm_staff):
    today = timezone.localdate()
    add_round(world.cluster, 2569, 3, today - dt.timedelta(days=90), osm_staff)
    add_round(world.cluster, 2569, 4, today - dt.timedelta(days=1), osm_staff)
    add_round(world.cluster, 2570, 1, today + dt.timedelta(days=10), osm_staff)
    assert periods.default_period(world.cluster) == (2569, 4)


def test_before_any_deadline_it_is_the_latest_round(world, osm_staff):
    today = timezone.localdate()
    add_round(world.cluster, 2570, 1, today + dt.timedelta(days=10), osm_staff)
    add_round(world.cluster, 2569, 4, today + dt.timedelta(days=5), osm_staff)
    assert periods.default_period(world.cluster) == (2570, 1)


def test_other_clusters_rounds_do_not_count_for_a_cluster(world, osm_staff):
    from osm.models import Cluster

    other = Cluster.objects.exclude(pk=world.cluster.pk).first()
    add_round(other, 2568, 2, timezone.localdate() - dt.timedelta(days=3), osm_staff)
    today = dates.fiscal_quarter_of(timezone.localdate())
    assert periods.default_period(world.cluster) == (today.year, today.quarter)
    assert periods.default_period(None) == (2568, 2)  # the national view sees every cluster
