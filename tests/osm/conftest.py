"""Personas of the people pages, on top of tests/conftest.py."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from osm.models import User
from tests.factories import UserFactory, assign


@pytest.fixture
def central_admin(world: Any) -> User:
    return assign(UserFactory(username="p_central_admin"), "central_admin")


@pytest.fixture
def officer_b(world: Any) -> User:
    """A province officer of the other cluster (cluster B)."""
    return assign(
        UserFactory(username="p_officer_b"), "province_officer", province=world.other_province
    )


@pytest.fixture
def member(world: Any) -> User:
    """A province officer of the demo cluster, managed by `osm_staff`."""
    return assign(UserFactory(username="p_member"), "province_officer", province=world.province)


@pytest.fixture
def sqlite_demo_env(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> dict[str, str]:
    """The environment of `manage.py` on the embedded SQLite database, migrated: the file is
    migrated once for the whole run (shared by the xdist workers under a file lock) and each
    test gets its own copy."""
    base_temp = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is a folder of the run's own: share the run's folder.
    run_temp = base_temp.parent if os.environ.get("PYTEST_XDIST_WORKER") else base_temp
    shared = run_temp / "sqlite-migrated"
    shared.mkdir(exist_ok=True)
    master = shared / "migrated.sqlite3"
    root = Path(__file__).resolve().parents[2]
    base = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not master.exists():
            partial = shared / "partial.sqlite3"
            partial.unlink(missing_ok=True)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "-v0"],
                cwd=root,
                env={**base, "DATABASE_URL": f"sqlite:///{partial}"},
                check=True,
                timeout=300,
            )
            partial.rename(master)
    mine = tmp_path / "demo.sqlite3"
    shutil.copyfile(master, mine)
    return {**base, "DATABASE_URL": f"sqlite:///{mine}"}
