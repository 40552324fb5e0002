"""Status badges, trend arrows and the provisional mark: built once per language, and each
language gets its own."""

from __future__ import annotations

from django.utils import translation

from scorecard.models import Status
from scorecard.templatetags.scorecard_tags import provisional_badge, status_badge, trend_icon


def test_badges_follow_the_language_they_are_drawn_in() -> None:
    with translation.override("en"):
        english = (status_badge(Status.ON_TRACK), trend_icon("up"), provisional_badge())
    with translation.override("th"):
        thai = (status_badge("on_track"), trend_icon("up"), provisional_badge())
    assert "On track" in english[0] and "เป็นไปตามเป้าหมาย" in thai[0]
    assert "improving" in english[1] and "improving" not in thai[1]
    assert "provisional" in english[2] and "provisional" not in thai[2].split(">", 2)[2]
    with translation.override("en"):  # and back: not the Thai one remembered
        assert status_badge("on_track") == english[0]


def test_a_missing_status_or_trend_reads_no_data_and_a_dash() -> None:
    with translation.override("en"):
        assert 'data-status="no_data"' in status_badge(None)
        assert "—" in trend_icon(None)
