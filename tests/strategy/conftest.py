from __future__ import annotations

from typing import Any

import pytest

from strategy import services
from strategy.models import Objective, Plan
from tests.conftest import World


@pytest.fixture
def draft(world: World, osm_staff: Any) -> Plan:
    return services.plan_create(
        cluster=world.cluster,
        title_th="แผนทดสอบ",
        start_year=2571,
        end_year=2575,
        by=osm_staff,
    )


@pytest.fixture
def perspectives(world: World) -> dict[str, Any]:
    return {p.key: p for p in services.perspectives_ensure(cluster=world.cluster)}


@pytest.fixture
def chain(draft: Plan, perspectives: dict[str, Any]) -> list[Objective]:
    """Three objectives A → B → C in one issue of the draft."""
    issue = services.issue_create(plan=draft, code="1", name_th="ประเด็นที่ 1")
    objectives = [
        services.objective_create(
            issue=issue, perspective=perspectives[key], code=code, name_th=f"เป้าประสงค์ {code}"
        )
        for code, key in (("A", "org_development"), ("B", "efficiency"), ("C", "effectiveness"))
    ]
    services.link_create(cause=objectives[0], effect=objectives[1])
    services.link_create(cause=objectives[1], effect=objectives[2])
    return objectives


@pytest.fixture
def english() -> Any:
    """Messages in English, so assertions read the source strings."""
    from django.utils import translation

    with translation.override("en"):
        yield
