"""Agenda items pulled in from the data: open action items under matters arising
(section 3), and the off-track indicators and the projects behind plan as matters for
information (section 4). Each pull is idempotent: one item per source and meeting, brought
up to date when pulled again. The texts are written in Thai, the language of the meeting's
documents, whatever the language of the person who pulls."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committee.models import ActionItem, AgendaItem, Meeting, Resolution
from osm.lib import dates

Section = AgendaItem.Section


@dataclass(frozen=True)
class Pulled:
    matters_arising: int = 0
    off_track: int = 0
    behind_plan: int = 0

    @property
    def total(self) -> int:
        return self.matters_arising + self.off_track + self.behind_plan


def _upsert(
    meeting: Meeting, *, source: str, section: int, **fields: object
) -> tuple[AgendaItem, bool]:
    found = AgendaItem.objects.filter(meeting=meeting, source=source).first()
    if found is not None:
        changed = [k for k, v in fields.items() if getattr(found, k) != v]
        for name in changed:
            setattr(found, name, fields[name])
        if changed:
            found.save(update_fields=[*changed, "updated_at"])
        return found, False
    order = (
        AgendaItem.objects.filter(meeting=meeting, section=section).aggregate(n=Max("order"))["n"]
        or 0
    ) + 1
    item = AgendaItem.objects.create(
        meeting=meeting, source=source, section=section, order=order, **fields
    )
    return item, True


def _check_planned(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Items are pulled in only while the meeting is planned."))


@transaction.atomic
def matters_arising_pull(*, meeting: Meeting) -> int:
    """One item under matters arising for each earlier resolution with open action items
    (the items are listed live under it, with their follow-up notes). Returns how many
    items were added."""
    _check_planned(meeting)
    resolutions = (
        Resolution.objects.filter(
            item__meeting__committee_id=meeting.committee_id,
            item__meeting__date__lt=meeting.date,
            action_items__status__in=ActionItem.OPEN_STATUSES,
        )
        .exclude(item__meeting=meeting)
        .select_related("item__meeting")
        .distinct()
        .order_by("item__meeting__date", "item__section", "item__order", "pk")
    )
    added = 0
    with translation.override("th"):
        for resolution in resolutions:
            source = f"actions:{resolution.pk}"
            title = _("Follow-up of %(meeting)s: %(title)s") % {
                "meeting": resolution.item.meeting.label,
                "title": resolution.item.title,
            }
            _item, created = _upsert(
                meeting,
                source=source,
                section=Section.MATTERS_ARISING,
                title=title[:400],
                topic=AgendaItem.Topic.FOLLOW_UP,
                follows=resolution,
                proposal=_("For the meeting to note the progress."),
            )
            added += created
    return added


def follow_up_in_next_meeting(resolution: Resolution) -> None:
    """An action item was added or reopened: it appears under matters arising of the
    committee's next planned meeting, if one is scheduled."""
    from committee.services.meetings import next_planned_meeting

    meeting = resolution.item.meeting
    upcoming = next_planned_meeting(meeting.committee_id, meeting.date)
    if upcoming is not None:
        matters_arising_pull(meeting=upcoming)


def reporting_period(meeting: Meeting) -> tuple[int, int]:
    """The indicators' period the committee reads (the latest whose deadline has passed)."""
    from scorecard.periods import default_period

    return default_period(meeting.committee.cluster)


def projects_period(meeting: Meeting) -> tuple[int, int]:
    """The projects' quarter the committee reads, as the disbursement page shows it: the
    quarter of the meeting (of today, for a meeting ahead), its plan to date against the
    money disbursed to date."""
    period = dates.fiscal_quarter_of(min(meeting.date, timezone.localdate()))
    return period.year, period.quarter


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


