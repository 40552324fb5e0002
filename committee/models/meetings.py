"""Meetings, their agenda in the standard Thai sections, the papers of each item, and the
minutes (รายงานการประชุม) with who attended."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osm import audit
from osm.lib.locking import LockVersionMixin
from osm.lib.storage import private_storage


@audit.track
class Meeting(LockVersionMixin, models.Model):
    """One meeting, numbered per Buddhist-Era year ("ครั้งที่ 3/2569"). Planned, then held,
    then its minutes are approved (at the next meeting, agenda section 2)."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online (electronic meeting)")
        HYBRID = "hybrid", _("In person and online")

    committee = models.ForeignKey(
        "committee.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    number = models.PositiveSmallIntegerField(_("meeting number"))
    year = models.PositiveSmallIntegerField(_("year (BE)"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    mode = models.CharField(_("how it meets"), max_length=10, choices=Mode, default=Mode.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
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
        ordering = ["committee_id", "-date", "-number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "number"], name="committee_meeting_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2500, year__lte=2700, number__gte=1),
                name="committee_meeting_number_be",
            ),
        ]
        indexes = [models.Index(fields=["committee", "date"], name="committee_meeting_date_idx")]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("committee:meeting-detail", args=[self.pk])

    @property
    def label(self) -> str:
        """ "ครั้งที่ 3/2569" in Thai, "Meeting 3/2569" in English."""
        return str(
            _("Meeting no. %(number)s/%(year)s") % {"number": self.number, "year": self.year}
        )

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED


@audit.track
class AgendaItem(LockVersionMixin, models.Model):
    """One item of the agenda (ระเบียบวาระ), in one of the six standard sections."""

    class Section(models.IntegerChoices):
        ANNOUNCEMENTS = 1, _("Matters the chair informs the meeting of")
        PREVIOUS_MINUTES = 2, _("Adoption of the minutes of the previous meeting")
        MATTERS_ARISING = 3, _("Matters arising")
        FOR_INFORMATION = 4, _("Matters for information")
        FOR_CONSIDERATION = 5, _("Matters for consideration")
        OTHER = 6, _("Other matters")

    class Topic(models.TextChoices):
        PLAN = "plan", _("Cluster plan and strategy")
        PERFORMANCE = "performance", _("Indicators and performance")
        PROJECTS = "projects", _("Projects and budget")
        FOLLOW_UP = "follow_up", _("Follow-up of resolutions")
        MINUTES = "minutes", _("Minutes")
        GENERAL = "general", _("General administration")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.PositiveSmallIntegerField(_("agenda section"), choices=Section)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=400)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic, default=Topic.GENERAL)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    proposal = models.TextField(_("proposal put to the committee"), blank=True)
    # What the minutes say of the discussion (drafted from the summary, then edited).
    minutes_text = models.TextField(_("discussion in the minutes"), blank=True)
    # Items the system put there: "actions:<resolution id>", "offtrack:<year>-<quarter>",
    # "behind:<year>-<quarter>", "minutes:<meeting id>" — one of each per meeting.
    source = models.CharField(_("pulled in from"), max_length=60, blank=True, editable=False)
    follows = models.ForeignKey(
        "committee.Resolution",
        verbose_name=_("follows up the resolution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_in",
        editable=False,
    )
    minutes_of = models.ForeignKey(
        Meeting,
        verbose_name=_("adopts the minutes of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_in",
        editable=False,
    )
    plans = models.ManyToManyField(
        "strategy.Plan", verbose_name=_("plans"), blank=True, related_name="agenda_items"
    )
    indicators = models.ManyToManyField(
        "scorecard.Indicator",
        verbose_name=_("indicators"),
        blank=True,
        related_name="agenda_items",
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projects"), blank=True, related_name="agenda_items"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["meeting_id", "section", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source"],
                condition=~models.Q(source=""),
                name="committee_agendaitem_source_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(section__gte=1, section__lte=6),
                name="committee_agendaitem_section_1_6",
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "section", "order"], name="committee_item_order_idx")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committee:meeting-detail", args=[self.meeting_id]) + f"#item-{self.pk}"


def paper_path(instance: AgendaPaper, filename: str) -> str:
    # The stored name never reuses what the uploader called the file.
    suffix = Path(filename).suffix.lower()[:10]
    return f"committee-papers/{instance.item.meeting_id}/{uuid.uuid4().hex}{suffix}"


def converted_path(instance: AgendaPaper, filename: str) -> str:
    # Next to the paper, under its name: ".../<uuid>.docx" → ".../<uuid>.pdf".
    return str(Path(instance.file.name).with_suffix(".pdf"))


