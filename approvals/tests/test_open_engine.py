"""The engine, open to new chapters: registered relations (role holders, a named
section's head), meeting steps, the end of a chain, tiers by amount, rounds and step
hooks — exercised on a toy subject (a Section row), as a new chapter would."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals.chains import resolve_chain, validate_chain
from approvals.hooks import register_step_hook, unregister_step_hook
from approvals.models import ApprovalRequest, ApprovalStep, Notification
from approvals.selectors import (
    approval_requests_visible_to,
    current_approval_of,
    waiting_for,
    waiting_for_meeting,
)
from approvals.services import (
    ApprovalError,
    approval_decide,
    approval_record_meeting,
    approval_submit,
    approval_withdraw,
)
from approvals.tiers import choose_chain, tier_chain, validate_tier_table
from bureau.models import ActingAssignment, Position, Role
from bureau.resolver import (
    escalation_of,
    head_of_section,
    holder_of_role,
    register_relation,
    resolve,
    unregister_relation,
)
from bureau.testing import make_person

pytestmark = pytest.mark.django_db

TOY = "bureau.section"  # the toy subject: a Section row stands in for a trip


@pytest.fixture
def dispatch(org):
    """A toy chapter registers "the dispatcher" (a duty) and "the comprehensive
    section's head"; the dispatcher's post escalates to the director."""
    org.dispatcher = make_person(
        "dispatcher",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=["dispatcher"],
    )
    register_relation(
        "dispatcher", "调度员", holder_of_role("dispatcher"), escalates_to="director"
    )
    register_relation(
        "comprehensive_head", "综合股股长", head_of_section(comprehensive=True)
    )
    register_relation("section_b_head", "法规股股长", head_of_section("t-b"))
    yield org
    for key in ("dispatcher", "comprehensive_head", "section_b_head"):
        unregister_relation(key)


def _submit(org, chain, requester, subject=None, **kwargs):
    return approval_submit(
        subject=subject or org.section_b,
        requester=requester,
        chain=chain,
        by=requester.user,
        kind="trip",
        summary="用车：下乡检查",
        **kwargs,
    )


# --- 1. Registered relations -------------------------------------------------------


def test_org1_a_registered_relation_is_a_valid_chain_step(dispatch):
    """A chain may name a relation only once it is registered (the validator asks
    the registry, not a closed list)."""
    chain = [{"action": "approve", "who": "dispatcher"}]
    validate_chain(chain)
    unregister_relation("dispatcher")
    with pytest.raises(ValueError):
        validate_chain(chain)


def test_org2_role_holder_step_resolves_to_the_stand_in(dispatch):
    """ORG-1/ORG-2: "the holder of role X" is the person with the duty; while they
    are away their stand-in decides, named with them, and may decide the step."""
    org, today = dispatch, timezone.localdate()
    steps = resolve_chain(org.b1, [{"action": "approve", "who": "dispatcher"}], today)
    assert (steps[0].approver, steps[0].acting_for) == (org.dispatcher, None)
    ActingAssignment.objects.create(
        principal=org.dispatcher, stand_in=org.a1, starts_on=today, ends_on=today
    )
    approval = _submit(org, [{"action": "approve", "who": "dispatcher"}], org.b1)
    step = approval.steps.get()
    assert (step.approver, step.acting_for, step.relation) == (
        org.a1,
        org.dispatcher,
        "dispatcher",
    )
    approval = approval_decide(request=approval, by=org.a1.user, decision="approve")
    assert approval.status == ApprovalRequest.Status.APPROVED


def test_org3_role_holder_is_never_the_requester(dispatch):
    """ORG-3: the dispatcher's own trip goes to another holder of the duty if there
    is one, else up the registered escalation (to the director)."""
    org, today = dispatch, timezone.localdate()
    assert escalation_of("dispatcher") == "director"
    assert resolve(org.dispatcher, "dispatcher", today).person == org.director
    second = make_person(
        "dispatcher2",
        unit=org.organ,
        section=org.section_b,
        position=Position.SECTION_STAFF,
        duties=["dispatcher"],
    )
    assert resolve(org.dispatcher, "dispatcher", today).person == second
    assert resolve(org.b1, "dispatcher", today).person == org.dispatcher


def test_org1_head_of_a_named_section(dispatch):
    """The head of section X: by the section's code, or the comprehensive one;
    the head's stand-in in their place (ORG-2); their own request escalates (ORG-3,
    no escalation registered: nobody in the bureau)."""
    org, today = dispatch, timezone.localdate()
    assert resolve(org.u1, "comprehensive_head", today).person == org.head_a
    assert resolve(org.a1, "section_b_head", today).person == org.head_b
    ActingAssignment.objects.create(
        principal=org.head_a, stand_in=org.a2, starts_on=today, ends_on=today
    )
    approver = resolve(org.u1, "comprehensive_head", today)
    assert (approver.person, approver.acting_for) == (org.a2, org.head_a)
    assert resolve(org.head_a, "comprehensive_head", today) is None


def test_relation_registered_twice_differently_is_an_error(dispatch):
    """Two chapters cannot claim the same relation key with different meanings."""
    with pytest.raises(ValueError):
        register_relation("dispatcher", "调度员", holder_of_role("driver"))


def test_org1_builtin_escalation_comes_from_the_registry():
    """Section/unit head → deputy in charge → director → nobody (the county)."""
    assert escalation_of("section_head") == "deputy_in_charge"
    assert escalation_of("unit_head") == "deputy_in_charge"
    assert escalation_of("deputy_in_charge") == "director"
    assert escalation_of("director") is None


# --- 2. Meeting steps --------------------------------------------------------------


def test_meeting_step_is_recorded_by_the_clerk_citing_the_decision(org):
    """A meeting step waits for the bureau affairs meeting: no approver decides it;
    the document clerk (who holds the permission) records the decision with its
    citation, and the chain goes on."""
    clerk = make_person(
        "clerk",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.DOCUMENT_CLERK],
    )
    chain = [
        {"action": "agree", "who": "section_head"},
        {"action": "meeting", "who": "bureau_affairs_meeting"},
    ]
    validate_chain(chain)
    approval = _submit(org, chain, org.b1)
    approval = approval_decide(request=approval, by=org.head_b.user, decision="agree")
    assert approval.current_order == 2
    assert waiting_for_meeting().filter(pk=approval.pk).exists()
    assert Notification.objects.filter(
        recipient=clerk, title__contains="用车：下乡检查"
    ).exists()
    assert approval_requests_visible_to(clerk.user).filter(pk=approval.pk).exists()
    with pytest.raises(ApprovalError):
        approval_decide(request=approval, by=org.director.user, decision="approve")
    with pytest.raises(ApprovalError):
        approval_record_meeting(
            request=approval,
            by=org.a1.user,
            decision="approve",
            meeting_decision="局务会议纪要〔2026〕3号 第2项",
        )
    with pytest.raises(ApprovalError):
        approval_record_meeting(
            request=approval, by=clerk.user, decision="approve", meeting_decision=" "
        )
    approval = approval_record_meeting(
        request=approval,
        by=clerk.user,
        decision="approve",
        meeting_decision="局务会议纪要〔2026〕3号 第2项",
        held_on=datetime.date(2026, 3, 5),
    )
    assert approval.status == ApprovalRequest.Status.APPROVED
    step = approval.steps.get(order=2)
    assert (step.decision, step.decided_by, step.meeting_held_on) == (
        ApprovalStep.Decision.APPROVED,
        clerk,
        datetime.date(2026, 3, 5),
    )
    assert step.meeting_decision == "局务会议纪要〔2026〕3号 第2项"
    assert step.who == "局务会议"


# --- 3. End of chain: the director's own request ----------------------------------

DIRECTOR_STEP = [{"action": "approve", "who": "director"}]


def test_org3_directors_own_request_top_county_is_a_county_decision(org):
    """End of chain "county" (the default, and the list form): a county decision is recorded."""
    for chain in (DIRECTOR_STEP, {"steps": DIRECTOR_STEP, "top": "county"}):
        approval = _submit(org, chain, org.director, subject=org.organ)
        step = approval.steps.get()
        assert (step.action, step.external_role, step.merged) == (
            "external",
            "county_leader_in_charge",
            "director",
        )
        approval_withdraw(request=approval, by=org.director.user)


def test_org3_directors_own_request_top_director_goes_to_the_office_deputy(org):
    """End of chain "director" (the top of the bureau decides): the director's
    own request goes to the deputy in charge of the comprehensive section (ORG-3:
    never himself), or that deputy's stand-in (ORG-2); anyone else's still goes to
    the director."""
    chain = {
        "steps": [
            {"action": "agree", "who": "deputy_in_charge"},
            {"action": "approve", "who": "director"},
        ],
        "top": "director",
    }
    validate_chain(chain)
    approval = _submit(org, chain, org.director, subject=org.organ)
    step = approval.steps.get()  # both steps landed on dep_a: merged into one
    assert (step.action, step.approver, step.relation) == (
        "approve",
        org.dep_a,
        "bureau_top",
    )
    assert "director" in step.merged
    approval = approval_decide(request=approval, by=org.dep_a.user, decision="approve")
    assert approval.status == ApprovalRequest.Status.APPROVED

    today = timezone.localdate()
    ActingAssignment.objects.create(
        principal=org.dep_a, stand_in=org.dep_b, starts_on=today, ends_on=today
    )
    steps = resolve_chain(org.director, chain, today)
    assert (steps[0].approver, steps[0].acting_for) == (org.dep_b, org.dep_a)
    steps = resolve_chain(org.b1, chain, today)
    assert [s.approver for s in steps] == [org.dep_b, org.director]


def test_org3_directors_own_request_top_acknowledged_needs_no_decision(org):
    """End of chain "acknowledged": the step is recorded as acknowledged only; with nothing else
    to decide the request is approved at submission and the subject hears it."""
    chain = {"steps": DIRECTOR_STEP, "top": "acknowledged"}
    approval = _submit(org, chain, org.director, subject=org.organ)
    step = approval.steps.get()
    assert (step.action, step.status, step.decision, step.approver) == (
        "acknowledge",
        ApprovalStep.Status.DONE,
        ApprovalStep.Decision.ACKNOWLEDGED,
        None,
    )
    assert approval.status == ApprovalRequest.Status.APPROVED
    # Someone below the director is unaffected: the director decides.
    other = _submit(org, chain, org.b1)
    assert other.steps.get().approver == org.director
    assert other.status == ApprovalRequest.Status.PENDING


def test_chain_forms_validate(org):
    """Both forms load; an unknown end of chain or key is refused; "acknowledge" is
    only made by resolution, never written in a chain."""
    validate_chain(DIRECTOR_STEP)
    validate_chain({"steps": DIRECTOR_STEP})
    for bad in (
        {"steps": DIRECTOR_STEP, "top": "mayor"},
        {"steps": DIRECTOR_STEP, "end": "county"},
        {"top": "county"},
        [{"action": "acknowledge", "who": "director"}],
        [{"action": "meeting", "who": "director"}],
        [{"action": "approve", "who": "director", "hook": 3}],
    ):
        with pytest.raises(ValueError):
            validate_chain(bad)


# --- 4. Tiers by amount, through the engine ---------------------------------------


def _table(first_boundary, second_boundary):
    return {
        "section_staff": {
            "rule": "TOY-1",
            "tiers": [
                {
                    "up_to": 300,
                    "boundary": first_boundary,
                    "steps": [{"action": "approve", "who": "section_head"}],
                },
                {
                    "up_to": 5000,
                    "boundary": second_boundary,
                    "steps": [{"action": "approve", "who": "deputy_in_charge"}],
                },
                {"up_to": None, "steps": [{"action": "approve", "who": "director"}]},
            ],
        }
    }


@pytest.mark.parametrize(
    "boundaries, yuan, decider",
    [
        # "300元以上" / "5000元以上": the boundary itself goes to the next tier.
        (("at_least", "at_least"), "299.99", "head_b"),
        (("at_least", "at_least"), "300", "dep_b"),
        (("at_least", "at_least"), "300.01", "dep_b"),
        (("at_least", "at_least"), "4999.99", "dep_b"),
        (("at_least", "at_least"), "5000", "director"),
        (("at_least", "at_least"), "5000.01", "director"),
        # "超過300元" / "超過5000元": the boundary stays in its tier.
        (("over", "over"), "300", "head_b"),
        (("over", "over"), "300.01", "dep_b"),
        (("over", "over"), "5000", "dep_b"),
        (("over", "over"), "5000.01", "director"),
        # Mixed wording: 300元以上 …, 超過5000元 ….
        (("at_least", "over"), "300", "dep_b"),
        (("at_least", "over"), "5000", "dep_b"),
        (("at_least", "over"), "5000.01", "director"),
    ],
)
def test_amount_tiers_at_their_boundaries(org, boundaries, yuan, decider):
    """A toy chain keyed on yuan: the chooser reads 以上 and 超過 from the data and
    the engine routes the purchase to the tier's decider."""
    table = _table(*boundaries)
    validate_tier_table(table)
    entry, tier = choose_chain(table, org.b1.position, Decimal(yuan))
    approval = _submit(org, tier_chain(tier), org.b1)
    assert entry["rule"] == "TOY-1"
    assert approval.steps.get().approver == getattr(org, decider)


