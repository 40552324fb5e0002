from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["th", "en"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language: str) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"
    assert len(catalogue) > 100


def test_thai_placeholders_match_the_source() -> None:
    import re

    catalogue = polib.pofile(str(LOCALE / "th" / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)s|\{\w+\}")
    for entry in catalogue:
        if entry.msgid_plural:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), (
            entry.msgid
        )


def test_pages_are_thai_by_default_even_for_english_browsers(client: Any, db: Any) -> None:
    response = client.get(reverse("home"), headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="th">' in response.content.decode()
    assert "ข้ามไปยังเนื้อหาหลัก" in response.content.decode()


def test_language_switch_sets_english_and_back(client: Any, db: Any) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body
    assert "Skip to main content" in body
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert '<html lang="th">' in client.get(reverse("home")).content.decode()


def test_error_pages_are_translated(client: Any, db: Any) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_catalogue_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    """Extract the strings afresh in a copy of the code: every one must already have its Thai
    text. (In a copy, because makemessages writes into the catalogue beside the code.)"""
    import os
    import shutil
    import subprocess
    import sys

    root = LOCALE.parent
    work = tmp_path / "project"
    skip = shutil.ignore_patterns("__pycache__", "*.mo", "migrations")
    for name in ("osm", "strategy", "scorecard", "projects", "committee", "templates", "locale"):
        shutil.copytree(root / name, work / name, ignore=skip)
    shutil.copy(root / "manage.py", work / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "th", "--no-obsolete", "-v0"],
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(work)},
        check=True,
        timeout=300,
    )
    fresh = polib.pofile(str(work / "locale" / "th" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries()]
    assert not missing, (
        f"strings missing from the Thai catalogue (run make messages): {missing[:20]}"
    )
