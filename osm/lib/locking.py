"""Optimistic locking for every editable aggregate: no silent overwrite.

A form carries the `lock_version` it was read at (a hidden field). Saving compares it with
the row's, under a row lock, and writes only if nobody saved in between; the version then
moves on. When somebody did, nothing is written and `StaleVersion` carries the row as it is
now, so the view shows the conflict page (their values next to yours) instead of reverting
their work. Results use the same check on their review `version` (osm/lib/workflow.py).

Pieces:
- `LockVersionMixin` — the `lock_version` field for a model. (Not `version`: a plan's
  `version` is its version number in a strategy review.)
- `guarded_update(obj, expected=…, fields=…)` — the guarded write; returns what changed.
- `guarded_touch(model, pk, expected=…, field=…)` — the same check for an aggregate that is
  saved as a whole elsewhere (an indicator's targets): move the version on, or raise.
- `LockVersionFormMixin` (osm/forms.py) and `conflict_rows` (below) for the views.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=models.Model)


class LockVersionMixin(models.Model):
    lock_version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)

    class Meta:
        abstract = True


class StaleVersion(ValidationError):
    """Somebody saved the row after the caller read it; `current` is the row as it is now."""

    def __init__(self, current: Any) -> None:
        super().__init__(
            _(
                "Somebody else saved this in the meantime. Their version is shown; nothing of yours was saved."
            ),
            code="stale",
        )
        self.current = current


def _comparable(field: models.Field[Any, Any], value: Any) -> Any:
    if field.is_relation and isinstance(value, models.Model):
        return value.pk
    return value


def guarded_update(
    obj: M,
    *,
    expected: int | None,
    fields: Mapping[str, Any],
    lock_field: str = "lock_version",
) -> dict[str, tuple[Any, Any]]:
    """Write `fields` to `obj`'s row if it is still at version `expected` (None: unguarded,
    for imports and scripts); return {name: (old, new)} of what changed.

    The row is locked while it is compared, so two people saving at once cannot both win.
    Nothing changed: nothing is written and the version stays. Raises `StaleVersion` with the
    fresh row when somebody saved first. `obj` is updated in place.
    """
    model = type(obj)
    opts = model._meta
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=obj.pk)
        if expected is not None and getattr(current, lock_field) != expected:
            raise StaleVersion(current)
        changed: dict[str, tuple[Any, Any]] = {}
        for name, value in fields.items():
            field = opts.get_field(name)
            assert isinstance(field, models.Field)
            old = getattr(current, field.attname)
            if old != _comparable(field, value):
                changed[name] = (old, _comparable(field, value))
            setattr(current, name, value)
        if changed:
            setattr(current, lock_field, getattr(current, lock_field) + 1)
            auto_now = [f.name for f in opts.concrete_fields if getattr(f, "auto_now", False)]
            current.save(update_fields=[*changed, lock_field, *auto_now])
            for name in auto_now:
                setattr(obj, name, getattr(current, name))
    for name, value in fields.items():
        setattr(obj, name, value)
    setattr(obj, lock_field, getattr(current, lock_field))
    return changed


def guarded_touch(model: type[M], pk: Any, *, expected: int | None, field: str) -> int:
    """Move `field` of row `pk` on by one if it is still `expected` (None: always); return the
    new value. One conditional UPDATE; raises `StaleVersion` with the row otherwise."""
    rows = model._default_manager.filter(pk=pk)
    if expected is not None:
        rows = rows.filter(**{field: expected})
    if rows.update(**{field: models.F(field) + 1}) != 1:
        raise StaleVersion(model._default_manager.get(pk=pk))
    return int(model._default_manager.filter(pk=pk).values_list(field, flat=True)[0])


def conflict_rows(form: Any, current: models.Model) -> list[dict[str, Any]]:
    """What the conflict page shows: each field of the form whose saved value differs from
    what this person sent, with both."""
    rows = []
    for name, field in form.fields.items():
        if name == "lock_version" or not hasattr(current, name):
            continue
        saved = getattr(current, name)
        yours = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if _plain(saved) != _plain(yours):
            rows.append({"label": field.label or name, "saved": saved, "yours": yours})
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if value is None:
        return ""
    return value