def test_tiers_stricter_reading_and_validation():
    """A value between two tiers as worded falls in the stricter one; the table is
    refused when tiers do not grow, a boundary is unknown or a chain is bad."""
    from approvals.tiers import choose_tier

    tiers = [
        {"up_to": 1, "steps": [{"action": "approve", "who": "section_head"}]},
        {"up_to": None, "steps": [{"action": "approve", "who": "director"}]},
    ]
    assert choose_tier(tiers, Decimal("1.5")) is tiers[1]
    assert choose_tier(tiers, 1) is tiers[0]
    for bad in (
        {"x": {"tiers": [{**tiers[0], "boundary": "above"}, tiers[1]]}},
        {"x": {"tiers": [tiers[1], tiers[0]]}},
        {"x": {"tiers": [{"up_to": 2, "steps": tiers[0]["steps"]}, *tiers]}},
        {"x": {"tiers": [{**tiers[1], "top": "nobody"}]}},
        {"x": {"tiers": []}},
    ):
        with pytest.raises(ValueError):
            validate_tier_table(bad)
    validate_tier_table({"x": {"tiers": [{**tiers[1], "top": "acknowledged"}]}})


# --- 5. Rounds ---------------------------------------------------------------------


def test_second_approval_round_on_one_record(org):
    """A record refused (a returned draft) goes round again: round 2 is the current
    approval; while it is pending a third is refused, and the database holds at
    most one open approval per record."""
    chain = [{"action": "approve", "who": "section_head"}]
    first = _submit(org, chain, org.b1)
    approval_decide(
        request=first, by=org.head_b.user, decision="refuse", comment="重新修改"
    )
    second = _submit(org, chain, org.b1)
    assert (first.round, second.round) == (1, 2)
    assert current_approval_of(org.section_b) == second
    with pytest.raises(ApprovalError):
        _submit(org, chain, org.b1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.objects.create(
            content_type=second.content_type,
            object_id=second.object_id,
            round=3,
            kind="trip",
            summary="x",
            requester=org.b1,
            submitted_at=timezone.now(),
        )
    second = approval_decide(request=second, by=org.head_b.user, decision="approve")
    assert second.status == ApprovalRequest.Status.APPROVED
    assert ApprovalRequest.objects.get(pk=first.pk).status == "refused"


# --- 6. Step hooks -----------------------------------------------------------------


@pytest.fixture
def assign_car(dispatch):
    """The toy chapter's hook: the dispatcher must name a car when approving."""
    calls = []

    def hook(*, approval, step, decision, data, by):
        if decision == ApprovalStep.Decision.APPROVED and not data.get("car"):
            raise ApprovalError("请指派车辆。")
        calls.append((approval.pk, step.relation, decision, dict(data)))

    register_step_hook(TOY, "assign_car", hook)
    yield calls
    unregister_step_hook(TOY, "assign_car")


CAR_CHAIN = [
    {"action": "agree", "who": "section_head"},
    {"action": "approve", "who": "dispatcher", "hook": "assign_car"},
]


def test_step_hook_runs_inside_the_decision_and_may_refuse(dispatch, assign_car):
    """The dispatcher's step carries a hook: without a car the decision is refused
    and nothing is saved; with one, the hook sees the step and the extra data."""
    org = dispatch
    approval = _submit(org, CAR_CHAIN, org.b1)
    approval = approval_decide(request=approval, by=org.head_b.user, decision="agree")
    assert assign_car == []  # the first step has no hook
    history = approval.history.count()
    with pytest.raises(ApprovalError, match="请指派车辆"):
        approval_decide(request=approval, by=org.dispatcher.user, decision="approve")
    step = ApprovalStep.objects.get(request=approval, order=2)
    assert (step.status, step.decision) == (ApprovalStep.Status.PENDING, "")
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "pending"
    assert approval.history.count() == history
    approval = approval_decide(
        request=approval, by=org.dispatcher.user, decision="approve", data={"car": 7}
    )
    assert approval.status == ApprovalRequest.Status.APPROVED
    assert assign_car == [(approval.pk, "dispatcher", "approved", {"car": 7})]


def test_step_hook_not_registered_refuses_the_decision(dispatch):
    """A step naming a hook its chapter did not register cannot be decided."""
    org = dispatch
    approval = _submit(
        org, [{"action": "approve", "who": "dispatcher", "hook": "nope"}], org.b1
    )
    with pytest.raises(ApprovalError):
        approval_decide(request=approval, by=org.dispatcher.user, decision="approve")
    assert (
        waiting_for(org.dispatcher, timezone.localdate())
        .filter(pk=approval.pk)
        .exists()
    )


def test_meeting_decision_recorded_in_the_admin(org, client_for):
    """The clerk's "meeting decisions to record" list and the recording action
    (declared by permission: a section head has neither)."""
    from django.urls import reverse

    changelist = reverse("admin:approvals_approvalrequest_changelist")
    clerk = make_person(
        "clerk",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.DOCUMENT_CLERK],
    )
    approval = _submit(
        org, [{"action": "meeting", "who": "bureau_affairs_meeting"}], org.b1
    )
    head = client_for(org.head_b).get(changelist)
    assert "record_meeting_decision" not in dict(
        head.context["action_form"].fields["action"].choices
    )
    client = client_for(clerk)
    listed = client.get(changelist + "?waiting=meeting").content.decode()
    assert approval.summary in listed
    client.post(
        changelist + "?waiting=meeting",
        {
            "action": "record_meeting_decision",
            "_selected_action": [approval.pk],
            "apply": "1",
            "decision": "approve",
            "meeting_decision": "局务会议纪要〔2026〕3号 第2项",
            "held_on": "2026-03-05",
        },
    )
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.APPROVED
    assert approval.steps.get().meeting_decision == "局务会议纪要〔2026〕3号 第2项"
