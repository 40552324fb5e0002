"""The committee's early warning, run every morning by the core's alert rules (beat).

Overdue action item: an action item not done (nor cancelled) whose due date has passed —
the day after the due date, not on it. It reaches who owns it (the person; the officers of
the owning province, or of the province of the owning agency) and the cluster's OSM staff,
once per item and due date: moving the due date and missing it again warns again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committee.models import ActionItem
from osm.lib.dates import format_date
from osm.models import Notification, RoleAssignment
from osm.notifications import Alert


def overdue_action_items(today: dt.date | None = None) -> list[Alert]:
    """Open action items past their due date: two queries, whatever their number."""
    today = today or timezone.localdate()
    items = list(
        ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES, due_date__lt=today)
        .select_related("resolution__item__meeting")
        .order_by("due_date", "pk")
    )
    if not items:
        return []
    people: dict[tuple[str, int], list[int]] = defaultdict(list)
    rows = RoleAssignment.objects.filter(
        Q(role=RoleAssignment.Role.OSM_STAFF, cluster_id__in={i.cluster_id for i in items})
        | Q(
            role=RoleAssignment.Role.PROVINCE_OFFICER,
            province_id__in={i.province_id for i in items if i.province_id},
        )
    )
    for role, cluster_id, province_id, user_id in rows.values_list(
        "role", "cluster_id", "province_id", "user_id"
    ):
        if role == RoleAssignment.Role.OSM_STAFF:
            people[("staff", cluster_id)].append(user_id)
        else:
            people[("province", province_id)].append(user_id)
    alerts = []
    with translation.override("th"):
        for item in items:
            recipients = set(people[("staff", item.cluster_id)])
            if item.province_id:
                recipients.update(people[("province", item.province_id)])
            if item.owner_user_id:
                recipients.add(item.owner_user_id)
            meeting = item.resolution.item.meeting
            title = _("Action item overdue since %(date)s: %(what)s") % {
                "date": format_date(item.due_date, language="th"),
                "what": item.description[:120],
            }
            body = _("From the resolution of %(meeting)s on “%(item)s”.") % {
                "meeting": meeting.label,
                "item": item.resolution.item.title,
            }
            for user_id in sorted(recipients):
                alerts.append(
                    Alert(
                        user_id=user_id,
                        key=f"committee:action:{item.pk}:overdue:{item.due_date.isoformat()}",
                        title=title,
                        body=body,
                        url=item.get_absolute_url(),
                        level=Notification.Level.WARNING,
                    )
                )
    return alerts


def daily_rules() -> list[Callable[[], list[Alert]]]:
    return [overdue_action_items]
