"""Leave as an ApprovalSubject: the engine's mixin and its scope helper in use."""

import pytest

from approvals.selectors import requests_visible_to, subjects_reached
from leave.models import LeaveRequest
from leave.selectors import with_chain

pytestmark = pytest.mark.django_db


def test_current_approval_from_the_mixin(org, ask, django_assert_num_queries):
    """The leave's current approval is its (only) round, read from the prefetch."""
    leave = ask(org.a1, 1)
    approval = leave.approvals.get()
    assert approval.round == 1
    assert leave.current_approval == approval and leave.approval_is_open
    prefetched = with_chain(LeaveRequest.objects.filter(pk=leave.pk)).get()
    with django_assert_num_queries(0):
        assert prefetched.approval == approval


def test_requests_visible_to_and_subjects_reached(org, ask):
    """The engine's scope per subject type: the section head whose step it is sees
    a1's leave, another section's head does not; `exclude_own` leaves out a1's own."""
    leave = ask(org.a1, 1)
    assert list(subjects_reached(org.head_a.user, LeaveRequest)) == [
        {"object_id": leave.pk}
    ]
    assert not subjects_reached(org.head_b.user, LeaveRequest).exists()
    assert requests_visible_to(org.a1.user, LeaveRequest).count() == 1
    assert not subjects_reached(org.a1.user, LeaveRequest, exclude_own=True).exists()


def test_mirror_approval_outcome(org, ask):
    """The mixin's ready `on_outcome` copies the outcome into the status field once."""
    leave = ask(org.a1, 1)
    approval = leave.current_approval
    subject, changed = LeaveRequest.mirror_approval_outcome(approval, "refused")
    assert changed and subject.status == LeaveRequest.Status.REFUSED
    assert LeaveRequest.mirror_approval_outcome(approval, "refused")[1] is False
