"""People for the national-scale data set (hooked into ``manage.py seed_scale``): OSM staff
and committee members for every cluster, officers for every province, central users — so
that a run of the alert rules at national scale also tells people, as it would in use."""

from __future__ import annotations

import time

from django.contrib.auth.hashers import make_password
from django.db import transaction

from osm.models import Cluster, Province, RoleAssignment, User

PREFIX = "scale-"
STAFF, COMMITTEE, OFFICERS, CENTRAL = 2, 3, 2, 2


def _user(username: str, language: str = "th") -> User:
    return User(
        username=username,
        first_name="ทดสอบ",
        last_name=username,
        email=f"{username}@scale.osm.localhost",
        language=language,
        password=make_password(None),  # no log-in: these accounts only receive alerts
    )


@transaction.atomic
def scale_seed(years: range, clusters: int | None = None) -> str:
    started = time.monotonic()
    chosen = list(Cluster.objects.order_by("number")[:clusters])
    existing = set(
        User.objects.filter(username__startswith=PREFIX).values_list("username", flat=True)
    )
    wanted: list[tuple[User, str, dict[str, int]]] = []
    for i in range(CENTRAL):
        wanted.append((_user(f"{PREFIX}central-{i}", "en" if i else "th"), "central", {}))
    for cluster in chosen:
        for i in range(STAFF):
            wanted.append(
                (
                    _user(f"{PREFIX}staff-{cluster.number}-{i}"),
                    "osm_staff",
                    {"cluster_id": cluster.pk},
                )
            )
        for i in range(COMMITTEE):
            wanted.append(
                (
                    _user(f"{PREFIX}committee-{cluster.number}-{i}"),
                    "committee",
                    {"cluster_id": cluster.pk},
                )
            )
    for province in Province.objects.filter(cluster__in=chosen):
        for i in range(OFFICERS):
            wanted.append(
                (
                    _user(f"{PREFIX}officer-{province.code}-{i}"),
                    "province_officer",
                    {"province_id": province.pk},
                )
            )
    fresh = [(u, role, scope) for u, role, scope in wanted if u.username not in existing]
    User.objects.bulk_create([u for u, _role, _scope in fresh], batch_size=1000)
    ids = dict(
        User.objects.filter(username__in=[u.username for u, _r, _s in fresh]).values_list(
            "username", "pk"
        )
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=ids[u.username], role=role, **scope) for u, role, scope in fresh],
        batch_size=1000,
    )
    return f"people: {len(fresh)} accounts for the alerts in {time.monotonic() - started:.1f} s"
