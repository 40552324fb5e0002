"""The house rules that tools can check: ruff (lint and format), mypy (strict for the core,
checked for the apps) and the layers of the apps (import-linter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout
    result = _run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout


def test_mypy_is_clean_on_the_apps() -> None:
    result = _run("mypy", "osm", "strategy", "scorecard", "projects", "committee")
    assert result.returncode == 0, result.stdout


def test_no_app_imports_a_layer_above_it() -> None:
    """osm <- strategy <- scorecard <- projects <- committee (pyproject's importlinter)."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout
    assert "1 kept, 0 broken" in result.stdout


MAX_MODULE_LINES = 500
APPS = ("osm", "strategy", "scorecard", "projects", "committee")


def test_no_module_is_over_500_lines() -> None:
    """A module that outgrows 500 lines is split into a package by aggregate."""
    too_long = sorted(
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    )
    assert not too_long, "Split these modules by aggregate: " + ", ".join(too_long)
