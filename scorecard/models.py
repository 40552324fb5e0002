"""Indicators, their targets cascaded to provinces, reporting rounds and results."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from osm import audit
from osm.lib.dates import FiscalQuarter
from osm.lib.locking import LockVersionMixin
from osm.lib.validators import validate_be_year
from osm.lib.workflow import ReviewableMixin
from osm.models import BilingualNameMixin
from scorecard import choices
from scorecard.choices import RESULT_TEXT_MAX as RESULT_TEXT_MAX  # re-exported
from scorecard.choices import Status as Status  # re-exported: scorecard.models.Status
from scorecard.querysets import IndicatorQuerySet, ResultQuerySet
from scorecard.querysets import due_quarters_q as due_quarters_q
from scorecard.storage import PrivateStorage as PrivateStorage  # re-exported for migrations

MAX_PLACES = 4


@audit.track
class Indicator(LockVersionMixin, BilingualNameMixin, models.Model):
    """ตัวชี้วัด: a key performance indicator of an objective.

    It follows its objective's lasting identity: approving a plan version moves it to the
    successor objective. For an objective the review drops, staff plan its fate before the
    approval — `planned_objective` (move to an objective of the new version) or
    `planned_retirement` — and the approval carries it out. A retired indicator keeps its
    targets and results but leaves the current dashboards.
    """

    Direction = choices.Direction
    Frequency = choices.Frequency
    Accumulation = choices.Accumulation
    Aggregation = choices.Aggregation
    Entry = choices.Entry
    CascadeRule = choices.CascadeRule

    objective = models.ForeignKey(
        "strategy.Objective",
        verbose_name=_("objective"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    # Denormalised from objective.plan.cluster: every scoping and roll-up query filters on it.
    cluster = models.ForeignKey(
        "osm.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        related_name="indicators",
        editable=False,
    )
    code = models.CharField(_("code"), max_length=30)
    name_th = models.CharField(_("Thai name"), max_length=400)
    name_en = models.CharField(_("English name"), max_length=400, blank=True)
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction, default=Direction.UP
    )
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"),
        default=2,
        validators=[MaxValueValidator(MAX_PLACES)],
        help_text=_("How many decimal places values and targets are entered and shown with (0–4)."),
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year (BE)"), null=True, blank=True, validators=[validate_be_year]
    )
    frequency = models.CharField(
        _("reporting frequency"), max_length=12, choices=Frequency, default=Frequency.QUARTERLY
    )
    accumulation = models.CharField(
        _("quarterly values"), max_length=10, choices=Accumulation, default=Accumulation.POINT
    )
    entry = models.CharField(
        _("officers enter"),
        max_length=12,
        choices=Entry,
        default=Entry.QUARTER,
        help_text=_("For cumulative indicators: the quarter's amount or the year-to-date total."),
    )
    aggregation = models.CharField(
        _("combining provinces"), max_length=14, choices=Aggregation, default=Aggregation.SUM
    )
    cascade_rule = models.CharField(
        _("province targets and the cluster target"),
        max_length=8,
        choices=CascadeRule,
        default=CascadeRule.EXACT,
    )
    on_track_at = models.DecimalField(
        _("on track from (per cent of target)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(100),
    )
    at_risk_at = models.DecimalField(
        _("at risk from (per cent of target)"), max_digits=6, decimal_places=2, default=Decimal(80)
    )
    definition = models.TextField(_("definition"), blank=True)
    formula = models.TextField(
        _("formula"),
        blank=True,
        help_text=_("How the value is calculated, e.g. (this year − last year) ÷ last year × 100."),
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    owner_agency = models.ForeignKey(
        "osm.Agency",
        verbose_name=_("owner agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    owner_person = models.CharField(_("person responsible"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The targets and their cascade are edited as one table: their own optimistic lock, so
    # that editing the definition and the targets at once is not a conflict.
    targets_lock_version = models.PositiveIntegerField(
        _("targets edit version"), default=1, editable=False
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)
    planned_objective = models.ForeignKey(
        "strategy.Objective",
        verbose_name=_("moves on approval to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    planned_retirement = models.BooleanField(
        _("retired on approval"), default=False, editable=False
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["cluster_id", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "code"],
                name="scorecard_indicator_code_unique",
                violation_error_message=_(
                    "This objective already has an indicator with this code."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(at_risk_at__lte=models.F("on_track_at")),
                name="scorecard_indicator_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(at_risk_at__gte=0), name="scorecard_indicator_thresholds_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    def get_absolute_url(self) -> str:
        return reverse("scorecard:indicator-detail", args=[self.pk])

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def is_due(self, quarter: int) -> bool:
        """Whether a value is reported for this quarter."""
        if self.frequency == self.Frequency.YEARLY:
            return quarter == 4
        if self.frequency == self.Frequency.HALF_YEARLY:
            return quarter in (2, 4)
        return True

    @property
    def is_cumulative(self) -> bool:
        return self.accumulation == self.Accumulation.CUMULATIVE

    @property
    def enters_year_to_date(self) -> bool:
        return self.is_cumulative and self.entry == self.Entry.YEAR_TO_DATE


@audit.track
class Target(models.Model):
    """The cluster's target for one fiscal year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), validators=[validate_be_year]
    )
    value = models.DecimalField(_("cluster target"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["indicator_id", "fiscal_year"]
        verbose_name = _("cluster target")
        verbose_name_plural = _("cluster targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="scorecard_target_year_unique",
                violation_error_message=_("This indicator already has a target for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.value}"


@audit.track
class ProvinceTarget(models.Model):
    """A cluster target cascaded to one province for one fiscal year."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="province_targets",
    )
    province = models.ForeignKey(
        "osm.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="indicator_targets",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), validators=[validate_be_year]
    )
    # Empty when only the weight is set so far (weights are kept without targets).
    value = models.DecimalField(
        _("province target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    # Used by the weighted mean and the split-by-weights helper (population, area, …).
    weight = models.DecimalField(
        _("weight"), max_digits=16, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["indicator_id", "fiscal_year", "province_id"]
        verbose_name = _("province target")
        verbose_name_plural = _("province targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "province", "fiscal_year"],
                name="scorecard_provincetarget_unique",
                violation_error_message=_(
                    "This province already has a target for this indicator and year."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(weight__isnull=True) | models.Q(weight__gte=0),
                name="scorecard_provincetarget_weight_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.value}"


@audit.track
class ReportingRound(LockVersionMixin, models.Model):
    """One reporting period of a cluster: the provinces report every indicator due in it."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    cluster = models.ForeignKey(
        "osm.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        related_name="reporting_rounds",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), validators=[validate_be_year]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, str(q)) for q in (1, 2, 3, 4)]
    )
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=8, choices=State, default=State.OPEN)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["cluster_id", "-fiscal_year", "-quarter"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "fiscal_year", "quarter"],
                name="scorecard_round_period_unique",
                violation_error_message=_("A round for this quarter is already open."),
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("opens_on")),
                name="scorecard_round_deadline_after_open",
            ),
        ]

    def __str__(self) -> str:
        return FiscalQuarter(self.fiscal_year, self.quarter).short_label()

    def get_absolute_url(self) -> str:
        return reverse("scorecard:round-detail", args=[self.pk])

    @cached_property
    def period(self) -> FiscalQuarter:
        return FiscalQuarter(self.fiscal_year, self.quarter)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


