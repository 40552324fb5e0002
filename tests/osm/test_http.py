"""The core's one helper per job (osm/http.py), shown through what they return."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from osm import audit
from osm.http import apply_errors, render_page_or_partial, safe_next, update_fields, xlsx_response
from osm.models import Agency


class _Form(forms.Form):
    code = forms.CharField()


def test_service_errors_land_next_to_their_field_or_on_the_form():
    form = _Form({"code": "1"})
    assert form.is_valid()
    apply_errors(form, ValidationError({"code": "ใช้แล้ว", "issue": "ผิดแผน"}))
    assert form.errors["code"] == ["ใช้แล้ว"]
    assert form.non_field_errors() == ["ผิดแผน"]


def test_an_error_without_a_field_goes_on_the_form():
    form = _Form({"code": "1"})
    form.is_valid()
    apply_errors(form, ValidationError("ทั้งแบบฟอร์ม"))
    assert form.non_field_errors() == ["ทั้งแบบฟอร์ม"]


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("/strategy/", "/strategy/"),
        ("https://evil.example/", "/fallback/"),
        ("//evil.example/x", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_safe_next_keeps_only_pages_of_this_site(wanted, expected):
    request = RequestFactory().post("/x/", {"next": wanted})
    assert safe_next(request, "/fallback/") == expected


def test_xlsx_response_names_a_thai_file_for_every_browser():
    response = xlsx_response(b"PK", "แผน 2570.xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E0%B9%81%E0%B8%9C%E0%B8%99%202570.xlsx" in disposition
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_whole_page_also_varies_on_htmx(db):
    """A cache must not hand the page to htmx, nor a fragment to a browser (the htmx
    answers are checked on the pages, tests/scorecard/test_views_helpers.py)."""
    request = RequestFactory().get("/")
    from django_htmx.middleware import HtmxDetails

    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    response = render_page_or_partial(request, "osm/_history.html", "x", {"history": None})
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]


def test_update_fields_returns_what_changed_and_writes_nothing_otherwise(world):
    agency = Agency.objects.create(cluster=world.cluster, name_th="สำนักงานเดิม")
    before = len(audit.history_for(agency))
    assert update_fields(agency, {"name_th": "สำนักงานเดิม"}) == {}
    assert len(audit.history_for(agency)) == before
    changed = update_fields(agency, {"name_th": "สำนักงานใหม่"})
    assert changed == {"name_th": ("สำนักงานเดิม", "สำนักงานใหม่")}
    agency.refresh_from_db()
    assert agency.name_th == "สำนักงานใหม่"
