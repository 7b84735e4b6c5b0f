"""DOC-2: incoming documents registered, instructed, circulated, handled, filed or
returned; each hop with a deadline; secret ones seen only by whom they were sent
to and the clerk, every view logged."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from approvals.models import Notification
from bureau.models import OutboxMessage
from bureau.workdays import TZ
from deadlines.models import Deadline
from documents import rules, services
from documents.models import AccessLog, Hop, IncomingDocument
from documents.services import DocumentError
from documents.tests.conftest import register

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 2)
NOW = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    "open_hops, done_hops, status",
    [
        (0, 0, "registered"),
        (1, 0, "in_progress"),
        (1, 3, "in_progress"),
        (0, 1, "handled"),
    ],
)
def test_doc2_incoming_status(open_hops, done_hops, status):
    assert rules.incoming_status(open_hops=open_hops, done_hops=done_hops) == status


@pytest.mark.parametrize(
    "status, return_required, outcome, problem",
    [
        ("handled", False, "filed", None),
        ("handled", True, "returned", None),
        ("handled", True, "filed", "must_return"),
        ("handled", False, "returned", "not_to_return"),
        ("in_progress", False, "filed", "not_handled"),
        ("registered", False, "filed", "not_handled"),
        ("handled", False, "lost", "outcome"),
    ],
)
def test_doc2_closing_problem(status, return_required, outcome, problem):
    assert (
        rules.closing_problem(
            status=status, return_required=return_required, outcome=outcome
        )
        == problem
    )


def test_doc2_registration_takes_the_registration_number(org, docs):
    first = register(docs)
    second = register(docs, title="第二份")
    assert first.reg_number == "测计生收〔2026〕1号"
    assert second.reg_number == "测计生收〔2026〕2号"
    assert first.status == IncomingDocument.Status.REGISTERED


def test_doc2_only_the_clerk_registers_and_bad_input_saves_nothing(org, docs):
    with pytest.raises(DocumentError):
        register(org.a1)
    with pytest.raises(DocumentError):
        register(docs, sender="")
    with pytest.raises(DocumentError):
        register(docs, received_on=datetime.date(1800, 1, 1))
    with pytest.raises(DocumentError):
        register(docs, urgency=9)
    assert not IncomingDocument.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_doc2_instruction_notifies_the_named_handlers_at_once(
    org, docs, django_capture_on_commit_callbacks
):
    """The clerk proposes handling and sends it to the director, who instructs and
    names two handlers: each is notified in the same transaction (the outbox sends
    the mail after commit) and has a hop to handle with its deadline."""
    org.b1.user.email = "b1@example.org"
    org.b1.user.save()
    incoming = register(docs)
    services.incoming_propose(incoming=incoming, by=docs.user, proposal="请局长阅示")
    (hop,) = services.incoming_send(
        incoming=incoming,
        by=docs.user,
        people=[org.director],
        purpose="instruct",
        today=MONDAY,
    )
    deadline = Deadline.objects.get(kind="documents.instruct", object_id=hop.pk)
    assert deadline.responsible == org.director
    assert deadline.due_date == datetime.date(2026, 11, 4)  # 2 working days
    with django_capture_on_commit_callbacks(execute=True):
        services.incoming_instruct(
            hop=hop,
            by=org.director.user,
            text="请法规股牵头办理，按时上报。",
            handlers=[org.head_b, org.b1],
            today=MONDAY,
        )
    deadline.refresh_from_db()
    assert deadline.state == "met"
    handles = Hop.objects.filter(purpose="handle").order_by("person_id")
    assert {h.person for h in handles} == {org.head_b, org.b1}
    notice = Notification.objects.get(recipient=org.b1)
    assert incoming.title in notice.title
    assert Deadline.objects.filter(kind="documents.handle").count() == 2
    assert OutboxMessage.objects.filter(key__startswith="notification:").exists()
    incoming.refresh_from_db()
    assert incoming.status == "in_progress"
    for h in handles:
        services.incoming_handle(hop=h, by=h.person.user, result="已上报")
    incoming.refresh_from_db()
    assert incoming.status == "handled"
    services.incoming_close(incoming=incoming, by=docs.user, outcome="filed")
    incoming.refresh_from_db()
    assert incoming.status == "filed" and incoming.closed_by == docs.user


@time_machine.travel(NOW, tick=False)
def test_doc2_circulation_read_board_urging_and_withdrawing(org, docs, client_for):
    incoming = register(docs)
    hops = services.incoming_send(
        incoming=incoming,
        by=docs.user,
        people=[org.a1, org.b1, org.head_b],
        purpose="read",
        note="请传阅",
        today=MONDAY,
    )
    by_person = {h.person: h for h in hops}
    services.incoming_read(hop=by_person[org.b1], by=org.b1.user)
    services.incoming_urge(hop=by_person[org.a1], by=docs.user)
    services.incoming_withdraw_hop(hop=by_person[org.head_b], by=docs.user)
    board = {
        h.person.name: (h.done_at is not None, h.withdrawn_at is not None, h.urge_count)
        for h in Hop.objects.all()
    }
    assert board == {
        "a1": (False, False, 1),
        "b1": (True, False, 0),
        "head_b": (False, True, 0),
    }
    states = dict(
        Deadline.objects.filter(kind="documents.read").values_list(
            "responsible__user__username", "state"
        )
    )
    assert states == {"a1": "open", "b1": "met", "head_b": "cancelled"}
    page = client_for(docs).get(reverse("documents:incoming", args=[incoming.pk]))
    body = page.content.decode()
    assert 'id="read-board"' in body
    # Not yet: a1 has not read it.
    with pytest.raises(DocumentError):
        services.incoming_close(incoming=incoming, by=docs.user, outcome="filed")
    services.incoming_read(hop=by_person[org.a1], by=org.a1.user)
    with pytest.raises(DocumentError):  # urging a finished hop
        services.incoming_urge(hop=by_person[org.a1], by=docs.user)
    services.incoming_close(incoming=incoming, by=docs.user, outcome="filed")


def test_doc2_only_the_recipient_acts_on_a_hop(org, docs):
    incoming = register(docs)
    (hop,) = services.incoming_send(
        incoming=incoming, by=docs.user, people=[org.b1], purpose="read"
    )
    with pytest.raises(DocumentError):
        services.incoming_read(hop=hop, by=org.a1.user)
    with pytest.raises(DocumentError):
        services.incoming_instruct(hop=hop, by=org.b1.user, text="x")
    with pytest.raises(DocumentError):
        services.incoming_urge(hop=hop, by=org.b1.user)


def test_doc2_returned_when_required_and_nothing_leaves_otherwise(org, docs):
    incoming = register(docs, return_required=True)
    (hop,) = services.incoming_send(
        incoming=incoming, by=docs.user, people=[org.b1], purpose="read"
    )
    services.incoming_read(hop=hop, by=org.b1.user)
    with pytest.raises(DocumentError):
        services.incoming_close(incoming=incoming, by=docs.user, outcome="filed")
    services.incoming_close(incoming=incoming, by=docs.user, outcome="returned")
    incoming.refresh_from_db()
    assert incoming.status == "returned"
    with pytest.raises(DocumentError):
        services.incoming_send(
            incoming=incoming, by=docs.user, people=[org.a1], purpose="read"
        )


def test_doc2_a_secret_document_is_seen_only_by_its_recipients_and_the_clerk(
    org, docs, client_for
):
    """Not the director, not the section head of the recipient: only the people it
    was sent to and the clerk; every view is logged."""
    incoming = register(docs, secrecy=1, title="机密文件")
    services.incoming_send(
        incoming=incoming, by=docs.user, people=[org.b1], purpose="read"
    )
    url = reverse("documents:incoming", args=[incoming.pk])
    for person, status in [
        (org.b1, 200),
        (docs, 200),
        (org.director, 404),
        (org.head_b, 404),
        (org.dep_b, 404),
        (org.a1, 404),
    ]:
        assert client_for(person).get(url).status_code == status, person
    assert sorted(AccessLog.objects.values_list("user__username", flat=True)) == [
        "b1",
        "docs",
    ]
    listing = client_for(org.director).get(reverse("documents:incoming_list"))
    assert "机密文件" not in listing.content.decode()
    # An unclassified one: the director and the recipient's section head see it.
    plain = register(docs, title="普通文件")
    services.incoming_send(
        incoming=plain, by=docs.user, people=[org.b1], purpose="read"
    )
    plain_url = reverse("documents:incoming", args=[plain.pk])
    assert client_for(org.director).get(plain_url).status_code == 200
    assert client_for(org.head_b).get(plain_url).status_code == 200
    assert client_for(org.head_a).get(plain_url).status_code == 404
    assert AccessLog.objects.count() == 2


def test_doc2_urgent_documents_first_in_every_list(org, docs, client_for):
    register(docs, title="平件一")
    register(docs, title="特急件", urgency=2)
    register(docs, title="加急件", urgency=1)
    response = client_for(docs).get(reverse("documents:incoming_list"))
    assert [d.title for d in response.context["page"]] == ["特急件", "加急件", "平件一"]
