"""DOC-6: before leave or a trip the matters in progress are handed over to a named
colleague, who acknowledges them. The handover is a record of the `handovers`
engine; documents and petitions list the matters through its registry."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from approvals.models import Notification
from approvals.services import approval_decide
from documents import services as doc_services
from documents.tests.conftest import draft, register
from handovers import rules
from handovers.models import Handover
from handovers.registry import open_matters, open_matters_of, provider_names
from handovers.services import HandoverError, handover_acknowledge, handover_open
from leave.models import LeaveRequest
from leave.services import LeaveError
from leave.tests.conftest import MONDAY, ask, frozen  # noqa: F401  (fixtures)
from petitions.tests.conftest import pet, route  # noqa: F401  (fixture)
from petitions.tests.conftest import register as petition_register

pytestmark = pytest.mark.django_db

FRIDAY = MONDAY + datetime.timedelta(days=4)


@pytest.fixture(autouse=True)
def english():
    """Messages read in English here (the interface's Chinese is the catalogue's)."""
    with translation.override("en"):
        yield


@pytest.fixture
def leave_with_handover(org, ask):  # noqa: F811
    """a1 asks two days of leave and hands over to a2."""
    return ask(org.a1, 2, handover_to=org.a2, handover_note="统计报表交 a2")


def _handover(leave):
    return Handover.objects.get(subject_id=leave.pk)


# --- the rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "colleague, active, start, end, refused",
    [
        (None, False, MONDAY, MONDAY, "Name the colleague"),
        (1, True, MONDAY, MONDAY, "to oneself"),
        (2, False, MONDAY, MONDAY, "no longer works"),
        (2, True, FRIDAY, MONDAY, "ends before it starts"),
        (2, True, MONDAY, MONDAY, None),  # one day is enough
        (2, True, MONDAY, FRIDAY, None),
    ],
)
def test_doc6_handover_problem_at_its_boundaries(
    colleague, active, start, end, refused
):
    """DOC-6: a colleague is named, not oneself, still at the bureau, over a period
    that does not end before it starts."""
    problem = rules.handover_problem(
        person_id=1,
        colleague_id=colleague,
        colleague_active=active,
        start_date=start,
        end_date=end,
    )
    if refused is None:
        assert problem is None
    else:
        assert refused in problem


def test_doc6_acknowledge_problem():
    assert rules.acknowledge_problem(status="waiting", is_colleague=True) is None
    assert "Only the colleague" in rules.acknowledge_problem(
        status="waiting", is_colleague=False
    )
    assert "not waiting" in rules.acknowledge_problem(
        status="acknowledged", is_colleague=True
    )


# --- leave ---------------------------------------------------------------------------


def test_doc6_leave_naming_a_colleague_opens_a_handover(org, leave_with_handover):
    """DOC-6: the leave request keeps its note and opens a handover to a2, waiting
    for a2's acknowledgement; a2 is told."""
    handover = _handover(leave_with_handover)
    assert handover.person == org.a1
    assert handover.colleague == org.a2
    assert handover.kind == Handover.Kind.LEAVE
    assert handover.status == Handover.Status.WAITING
    assert (handover.start_date, handover.end_date) == (
        leave_with_handover.start_date,
        leave_with_handover.end_date,
    )
    assert handover.note == leave_with_handover.handover_note == "统计报表交 a2"
    assert Notification.objects.filter(
        recipient=org.a2, url=handover.get_absolute_url()
    ).exists()


def test_doc6_leave_without_a_colleague_still_works(org, ask):  # noqa: F811
    """DOC-6: naming the colleague is optional; the note alone still goes."""
    leave = ask(org.a1, 1)
    assert leave.status == LeaveRequest.Status.PENDING
    assert leave.handover_note
    assert not Handover.objects.exists()


def test_doc6_leave_handed_over_to_oneself_is_refused_with_nothing_saved(
    org,
    ask,  # noqa: F811
):
    with pytest.raises(LeaveError, match="oneself"):
        ask(org.a1, 1, handover_to=org.a1)
    assert not LeaveRequest.objects.exists()
    assert not Handover.objects.exists()


