"""Cluster plans, their strategic issues and objectives, cause-and-effect links, alignment."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osm import audit
from osm.lib.approvals import ApprovalRecord
from osm.lib.locking import LockVersionMixin
from osm.models import BilingualNameMixin


@audit.track
class Perspective(BilingualNameMixin, models.Model):
    """A Balanced Scorecard perspective as one cluster names it.

    The four public-sector perspectives are the default; a cluster may rename them.
    """

    class Key(models.TextChoices):
        EFFECTIVENESS = "effectiveness", _("Effectiveness")
        SERVICE_QUALITY = "service_quality", _("Service quality")
        EFFICIENCY = "efficiency", _("Efficiency")
        ORGANISATIONAL_DEVELOPMENT = "org_development", _("Organisational development")

    cluster = models.ForeignKey(
        "osm.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.CASCADE,
        related_name="perspectives",
    )
    key = models.CharField(_("perspective"), max_length=20, choices=Key)
    name_th = models.CharField(_("Thai name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["cluster_id", "order"]
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "key"], name="strategy_perspective_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name_th


@audit.track
class Plan(LockVersionMixin, ApprovalRecord, models.Model):
    """A cluster development plan (แผนพัฒนากลุ่มจังหวัด), one version of it.

    A strategy review copies an approved plan into a new draft version; approving that
    version archives the one before. The approval record (who registered it, the date it
    took effect, the committee's resolution and meeting) comes from `ApprovalRecord`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        ARCHIVED = "archived", _("Archived")

    cluster = models.ForeignKey(
        "osm.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="plans"
    )
    title_th = models.CharField(_("Thai title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year (BE)"))
    end_year = models.PositiveSmallIntegerField(_("last year (BE)"))
    vision_th = models.TextField(_("vision (Thai)"), blank=True)
    vision_en = models.TextField(_("vision (English)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
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
        ordering = ["cluster_id", "-start_year", "-version"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="strategy_plan_years_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__gte=2500, end_year__lte=2700),
                name="strategy_plan_years_be",
            ),
            models.UniqueConstraint(
                fields=["cluster", "start_year", "end_year", "version"],
                name="strategy_plan_version_unique",
            ),
            # At most one approved version of a plan period per cluster.
            models.UniqueConstraint(
                fields=["cluster", "start_year", "end_year"],
                condition=models.Q(status="approved"),
                name="strategy_plan_one_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_th} ({self.start_year}–{self.end_year}) v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:plan-detail", args=[self.pk])

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "th").startswith("en") and self.title_en:
            return self.title_en
        return self.title_th

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


@audit.track
class StrategicIssue(LockVersionMixin, BilingualNameMixin, models.Model):
    """ประเด็นการพัฒนา: a development issue of a plan."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="issues"
    )
    code = models.CharField(_("code"), max_length=20)
    name_th = models.CharField(_("Thai name"), max_length=400)
    name_en = models.CharField(_("English name"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan_id", "order", "code"]
        verbose_name = _("strategic issue")
        verbose_name_plural = _("strategic issues")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="strategy_issue_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:plan-detail", args=[self.plan_id]) + f"#issue-{self.pk}"


@audit.track
class Objective(LockVersionMixin, BilingualNameMixin, models.Model):
    """เป้าประสงค์: an objective of an issue, placed in a BSC perspective.

    `lineage` is the objective's lasting identity: every copy of it in later plan versions
    shares it, whatever its code or name becomes. What hangs on an objective (indicators,
    projects, resolutions) follows the lineage to the successor when a version is approved.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="objectives"
    )
    issue = models.ForeignKey(
        StrategicIssue,
        verbose_name=_("strategic issue"),
        on_delete=models.CASCADE,
        related_name="objectives",
    )
    perspective = models.ForeignKey(
        Perspective,
        verbose_name=_("perspective"),
        on_delete=models.PROTECT,
        related_name="objectives",
    )
    code = models.CharField(_("code"), max_length=20)
    name_th = models.CharField(_("Thai name"), max_length=400)
    name_en = models.CharField(_("English name"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    lineage = models.UUIDField(_("lasting identity"), default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["plan_id", "order", "code"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="strategy_objective_code_unique"),
            models.UniqueConstraint(
                fields=["plan", "lineage"], name="strategy_objective_lineage_unique"
            ),
        ]
        indexes = [models.Index(fields=["lineage"], name="strategy_objective_lineage")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:objective-detail", args=[self.pk])


@audit.track
class ObjectiveLink(models.Model):
    """Cause → effect between two objectives of the same plan; the links form no cycle."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="links"
    )
    cause = models.ForeignKey(
        Objective, verbose_name=_("cause"), on_delete=models.CASCADE, related_name="effects_links"
    )
    effect = models.ForeignKey(
        Objective, verbose_name=_("effect"), on_delete=models.CASCADE, related_name="causes_links"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan_id", "cause_id", "effect_id"]
        verbose_name = _("cause-and-effect link")
        verbose_name_plural = _("cause-and-effect links")
        constraints = [
            models.UniqueConstraint(fields=["cause", "effect"], name="strategy_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(cause=models.F("effect")), name="strategy_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cause_id} → {self.effect_id}"


@audit.track
class AlignmentTarget(BilingualNameMixin, models.Model):
    """A node of the national planning layers that plans are tagged against."""

    class Layer(models.TextChoices):
        NATIONAL_STRATEGY = "national_strategy", _("20-year National Strategy")
        MASTER_PLAN = "master_plan", _("Master plan under the National Strategy")
        MASTER_PLAN_TARGET = "master_plan_target", _("Master plan sub-target")
        NESDP_MILESTONE = "nesdp13_milestone", _("13th NESDP milestone")
        GOVERNMENT_POLICY = "government_policy", _("Government policy")
        REGIONAL_TARGET = "regional_target", _("Regional development target")
        SDG = "sdg", _("Sustainable Development Goal")

    layer = models.CharField(_("layer"), max_length=24, choices=Layer)
    code = models.CharField(_("code"), max_length=30, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name_th = models.CharField(_("Thai name"), max_length=500)
    name_en = models.CharField(_("English name"), max_length=500, blank=True)
    region_th = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=_("For regional targets: the region whose clusters are aligned with it."),
    )
    source = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where the wording comes from. Shown in the administration only."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["layer", "order", "code"]
        verbose_name = _("national target")
        verbose_name_plural = _("national targets")

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


@audit.track
class AlignmentLink(models.Model):
    """Tags any plan element (issue, objective, later projects and province plans) with a
    national target. Generic on purpose: new kinds of element need no new table."""

    target = models.ForeignKey(
        AlignmentTarget,
        verbose_name=_("national target"),
        on_delete=models.PROTECT,
        related_name="links",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    element = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "content_type", "object_id"], name="strategy_alignment_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.target_id} ← {self.content_type_id}:{self.object_id}"


@audit.track
class Review(models.Model):
    """ทบทวนยุทธศาสตร์: one strategy review, from an approved plan to its new draft version."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    from_plan = models.ForeignKey(
        Plan,
        verbose_name=_("reviewed version"),
        on_delete=models.PROTECT,
        related_name="reviews_started",
    )
    to_plan = models.OneToOneField(
        Plan, verbose_name=_("new version"), on_delete=models.CASCADE, related_name="review"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    reason = models.TextField(_("reason for the review"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision, default=Decision.PENDING
    )
    decision_note = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("strategy review")
        verbose_name_plural = _("strategy reviews")

    def __str__(self) -> str:
        return f"{self.from_plan_id} → {self.to_plan_id} ({self.fiscal_year})"
