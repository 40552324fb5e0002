"""axe-core WCAG 2.2 AA rules on the scorecard pages, on the demo data, in Thai and English."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_accessibility import violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("language", ["th", "en"])
def test_scorecard_pages_have_no_wcag_aa_violations(
    language: str, demo: Any, page: Any, login: Any, live_server: Any
) -> None:
    from scorecard.models import Indicator, ReportingRound, Result

    cluster = demo.cluster.pk
    indicator = Indicator.objects.filter(cluster=cluster).order_by("pk").first()
    assert indicator is not None, "the scorecard demo seeder did not run"
    rounds = ReportingRound.objects.filter(cluster=cluster).order_by("fiscal_year", "quarter")
    open_round = rounds.last()
    draft = Result.objects.filter(round=open_round, province=demo.province).first()
    pages = {
        "committee": [
            f"/scorecard/clusters/{cluster}/",
            f"/scorecard/clusters/{cluster}/provinces/",
            f"/scorecard/clusters/{cluster}/timeliness/",
            f"/scorecard/indicators/{indicator.pk}/",
        ],
        "osm_staff": [
            f"/scorecard/indicators/{indicator.pk}/targets/",
            f"/scorecard/clusters/{cluster}/rounds/",
            f"/scorecard/clusters/{cluster}/review/",
            f"/scorecard/rounds/{open_round.pk}/",
        ],
        "province_officer": ["/", f"/scorecard/results/{draft.pk}/edit/"],
        "central": ["/scorecard/national/"],
    }
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    found: dict[str, list[str]] = {}
    for persona, paths in pages.items():
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        login(persona)
        for path in paths:
            page.goto(live_server.url + path)
            problems = violations(page)
            if problems:
                found[f"{persona} {path}"] = problems
    assert not found, found
