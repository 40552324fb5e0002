"""Validators shared by the apps: Buddhist-Era years."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BE_MIN, BE_MAX = 2500, 2700
BE_OFFSET = 543


def validate_be_year(value: int | None) -> None:
    """A year in the Buddhist Era (2500–2700); a Common-Era year gets its BE twin as a hint."""
    if value is None:
        return
    if BE_MIN - BE_OFFSET <= value <= BE_MAX - BE_OFFSET:
        raise ValidationError(
            _(
                "%(year)s looks like a Common-Era year; enter the Buddhist-Era year, "
                "for example %(be)s."
            ),
            code="ce_year",
            params={"year": value, "be": value + BE_OFFSET},
        )
    if not BE_MIN <= value <= BE_MAX:
        raise ValidationError(
            _("Enter a Buddhist-Era year between %(low)s and %(high)s."),
            code="be_year",
            params={"low": BE_MIN, "high": BE_MAX},
        )
