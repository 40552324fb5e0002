"""The committee's models: the committee and its members, meetings and their agenda, papers
and minutes, resolutions and the action items that follow them up."""

from __future__ import annotations

from committee.models.committees import Committee, Member
from committee.models.decisions import ActionItem, FollowUpNote, Resolution
from committee.models.meetings import AgendaItem, AgendaPaper, Attendance, Meeting, Minutes

__all__ = [
    "ActionItem",
    "AgendaItem",
    "AgendaPaper",
    "Attendance",
    "Committee",
    "FollowUpNote",
    "Meeting",
    "Member",
    "Minutes",
    "Resolution",
]
