"""Demo data: the demo users (one per role) and the demo cluster's agencies, then every app's
demo seeder from the registry (strategy/demo.py, scorecard/demo.py). Run by `seed_demo`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from osm.services import reference_load

DEMO_PASSWORD = "demo1234"
DEMO_PROVINCE_CODE = "TH-50"  # Chiang Mai


# The demo clusters: the one holding Chiang Mai (every role) and two in other regions
# (their own OSM staff and a province officer), so that the national view compares three.
# (province code, username suffix, the province officer's province code)
EXTRA_CLUSTERS = [
    ("TH-40", "kk", "TH-40"),  # กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนกลาง (Khon Kaen)
    ("TH-20", "east", "TH-20"),  # กลุ่มจังหวัดภาคตะวันออก 1 (Chon Buri)
]


@dataclass
class DemoContext:
    cluster: Any
    province: Any
    users: dict[str, Any]
    log: list[str]
    key: str = ""  # "" for the main demo cluster, else the suffix of its users' names


def _person(username: str, first: str, last: str, role: str, scope: dict[str, Any]) -> Any:
    from osm.models import RoleAssignment, User

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
    return user


def _agencies(cluster: Any) -> None:
    from osm.models import Agency

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


@transaction.atomic
def demo_seed() -> DemoContext:
    """Create the demo users and the demo clusters' agencies, then let every app add its
    demo data for each demo cluster. Idempotent: running it again changes nothing that
    exists. Returns the main cluster's context (its users include the other clusters')."""
    from osm import registry
    from osm.models import Province, RoleAssignment

    reference_load()
    province = Province.objects.select_related("cluster").get(code=DEMO_PROVINCE_CODE)
    cluster = province.cluster
    assert cluster is not None, "the reference data puts Chiang Mai in a cluster"
    Role = RoleAssignment.Role
    users = {
        "central": _person("central", "ผู้ตรวจ", "ส่วนกลาง", Role.CENTRAL, {}),
        "central_admin": _person("central_admin", "ผู้ดูแล", "ส่วนกลาง", Role.CENTRAL_ADMIN, {}),
        "osm_staff": _person("osm_staff", "สมชาย", "ใจดี", Role.OSM_STAFF, {"cluster": cluster}),
        "committee": _person("committee", "สมศรี", "มีสุข", Role.COMMITTEE, {"cluster": cluster}),
        "province_officer": _person(
            "province_officer", "วิภา", "รักษ์ถิ่น", Role.PROVINCE_OFFICER, {"province": province}
        ),
    }
    contexts = [DemoContext(cluster=cluster, province=province, users=dict(users), log=[])]
    names = {
        "kk": ("ประเสริฐ", "ศรีอีสาน", "บุญมา", "แก่นคำ"),
        "east": ("ชลธี", "ทะเลงาม", "มาลี", "บูรพา"),
    }
    for code, key, officer_code in EXTRA_CLUSTERS:
        member = Province.objects.select_related("cluster").get(code=code)
        officer_province = Province.objects.get(code=officer_code)
        staff_first, staff_last, officer_first, officer_last = names[key]
        staff = _person(
            f"osm_staff_{key}", staff_first, staff_last, Role.OSM_STAFF, {"cluster": member.cluster}
        )
        officer = _person(
            f"officer_{key}",
            officer_first,
            officer_last,
            Role.PROVINCE_OFFICER,
            {"province": officer_province},
        )
        users[f"osm_staff_{key}"] = staff
        users[f"officer_{key}"] = officer
        contexts.append(
            DemoContext(
                cluster=member.cluster,
                province=officer_province,
                users={
                    "central": users["central"],
                    "osm_staff": staff,
                    "province_officer": officer,
                },
                log=[],
                key=key,
            )
        )
    main = contexts[0]
    main.users = users
    for context in contexts:
        _agencies(context.cluster)
        for _order, seeder in registry.demo_seeders:
            seeder(context)
        if context is not main:
            main.log.extend(context.log)
    return main
