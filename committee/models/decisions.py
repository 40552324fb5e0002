"""Resolutions (มติ) of agenda items, the action items they give, and their follow-up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osm import audit
from osm.lib.locking import LockVersionMixin


@audit.track
class Resolution(LockVersionMixin, models.Model):
    """What the meeting resolved on one agenda item. A resolution that approves a plan (or
    its yearly review) or the annual action plan is the record that approval points at
    (``decision`` of osm.lib.approvals.ApprovalRecord); recording it calls the approval
    service of strategy or projects (`applied_at` says when)."""

    class Kind(models.TextChoices):
        NOTED = "noted", _("Noted")
        APPROVED = "approved", _("Approved")
        APPROVED_WITH_CHANGES = "approved_changes", _("Approved with changes")
        NOT_APPROVED = "not_approved", _("Not approved")
        DEFERRED = "deferred", _("Deferred")

    APPROVING = (Kind.APPROVED, Kind.APPROVED_WITH_CHANGES)

    item = models.OneToOneField(
        "committee.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="resolution",
    )
    kind = models.CharField(_("resolution"), max_length=20, choices=Kind, default=Kind.NOTED)
    text = models.TextField(_("text of the resolution"))
    approves_plan = models.ForeignKey(
        "strategy.Plan",
        verbose_name=_("approves the plan (or its review)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approves_action_plan = models.ForeignKey(
        "projects.ActionPlan",
        verbose_name=_("approves the annual action plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("approval recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approves_plan__isnull=True)
                | models.Q(approves_action_plan__isnull=True),
                name="committee_resolution_one_approval",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        # The resolution is read on its meeting's page, under its item (one query for the
        # item unless it was selected).
        return self.item.get_absolute_url()

    @property
    def approves(self) -> bool:
        return self.kind in self.APPROVING


@audit.track
class ActionItem(LockVersionMixin, models.Model):
    """Something a resolution asks somebody to do, by a date. Open action items come back
    under "matters arising" of the next meeting until they are done."""

    class Owner(models.TextChoices):
        AGENCY = "agency", _("Agency")
        PROVINCE = "province", _("Province")
        PERSON = "person", _("Person")

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    # The resolution's cluster, kept on the row so that scoping and the alert rule need no joins.
    cluster = models.ForeignKey(
        "osm.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    description = models.TextField(_("what is to be done"))
    owner_kind = models.CharField(_("owner"), max_length=10, choices=Owner)
    owner_agency = models.ForeignKey(
        "osm.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_province = models.ForeignKey(
        "osm.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_action_items",
    )
    # The province whose officers see and follow it up: the owning province, or the
    # province of the owning agency (set by the service).
    province = models.ForeignKey(
        "osm.Province",
        verbose_name=_("province that follows it up"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        owner_kind="agency",
                        owner_agency__isnull=False,
                        owner_province__isnull=True,
                        owner_user__isnull=True,
                    )
                    | models.Q(
                        owner_kind="province",
                        owner_agency__isnull=True,
                        owner_province__isnull=False,
                        owner_user__isnull=True,
                    )
                    | models.Q(
                        owner_kind="person",
                        owner_agency__isnull=True,
                        owner_province__isnull=True,
                        owner_user__isnull=False,
                    )
                ),
                name="committee_actionitem_one_owner",
            ),
        ]
        indexes = [
            models.Index(
                fields=["cluster", "status", "due_date"], name="committee_action_open_idx"
            ),
            models.Index(fields=["province", "status"], name="committee_action_prov_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("committee:action-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def owner(self) -> object:
        """The agency, province or person responsible (one query unless selected)."""
        return self.owner_agency or self.owner_province or self.owner_user

    def is_overdue_on(self, day: object) -> bool:
        return self.is_open and self.due_date < day  # type: ignore[operator]


@audit.track
class FollowUpNote(models.Model):
    """A dated note on how an action item is going, by staff, the owning province or the
    person responsible."""

    action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("action item"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["action_item_id", "-noted_on", "-pk"]
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")

    def __str__(self) -> str:
        return self.text[:80]
