"""The cluster's executive committee (ก.บ.ก.) and its members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osm import audit
from osm.lib.locking import LockVersionMixin


@audit.track
class Committee(LockVersionMixin, models.Model):
    """One committee per cluster: its name and how its secretariat writes its documents.

    The way minutes are recorded is the meeting's choice in Thai practice (verbatim, a
    summary with the resolution, or resolutions only); the checker's signature block is
    agency practice, not regulation, so it can be turned off (reference/thai_meetings.md).
    """

    class Recording(models.TextChoices):
        SUMMARY = "summary", _("Summary of the discussion with the resolution")
        RESOLUTIONS = "resolutions", _("Resolutions only")
        VERBATIM = "verbatim", _("Verbatim")

    cluster = models.OneToOneField(
        "osm.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        related_name="committee",
    )
    name_th = models.CharField(_("Thai name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=30, default="ก.บ.ก.")
    recording = models.CharField(
        _("how minutes are recorded"), max_length=12, choices=Recording, default=Recording.SUMMARY
    )
    checker_block = models.BooleanField(
        _("minutes end with the checker's signature block"), default=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name_th

    def get_absolute_url(self) -> str:
        return reverse("committee:detail", args=[self.cluster_id])

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th


class MemberQuerySet(models.QuerySet["Member"]):
    def in_list_order(self) -> MemberQuerySet:
        """The order of a committee's list, as Thai minutes list it: chair, vice chair,
        members, secretary, assistant secretary; within a role, by the order set."""
        rank = models.Case(
            *(models.When(role=role, then=n) for n, role in enumerate(Member.Role.values)),
            default=len(Member.Role.values),
            output_field=models.IntegerField(),
        )
        return self.alias(role_rank=rank).order_by("role_rank", "order", "pk")


@audit.track
class Member(models.Model):
    """A member of the committee for a term. Members who sign in are users with the
    committee role of the cluster (or its OSM staff, for the secretaries); governors,
    agency heads and private-sector members who never sign in are named members without
    an account, as real committees have them."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Member and secretary")
        ASSISTANT_SECRETARY = "assistant_secretary", _("Member and assistant secretary")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_memberships",
    )
    name = models.CharField(_("name"), max_length=200)
    position_title = models.CharField(_("position"), max_length=300)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order in the list"), default=0)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["committee_id", "order", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="committee_member_term_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_serving_on(self, day: object) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)  # type: ignore[operator]