@transaction.atomic
def off_track_pull(*, meeting: Meeting) -> int:
    """Section 4: the indicators off track in the period the committee reads, in one item
    that links each of them. 0 when none is off track."""
    from scorecard.models import Status
    from scorecard.selectors import cluster_scorecard

    _check_planned(meeting)
    year, quarter = reporting_period(meeting)
    groups, _totals = cluster_scorecard(
        meeting.committee.cluster, fiscal_year=year, quarter=quarter
    )
    found = [
        indicator
        for group in groups
        for issue in group.issues
        for row in issue.objectives
        for indicator in row.indicators
        if indicator.rollup.status == Status.OFF_TRACK  # type: ignore[attr-defined]
    ]
    if not found:
        return 0
    with translation.override("th"):
        period = dates.FiscalQuarter(year, quarter).label()
        lines = [
            _("%(code)s %(name)s: %(value)s against a target of %(target)s %(unit)s (%(pct)s%%)")
            % {
                "code": ind.code,
                "name": ind.name_th,
                "value": _pct(ind.rollup.value),  # type: ignore[attr-defined]
                "target": _pct(ind.rollup.expected or ind.rollup.target),  # type: ignore[attr-defined]
                "unit": ind.unit,
                "pct": _pct(ind.rollup.achievement),  # type: ignore[attr-defined]
            }
            for ind in found
        ]
        item, created = _upsert(
            meeting,
            source=f"offtrack:{year}-{quarter}",
            section=Section.FOR_INFORMATION,
            title=(
                _("Indicators off track in %(period)s (%(n)s indicators)")
                % {"period": period, "n": len(found)}
            )[:400],
            topic=AgendaItem.Topic.PERFORMANCE,
            summary="\n".join(lines),
            proposal=_("For the meeting to note, and to direct the agencies concerned."),
        )
    item.indicators.set(found)
    return int(created)


@transaction.atomic
def behind_plan_pull(*, meeting: Meeting) -> int:
    """Section 4: the projects whose disbursement lags their plan by more than the cluster's
    threshold at the end of the last quarter, in one item that links each of them."""
    from projects.figures import projects_against_plan
    from projects.models import Project, ProjectSettings

    _check_planned(meeting)
    cluster = meeting.committee.cluster
    year, quarter = projects_period(meeting)
    settings = ProjectSettings.objects.filter(cluster=cluster).first()
    threshold = settings.disbursement_lag_pct if settings else Decimal(10)
    # `lag` is the selector's annotation (points behind the money plan).
    rows = projects_against_plan(cluster.pk, year, quarter).filter(
        status__in=[Project.Status.APPROVED, Project.Status.IN_PROGRESS]
    )
    found = list(rows.filter(**{"lag__gt": threshold}))
    if not found:
        return 0
    with translation.override("th"):
        lines = [
            _(
                "%(code)s %(name)s: disbursed %(done)s of %(plan)s baht planned (%(lag)s points behind)"
            )
            % {
                "code": p.code,
                "name": p.name_th,
                "done": f"{p.disbursed_to_date:,.2f}",  # type: ignore[attr-defined]
                "plan": f"{p.planned_to_date:,.2f}",  # type: ignore[attr-defined]
                "lag": _pct(p.lag),  # type: ignore[attr-defined]
            }
            for p in found
        ]
        item, created = _upsert(
            meeting,
            source=f"behind:{year}-{quarter}",
            section=Section.FOR_INFORMATION,
            title=(
                _(
                    "Projects behind their disbursement plan at the end of %(period)s (%(n)s projects)"
                )
                % {"period": dates.FiscalQuarter(year, quarter).label(), "n": len(found)}
            )[:400],
            topic=AgendaItem.Topic.PROJECTS,
            summary="\n".join(lines),
            proposal=_("For the meeting to note, and to ask the agencies to speed up."),
        )
    item.projects.set(found)
    return int(created)


def pull_all(
    *, meeting: Meeting, matters_arising: bool = True, off_track: bool = True, behind: bool = True
) -> Pulled:
    """Staff's one action: bring the agenda up to date with the data."""
    with transaction.atomic():
        return Pulled(
            matters_arising=matters_arising_pull(meeting=meeting) if matters_arising else 0,
            off_track=off_track_pull(meeting=meeting) if off_track else 0,
            behind_plan=behind_plan_pull(meeting=meeting) if behind else 0,
        )
