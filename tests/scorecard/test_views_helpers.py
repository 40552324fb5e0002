"""The core's view helpers as the scorecard's pages use them: a safe `next`, `Vary` on pages
that answer htmx differently, and workbook downloads with a Thai filename."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse

from scorecard import services


@pytest.fixture
def submitted(result, province_officer):
    services.result_save(
        result=result,
        by=province_officer,
        expected_version=result.version,
        reporting="reported",
        value=Decimal("5"),
        explanation="ฝนแล้ง",
        corrective_action="เร่งส่งเสริม",
        submit=True,
    )
    return result


@pytest.mark.parametrize(
    "wanted", ["https://evil.example/phish", "//evil.example/", "http://testserver.evil/"]
)
def test_a_review_never_redirects_to_another_site(client, osm_staff, submitted, world, wanted):
    client.force_login(osm_staff)
    response = client.post(
        reverse("scorecard:result-review", args=[submitted.pk]),
        {"decision": "approve", "version": submitted.version, "next": wanted},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("scorecard:review", args=[world.cluster.pk])


def test_a_review_goes_back_to_a_page_of_this_site(client, osm_staff, submitted):
    client.force_login(osm_staff)
    back = reverse("scorecard:indicator-detail", args=[submitted.indicator_id]) + "?year=2570"
    response = client.post(
        reverse("scorecard:result-review", args=[submitted.pk]),
        {"decision": "approve", "version": submitted.version, "next": back},
    )
    assert response["Location"] == back


@pytest.mark.parametrize("htmx", [False, True])
def test_pages_that_answer_htmx_differently_vary_on_it(client, osm_staff, indicator, world, htmx):
    client.force_login(osm_staff)
    headers = {"HX-Request": "true"} if htmx else {}
    for url in (
        reverse("scorecard:targets", args=[indicator.pk]),
        reverse("scorecard:cluster", args=[world.cluster.pk]),
        reverse("scorecard:indicator-detail", args=[indicator.pk]),
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert "HX-Request" in response.get("Vary", ""), url


def test_the_round_workbook_is_an_xlsx_with_its_thai_name(client, osm_staff, reporting_round):
    client.force_login(osm_staff)
    response = client.get(reverse("scorecard:round-workbook", args=[reporting_round.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" + quote("ผลการดำเนินงาน") in disposition
    assert response["Cache-Control"] == "private, no-store"