def test_doc6_refused_leave_cancels_its_handover(org, leave_with_handover):
    approval_decide(
        request=leave_with_handover.approval,
        by=org.head_a.user,
        decision="refuse",
        comment="月底报表期间不宜请假",
    )
    assert _handover(leave_with_handover).status == Handover.Status.CANCELLED


def test_doc6_leave_form_names_the_colleague(org, frozen, client_for):  # noqa: F811
    """DOC-6: the leave form offers the colleagues (not the applicant) and its
    preview keeps the one chosen; confirming opens the handover."""
    client = client_for(org.a1)
    page = client.get(reverse("leave:new"))
    choices = [
        str(pk)
        for pk, _label in page.context["form"].fields["handover_to"].choices
        if pk
    ]
    assert str(org.a2.pk) in choices and str(org.a1.pk) not in choices
    data = {
        "leave_type": "personal",
        "start_date": MONDAY.isoformat(),
        "start_half": "am",
        "end_date": MONDAY.isoformat(),
        "end_half": "pm",
        "reason": "家中有事",
        "handover_note": "文件交 a2",
        "handover_to": org.a2.pk,
    }
    preview = client.post(reverse("leave:new"), data)
    assert f'value="{org.a2.pk}"' in preview.content.decode()
    client.post(reverse("leave:new"), {**data, "confirm": "1"})
    leave = LeaveRequest.objects.get()
    assert _handover(leave).colleague == org.a2


# --- acknowledging -------------------------------------------------------------------


def test_doc6_colleague_acknowledges_after_a_confirmation(
    org, leave_with_handover, client_for
):
    """DOC-6: the colleague's button asks first, naming what will be recorded; the
    confirmed acknowledgement keeps the matters open at that moment and tells the
    person handing over."""
    doc = draft(org.a1, title="关于开展统计检查的通知")
    handover = _handover(leave_with_handover)
    url = reverse("handovers:acknowledge", args=[handover.pk])
    client = client_for(org.a2)
    asked = client.post(url)
    assert asked.status_code == 200
    assert "DOC-6" in asked.content.decode()
    handover.refresh_from_db()
    assert handover.status == Handover.Status.WAITING
    done = client.post(url, {"confirm": "1"})
    assert done.status_code == 302
    handover.refresh_from_db()
    assert handover.status == Handover.Status.ACKNOWLEDGED
    assert handover.acknowledged_at is not None
    assert [m["label"] for m in handover.matters] == [doc.title]
    assert Notification.objects.filter(
        recipient=org.a1, url=handover.get_absolute_url()
    ).exists()
    # The record keeps the list even when the draft moves on.
    doc_services.outgoing_submit(document=doc, by=org.a1.user)
    page = client.get(handover.get_absolute_url())
    assert doc.title in page.content.decode()


def test_doc6_acknowledging_twice_is_refused(org, leave_with_handover):
    handover = _handover(leave_with_handover)
    handover_acknowledge(handover=handover, by=org.a2.user)
    with pytest.raises(HandoverError, match="not waiting"):
        handover_acknowledge(handover=handover, by=org.a2.user)


@pytest.mark.parametrize("who", ["a1", "head_a", "b1", "director"])
def test_doc6_not_the_colleague_gets_404_on_acknowledge(
    org, leave_with_handover, client_for, who
):
    """DOC-6: only the colleague named acknowledges: the person, their section head,
    the director and a stranger all get 404, and nothing changes."""
    handover = _handover(leave_with_handover)
    url = reverse("handovers:acknowledge", args=[handover.pk])
    response = client_for(getattr(org, who)).post(url, {"confirm": "1"})
    assert response.status_code == 404
    handover.refresh_from_db()
    assert handover.status == Handover.Status.WAITING


def test_doc6_service_refuses_another_acknowledging(org, leave_with_handover):
    with pytest.raises(HandoverError, match="Only the colleague"):
        handover_acknowledge(
            handover=_handover(leave_with_handover), by=org.head_a.user
        )


