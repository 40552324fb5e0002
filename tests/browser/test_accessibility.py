"""axe-core (the accessibility engine behind most audit tools) on real pages in Chromium:
WCAG 2.2 A and AA rules, including colour contrast, landmarks, labels and names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js").read_text()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Pages each persona reads; feature apps add theirs here.
PAGES = {
    None: ["/", "/clusters/", "/accounts/login/", "/accounts/password_reset/", "/no-such-page/"],
    "osm_staff": ["/", "/clusters/", "/preferences/", "/accounts/password_change/"],
    "province_officer": ["/"],
}


def violations(page: Any) -> list[str]:
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the page's
    # Content-Security-Policy (no inline scripts), as it should be.
    page.evaluate(AXE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("language", ["th", "en"])
def test_pages_have_no_wcag_aa_violations(
    language: str, demo: Any, page: Any, login: Any, live_server: Any
) -> None:
    found: dict[str, list[str]] = {}
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    for persona, paths in PAGES.items():
        if persona:
            login(persona)
        for path in paths:
            page.goto(live_server.url + path)
            problems = violations(page)
            if problems:
                found[f"{persona or 'anonymous'} {path}"] = problems
    assert not found, found
