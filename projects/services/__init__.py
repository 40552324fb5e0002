"""Writes of the projects app, by aggregate: projects, the annual action plan, money
(disbursement plans, government targets, warning thresholds, milestones) and progress
reports. Every service checks its rules and raises ``ValidationError``s people can read."""

from __future__ import annotations
