"""The organisation backbone: clusters, provinces, agencies, people and their roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from osm import audit


class BilingualNameMixin:
    """`name` in the active language, falling back to Thai."""

    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th


# Accounts are audited without their secrets: the password hash is never copied into the
# history, a change of it is recorded as a "password changed" event; last_login is noise.
@audit.track(exclude=["password", "last_login"], flag_changes={"password": "password_changed"})
class User(AbstractUser):
    thai_digits = models.BooleanField(
        _("show Thai digits"),
        default=False,
        help_text=_("Show numbers and years with Thai digits (๐–๙)."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    # The language of the e-mails the person receives (the pages follow the language switch).
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="th"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username

    def get_absolute_url(self) -> str:
        return reverse("osm:person-detail", args=[self.pk])


@audit.track
class Cluster(BilingualNameMixin, models.Model):
    """A provincial cluster (กลุ่มจังหวัด). `number` is a display order of our own."""

    number = models.PositiveSmallIntegerField(_("display order"), unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    region_th = models.CharField(_("region"), max_length=100, blank=True)
    lead_province = models.ForeignKey(
        "osm.Province",
        verbose_name=_("lead province"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Official documents of the cluster (plan books, packs, minutes) print Thai digits.
    thai_digits = models.BooleanField(
        _("Thai digits in documents"),
        default=False,
        help_text=_("Print numbers, years and page numbers in documents with Thai digits (๐–๙)."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.name_th

    def get_absolute_url(self) -> str:
        return reverse("osm:cluster-detail", args=[self.pk])


@audit.track
class Province(BilingualNameMixin, models.Model):
    """A province, keyed by its ISO 3166-2:TH code. Bangkok belongs to no cluster."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provinces",
    )

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^TH-[0-9]{2}$"), name="osm_province_code_iso"
            )
        ]

    def __str__(self) -> str:
        return self.name_th

    def get_absolute_url(self) -> str:
        return reverse("osm:province-detail", args=[self.pk])


@audit.track
class Agency(BilingualNameMixin, models.Model):
    """A provincial office or line agency that owns indicators and projects."""

    class Kind(models.TextChoices):
        OSM = "osm", _("Office of Strategy Management")
        PROVINCIAL_OFFICE = "provincial", _("Provincial office")
        LINE_AGENCY = "line", _("Line agency")
        LOCAL_GOVERNMENT = "local", _("Local government")
        OTHER = "other", _("Other")

    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.PROVINCIAL_OFFICE)
    # A deactivated agency keeps what refers to it but is offered for nothing new.
    is_active = models.BooleanField(_("active"), default=True)
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["name_th", "province"], name="osm_agency_name_unique")
        ]

    def __str__(self) -> str:
        return self.name_th


@audit.track
class RoleAssignment(models.Model):
    """What a person may do, and where.

    central: every cluster, read · central_admin: every cluster, read, and manages the OSM
    staff of any cluster and other central administrators (people pages; no superuser needed) ·
    osm_staff: one cluster, edit, and manages that cluster's people · committee: one cluster,
    read and comment · province_officer: one province, submit.
    """

    class Role(models.TextChoices):
        CENTRAL = "central", _("Central ministry")
        CENTRAL_ADMIN = "central_admin", _("Central administrator")
        OSM_STAFF = "osm_staff", _("OSM staff")
        COMMITTEE = "committee", _("Committee member")
        PROVINCE_OFFICER = "province_officer", _("Province officer")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
    )

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # Each role carries exactly the scope it needs.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=["central", "central_admin"],
                        cluster__isnull=True,
                        province__isnull=True,
                    )
                    | models.Q(
                        role__in=["osm_staff", "committee"],
                        cluster__isnull=False,
                        province__isnull=True,
                    )
                    | models.Q(
                        role="province_officer", cluster__isnull=True, province__isnull=False
                    )
                ),
                name="osm_roleassignment_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "cluster"],
                condition=models.Q(cluster__isnull=False),
                name="osm_roleassignment_cluster_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "province"],
                condition=models.Q(province__isnull=False),
                name="osm_roleassignment_province_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(role__in=["central", "central_admin"]),
                name="osm_roleassignment_central_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{self.user_id}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        needs_cluster = self.role in (self.Role.OSM_STAFF, self.Role.COMMITTEE)
        needs_province = self.role == self.Role.PROVINCE_OFFICER
        errors: dict[str, Any] = {}
        if needs_cluster and not self.cluster_id:
            errors["cluster"] = _("This role needs a cluster.")
        if not needs_cluster and self.cluster_id:
            errors["cluster"] = _("This role is not limited to a cluster.")
        if needs_province and not self.province_id:
            errors["province"] = _("This role needs a province.")
        if not needs_province and self.province_id:
            errors["province"] = _("This role is not limited to a province.")
        if errors:
            raise ValidationError(errors)


