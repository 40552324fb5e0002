"""Per-request display choices read by template filters."""

from __future__ import annotations

import contextvars

from osm.lib.dates import thai_digits

thai_digits_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "osm_thai_digits", default=False
)


def digits(text: object) -> str:
    """`text` with Thai digits when the person chose them, else unchanged."""
    value = "" if text is None else str(text)
    return thai_digits(value) if thai_digits_enabled.get() else value
