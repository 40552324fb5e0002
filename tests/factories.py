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
