"""Reads of the committee app: the agenda as the page and the pack show it, the meetings
of a committee, the register of resolutions and the action items a person follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from committee.models import (
    ActionItem,
    AgendaItem,
    AgendaPaper,
    Committee,
    FollowUpNote,
    Meeting,
    Member,
    Resolution,
)

Section = AgendaItem.Section


@dataclass
class AgendaSection:
    number: int
    label: str
    items: list[AgendaItem] = field(default_factory=list)


def action_items_with_owner() -> QuerySet[ActionItem]:
    return ActionItem.objects.select_related(
        "owner_agency", "owner_province", "owner_user"
    ).order_by("due_date", "pk")


def agenda_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The meeting's items with everything the agenda shows: six queries whatever their
    number (items with resolution and sources; papers; plans; indicators; projects; the
    action items that matters arising follow up, with their notes)."""
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("resolution", "follows__item__meeting", "minutes_of")
        .prefetch_related(
            Prefetch("papers", queryset=AgendaPaper.objects.order_by("order", "pk")),
            "plans",
            "indicators",
            "projects",
            Prefetch(
                "follows__action_items",
                queryset=action_items_with_owner().prefetch_related(
                    Prefetch("notes", queryset=FollowUpNote.objects.order_by("-noted_on", "-pk"))
                ),
            ),
            Prefetch("resolution__action_items", queryset=action_items_with_owner()),
        )
        .order_by("section", "order", "pk")
    )


def agenda(meeting: Meeting) -> list[AgendaSection]:
    """The six sections in order, each with its items numbered "5.1", "5.2", …"""
    sections = {s.value: AgendaSection(s.value, str(s.label)) for s in Section}
    for item in agenda_items(meeting):
        section = sections[item.section]
        section.items.append(item)
        item.number = f"{item.section}.{len(section.items)}"  # type: ignore[attr-defined]
        # The reverse one-to-one raises when absent: give templates a plain None.
        item.decided = getattr(item, "resolution", None)  # type: ignore[attr-defined]
    return list(sections.values())


def item_number(item: AgendaItem) -> str:
    """One item's number, "5.2" (one query)."""
    before = AgendaItem.objects.filter(meeting_id=item.meeting_id, section=item.section).filter(
        Q(order__lt=item.order) | Q(order=item.order, pk__lt=item.pk)
    )
    return f"{item.section}.{before.count() + 1}"


def committee_overview() -> list[Any]:
    """Every cluster, those with meetings first, each with its committee's latest meeting
    (the next one when one is planned) and its open action items: three queries."""
    from osm.models import Cluster

    today = timezone.localdate()
    clusters = list(
        Cluster.objects.order_by("number").annotate(
            n_open=Count(
                "committee__meetings__items__resolution__action_items",
                filter=Q(
                    committee__meetings__items__resolution__action_items__status__in=(
                        ActionItem.OPEN_STATUSES
                    )
                ),
            )
        )
    )
    latest: dict[int, Meeting] = {}
    for meeting in Meeting.objects.select_related("committee").order_by("date", "number"):
        cluster_id = meeting.committee.cluster_id
        current = latest.get(cluster_id)
        # The next planned meeting wins over past ones; otherwise the most recent.
        if current is None or current.date < today or meeting.date <= today:
            latest[cluster_id] = meeting
    for cluster in clusters:
        cluster.latest_meeting = latest.get(cluster.pk)  # type: ignore[attr-defined]
    return sorted(clusters, key=lambda c: (latest.get(c.pk) is None, c.number))


def meetings_of(committee: Committee) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(committee=committee)
        .annotate(n_items=Count("items"))
        .order_by("-date", "-number")
    )


def members_of(committee: Committee) -> QuerySet[Member]:
    return Member.objects.filter(committee=committee).select_related("user").in_list_order()


