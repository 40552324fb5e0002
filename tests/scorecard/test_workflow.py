"""The core review workflow (osm/lib/workflow.py), exercised on indicator results."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from osm.lib import workflow
from osm.lib.workflow import ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        ("draft", "submitted", True),
        ("draft", "approved", False),
        ("draft", "returned", False),
        ("submitted", "approved", True),
        ("submitted", "returned", True),
        ("submitted", "draft", False),
        ("returned", "submitted", True),
        ("returned", "approved", False),
        ("approved", "draft", True),
        ("approved", "submitted", False),
    ],
)
def test_allowed_transitions(result, start, to, allowed):
    result.status = start
    if allowed:
        workflow.check_transition(result, to, reason="เหตุผล")
    else:
        with pytest.raises(ValidationError):
            workflow.check_transition(result, to, reason="เหตุผล")


def test_returning_and_reopening_need_a_reason(result):
    result.status = ReviewStatus.SUBMITTED
    with pytest.raises(ValidationError):
        workflow.check_transition(result, ReviewStatus.RETURNED, reason="  ")
    result.status = ReviewStatus.APPROVED
    with pytest.raises(ValidationError):
        workflow.check_transition(result, ReviewStatus.DRAFT)


def test_guarded_save_is_one_conditional_update(result, django_assert_num_queries):
    with django_assert_num_queries(1):
        workflow.save_guarded(result, expected_version=1, fields={"note": "ก"})
    assert result.version == 2
    with pytest.raises(workflow.StaleVersion) as err:
        workflow.save_guarded(result, expected_version=1, fields={"note": "ข"})
    assert err.value.current.note == "ก"


def test_editable_and_locked(result):
    assert result.is_editable
    assert not result.is_locked
    result.status = ReviewStatus.APPROVED
    assert result.is_locked
    assert not result.is_editable
