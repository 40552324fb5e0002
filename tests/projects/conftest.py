"""Projects fixtures: an approved plan of the demo cluster with two issues, objectives and
an indicator; a helper that adds projects of FY 2570."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from projects.models import Project
from projects.services.projects import project_create
from tests.conftest import World
from tests.factories import IndicatorFactory, IssueFactory, ObjectiveFactory, PlanFactory

YEAR = 2570


@pytest.fixture(autouse=True)
def _english(client: Any) -> Any:
    """Assertions read English messages; pages and services speak English here."""
    from django.conf import settings
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def plan(world: World) -> Any:
    return PlanFactory(cluster=world.cluster)


@pytest.fixture
def objectives(plan: Any) -> list[Any]:
    first, second = IssueFactory(plan=plan, code="1"), IssueFactory(plan=plan, code="2")
    return [
        ObjectiveFactory(issue=first, code="1.1", name_th="ท่องเที่ยวเชิงสร้างสรรค์"),
        ObjectiveFactory(issue=first, code="1.2", name_th="คุณภาพแหล่งท่องเที่ยว"),
        ObjectiveFactory(issue=second, code="2.1", name_th="เกษตรปลอดภัย"),
    ]


@pytest.fixture
def indicator(objectives: list[Any]) -> Any:
    return IndicatorFactory(objective=objectives[0], code="K1")


@pytest.fixture
def provinces(world: World) -> list[Any]:
    return list(world.cluster.provinces.order_by("code"))


@pytest.fixture
def make_project(world: World, objectives: list[Any], provinces: list[Any]) -> Any:
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Project:
        n = next(counter)
        fields.setdefault("code", f"P{n:03d}")
        fields.setdefault("name_th", f"โครงการทดสอบที่ {n}")
        fields.setdefault("objective", objectives[0])
        fields.setdefault("provinces", [world.province])
        fields.setdefault("requested", Decimal("1000000.00"))
        return project_create(cluster=world.cluster, fiscal_year=YEAR, **fields)

    return make


@pytest.fixture
def running(make_project: Any) -> Project:
    """An approved project in Chiang Mai with 1,000,000 baht and a plan of 4 × 250,000."""
    from projects.services.money import disbursement_plan_set

    project = make_project(
        code="R1",
        name_th="โครงการพัฒนาเส้นทางท่องเที่ยวล้านนา",
        allocated=Decimal("1000000.00"),
        status=Project.Status.APPROVED,
    )
    disbursement_plan_set(project=project, amounts={q: Decimal("250000") for q in (1, 2, 3, 4)})
    return project
