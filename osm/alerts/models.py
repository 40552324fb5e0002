"""Early warnings as records (imported into osm.models, so they belong to the core app).

An `Alert` is one condition that a rule found to hold — about one object, for one period —
from the moment it was raised until it was resolved (by itself, when the rule no longer
finds it, or by a person). At most one alert per rule, object and period is open at a time
(a partial unique constraint), so running the rules twice raises nothing twice. Who was told
and how is recorded per person and channel (`AlertDelivery`), so each alert reaches each
person once on each channel. People choose a channel per kind of alert
(`AlertPreference`); OSM staff set their cluster's thresholds and lead times
(`ClusterAlertSettings`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _

from osm import audit


class Severity(models.TextChoices):
    """Shared with `Notification.Level` (an alert's notification has the alert's severity)."""

    INFO = "info", _("Information")
    REMINDER = "reminder", _("Reminder")
    WARNING = "warning", _("Early warning")
    CRITICAL = "critical", _("Needs action now")


class Audience(models.TextChoices):
    """Who should act on an alert: the people it is delivered to, in its scope."""

    OFFICERS = "officers", _("Province officers of the province")
    STAFF = "staff", _("OSM staff of the cluster")
    OWNER = "owner", _("The person responsible")


class Channel(models.TextChoices):
    APP = "app", _("In the app only")
    EMAIL = "email", _("E-mail at once")
    DAILY = "daily", _("Daily digest by e-mail")
    # The two digests by role (not chosen per kind): committee members weekly, central
    # users the national one.
    WEEKLY = "weekly", _("Weekly committee digest")
    NATIONAL = "national", _("National digest")


PERSONAL_CHANNELS = [Channel.APP, Channel.EMAIL, Channel.DAILY]


class Alert(models.Model):
    class Resolution(models.TextChoices):
        AUTO = "auto", _("Resolved by itself")
        PERSON = "person", _("Closed by a person")

    rule = models.CharField(_("kind"), max_length=80)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("object type"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    subject = GenericForeignKey("content_type", "object_id")
    cluster = models.ForeignKey(
        "osm.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    province = models.ForeignKey(
        "osm.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    # "2570Q1", "2570" or "": the period as a key (NULLs would never collide in the
    # constraint below).
    period = models.CharField(_("period"), max_length=12, blank=True, default="")
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity, default=Severity.WARNING
    )
    audience = models.JSONField(_("who should act"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the text needs, in no language: codes, {"th": …, "en": …} names, ISO dates.
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledgement_note = models.TextField(_("note"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.CharField(
        _("how it was resolved"), max_length=8, choices=Resolution, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id", "period"],
                condition=models.Q(resolved_at__isnull=True),
                name="osm_alert_one_open_per_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True, resolution="")
                | models.Q(resolved_at__isnull=False, resolution__in=["auto", "person"]),
                name="osm_alert_resolution_with_time",
            ),
        ]
        indexes = [
            models.Index(fields=["cluster", "resolved_at"], name="osm_alert_cluster_open_idx"),
            models.Index(fields=["rule", "resolved_at"], name="osm_alert_rule_open_idx"),
            models.Index(fields=["content_type", "object_id"], name="osm_alert_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} #{self.object_id} {self.period}".strip()

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class AlertDelivery(models.Model):
    """One alert told to one person on one channel: at most once (the constraint)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the digest")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent (resolved before the digest)")

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="alert_deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    state = models.CharField(_("state"), max_length=8, choices=State, default=State.SENT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["alert_id", "user_id", "channel"]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "user", "channel"], name="osm_alertdelivery_once"
            )
        ]
        indexes = [models.Index(fields=["channel", "state"], name="osm_alertdelivery_pending_idx")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.user_id} ({self.channel})"


class AlertPreference(models.Model):
    """How one person hears about one kind of alert (no row: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="alert_preferences",
    )
    kind = models.CharField(_("kind"), max_length=80)
    channel = models.CharField(_("how"), max_length=10, choices=Channel)

    class Meta:
        ordering = ["user_id", "kind"]
        verbose_name = _("alert preference")
        verbose_name_plural = _("alert preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="osm_alertpreference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"


@audit.track
class ClusterAlertSettings(models.Model):
    """A cluster's thresholds and lead times, set by its OSM staff: {"<rule>.<name>": value}
    for the thresholds the rules declare (osm.alerts.rules.Threshold); missing ones take
    the rule's default."""

    cluster = models.OneToOneField(
        "osm.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.CASCADE,
        related_name="alert_settings",
    )
    values = models.JSONField(_("thresholds"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("early-warning settings")
        verbose_name_plural = _("early-warning settings")

    def __str__(self) -> str:
        return f"{self.cluster_id}"