# --- who sees it ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("a1", 200),  # the person
        ("a2", 200),  # the colleague
        ("head_a", 200),  # the section head
        ("dep_a", 200),  # the deputy in charge of section A
        ("director", 200),
        ("b1", 404),
        ("head_b", 404),
        ("u1", 404),
    ],
)
def test_doc6_handover_page_by_url(org, leave_with_handover, client_for, who, status):
    url = reverse("handovers:detail", args=[_handover(leave_with_handover).pk])
    assert client_for(getattr(org, who)).get(url).status_code == status


def test_doc6_list_is_scoped(org, leave_with_handover, client_for):
    own = handover_open(
        by=org.b1.user,
        colleague=org.head_b,
        start_date=MONDAY,
        end_date=FRIDAY,
        kind=Handover.Kind.TRIP,
    )
    url = reverse("handovers:list")
    seen = {
        who: {h.pk for h in client_for(getattr(org, who)).get(url).context["page"]}
        for who in ["a1", "a2", "b1", "head_a", "director", "u1"]
    }
    mine = _handover(leave_with_handover).pk
    assert seen["a1"] == seen["a2"] == seen["head_a"] == {mine}
    assert seen["b1"] == {own.pk}
    assert seen["director"] == {mine, own.pk}
    assert seen["u1"] == set()


def test_doc6_home_page_shows_matters_handed_over_to_me(
    org, leave_with_handover, client_for
):
    """DOC-6: the colleague sees 交接给我的事项 on the home page, and once
    acknowledged still (the period covers today: the matters are theirs to act
    on); the section head sees it only while unacknowledged."""
    handover = _handover(leave_with_handover)
    link = handover.get_absolute_url()
    home = reverse("home")
    colleague = client_for(org.a2).get(home).content.decode()
    assert 'id="handovers-panel"' in colleague and link in colleague
    head = client_for(org.head_a).get(home).content.decode()
    assert link in head
    assert link not in client_for(org.b1).get(home).content.decode()
    handover_acknowledge(handover=handover, by=org.a2.user)
    assert link in client_for(org.a2).get(home).content.decode()
    assert link not in client_for(org.head_a).get(home).content.decode()


def test_doc6_decider_sees_the_handover_on_the_decision_page(
    org, leave_with_handover, client_for
):
    draft(org.a1, title="待交接的草稿")
    page = client_for(org.head_a).get(
        reverse("approvals:detail", args=[leave_with_handover.approval.pk])
    )
    body = page.content.decode()
    handover = _handover(leave_with_handover)
    assert f'id="handover-panel-{handover.pk}"' in body
    assert "待交接的草稿" in body
    assert org.a2.name in body


# --- the providers -------------------------------------------------------------------


def test_doc6_both_providers_are_registered():
    assert {"documents", "petitions"} <= set(provider_names())


def test_doc6_documents_lists_drafts_waiting_documents_and_tasks(org, docs):
    """DOC-6: a1's open draft and the incoming document waiting on a1; the task of
    section A for its head and its supervising leader; a filed document, a read
    hop and a closed task are not listed; a secret draft shows no title."""
    open_draft = draft(org.a1, title="在办草稿")
    draft(org.a1, title="绝密标题", secrecy=1)
    incoming = register(docs, title="待阅来文")
    doc_services.incoming_send(
        incoming=incoming, by=docs.user, people=[org.a1], purpose="read"
    )
    read = register(docs, title="已阅来文")
    (hop,) = doc_services.incoming_send(
        incoming=read, by=docs.user, people=[org.a1], purpose="read"
    )
    doc_services.incoming_read(hop=hop, by=org.a1.user)
    doc_services.task_register(
        by=docs.user,
        source="higher",
        title="督办统计",
        section=org.section_a,
        supervisor=org.dep_a,
        assigned_on=datetime.date.today(),
        due_on=datetime.date.today() + datetime.timedelta(days=10),
    )
    found = open_matters([org.a1.pk, org.head_a.pk, org.dep_a.pk, org.b1.pk])
    labels = {pid: [m.label for m in found.get(pid, [])] for pid in found}
    assert open_draft.title in labels[org.a1.pk]
    assert "绝密标题" not in " ".join(labels[org.a1.pk])
    assert any("待阅来文" in label for label in labels[org.a1.pk])
    assert not any("已阅来文" in label for label in labels[org.a1.pk])
    assert labels[org.head_a.pk] == ["督办统计"]
    assert labels[org.dep_a.pk] == ["督办统计"]
    assert org.b1.pk not in found


