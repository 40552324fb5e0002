"""The record of a formal approval, shared by everything the committee approves.

A cluster plan, a plan review and the annual action plan are each approved by the cluster
executive committee (ก.บ.ก.), often at a meeting held before the system existed. The approval
records who registered it, the date it took effect (which may lie in the past), and the
committee's resolution: its text and the meeting it was taken at ("ครั้งที่ 3/2569 วันที่
12 มี.ค. 2569"). Models that can be approved inherit ``ApprovalRecord``; their approval form
inherits ``ApprovalForm``.

When the committee app records the resolution itself, the approval also points at it:
``decision`` is a generic pointer (content type and id) to that record. It is generic so that
the apps below the committee never import it (layers point downward only); the text fields
stay the object's own summary, copied from the resolution when it was recorded. Approvals
registered by hand (a meeting held before the system existed) have no ``decision``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApprovalRecord(models.Model):
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approval recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    resolution_text = models.TextField(_("committee resolution"), blank=True)
    resolution_meeting = models.CharField(
        _("meeting of the resolution"),
        max_length=200,
        blank=True,
        help_text=_("For example: meeting no. 3/2569 of 12 March 2569"),
    )
    # The committee's own record of the decision (committee.Resolution), when it has one.
    decision_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of decision record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decision_id = models.PositiveBigIntegerField(
        _("decision record"), null=True, blank=True, editable=False
    )
    decision = GenericForeignKey("decision_type", "decision_id")

    class Meta:
        abstract = True

    @property
    def is_approval_recorded(self) -> bool:
        return self.approved_on is not None


class ApprovalForm(forms.Form):
    """The fields a person fills in when recording an approval."""

    approved_on = forms.DateField(
        label=_("Approval date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date the committee approved it; it may lie in the past."),
    )
    resolution_text = forms.CharField(
        label=_("Committee resolution"), widget=forms.Textarea(attrs={"rows": 3})
    )
    resolution_meeting = forms.CharField(
        label=_("Meeting of the resolution"),
        max_length=200,
        help_text=_("For example: meeting no. 3/2569 of 12 March 2569"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approved_on"].initial = timezone.localdate()

    def clean_approved_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["approved_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The approval date cannot lie in the future."))
        return value


def decision_fields(decision: models.Model | None) -> dict[str, Any]:
    """The fields that point an approval at the record of its decision (None: no record)."""
    if decision is None:
        return {"decision_type": None, "decision_id": None}
    return {
        "decision_type": ContentType.objects.get_for_model(decision),
        "decision_id": decision.pk,
    }


def approval_fields(*, by: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The model fields to save for an approval recorded by `by` from ApprovalForm data."""
    return {
        "approved_by": by,
        "approved_on": data["approved_on"],
        "resolution_text": data["resolution_text"],
        "resolution_meeting": data["resolution_meeting"],
    }
