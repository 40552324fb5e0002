"""Writes of the committee app, by aggregate: committees.py (committee and members),
meetings.py (meetings and their agenda), pulls.py (items pulled in from the data),
papers.py (agenda papers), decisions.py (resolutions, action items, follow-up) and
minutes.py (minutes and attendance)."""
