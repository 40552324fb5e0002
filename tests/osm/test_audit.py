"""Every write path leaves an audit event: ORM saves, QuerySet.update, bulk_create, raw SQL,
deletes, and requests (with who and which URL)."""

from __future__ import annotations

from typing import Any

import pghistory
from django.db import connection
from django.urls import reverse
from django.utils import translation

from osm import audit
from osm.models import Agency, Province, RoleAssignment
from tests.factories import UserFactory

EventModel = audit.event_model_for(Agency)


def events_for(obj: Any) -> list[str]:
    model = audit.event_model_for(type(obj))
    return list(
        model.objects.filter(pgh_obj_id=obj.pk)
        .order_by("pgh_id")
        .values_list("pgh_label", flat=True)
    )


def test_database_triggers_are_used_on_postgresql() -> None:
    assert audit.uses_triggers()


def test_create_save_and_delete_are_recorded(db: Any) -> None:
    agency = Agency.objects.create(name_th="หน่วยงานเดิม")
    agency.name_th = "หน่วยงานใหม่"
    agency.save(update_fields=["name_th"])
    pk = agency.pk
    agency.delete()
    assert list(
        EventModel.objects.filter(pgh_obj_id=pk)
        .order_by("pgh_id")
        .values_list("pgh_label", "name_th")
    ) == [
        ("create", "หน่วยงานเดิม"),
        ("update", "หน่วยงานใหม่"),
        ("delete", "หน่วยงานใหม่"),
    ]


def test_queryset_update_is_recorded_for_every_row(db: Any) -> None:
    a = Agency.objects.create(name_th="ก")
    b = Agency.objects.create(name_th="ข")
    Agency.objects.filter(pk__in=[a.pk, b.pk]).update(kind=Agency.Kind.LINE_AGENCY)
    assert events_for(a) == ["create", "update"]
    assert events_for(b) == ["create", "update"]


def test_bulk_create_is_recorded(db: Any) -> None:
    created = Agency.objects.bulk_create([Agency(name_th=f"ข้อมูล {i}") for i in range(3)])
    assert (
        EventModel.objects.filter(
            pgh_obj_id__in=[a.pk for a in created], pgh_label="create"
        ).count()
        == 3
    )


def test_raw_sql_writes_are_recorded(db: Any) -> None:
    agency = Agency.objects.create(name_th="ดิบ")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Agency._meta.db_table} SET name_th = %s WHERE id = %s",
            ["แก้ด้วย SQL", agency.pk],
        )
    assert (
        EventModel.objects.filter(pgh_obj_id=agency.pk, pgh_label="update").get().name_th
        == "แก้ด้วย SQL"
    )


def test_an_update_that_changes_nothing_is_not_an_event(db: Any) -> None:
    agency = Agency.objects.create(name_th="เหมือนเดิม")
    agency.save()
    assert events_for(agency) == ["create"]


def test_history_shows_who_when_and_old_to_new(db: Any, world: Any) -> None:
    agency = Agency.objects.create(name_th="สำนักงาน", province=world.province)
    Agency.objects.filter(pk=agency.pk).update(name_th="สำนักงานใหม่", province=world.sibling)
    with translation.override("en"):
        entries = audit.history_for(agency)
    assert [e.action for e in entries] == ["update", "create"]
    changes = {c.field: (c.old, c.new) for c in entries[0].changes}
    assert changes["Thai name"] == ("สำนักงาน", "สำนักงานใหม่")
    # Foreign keys are shown by name, not by id.
    assert changes["province"] == (str(world.province), str(world.sibling))


def test_history_reads_in_a_fixed_number_of_queries(
    db: Any, world: Any, django_assert_num_queries: Any
) -> None:
    agency = Agency.objects.create(name_th="ก", province=world.province)
    for i in range(5):
        with pghistory.context(user=UserFactory().pk, url="/somewhere/"):
            Agency.objects.filter(pk=agency.pk).update(name_th=f"ก {i}")
    with django_assert_num_queries(3):  # events+contexts, users, provinces
        audit.history_for(agency)


def test_requests_record_the_user_and_url(client: Any, admin_user_: Any, world: Any) -> None:
    client.force_login(admin_user_)
    province = world.province
    url = reverse("admin:osm_province_change", args=[province.pk])
    response = client.post(
        url,
        {
            "code": province.code,
            "name_th": province.name_th,
            "name_en": "Chiang Mai (edited)",
            "cluster": province.cluster_id,
        },
    )
    assert response.status_code == 302, response.content[:500]
    entry = audit.history_for(province)[0]
    assert entry.user == admin_user_
    assert entry.url == url
    assert [(c.old, c.new) for c in entry.changes] == [("Chiang Mai", "Chiang Mai (edited)")]


def test_role_changes_are_audited(db: Any, world: Any) -> None:
    user = UserFactory()
    role = RoleAssignment.objects.create(user=user, role="osm_staff", cluster=world.cluster)
    RoleAssignment.objects.filter(pk=role.pk).update(cluster=world.other_cluster)
    assert events_for(role) == ["create", "update"]


def test_history_is_shown_on_the_object_page(client: Any, osm_staff: Any, world: Any) -> None:
    Province.objects.filter(pk=world.province.pk).update(name_en="Chiang Mai City")
    client.force_login(osm_staff)
    response = client.get(world.province.get_absolute_url())
    assert "Chiang Mai City" in response.content.decode()
    assert 'id="history"' in response.content.decode()


SQLITE_SCRIPT = """
import json
from django.db import connection
from osm import audit
from osm.models import Agency

E = audit.event_model_for(Agency)
a = Agency.objects.create(name_th="save")
a.name_th = "saved again"; a.save()
Agency.objects.filter(pk=a.pk).update(name_th="queryset update")
Agency.objects.filter(pk=a.pk).update(name_th="queryset update")  # no change: no event
created = Agency.objects.bulk_create([Agency(name_th="bulk 1"), Agency(name_th="bulk 2")])
with connection.cursor() as c:
    c.execute("UPDATE osm_agency SET name_th = 'raw sql' WHERE id = %s", [a.pk])
with audit.sqlite_context(user=None, url="/requests/"):
    Agency.objects.filter(pk=a.pk).update(kind="line")
b = Agency.objects.get(name_th="bulk 1"); pk = b.pk; b.delete()
rows = list(E.objects.order_by("pgh_id").values_list("pgh_label", "pgh_obj_id", "name_th"))
urls = [e.url for e in audit.history_for(a)]
print(json.dumps({"rows": rows, "a": a.pk, "b": pk, "urls": urls}))
"""


def test_sqlite_triggers_record_every_write_path_in_the_embedded_demo(
    sqlite_demo_env: dict[str, str],
) -> None:
    """The embedded SQLite default gets the same events from SQLite triggers."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = sqlite_demo_env
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", SQLITE_SCRIPT],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    a, b = data["a"], data["b"]
    assert [tuple(r) for r in data["rows"]] == [
        ("create", a, "save"),
        ("update", a, "saved again"),
        ("update", a, "queryset update"),
        ("create", b, "bulk 1"),
        ("create", b + 1, "bulk 2"),
        ("update", a, "raw sql"),
        ("update", a, "raw sql"),  # kind changed, within a request context
        ("delete", b, "bulk 1"),
    ]
    assert data["urls"][0] == "/requests/"


def test_audit_events_are_not_editable_in_the_admin(client: Any, admin_user_: Any) -> None:
    from django.contrib import admin

    assert EventModel not in admin.site._registry
