"""The engine on its own: any subject, chains as data, resolution rules (ORG-2, ORG-3)."""

import datetime

import pytest
from django.utils import timezone

from approvals.chains import resolve_chain, validate_chain
from approvals.models import ApprovalRequest, ApprovalStep, Notification
from approvals.services import (
    ApprovalError,
    approval_decide,
    approval_submit,
    approval_withdraw,
)
from bureau.models import ActingAssignment

pytestmark = pytest.mark.django_db


def _submit(org, chain, requester=None, subject=None):
    requester = requester or org.b1
    return approval_submit(
        subject=subject or org.section_b,
        requester=requester,
        chain=chain,
        by=requester.user,
        kind="purchase",
        summary="采购打印纸",
    )


def test_chain_validation_rejects_bad_shapes():
    """A chain is a non-empty list of known actions on known posts or county roles."""
    validate_chain([{"action": "external", "who": "county_magistrate"}])
    for bad in (
        [],
        [{"action": "inform", "who": "director"}],
        [{"action": "approve", "who": "mayor"}],
        [{"action": "external", "who": "director"}],
        [{"action": "sign", "who": "director"}],
    ):
        with pytest.raises(ValueError):
            validate_chain(bad)


def test_org3_director_asking_through_a_director_step_goes_to_the_county(org):
    """ORG-3: the director's own "director" step escalates outside the bureau: it becomes
    a county step recorded by the comprehensive section."""
    steps = resolve_chain(
        org.director, [{"action": "approve", "who": "director"}], timezone.localdate()
    )
    assert [(s.action, s.external_role) for s in steps] == [
        ("external", "county_leader_in_charge")
    ]


def test_org2_acting_assignment_is_resolved_at_submission(org):
    """ORG-2: the stand-in in force on the day of submission is named, with the principal."""
    today = timezone.localdate()
    ActingAssignment.objects.create(
        principal=org.director, stand_in=org.dep_a, starts_on=today, ends_on=today
    )
    steps = resolve_chain(org.b1, [{"action": "approve", "who": "director"}], today)
    assert (steps[0].approver, steps[0].acting_for) == (org.dep_a, org.director)
    later = resolve_chain(
        org.b1,
        [{"action": "approve", "who": "director"}],
        today + datetime.timedelta(days=1),
    )
    assert later[0].approver == org.director and later[0].acting_for is None


def test_inform_first_step_passes_at_submission(org):
    """An "inform" step notifies and passes: the next deciding step is current."""
    approval = _submit(
        org,
        [
            {"action": "inform", "who": "deputy_in_charge"},
            {"action": "approve", "who": "section_head"},
        ],
    )
    steps = list(approval.steps.order_by("order"))
    assert steps[0].decision == ApprovalStep.Decision.INFORMED
    assert approval.current_order == 2
    assert Notification.objects.filter(recipient=org.dep_b).exists()
    assert Notification.objects.filter(recipient=org.head_b).exists()


def test_withdraw_only_while_pending_and_only_by_the_requester(org):
    """The requester withdraws before the final decision; a second withdraw is a no-op."""
    approval = _submit(org, [{"action": "approve", "who": "section_head"}])
    with pytest.raises(ApprovalError):
        approval_withdraw(request=approval, by=org.head_b.user)
    approval = approval_withdraw(request=approval, by=org.b1.user)
    assert approval.status == ApprovalRequest.Status.WITHDRAWN
    assert approval_withdraw(request=approval, by=org.b1.user).status == "withdrawn"
    with pytest.raises(ApprovalError):
        approval_decide(request=approval, by=org.head_b.user, decision="approve")


def test_subject_without_hooks_still_routes(org):
    """A model with no registered hooks is routed all the same (the hook is optional)."""
    approval = _submit(org, [{"action": "approve", "who": "section_head"}])
    approval = approval_decide(request=approval, by=org.head_b.user, decision="approve")
    assert approval.status == ApprovalRequest.Status.APPROVED
    assert approval.history.count() == 2
