"""Accounts are audited: roles, scope, active, superuser, and "password changed" — never the
hash — on PostgreSQL triggers and in the embedded SQLite demo alike."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth.models import update_last_login
from django.urls import reverse
from django.utils import translation

from osm import audit
from osm.models import RoleAssignment, User
from tests.factories import UserFactory, assign

UserEvent = audit.event_model_for(User)


def labels(user: User) -> list[str]:
    return list(
        UserEvent.objects.filter(pgh_obj_id=user.pk)
        .order_by("pgh_id")
        .values_list("pgh_label", flat=True)
    )


def test_the_password_hash_is_never_copied_into_the_history(db: Any) -> None:
    assert "password" not in {f.name for f in UserEvent._meta.get_fields()}


def test_a_password_change_is_an_event_of_its_own(db: Any) -> None:
    user = UserFactory()
    user.set_password("another-secret-2570")
    user.save(update_fields=["password"])
    assert labels(user) == ["create", "password_changed"]
    with translation.override("th"):
        entry = audit.history_for(user)[0]
    assert entry.label == "เปลี่ยนรหัสผ่าน"
    assert entry.changes == []


def test_last_login_is_not_an_event(db: Any) -> None:
    user = UserFactory()
    update_last_login(None, user)
    assert labels(user) == ["create"]


def test_superuser_and_active_changes_show_old_and_new(db: Any) -> None:
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(is_superuser=True, is_active=False)
    with translation.override("en"):
        changes = {c.field: (c.old, c.new) for c in audit.history_for(user)[0].changes}
    assert changes["superuser status"] == ("no", "yes")
    assert changes["active"] == ("yes", "no")


def test_password_change_page_records_who_without_the_hash(client: Any, db: Any) -> None:
    user = UserFactory(password="old-password-1")
    client.force_login(user)
    client.post(
        reverse("password_change"),
        {
            "old_password": "old-password-1",
            "new_password1": "ใหม่-2570-x",
            "new_password2": "ใหม่-2570-x",
        },
    )
    entry = next(e for e in audit.history_for(user) if e.action == "password_changed")
    assert entry.user == user
    assert entry.url == reverse("password_change")
    user.refresh_from_db()
    assert all(user.password not in str(c.new) for e in audit.history_for(user) for c in e.changes)


def test_person_page_shows_role_changes_including_a_removed_role(
    client: Any, osm_staff: Any, world: Any
) -> None:
    person = assign(UserFactory(), "province_officer", province=world.province)
    assign(person, "committee", cluster=world.cluster)
    client.force_login(osm_staff)
    committee = person.roles.get(role="committee")
    client.post(reverse("osm:role-delete", args=[committee.pk]))
    body = client.get(person.get_absolute_url()).content.decode()
    assert body.count("บทบาท: ลบ") == 1  # the removed role, by its snapshot
    assert "กรรมการ ก.บ.ก." in body
    removed = next(
        e for e in audit.history_of_rows(RoleAssignment, user_id=person.pk) if e.action == "delete"
    )
    assert removed.user == osm_staff


def test_person_history_reads_in_a_fixed_number_of_queries(
    osm_staff: Any, world: Any, django_assert_num_queries: Any
) -> None:
    from osm.people.selectors import person_history

    person = assign(UserFactory(), "province_officer", province=world.province)
    for name in ("ก", "ข", "ค"):
        User.objects.filter(pk=person.pk).update(first_name=name)
        assign(person, "committee", cluster=world.cluster)
        person.roles.filter(role="committee").delete()
    # user events; role events, and the users, clusters and provinces they name by id
    # (no request context here, so no query for who made the changes)
    with django_assert_num_queries(5):
        person_history(person)


SQLITE_SCRIPT = """
import json
from django.contrib.auth.models import update_last_login
from osm import audit
from osm.models import RoleAssignment, User

E = audit.event_model_for(User)
u = User.objects.create(username="sqlite-user", email="s@example.test")
u.set_password("first-secret-2570"); u.save()
u.set_password("second-secret-2570"); u.save(update_fields=["password"])
update_last_login(None, u)
User.objects.filter(pk=u.pk).update(is_superuser=True)
RoleAssignment.objects.create(user=u, role="central_admin")
RoleAssignment.objects.filter(user=u).delete()
columns = [f.column for f in E._meta.concrete_fields]
rows = list(E.objects.filter(pgh_obj_id=u.pk).order_by("pgh_id").values_list("pgh_label", "is_superuser"))
roles = [e.action for e in audit.history_of_rows(RoleAssignment, user_id=u.pk)]
print(json.dumps({"rows": rows, "columns": columns, "roles": roles}))
"""


def test_sqlite_embedded_path_audits_accounts_the_same_way(
    sqlite_demo_env: dict[str, str],
) -> None:
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
    assert "password" not in data["columns"]
    assert [tuple(r) for r in data["rows"]] == [
        ("create", False),
        ("password_changed", False),  # save() writes every column: only the password changed
        ("password_changed", False),
        ("update", True),
    ]
    assert data["roles"] == ["delete", "create"]