@audit.track
class AgendaPaper(models.Model):
    """A paper attached to an agenda item (PDF or office file), kept in private storage and
    served only by the scoped download view. The meeting pack appends PDF papers, and office
    papers once converted to PDF (in the worker, once: the copy is kept in `pdf`)."""

    class Conversion(models.TextChoices):
        # Blank for PDF papers: they need none.
        PENDING = "pending", _("Being converted to PDF")
        DONE = "done", _("Converted to PDF")
        FAILED = "failed", _("Could not be converted to PDF")

    class ConversionError(models.TextChoices):
        """Why an office paper could not be converted, as the secretariat reads it."""

        NO_CONVERTER = "no_converter", _("The server has no converter for office files.")
        TIMEOUT = "timeout", _("Converting the file took too long.")
        UNREADABLE = (
            "unreadable",
            _("The file could not be opened: it may be damaged or protected by a password."),
        )
        TOO_LONG = "too_long", _("The converted file has too many pages.")

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="papers"
    )
    file = models.FileField(_("file"), upload_to=paper_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    sha256 = models.CharField(_("checksum"), max_length=64)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # An office paper's PDF copy, which the pack appends (`pages` then counts its pages).
    pdf = models.FileField(
        _("PDF copy"), upload_to=converted_path, storage=private_storage, blank=True
    )
    conversion = models.CharField(
        _("conversion to PDF"), max_length=10, choices=Conversion, blank=True
    )
    conversion_error = models.CharField(
        _("why it could not be converted"), max_length=20, choices=ConversionError, blank=True
    )

    class Meta:
        ordering = ["item_id", "order", "pk"]
        verbose_name = _("agenda paper")
        verbose_name_plural = _("agenda papers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conversion__in=["", "pending", "done", "failed"]),
                name="committee_agendapaper_conversion_valid",
            ),
            # A reason only for a failed conversion, and a failed one always has its reason.
            models.CheckConstraint(
                condition=models.Q(
                    conversion="failed",
                    conversion_error__in=["no_converter", "timeout", "unreadable", "too_long"],
                )
                | (~models.Q(conversion="failed") & models.Q(conversion_error="")),
                name="committee_agendapaper_conversion_error",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("committee:paper-download", args=[self.pk])

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def needs_conversion(self) -> bool:
        """An office paper not converted yet, or whose conversion failed only because the
        server had no converter then (tried again once it may have one)."""
        return self.conversion == self.Conversion.PENDING or (
            self.conversion == self.Conversion.FAILED
            and self.conversion_error == self.ConversionError.NO_CONVERTER
        )

    @property
    def pack_file(self) -> FieldFile | None:
        """The PDF the meeting pack appends: the paper itself or its converted copy (None
        while an office paper has no copy)."""
        source: FieldFile | None = None
        if self.is_pdf:
            source = self.file
        elif self.conversion == self.Conversion.DONE and self.pdf:
            source = self.pdf
        return source


@audit.track
class Minutes(LockVersionMixin, models.Model):
    """The minutes of one meeting (รายงานการประชุม, แบบที่ 11 of the regulation on official
    correspondence): drafted from the agenda and the resolutions, edited by the secretariat,
    approved at the next meeting. Each item's discussion is its `minutes_text`."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    started_at = models.TimeField(_("meeting started at"), null=True, blank=True)
    ended_at = models.TimeField(_("meeting ended at"), null=True, blank=True)
    opening = models.TextField(_("the chair's opening"), blank=True)
    other_attendees = models.TextField(
        _("others attending (not members)"),
        blank=True,
        help_text=_("One per line: name and position."),
    )
    recorder_name = models.CharField(_("minutes taken by"), max_length=200, blank=True)
    recorder_position = models.CharField(
        _("position of the minute-taker"), max_length=300, blank=True
    )
    checker_name = models.CharField(_("minutes checked by"), max_length=200, blank=True)
    checker_position = models.CharField(_("position of the checker"), max_length=300, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("approved at the meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting_id}"

    def get_absolute_url(self) -> str:
        return reverse("committee:minutes", args=[self.meeting_id])

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None


class Attendance(models.Model):
    """Who came: members present (or represented by a substitute, "มาประชุมแทน") and absent
    (with the reason), written into the minutes."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        SUBSTITUTE = "substitute", _("Represented by a substitute")
        ABSENT = "absent", _("Absent")

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "committee.Member",
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    position_title = models.CharField(_("position"), max_length=300, blank=True)
    status = models.CharField(
        _("attendance"), max_length=12, choices=Status, default=Status.PRESENT
    )
    substitute = models.CharField(_("substitute (name and position)"), max_length=300, blank=True)
    note = models.CharField(_("note or reason"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["minutes_id", "order", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return self.name