def upcoming_meetings(cluster_ids: Any, *, limit: int = 5) -> list[Meeting]:
    today = timezone.localdate()
    return list(
        Meeting.objects.filter(
            committee__cluster_id__in=cluster_ids,
            status=Meeting.Status.PLANNED,
            date__gte=today,
        )
        .select_related("committee__cluster")
        .order_by("date", "number")[:limit]
    )


# --- The register of resolutions ---------------------------------------------------------------


class FollowUp:
    NONE = "none"
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"


def register(
    committee: Committee,
    *,
    query: str = "",
    year: int | None = None,
    topic: str = "",
    follow_up: str = "",
) -> QuerySet[Resolution]:
    """The committee's resolutions, newest first, with the counts of their action items
    (open, overdue, all): one query for a page of them."""
    today = timezone.localdate()
    rows = (
        Resolution.objects.filter(item__meeting__committee=committee)
        .select_related("item__meeting")
        .annotate(
            n_actions=Count("action_items"),
            n_open=Count(
                "action_items", filter=Q(action_items__status__in=ActionItem.OPEN_STATUSES)
            ),
            n_overdue=Count(
                "action_items",
                filter=Q(
                    action_items__status__in=ActionItem.OPEN_STATUSES,
                    action_items__due_date__lt=today,
                ),
            ),
        )
        .order_by("-item__meeting__date", "-item__meeting__number", "item__section", "item__order")
    )
    if query:
        rows = rows.filter(
            Q(text__icontains=query)
            | Q(item__title__icontains=query)
            | Q(item__summary__icontains=query)
        )
    if year:
        rows = rows.filter(item__meeting__year=year)
    if topic:
        rows = rows.filter(item__topic=topic)
    open_items = ActionItem.objects.filter(
        resolution=OuterRef("pk"), status__in=ActionItem.OPEN_STATUSES
    )
    if follow_up == FollowUp.NONE:
        rows = rows.filter(n_actions=0)
    elif follow_up == FollowUp.OPEN:
        rows = rows.filter(Exists(open_items))
    elif follow_up == FollowUp.OVERDUE:
        rows = rows.filter(Exists(open_items.filter(due_date__lt=today)))
    elif follow_up == FollowUp.DONE:
        rows = rows.filter(n_actions__gt=0).exclude(Exists(open_items))
    return rows


def register_years(committee: Committee) -> list[int]:
    return list(
        Meeting.objects.filter(committee=committee)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


# --- Action items ------------------------------------------------------------------------------


def action_item_list(
    visible: QuerySet[ActionItem], *, status: str = "", cluster_id: int | None = None
) -> QuerySet[ActionItem]:
    """Action items the person may see, soonest due first, with what the list shows."""
    rows = visible.select_related(
        "owner_agency", "owner_province", "owner_user", "cluster", "resolution__item__meeting"
    ).order_by("due_date", "pk")
    if cluster_id:
        rows = rows.filter(cluster_id=cluster_id)
    if status == "open":
        rows = rows.filter(status__in=ActionItem.OPEN_STATUSES)
    elif status == "overdue":
        rows = rows.filter(status__in=ActionItem.OPEN_STATUSES, due_date__lt=timezone.localdate())
    elif status in ActionItem.Status.values:
        rows = rows.filter(status=status)
    return rows


def open_action_items_for(scope: Any, *, limit: int = 10) -> list[ActionItem]:
    """The open action items a person follows up: owned by them or by their province (for
    the home page)."""
    q = Q(owner_user_id=scope.user_id)
    if scope.officer_provinces:
        q |= Q(province_id__in=scope.officer_provinces)
    return list(
        ActionItem.objects.filter(q, status__in=ActionItem.OPEN_STATUSES)
        .select_related("resolution__item__meeting")
        .order_by("due_date", "pk")[:limit]
    )


def overdue_count(cluster_ids: Any, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return ActionItem.objects.filter(
        cluster_id__in=cluster_ids, status__in=ActionItem.OPEN_STATUSES, due_date__lt=today
    ).count()
