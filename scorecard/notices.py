"""Who hears what in the reporting cycle (osm.notifications): province officers when a
round opens, the cluster's OSM staff when values are submitted for review."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from osm.lib import dates
from osm.models import Notification, RoleAssignment
from osm.notifications import Alert, notify_many


def _quarter(reporting_round: Any) -> str:
    return _("Q%(quarter)s/%(year)s") % {
        "quarter": reporting_round.quarter,
        "year": reporting_round.fiscal_year,
    }


def round_opened_notify(reporting_round: Any) -> int:
    """Tell each active officer of the cluster's provinces that the round is open."""
    officers = (
        RoleAssignment.objects.filter(
            role=RoleAssignment.Role.PROVINCE_OFFICER,
            province__cluster_id=reporting_round.cluster_id,
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )

    def title() -> str:  # in each officer's language (osm.notifications)
        return _("Reporting round %(quarter)s is open: report by %(deadline)s") % {
            "quarter": _quarter(reporting_round),
            "deadline": dates.format_date(reporting_round.deadline, style="long"),
        }

    url = reporting_round.get_absolute_url()
    key = f"scorecard:round:{reporting_round.pk}:opened"
    return len(
        notify_many(
            Alert(user_id, key, title, "", url, Notification.Level.REMINDER) for user_id in officers
        )
    )


def result_submitted_notify(result: Any) -> int:
    """Tell the cluster's OSM staff that values wait for review: one notice per province,
    round and day, however many values the province submits that day."""
    cluster_id = result.indicator.cluster_id
    staff = (
        RoleAssignment.objects.filter(
            role=RoleAssignment.Role.OSM_STAFF, cluster_id=cluster_id, user__is_active=True
        )
        .exclude(user_id=result.submitted_by_id)
        .values_list("user_id", flat=True)
        .distinct()
    )
    reporting_round = result.round

    def title() -> str:  # in each staff member's language (osm.notifications)
        return _("Values from %(where)s wait for your review (round %(quarter)s)") % {
            "where": result.province.name if result.province_id else _("the cluster"),
            "quarter": _quarter(reporting_round) if reporting_round else "",
        }

    url = reverse("scorecard:review", args=[cluster_id])
    if result.province_id:
        url += f"?province={result.province_id}"
    key = (
        f"scorecard:round:{result.round_id}:submitted:{result.province_id or 0}:"
        f"{timezone.localdate().isoformat()}"
    )
    return len(
        notify_many(
            Alert(user_id, key, title, "", url, Notification.Level.INFO) for user_id in staff
        )
    )