def test_doc6_petitions_lists_the_cases_a_person_handles(org, pet):  # noqa: F811
    case = petition_register(pet)
    route(pet, case, handler=org.b1)
    case.refresh_from_db()
    matters = open_matters_of(org.b1.pk)
    assert [m.kind for m in matters] == ["Petition case"]
    assert case.number in matters[0].label
    # The petitioner's name never appears (PET-7).
    assert "张三" not in matters[0].label


def test_doc6_providers_cost_the_same_for_one_or_many_people(
    org, docs, django_assert_max_num_queries
):
    """One query per provider part, whatever the number of people."""
    for person in [org.a1, org.a2, org.b1]:
        draft(person, title=f"{person.name}的草稿")
    with django_assert_max_num_queries(4) as one:
        open_matters([org.a1.pk])
    with django_assert_max_num_queries(len(one.captured_queries)):
        open_matters([org.a1.pk, org.a2.pk, org.b1.pk, org.head_a.pk])


# --- a trip, started by hand ---------------------------------------------------------


def test_doc6_trip_handover_started_by_hand(org, client_for):
    client = client_for(org.b1)
    url = reverse("handovers:new")
    assert client.get(url).status_code == 200
    data = {
        "colleague": org.head_b.pk,
        "kind": "trip",
        "start_date": "2026-12-07",
        "end_date": "2026-12-09",
        "note": "出差市里培训，信访件交股长",
    }
    bad = client.post(url, {**data, "end_date": "2026-12-01"})
    assert bad.status_code == 400
    assert "出差市里培训" in bad.content.decode()  # kept what was typed
    assert not Handover.objects.exists()
    assert client.post(url, {**data, "colleague": org.b1.pk}).status_code == 400
    assert not Handover.objects.exists()
    done = client.post(url, data)
    handover = Handover.objects.get()
    assert done.url == handover.get_absolute_url()
    assert (handover.kind, handover.colleague, handover.subject_id) == (
        "trip",
        org.head_b,
        None,
    )


def test_doc6_trip_handover_cancelled_by_its_person_only(org, client_for):
    handover = handover_open(
        by=org.b1.user,
        colleague=org.head_b,
        start_date=MONDAY,
        end_date=FRIDAY,
    )
    url = reverse("handovers:cancel", args=[handover.pk])
    assert client_for(org.head_b).post(url, {"confirm": "1"}).status_code == 404
    assert client_for(org.b1).post(url).status_code == 200  # the confirmation
    client_for(org.b1).post(url, {"confirm": "1"})
    handover.refresh_from_db()
    assert handover.status == Handover.Status.CANCELLED


def test_doc6_list_costs_the_same_at_2_and_20_handovers(
    org, client_for, django_assert_max_num_queries
):
    client = client_for(org.director)
    url = reverse("handovers:list")
    people = [org.a1, org.a2, org.b1, org.u1, org.u2]

    def make(n):
        for i in range(n):
            person = people[i % len(people)]
            handover_open(
                by=person.user,
                person=person,
                colleague=org.head_b if person != org.head_b else org.a1,
                start_date=MONDAY,
                end_date=FRIDAY,
            )

    make(2)
    client.get(url)
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    make(18)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_doc6_admin_is_scoped_and_read_only(org, leave_with_handover, client_for):
    handover = _handover(leave_with_handover)
    change = reverse("admin:handovers_handover_change", args=[handover.pk])
    assert client_for(org.head_a).get(change).status_code == 200
    assert client_for(org.head_b).get(change).status_code in (302, 403, 404)
    assert (
        client_for(org.head_a).post(change, {"status": "cancelled"}).status_code == 403
    )
    handover.refresh_from_db()
    assert handover.status == Handover.Status.WAITING
