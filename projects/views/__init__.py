"""Views of the projects app, by aggregate: projects, the action plan, progress reports and
the integration figures."""

from __future__ import annotations