@audit.track
class Result(ReviewableMixin, models.Model):
    """One province's value of one indicator for one quarter (or the cluster's own value
    when `province` is empty, for indicators that cannot be combined)."""

    class Reporting(models.TextChoices):
        REPORTED = "reported", _("Reported")
        NOT_REPORTED = "not_reported", _("Not reported")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="results"
    )
    province = models.ForeignKey(
        "osm.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_results",
    )
    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("reporting round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
    )
    # The province's target row for the year, linked so roll-ups reach its weight by a join.
    province_target = models.ForeignKey(
        ProvinceTarget,
        verbose_name=_("province target"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        editable=False,
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    reporting = models.CharField(
        _("reporting"), max_length=16, choices=Reporting, default=Reporting.NOT_REPORTED
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    # The value the status is judged on (year to date for cumulative indicators); set when
    # approved, empty otherwise. Kept on the row so roll-ups are plain aggregates.
    period_value = models.DecimalField(
        _("value to date"), max_digits=20, decimal_places=4, null=True, blank=True, editable=False
    )
    # Earlier due quarters a cumulative value to date leaves out (not reported, not yet
    # approved), as digits: "13" = quarters 1 and 3. Empty when the value is complete.
    missing_quarters = models.CharField(
        _("quarters left out"), max_length=4, blank=True, default="", editable=False
    )
    not_reported_reason = models.TextField(_("why no value is reported"), blank=True)
    note = models.TextField(_("note"), blank=True)
    explanation = models.TextField(_("why the target is at risk"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["indicator_id", "fiscal_year", "quarter", "province_id"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "province", "fiscal_year", "quarter"],
                name="scorecard_result_period_unique",
                violation_error_message=_("This province already has a result for this quarter."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year", "quarter"],
                condition=models.Q(province__isnull=True),
                name="scorecard_result_cluster_period_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="scorecard_result_quarter_1_4",
            ),
            # Only a reported result carries a value; "not reported" is never a zero.
            models.CheckConstraint(
                condition=models.Q(reporting="reported") | models.Q(value__isnull=True),
                name="scorecard_result_value_only_when_reported",
            ),
        ]
        indexes = [
            models.Index(
                fields=["fiscal_year", "quarter", "status"], name="scorecard_result_period_idx"
            ),
            models.Index(fields=["round", "province"], name="scorecard_result_round_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.province_id} Q{self.quarter}/{self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("scorecard:result-edit", args=[self.pk])

    @property
    def period(self) -> FiscalQuarter:
        return FiscalQuarter(self.fiscal_year, self.quarter)


evidence_storage = PrivateStorage()


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name never reuses what the uploader called the file.
    import uuid

    suffix = Path(filename).suffix.lower()[:10]
    return f"evidence/{instance.result.fiscal_year}/{uuid.uuid4().hex}{suffix}"


@audit.track
class Evidence(models.Model):
    result = models.ForeignKey(
        Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, storage=evidence_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["result_id", "uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("scorecard:evidence-download", args=[self.pk])


# Staff's corrective action per indicator and round (its own module keeps this one short).
from scorecard.corrective import CorrectiveAction as CorrectiveAction  # noqa: E402
