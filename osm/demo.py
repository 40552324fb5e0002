"""Demo data: the demo users (one per role) and the demo cluster's agencies, then every app's
demo seeder from the registry (strategy/demo.py, scorecard/demo.py). Run by `seed_demo`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from osm.services import reference_load

DEMO_PASSWORD = "demo1234"
DEMO_PROVINCE_CODE = "TH-50"  # Chiang Mai


@dataclass
class DemoContext:
    cluster: Any
    province: Any
    users: dict[str, Any]
    log: list[str]


@transaction.atomic
def demo_seed() -> DemoContext:
    """Create the demo users (one per role) and the demo cluster's agencies, then let every
    app add its demo data. Idempotent: running it again changes nothing that exists."""
    from osm import registry
    from osm.models import Agency, Province, RoleAssignment, User

    reference_load()
    province = Province.objects.select_related("cluster").get(code=DEMO_PROVINCE_CODE)
    cluster = province.cluster
    assert cluster is not None, "the reference data puts Chiang Mai in a cluster"
    people: dict[str, tuple[str, str, str, dict[str, Any]]] = {
        "central": ("ผู้ตรวจ", "ส่วนกลาง", RoleAssignment.Role.CENTRAL, {}),
        "central_admin": ("ผู้ดูแล", "ส่วนกลาง", RoleAssignment.Role.CENTRAL_ADMIN, {}),
        "osm_staff": ("สมชาย", "ใจดี", RoleAssignment.Role.OSM_STAFF, {"cluster": cluster}),
        "committee": ("สมศรี", "มีสุข", RoleAssignment.Role.COMMITTEE, {"cluster": cluster}),
        "province_officer": (
            "วิภา",
            "รักษ์ถิ่น",
            RoleAssignment.Role.PROVINCE_OFFICER,
            {"province": province},
        ),
    }
    users: dict[str, Any] = {}
    for username, (first, last, role, scope) in people.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.osm.localhost",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, role=role, **scope)
        users[username] = user

    Agency.objects.get_or_create(
        name_th=f"สำนักบริหารยุทธศาสตร์{cluster.name_th}",
        province=None,
        defaults={
            "kind": Agency.Kind.OSM,
            "cluster": cluster,
            "name_en": f"OSM, {cluster.name_en}",
        },
    )
    for member in cluster.provinces.all():
        Agency.objects.get_or_create(
            name_th=f"สำนักงานจังหวัด{member.name_th}",
            province=member,
            defaults={
                "kind": Agency.Kind.PROVINCIAL_OFFICE,
                "cluster": cluster,
                "name_en": f"{member.name_en} Provincial Office",
            },
        )
    context = DemoContext(cluster=cluster, province=province, users=users, log=[])
    for _order, seeder in registry.demo_seeders:
        seeder(context)
    return context
