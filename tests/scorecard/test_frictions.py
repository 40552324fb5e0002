"""The small frictions of a real cluster's first quarter (issue 7): messages after htmx
actions, dates and holidays, the review queue's filter and bulk approval, four eyes on
cluster-level values, who hears what, removing evidence and whose evidence is visible."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from osm.lib.workflow import ReviewStatus
from osm.models import Notification
from scorecard import services
from scorecard.models import Evidence, Result
from tests.factories import IndicatorFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _submit(result, by, value="100", evidence=None):
    result.refresh_from_db()
    services.result_save(
        result=result,
        by=by,
        expected_version=result.version,
        reporting="reported",
        value=Decimal(value),
        explanation="เหตุผล",
        corrective_action="แนวทาง",
        submit=True,
        evidence=evidence,
    )
    return result


def _pdf(name="หลักฐาน.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


# --- messages after htmx actions -------------------------------------------------------------


def test_htmx_review_shows_its_message_out_of_band_and_it_does_not_pile_up(
    client, osm_staff, province_officer, result
):
    _submit(result, province_officer)
    client.force_login(osm_staff)
    response = client.post(
        reverse("scorecard:result-review", args=[result.pk]),
        {"decision": "approve", "version": result.version},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="review-{result.pk}"' in html
    assert 'id="messages" aria-live="polite" hx-swap-oob="true"' in html
    assert "Approved." in html
    # Consumed: the next full page does not show it again.
    page = client.get(reverse("scorecard:review", args=[result.indicator.cluster_id]))
    assert "Approved." not in page.content.decode()


def test_a_full_page_keeps_its_messages_region_without_out_of_band_swap(client, osm_staff, world):
    client.force_login(osm_staff)
    html = client.get(reverse("scorecard:review", args=[world.cluster.pk])).content.decode()
    assert 'id="messages"' in html and "hx-swap-oob" not in html


# --- dates and holidays ----------------------------------------------------------------------


def test_round_form_shows_the_deadline_as_an_iso_date_input(client, osm_staff, world, indicator):
    client.force_login(osm_staff)
    html = client.get(reverse("scorecard:round-list", args=[world.cluster.pk])).content.decode()
    assert 'type="date"' in html
    assert __import__("re").search(r'name="deadline" value="\d{4}-\d{2}-\d{2}"', html)


def test_opening_a_round_says_when_the_deadline_moved_past_a_holiday(
    client, osm_staff, world, indicator
):
    client.force_login(osm_staff)
    response = client.post(
        reverse("scorecard:round-list", args=[world.cluster.pk]),
        {"fiscal_year": 2570, "quarter": 2, "deadline": "2027-04-13"},
        follow=True,
    )
    html = response.content.decode()
    assert "The deadline moved from 13 Apr 2027 to 16 Apr 2027" in html
    assert "Songkran Festival" in html
    client.cookies["django_language"] = "th"
    response = client.post(
        reverse("scorecard:round-list", args=[world.cluster.pk]),
        {"fiscal_year": 2570, "quarter": 3, "deadline": "2027-07-10"},  # a Saturday
        follow=True,
    )
    html = response.content.decode()
    assert "วันที่ครบกำหนดเลื่อนจาก 10 กรกฎาคม 2570 เป็น" in html
    assert "เพราะตรงกับวันหยุด (วันเสาร์–อาทิตย์)" in html


# --- the review queue ------------------------------------------------------------------------


@pytest.fixture
def queue(osm_staff, province_officer, other_officer, result, sibling_result):
    """Chiang Mai's and the sibling province's values, both submitted."""
    _submit(result, province_officer, "90")
    _submit(sibling_result, other_officer, "120")
    result.refresh_from_db()
    sibling_result.refresh_from_db()
    return result, sibling_result


def test_review_queue_shows_units_status_and_filters_by_province(client, osm_staff, world, queue):
    mine, sibling = queue
    client.force_login(osm_staff)
    url = reverse("scorecard:review", args=[world.cluster.pk])
    html = client.get(url).content.decode()
    assert f'id="review-{mine.pk}"' in html and f'id="review-{sibling.pk}"' in html
    assert mine.indicator.unit in html
    assert 'data-status="' in html  # how each value stands against its target
    filtered = client.get(url, {"province": world.sibling.pk}).content.decode()
    assert f'id="review-{sibling.pk}"' in filtered and f'id="review-{mine.pk}"' not in filtered
    assert 'name="province"' in filtered and 'id="review-filter"' in filtered


def test_bulk_approval_asks_once_then_approves_the_selection(client, osm_staff, world, queue):
    mine, sibling = queue
    client.force_login(osm_staff)
    url = reverse("scorecard:review-approve", args=[world.cluster.pk])
    ticked = [f"{mine.pk}.{mine.version}", f"{sibling.pk}.{sibling.version}"]
    confirm = client.post(url, {"result": ticked})
    assert confirm.status_code == 200
    assert 'id="confirm-approve"' in confirm.content.decode()
    mine.refresh_from_db()
    assert mine.status == ReviewStatus.SUBMITTED  # nothing approved before confirming
    done = client.post(url, {"result": ticked, "confirm": "yes"}, follow=True)
    assert "2 values approved." in done.content.decode()
    assert set(
        Result.objects.filter(pk__in=[mine.pk, sibling.pk]).values_list("status", flat=True)
    ) == {ReviewStatus.APPROVED}


def test_bulk_approval_skips_a_value_changed_meanwhile(client, osm_staff, world, queue):
    mine, sibling = queue
    client.force_login(osm_staff)
    url = reverse("scorecard:review-approve", args=[world.cluster.pk])
    ticked = [f"{mine.pk}.{mine.version - 1}", f"{sibling.pk}.{sibling.version}"]
    done = client.post(url, {"result": ticked, "confirm": "yes"}, follow=True)
    assert "1 value approved." in done.content.decode()
    mine.refresh_from_db()
    assert mine.status == ReviewStatus.SUBMITTED


def test_bulk_approval_guards(client, osm_staff, committee, other_staff, world, queue):
    url = reverse("scorecard:review-approve", args=[world.cluster.pk])
    mine, _sibling = queue
    data = {"result": [f"{mine.pk}.{mine.version}"], "confirm": "yes"}
    assert client.post(url, data).status_code == 302  # anonymous: to the login page
    assert "/accounts/login/" in client.post(url, data)["Location"]
    client.force_login(osm_staff)
    assert client.get(url).status_code == 405
    client.force_login(committee)
    assert client.post(url, data).status_code == 403
    client.force_login(other_staff)
    assert client.post(url, data).status_code == 404
    mine.refresh_from_db()
    assert mine.status == ReviewStatus.SUBMITTED
    client.force_login(osm_staff)
    empty = client.post(url, {}, follow=True)
    assert "Tick the values to approve first." in empty.content.decode()


# --- four eyes -------------------------------------------------------------------------------


def test_a_cluster_value_is_approved_by_someone_other_than_who_entered_it(
    client, osm_staff, world, objective
):
    ind = IndicatorFactory(objective=objective, aggregation="none")
    ind.targets.create(fiscal_year=2570, value=Decimal(5))
    services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=2,
        opens_on=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    own = Result.objects.select_related("indicator", "round").get(
        indicator=ind, province__isnull=True
    )
    _submit(own, osm_staff, "5")
    client.force_login(osm_staff)
    client.cookies["django_language"] = "th"
    response = client.post(
        reverse("scorecard:result-review", args=[own.pk]),
        {"decision": "approve", "version": own.version},
        follow=True,
    )
    assert "อีกคนหนึ่ง" in response.content.decode()
    own.refresh_from_db()
    assert own.status == ReviewStatus.SUBMITTED
    colleague = assign(UserFactory(), "osm_staff", cluster=world.cluster)
    services.result_review(result=own, by=colleague, expected_version=own.version, approve=True)
    assert own.status == ReviewStatus.APPROVED


# --- who hears what --------------------------------------------------------------------------


def test_officers_hear_when_a_round_opens_and_staff_when_values_are_submitted(
    osm_staff, province_officer, other_officer, other_staff, result
):
    opened = Notification.objects.filter(key=f"scorecard:round:{result.round_id}:opened")
    assert set(opened.values_list("user", flat=True)) == {province_officer.pk, other_officer.pk}
    assert opened.first().level == Notification.Level.REMINDER
    assert opened.first().url == result.round.get_absolute_url()
    _submit(result, province_officer)
    waiting = Notification.objects.filter(key__contains=f":submitted:{result.province_id}:")
    assert list(waiting.values_list("user", flat=True)) == [osm_staff.pk]  # not other clusters
    assert f"?province={result.province_id}" in waiting.get().url


def test_a_returned_value_is_filed_as_returned_not_as_an_early_warning(
    osm_staff, province_officer, result
):
    _submit(result, province_officer)
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=False, reason="ผิด"
    )
    notice = Notification.objects.get(user=province_officer, key__contains="returned")
    assert notice.level == Notification.Level.RETURNED
    assert notice.get_level_display() == "Returned for correction"


# --- evidence --------------------------------------------------------------------------------


@pytest.fixture
def evidence(province_officer, result):
    return services.evidence_add(result=result, by=province_officer, upload=_pdf())


def test_an_officer_removes_their_own_evidence_after_confirming(
    client, province_officer, result, evidence
):
    client.force_login(province_officer)
    page = client.get(reverse("scorecard:result-edit", args=[result.pk])).content.decode()
    delete_url = reverse("scorecard:evidence-delete", args=[evidence.pk])
    assert delete_url in page
    confirm = client.get(delete_url)
    assert confirm.status_code == 200 and "หลักฐาน.pdf" in confirm.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    done = client.post(delete_url, follow=True)
    assert "The evidence file was removed." in done.content.decode()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_of_an_approved_value_stays(client, osm_staff, province_officer, result, evidence):
    _submit(result, province_officer)
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    client.force_login(province_officer)
    page = client.get(reverse("scorecard:result-edit", args=[result.pk])).content.decode()
    delete_url = reverse("scorecard:evidence-delete", args=[evidence.pk])
    assert delete_url not in page
    done = client.post(delete_url, follow=True)
    assert "can no longer be removed" in done.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_removal_guards(
    client, committee, other_officer, other_staff, osm_staff, evidence
):
    url = reverse("scorecard:evidence-delete", args=[evidence.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(committee)
    assert client.get(url).status_code == 403  # reads it, may not remove it
    assert client.post(url).status_code == 403
    client.force_login(other_officer)
    assert client.post(url).status_code == 404
    client.force_login(other_staff)
    assert client.post(url).status_code == 404
    client.force_login(osm_staff)
    assert client.delete(url).status_code == 405
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_other_provinces_evidence_is_hidden_from_their_officers_only(
    client, osm_staff, committee, central, province_officer, other_officer, result, evidence
):
    _submit(result, province_officer)
    services.result_review(
        result=result, by=osm_staff, expected_version=result.version, approve=True
    )
    download = reverse("scorecard:evidence-download", args=[evidence.pk])
    for person in (osm_staff, committee, central, province_officer):
        client.force_login(person)
        assert client.get(download).status_code == 200, person
        assert (
            download
            in client.get(reverse("scorecard:result-edit", args=[result.pk])).content.decode()
        )
    client.force_login(other_officer)
    page = client.get(reverse("scorecard:result-edit", args=[result.pk]))
    assert page.status_code == 200  # the approved value is shared in the cluster…
    assert download not in page.content.decode()  # …its evidence is not
    assert client.get(download).status_code == 404
