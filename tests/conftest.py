"""Shared fixtures: test settings, the reference world and one persona per role.

The world is the real reference data (loaded by migration): the demo cluster is the one
holding Chiang Mai (TH-50); "other" objects sit in another cluster and province.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from osm.celery import app as celery_app
from osm.models import Cluster, Province, User
from tests.factories import UserFactory, assign


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that commits restores the reference data by serialized rollback.

    A transactional test empties every table when it ends. Without serialized rollback Django
    then re-creates content types and permissions under new ids, so the next test that does
    restore the serialized reference data (clusters, provinces, national targets and their
    links, which point at content types) fails on a foreign key, and one that does not
    finds no clusters at all. Mixing the two kinds on one worker broke whichever came
    second; making them all one kind keeps every test independent of the order.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", [])
        commits = (
            (marker is not None and marker.kwargs.get("transaction"))
            or "transactional_db" in names
            or "live_server" in names
        )
        if commits and "django_db_serialized_rollback" not in names:
            names.append("django_db_serialized_rollback")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a committing test restores the serialized reference data, empty the tables.

    Django empties them when a committing test ends, but a full run showed rows written after
    that (an alignment link whose content type was gone) breaking the next test's restore;
    emptying them again right before the restore makes it start from what Django expects.
    Only the test database is touched (its name starts with "test_").
    """
    if "django_db_serialized_rollback" not in getattr(item, "fixturenames", ()):
        return
    from django.db import connection

    if not str(connection.settings_dict.get("NAME", "")).startswith("test_"):
        return
    from django.core.management import call_command
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)


@pytest.fixture(scope="session")
def _serialized_reference(django_db_setup: Any, django_db_blocker: Any) -> str | None:
    """The reference data as serialized when the test database was made, kept apart from the
    connection object (the restore reads it from the connection of the current context)."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(autouse=True)
def _reference_data_for_committing_tests(request: pytest.FixtureRequest) -> None:
    """A safety net under serialized rollback: a committing test finds the reference data.

    Seen in full runs on one worker: the first browser test started on emptied tables
    although its serialized rollback was on — the connection it restored from did not carry
    the serialized data. Then the data serialized at the start of the session is restored
    here, and the content-type cache (whose ids the restore brings back) is cleared.
    """
    if "django_db_serialized_rollback" not in request.fixturenames:
        return
    contents = request.getfixturevalue("_serialized_reference")
    request.getfixturevalue("transactional_db")
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    if Cluster.objects.exists():
        return
    ContentType.objects.clear_cache()
    if contents:
        connection.creation.deserialize_db_from_string(contents)
    else:
        from django.core.management import call_command

        call_command("load_reference", verbosity=0)
    ContentType.objects.clear_cache()


# The demo data of a committing test, seeded once per test database and then restored from a
# pg_dump of it (about 2 s instead of 15-30 s of seeding): database name -> dump file.
_DEMO_DUMPS: dict[str, Path] = {}


def database_url_for_subprocesses() -> str:
    """The URL of the test database, for a worker, `manage.py` or `pg_dump` run beside the
    test (they read the data the test commits)."""
    from django.db import connection

    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s["HOST"] or "127.0.0.1"
    return f"postgres://{s['USER']}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def demo_seed_committed() -> Any:
    """`demo_seed()` for a test that commits (transactional database, PostgreSQL).

    The first call in a test database seeds the demo and dumps every table's data; later
    calls empty the tables and restore the dump (triggers off, one transaction), then run
    `demo_seed()` again, which finds everything there and only returns the context. Anywhere
    else (SQLite, inside a test transaction, no pg_dump) it simply seeds."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection

    from osm.demo import demo_seed

    name = str(connection.settings_dict["NAME"])
    usable = (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and shutil.which("pg_dump") is not None
        and shutil.which("pg_restore") is not None
    )
    if not usable:
        return demo_seed()
    url = database_url_for_subprocesses()
    dump = _DEMO_DUMPS.get(name)
    if dump is not None:
        tables = connection.introspection.django_table_names(only_existing=True)
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                cursor.execute(sql)
        restored = subprocess.run(
            ["pg_restore", "--data-only", "--disable-triggers", "--single-transaction"]
            + ["--no-password", f"--dbname={url}", str(dump)],
            capture_output=True,
            text=True,
        )
        ContentType.objects.clear_cache()
        if restored.returncode != 0:  # the tables stay empty (one transaction): seed them
            _DEMO_DUMPS.pop(name, None)
        return demo_seed()
    context = demo_seed()
    path = Path(tempfile.mkdtemp(prefix="osm-demo-")) / f"{name}.dump"
    made = subprocess.run(
        ["pg_dump", "--data-only", "--format=custom", "--exclude-table=django_migrations"]
        + ["--no-password", "-f", str(path), f"--dbname={url}"],
        capture_output=True,
        text=True,
    )
    if made.returncode == 0:
        _DEMO_DUMPS[name] = path
    return context


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = True
    # Rate-limit counters and fragments live in the cache: each test starts with none.
    from django.core.cache import cache

    from osm.lib import throttle

    cache.clear()
    throttle._local.clear()
    # Tasks run in-process unless a test asks for the real worker (tests/osm/test_tasks.py).
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


@dataclass
class World:
    cluster: Cluster  # the demo cluster (holds Chiang Mai)
    province: Province  # Chiang Mai
    sibling: Province  # another province of the same cluster
    other_cluster: Cluster
    other_province: Province  # a province of the other cluster


@pytest.fixture
def world(db: Any) -> World:
    province = Province.objects.select_related("cluster").get(code="TH-50")
    cluster = province.cluster
    sibling = cluster.provinces.exclude(pk=province.pk).order_by("code").first()
    other_cluster = Cluster.objects.exclude(pk=cluster.pk).order_by("number").first()
    other_province = other_cluster.provinces.order_by("code").first()
    return World(cluster, province, sibling, other_cluster, other_province)


@pytest.fixture
def central(world: World) -> User:
    return assign(UserFactory(username="p_central"), "central")


@pytest.fixture
def osm_staff(world: World) -> User:
    return assign(UserFactory(username="p_staff"), "osm_staff", cluster=world.cluster)


@pytest.fixture
def committee(world: World) -> User:
    return assign(UserFactory(username="p_committee"), "committee", cluster=world.cluster)


@pytest.fixture
def province_officer(world: World) -> User:
    return assign(UserFactory(username="p_officer"), "province_officer", province=world.province)


@pytest.fixture
def other_staff(world: World) -> User:
    """OSM staff of another cluster: an outsider to the demo cluster."""
    return assign(UserFactory(username="p_other_staff"), "osm_staff", cluster=world.other_cluster)


@pytest.fixture
def other_officer(world: World) -> User:
    """Province officer of the demo cluster's other province."""
    return assign(
        UserFactory(username="p_other_officer"), "province_officer", province=world.sibling
    )


@pytest.fixture
def no_role(world: World) -> User:
    return UserFactory(username="p_norole")


@pytest.fixture
def admin_user_(world: World) -> User:
    return UserFactory(username="p_admin", is_staff=True, is_superuser=True)
