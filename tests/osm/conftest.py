"""Personas of the people pages, on top of tests/conftest.py."""

from __future__ import annotations

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
