from __future__ import annotations

import csv
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from osm.models import Agency, Cluster, Province, RoleAssignment, User
from osm.services import REFERENCE_CSV

ROOT = Path(__file__).resolve().parents[2]


def _csv_rows() -> list[dict[str, str]]:
    with REFERENCE_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_database_holds_the_18_clusters_and_76_provinces_of_the_csv(db: Any) -> None:
    rows = _csv_rows()
    clusters = {
        (int(r["cluster_no"]), r["cluster_th"], r["cluster_en_unofficial"])
        for r in rows
        if r["row_type"] == "cluster"
    }
    provinces = {
        (r["iso_3166_2"], r["province_th"], r["province_en"], int(r["cluster_no"]))
        for r in rows
        if r["row_type"] == "province"
    }
    assert len(clusters) == 18
    assert len(provinces) == 76
    assert set(Cluster.objects.values_list("number", "name_th", "name_en")) == clusters
    assert (
        set(Province.objects.values_list("code", "name_th", "name_en", "cluster__number"))
        == provinces
    )
    lead = {
        int(r["cluster_no"]): r["cluster_lead_province_th"]
        for r in rows
        if r["row_type"] == "cluster"
    }
    # One cluster has no lead province in the sources; it stays empty.
    assert {
        c.number: c.lead_province.name_th if c.lead_province else ""
        for c in Cluster.objects.select_related("lead_province")
    } == lead


def test_load_reference_is_idempotent_and_keeps_admin_corrections(db: Any, world: Any) -> None:
    # An administrator moves a province to another cluster.
    Province.objects.filter(pk=world.province.pk).update(cluster=world.other_cluster)
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "0 created" in out.getvalue()
    assert Province.objects.get(pk=world.province.pk).cluster == world.other_cluster
    assert Cluster.objects.count() == 18
    assert Province.objects.count() == 76
    call_command("load_reference", "--reset-membership", stdout=StringIO())
    assert Province.objects.get(pk=world.province.pk).cluster == world.cluster


def test_seed_demo_creates_one_user_per_role_and_is_idempotent(db: Any, settings: Any) -> None:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    assert "demo1234" in out.getvalue()
    roles = dict(RoleAssignment.objects.values_list("user__username", "role"))
    assert roles == {
        "central": "central",
        "central_admin": "central_admin",
        "osm_staff": "osm_staff",
        "committee": "committee",
        "province_officer": "province_officer",
        # The two other demo clusters' staff and officers.
        "osm_staff_kk": "osm_staff",
        "officer_kk": "province_officer",
        "osm_staff_east": "osm_staff",
        "officer_east": "province_officer",
    }
    staff = RoleAssignment.objects.get(user__username="osm_staff")
    assert staff.cluster.provinces.filter(code="TH-50").exists()
    assert RoleAssignment.objects.get(user__username="province_officer").province.code == "TH-50"
    assert User.objects.get(username="committee").check_password("demo1234")
    assert Agency.objects.filter(cluster=staff.cluster).count() == 5
    assert RoleAssignment.objects.count() == 9
    assert RoleAssignment.objects.get(user__username="officer_kk").province.code == "TH-40"
    assert RoleAssignment.objects.values("cluster").exclude(cluster=None).distinct().count() == 3


def test_seed_demo_refuses_with_debug_off(db: Any, settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(username="osm_staff").exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert User.objects.filter(username="osm_staff").exists()


def test_migrations_are_complete(db: Any) -> None:
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_check_deploy_reports_no_issue_with_production_settings() -> None:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is no production setting.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "Zx9!p@Lm#Qr$Tv%Wy^Bn&Hj*Df(Gs)Ka-Ce_Ui+Oa=",
        "ALLOWED_HOSTS": "osm.example.go.th",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_collectstatic_works_with_production_storage(tmp_path: Path) -> None:
    """Hashed, compressed static files (WhiteNoise's manifest storage) build without error:
    every file a stylesheet or script refers to must exist."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "collectstatic-test-key-" + "x" * 40,
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/htmx/htmx.min.js" in manifest
    assert "css/osm.css" in manifest