class Invitation(models.Model):
    """An invitation by e-mail to join with one role; the invitee sets a password through a
    one-time link (`key`) that expires. Re-sending gives a new key and expiry, so an older
    e-mail's link stops working; accepting or revoking ends it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the invitee")
        EXPIRED = "expired", _("Link expired")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    language = models.CharField(
        _("language of the e-mail"), max_length=8, choices=settings.LANGUAGES, default="th"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleAssignment.Role)
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    key = models.CharField(_("link key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=["central", "central_admin"],
                        cluster__isnull=True,
                        province__isnull=True,
                    )
                    | models.Q(
                        role__in=["osm_staff", "committee"],
                        cluster__isnull=False,
                        province__isnull=True,
                    )
                    | models.Q(
                        role="province_officer", cluster__isnull=True, province__isnull=False
                    )
                ),
                name="osm_invitation_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_open(self) -> bool:
        """Not accepted and not revoked: it can be re-sent (even when its link expired)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Notification(models.Model):
    """Something a person should know or do: a reminder, a warning, a returned submission.

    Shown in the person's inbox and, when they have an e-mail address, sent by e-mail once.
    `key` makes reminders idempotent: the same alert for the same person is created once.
    """

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        REMINDER = "reminder", _("Reminder")
        WARNING = "warning", _("Early warning")
        CRITICAL = "critical", _("Needs action now")
        RETURNED = "returned", _("Returned for correction")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level, default=Level.INFO)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=200)
    # The early warning it tells of (osm.alerts), and its kind: what the inbox filters on.
    alert = models.ForeignKey(
        "osm.Alert",
        verbose_name=_("alert"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="osm_notification_key_unique")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="osm_notification_unread_idx"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="osm_notif_user_unread")]

    def __str__(self) -> str:
        return self.title


class OutboxEmail(models.Model):
    """An e-mail waiting to go out: written in the same transaction as what caused it.

    A task sends it right after commit; when the broker is away, the beat's drain task
    (`osm.drain_outbox`, every minute) sends what is still pending. A sender claims a row with
    a lease (`claim_token`, `lease_until`) so two workers never send one row; failures are
    retried with backoff until `MAX_ATTEMPTS`, then the row is failed (visible in the admin).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="th")
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claim_token = models.CharField(_("claim"), max_length=32, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="osm_outboxemail_dedupe_unique",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="osm_outbox_due")]

    def __str__(self) -> str:
        return self.subject


# Generated documents (osm/documents/): defined there, registered with the osm app here.
# Early warnings as records live in their own module (osm/alerts/models.py) to keep this one
# short; importing them here makes them models of the core app.
from osm.alerts.models import Alert as Alert  # noqa: E402
from osm.alerts.models import AlertDelivery as AlertDelivery  # noqa: E402
from osm.alerts.models import AlertPreference as AlertPreference  # noqa: E402
from osm.alerts.models import ClusterAlertSettings as ClusterAlertSettings  # noqa: E402
from osm.documents.models import Document as Document  # noqa: E402
