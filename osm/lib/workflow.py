"""The review workflow shared by everything a province submits and OSM staff review.

draft → submitted → approved / returned; returned → submitted again; approved is locked until
OSM staff reopen it with a reason (back to draft). Every write is guarded by optimistic
locking: the caller states the version it read, and the row is changed with one conditional
``UPDATE … WHERE id = … AND version = expected``. When somebody else saved first, nothing is
written and ``StaleVersion`` carries the newer row, so the person sees what changed instead of
overwriting it silently.

Apps use ``ReviewableMixin`` on their model (indicator results, project progress reports)
and call ``save_guarded`` / ``transition`` from their services; their review and reopen
views hand the POST to ``osm/workflow_views.py``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osm.lib.locking import StaleVersion as StaleVersion  # one conflict error for all


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


# Which status may follow which. Reopening (approved → draft) needs a reason.
ALLOWED: dict[str, frozenset[str]] = {
    ReviewStatus.DRAFT: frozenset({ReviewStatus.SUBMITTED}),
    ReviewStatus.RETURNED: frozenset({ReviewStatus.SUBMITTED}),
    ReviewStatus.SUBMITTED: frozenset({ReviewStatus.APPROVED, ReviewStatus.RETURNED}),
    ReviewStatus.APPROVED: frozenset({ReviewStatus.DRAFT}),
}
EDITABLE = frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED})
NEEDS_REASON = {
    (ReviewStatus.SUBMITTED, ReviewStatus.RETURNED),
    (ReviewStatus.APPROVED, ReviewStatus.DRAFT),
}


class ReviewableMixin(models.Model):
    status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus, default=ReviewStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The reason given when returned or reopened; the province sees it.
    review_note = models.TextField(_("reviewer's note"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_locked(self) -> bool:
        return self.status == ReviewStatus.APPROVED


R = TypeVar("R", bound=ReviewableMixin)


def save_guarded(obj: R, *, expected_version: int, fields: dict[str, Any]) -> R:
    """Write `fields` only if the row is still at `expected_version`; bump the version.

    One conditional UPDATE, so two people saving at once cannot both win. Raises
    `StaleVersion` with the fresh row otherwise. Updates `obj` in place and returns it.
    """
    model = type(obj)
    changed = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=models.F("version") + 1, **fields
    )
    if changed != 1:
        raise StaleVersion(model._default_manager.get(pk=obj.pk))
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.version = expected_version + 1
    return obj


def check_transition(obj: ReviewableMixin, to: str, *, reason: str = "") -> None:
    if to not in ALLOWED.get(obj.status, frozenset()):
        raise ValidationError(
            _("A %(old)s item cannot become %(new)s.")
            % {
                "old": ReviewStatus(obj.status).label,
                "new": ReviewStatus(to).label,
            },
            code="transition",
        )
    if (obj.status, to) in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")}, code="reason")


def transition(
    obj: R,
    *,
    to: str,
    by: Any,
    expected_version: int,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> R:
    """Move `obj` to status `to`, recording who and when, guarded by its version."""
    check_transition(obj, to, reason=reason)
    now = timezone.now()
    fields: dict[str, Any] = {"status": to, **(extra or {})}
    if to == ReviewStatus.SUBMITTED:
        fields.update(submitted_at=now, submitted_by=by)
    elif to in (ReviewStatus.APPROVED, ReviewStatus.RETURNED):
        fields.update(reviewed_at=now, reviewed_by=by, review_note=reason.strip())
    elif to == ReviewStatus.DRAFT:
        # Reopened: the reason stays visible, the approval is withdrawn.
        fields.update(reviewed_at=now, reviewed_by=by, review_note=reason.strip())
    return save_guarded(obj, expected_version=expected_version, fields=fields)
