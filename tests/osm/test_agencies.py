"""Agencies kept by a cluster's staff: list, add, edit, deactivate, delete when unused."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from osm.models import Agency
from tests.factories import AgencyFactory, IndicatorFactory, ObjectiveFactory, PlanFactory


def test_list_shows_the_clusters_agencies_with_controls(
    client: Any, osm_staff: Any, world: Any
) -> None:
    mine = AgencyFactory(cluster=world.cluster, name_th="สำนักงานพาณิชย์จังหวัด")
    theirs = AgencyFactory(cluster=world.other_cluster, name_th="สำนักงานอื่น")
    client.force_login(osm_staff)
    body = client.get(reverse("osm:agency-list")).content.decode()
    assert mine.name_th in body and theirs.name_th not in body
    assert reverse("osm:agency-edit", args=[mine.pk]) in body


def test_central_reads_every_agency_without_controls(client: Any, central: Any, world: Any) -> None:
    agency = AgencyFactory(cluster=world.other_cluster)
    client.force_login(central)
    body = client.get(reverse("osm:agency-list")).content.decode()
    assert agency.name_th in body
    assert reverse("osm:agency-edit", args=[agency.pk]) not in body


def test_list_filter_answers_htmx_with_the_fragment(
    client: Any, central_admin: Any, world: Any
) -> None:
    agency = AgencyFactory(cluster=world.other_cluster)
    client.force_login(central_admin)
    response = client.get(
        reverse("osm:agency-list"), {"cluster": world.cluster.pk}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body and 'id="agency-results"' in body
    assert agency.name_th not in body


def test_list_query_count_is_flat(
    client: Any, osm_staff: Any, world: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(5):
        AgencyFactory(cluster=world.cluster, province=world.province)
    client.force_login(osm_staff)
    # session, user, scope, count, agencies, managed clusters ×2, unread count
    with django_assert_num_queries(8):
        response = client.get(reverse("osm:agency-list"))
    assert response.content.decode().count('id="agency-') >= 5


def test_list_is_refused_to_officers(client: Any, province_officer: Any) -> None:
    client.force_login(province_officer)
    assert client.get(reverse("osm:agency-list")).status_code == 403


# --- create / edit -----------------------------------------------------------------------------


def test_staff_add_an_agency_to_their_cluster(client: Any, osm_staff: Any, world: Any) -> None:
    client.force_login(osm_staff)
    data = {"name_th": "สำนักงานเกษตรจังหวัดเชียงใหม่", "kind": "line", "province": world.province.pk}
    response = client.post(reverse("osm:agency-create"), data, follow=True)
    agency = Agency.objects.get(name_th=data["name_th"])
    assert agency.cluster == world.cluster  # from its province
    assert "สำนักงานเกษตรจังหวัดเชียงใหม่" in [str(m) for m in response.context["messages"]][0]


def test_staff_cannot_add_to_another_cluster(client: Any, osm_staff: Any, world: Any) -> None:
    client.force_login(osm_staff)
    data = {"name_th": "ต่างกลุ่ม", "kind": "line", "cluster": world.other_cluster.pk}
    response = client.post(reverse("osm:agency-create"), data)
    assert response.status_code == 200
    assert 'id="id_cluster-errors"' in response.content.decode()
    assert not Agency.objects.filter(name_th="ต่างกลุ่ม").exists()


def test_create_invalid_form_rerenders_with_errors(client: Any, osm_staff: Any) -> None:
    client.force_login(osm_staff)
    response = client.post(reverse("osm:agency-create"), {"kind": "line"})
    assert response.status_code == 200
    assert 'id="id_name_th-errors"' in response.content.decode()


def test_create_anonymous_readonly_wrong_method(client: Any, central: Any) -> None:
    url = reverse("osm:agency-create")
    assert client.post(url, {}).status_code == 302
    client.force_login(central)
    assert client.post(url, {}).status_code == 403
    assert client.put(url).status_code == 405


def test_edit_says_what_changed(client: Any, osm_staff: Any, world: Any) -> None:
    agency = AgencyFactory(cluster=world.cluster, name_th="เดิม")
    client.force_login(osm_staff)
    data = {"name_th": "ใหม่", "name_en": "", "kind": agency.kind, "cluster": world.cluster.pk}
    response = client.post(reverse("osm:agency-edit", args=[agency.pk]), data, follow=True)
    agency.refresh_from_db()
    assert agency.name_th == "ใหม่"
    message = [str(m) for m in response.context["messages"]][0]
    assert "ชื่อภาษาไทย" in message


def test_edit_outsider_404_readonly_403(
    client: Any, other_staff: Any, central: Any, world: Any
) -> None:
    agency = AgencyFactory(cluster=world.cluster)
    url = reverse("osm:agency-edit", args=[agency.pk])
    client.force_login(other_staff)
    assert client.post(url, {}).status_code == 404
    client.force_login(central)
    assert client.post(url, {}).status_code == 403


# --- deactivate / delete -----------------------------------------------------------------------


def test_deactivate_asks_then_keeps_the_agency(client: Any, osm_staff: Any, world: Any) -> None:
    agency = AgencyFactory(cluster=world.cluster)
    client.force_login(osm_staff)
    url = reverse("osm:agency-deactivate", args=[agency.pk])
    assert 'id="confirm-form"' in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    agency.refresh_from_db()
    assert not agency.is_active
    assert client.post(reverse("osm:agency-reactivate", args=[agency.pk])).status_code == 302
    agency.refresh_from_db()
    assert agency.is_active


def test_deactivate_outsider_404_readonly_403_anonymous(
    client: Any, other_staff: Any, central: Any, world: Any
) -> None:
    agency = AgencyFactory(cluster=world.cluster)
    url = reverse("osm:agency-deactivate", args=[agency.pk])
    assert client.post(url).status_code == 302
    client.force_login(other_staff)
    assert client.post(url).status_code == 404
    client.force_login(central)
    assert client.post(url).status_code == 403
    agency.refresh_from_db()
    assert agency.is_active


def test_delete_an_unused_agency_after_confirming(client: Any, osm_staff: Any, world: Any) -> None:
    agency = AgencyFactory(cluster=world.cluster)
    client.force_login(osm_staff)
    url = reverse("osm:agency-delete", args=[agency.pk])
    assert 'id="confirm-form"' in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Agency.objects.filter(pk=agency.pk).exists()


def test_an_agency_in_use_is_not_deleted_but_offered_deactivation(
    client: Any, osm_staff: Any, world: Any
) -> None:
    agency = AgencyFactory(cluster=world.cluster)
    objective = ObjectiveFactory(issue__plan=PlanFactory(cluster=world.cluster))
    IndicatorFactory(objective=objective, owner_agency=agency)
    client.force_login(osm_staff)
    url = reverse("osm:agency-delete", args=[agency.pk])
    page = client.get(url).content.decode()
    assert 'id="confirm-form"' not in page
    assert reverse("osm:agency-deactivate", args=[agency.pk]) in page
    assert 'data-testid="details"' in page  # what uses it
    response = client.post(url)
    assert response.status_code == 200
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_a_deactivated_agency_is_offered_only_to_the_indicator_that_names_it(world: Any) -> None:
    from scorecard.forms import IndicatorForm

    kept = AgencyFactory(cluster=world.cluster, is_active=False, name_th="เลิกใช้")
    active = AgencyFactory(cluster=world.cluster, name_th="ใช้อยู่")
    objective = ObjectiveFactory(issue__plan=PlanFactory(cluster=world.cluster))
    indicator = IndicatorFactory(objective=objective, owner_agency=kept)
    new_form = IndicatorForm(cluster_id=world.cluster.pk)
    assert set(new_form.fields["owner_agency"].queryset) == {active}
    edit_form = IndicatorForm(instance=indicator, cluster_id=world.cluster.pk)
    assert set(edit_form.fields["owner_agency"].queryset) == {active, kept}
