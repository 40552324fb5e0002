"""Who hears what in the reporting cycle, in their own language (scorecard/notices.py and the
returned-value notice): each person's `language`, not the language of whoever acted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from osm.models import Notification, OutboxEmail
from scorecard import services
from scorecard.models import Indicator, Result
from tests.factories import IndicatorFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


def _speaks(user: Any, language: str) -> Any:
    user.language = language
    user.save(update_fields=["language"])
    return user


def _title(user: Any, key: str) -> str:
    return Notification.objects.get(user=user, key__contains=key).title


def _subject(user: Any) -> str:
    return OutboxEmail.objects.get(recipients=[user.email]).subject


def _submit(result: Result, by: Any) -> Result:
    result.refresh_from_db()
    services.result_save(
        result=result,
        by=by,
        expected_version=result.version,
        reporting="reported",
        value=Decimal(100),
        explanation="เหตุผล",
        corrective_action="แนวทาง",
        submit=True,
    )
    return result


def _return(result: Result, by: Any) -> None:
    services.result_review(
        result=result, by=by, expected_version=result.version, approve=False, reason="ผิด"
    )


@pytest.fixture
def named(indicator: Indicator) -> Indicator:
    indicator.name_en = "Border trade value"
    indicator.save(update_fields=["name_en"])
    return indicator


def test_each_officer_hears_of_an_opened_round_in_their_language(
    world: Any, osm_staff: Any, province_officer: Any, other_officer: Any, named: Indicator
) -> None:
    _speaks(province_officer, "th")
    _speaks(other_officer, "en")
    services.round_open(  # staff act in English here (tests/scorecard/conftest.py)
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=1,
        opens_on=dt.date(2026, 12, 20),
        deadline=dt.date(2027, 1, 22),
        by=osm_staff,
    )
    assert (
        _title(province_officer, ":opened")
        == "เปิดรอบรายงานไตรมาส 1/2570 แล้ว กรุณารายงานภายในวันที่ 22 มกราคม 2570"
    )
    assert (
        _title(other_officer, ":opened") == "Reporting round Q1/2570 is open: report by 22 Jan 2027"
    )
    assert _subject(province_officer).startswith("[OSM] เปิดรอบรายงานไตรมาส 1/2570")
    assert _subject(other_officer) == "[OSM] Reporting round Q1/2570 is open: report by 22 Jan 2027"


def test_each_staff_member_hears_of_submitted_values_in_their_language(
    world: Any, osm_staff: Any, province_officer: Any, result: Result
) -> None:
    colleague = _speaks(assign(UserFactory(), "osm_staff", cluster=world.cluster), "en")
    _speaks(osm_staff, "th")
    _submit(result, province_officer)
    assert _title(osm_staff, ":submitted:") == (
        "ผลการดำเนินงานจากเชียงใหม่รอการตรวจสอบ (รอบไตรมาส 1/2570)"
    )
    assert _title(colleague, ":submitted:") == (
        "Values from Chiang Mai wait for your review (round Q1/2570)"
    )


def test_a_returned_value_reaches_a_thai_reading_officer_in_thai(
    osm_staff: Any, province_officer: Any, named: Indicator, result: Result
) -> None:
    _speaks(province_officer, "th")
    _return(_submit(result, province_officer), osm_staff)
    assert _title(province_officer, "returned") == "ส่งคืนให้แก้ไข: K1 มูลค่าการค้าชายแดน"
    assert Notification.objects.get(user=province_officer, key__contains="returned").body == "ผิด"
    returned = OutboxEmail.objects.get(subject__contains="K1")
    assert returned.subject == "[OSM] ส่งคืนให้แก้ไข: K1 มูลค่าการค้าชายแดน"
    assert returned.language == "th"


def test_a_returned_cluster_value_reaches_an_english_reading_staff_member_in_english(
    world: Any, osm_staff: Any, objective: Any
) -> None:
    _speaks(osm_staff, "en")
    indicator = IndicatorFactory(
        objective=objective, code="C1", name_th="ดัชนีความสุข", name_en="Happiness index"
    )
    indicator.aggregation = "none"
    indicator.save(update_fields=["aggregation"])
    indicator.targets.create(fiscal_year=2570, value=Decimal(5))
    services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=2,
        opens_on=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 4, 20),
        by=osm_staff,
    )
    own = Result.objects.select_related("indicator", "round").get(
        indicator=indicator, province__isnull=True
    )
    colleague = assign(UserFactory(), "osm_staff", cluster=world.cluster)  # reads Thai
    _return(_submit(own, osm_staff), colleague)
    assert _title(osm_staff, "returned") == "Returned for correction: C1 Happiness index"
    returned = OutboxEmail.objects.get(subject__contains="C1")
    assert returned.subject == "[OSM] Returned for correction: C1 Happiness index"
    assert returned.language == "en"
