"""The people of the national-scale data set (seed_scale), so that the bench tells people."""

from __future__ import annotations

from typing import Any

from osm.alerts import scale
from osm.models import Cluster, RoleAssignment, User


def test_the_scale_seeder_adds_people_for_each_cluster_and_province_once(world: Any) -> None:
    first = Cluster.objects.order_by("number").first()
    scale.scale_seed(range(2569, 2571), 1)
    people = User.objects.filter(username__startswith=scale.PREFIX)
    officers = RoleAssignment.objects.filter(user__in=people, role="province_officer")
    assert officers.count() == first.provinces.count() * scale.OFFICERS
    assert (
        RoleAssignment.objects.filter(user__in=people, role="osm_staff", cluster=first).count() == 2
    )
    assert not any(u.has_usable_password() for u in people)
    count = people.count()
    scale.scale_seed(range(2569, 2571), 1)
    assert people.count() == count
