from __future__ import annotations

import factory

from osm.models import Agency, Cluster, Province, RoleAssignment, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "ทดสอบ"
    last_name = factory.Sequence(lambda n: f"คนที่{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("pw-for-tests-1")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    number = factory.Sequence(lambda n: 100 + n)
    name_th = factory.Sequence(lambda n: f"กลุ่มจังหวัดทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test cluster {n}")


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(lambda n: f"TH-{(n % 90) + 10:02d}")
    name_th = factory.Sequence(lambda n: f"จังหวัดทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test province {n}")
    cluster = factory.SubFactory(ClusterFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name_th = factory.Sequence(lambda n: f"หน่วยงานทดสอบ {n}")
    kind = Agency.Kind.PROVINCIAL_OFFICE


def assign(
    user: User, role: str, *, cluster: Cluster | None = None, province: Province | None = None
) -> User:
    RoleAssignment.objects.create(user=user, role=role, cluster=cluster, province=province)
    return user


# --- strategy -------------------------------------------------------------------------------
from strategy.models import (  # noqa: E402
    Objective,
    ObjectiveLink,
    Perspective,
    Plan,
    StrategicIssue,
)

PERSPECTIVE_KEYS = [key for key, _label in Perspective.Key.choices]


def perspectives_for(cluster: Cluster) -> list[Perspective]:
    """The cluster's four default perspectives (created when missing)."""
    names = {
        "effectiveness": "ด้านประสิทธิผล",
        "service_quality": "ด้านคุณภาพการให้บริการ",
        "efficiency": "ด้านประสิทธิภาพ",
        "org_development": "ด้านการพัฒนาองค์กร",
    }
    return [
        Perspective.objects.get_or_create(
            cluster=cluster, key=key, defaults={"name_th": names[key], "order": i}
        )[0]
        for i, key in enumerate(PERSPECTIVE_KEYS)
    ]


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    cluster = factory.SubFactory(ClusterFactory)
    title_th = factory.Sequence(lambda n: f"แผนพัฒนากลุ่มจังหวัดทดสอบ {n}")
    start_year = 2566
    end_year = 2570
    status = Plan.Status.APPROVED


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicIssue

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"{n + 1}")
    name_th = factory.Sequence(lambda n: f"ประเด็นการพัฒนาที่ {n + 1}")
    order = factory.Sequence(lambda n: n)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    issue = factory.SubFactory(IssueFactory)
    plan = factory.LazyAttribute(lambda o: o.issue.plan)
    perspective = factory.LazyAttribute(lambda o: perspectives_for(o.issue.plan.cluster)[0])
    code = factory.Sequence(lambda n: f"O{n + 1}")
    name_th = factory.Sequence(lambda n: f"เป้าประสงค์ที่ {n + 1}")
    order = factory.Sequence(lambda n: n)


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectiveLink

    cause = factory.SubFactory(ObjectiveFactory)
    effect = factory.SubFactory(ObjectiveFactory, issue=factory.SelfAttribute("..cause.issue"))
    plan = factory.LazyAttribute(lambda o: o.cause.plan)


# --- scorecard ------------------------------------------------------------------------------
from decimal import Decimal  # noqa: E402

from scorecard.models import Indicator, ProvinceTarget, Target  # noqa: E402


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    objective = factory.SubFactory(ObjectiveFactory)
    cluster = factory.LazyAttribute(lambda o: o.objective.plan.cluster)
    code = factory.Sequence(lambda n: f"K{n + 1}")
    name_th = factory.Sequence(lambda n: f"ตัวชี้วัดที่ {n + 1}")
    unit = "ร้อยละ"
    aggregation = Indicator.Aggregation.SUM
    accumulation = Indicator.Accumulation.POINT
    order = factory.Sequence(lambda n: n)


def targets_for(indicator: Indicator, year: int, cluster_value: Decimal, provinces: dict) -> None:
    """A cluster target and province targets ({province: value}) for one year."""
    Target.objects.create(indicator=indicator, fiscal_year=year, value=cluster_value)
    for province, value in provinces.items():
        ProvinceTarget.objects.create(
            indicator=indicator, province=province, fiscal_year=year, value=value
        )
