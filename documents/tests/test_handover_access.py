"""DOC-6: while an acknowledged handover is in force, the colleague opens and acts
on the matters it lists — the person's open drafts, the incoming documents
waiting on them, the supervised tasks they answer for — and what they do is
recorded as done by them for the person. Before the acknowledgement, before the
first day, after the last and once cancelled: nothing. A secret document stays
with those who could see it."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from approvals.services import approval_decide
from documents import services as doc_services
from documents.models import Hop, TaskNote
from documents.tests.conftest import (
    FRIDAY,
    after_the_period,
    draft,
    hand_over,
    register,
)
from handovers.models import Handover
from handovers.selectors import covers, handed_over_to
from handovers.services import handover_acknowledge
from leave.tests.conftest import MONDAY, TZ, ask, frozen  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def matters(org, docs, frozen):  # noqa: F811
    """head_b's matters in progress: a draft, a secret draft, a document to read,
    one to handle, a secret one to read, and the section's supervised task."""
    found = {
        "draft": draft(org.head_b, title="法规股在办草稿"),
        "secret_draft": draft(org.head_b, title="涉密草稿标题", secrecy=1),
        "to_read": register(docs, title="待阅来文"),
        "to_handle": register(docs, title="待办来文"),
        "secret_in": register(docs, title="涉密来文标题", secrecy=1),
    }
    (found["read_hop"],) = doc_services.incoming_send(
        incoming=found["to_read"], by=docs.user, people=[org.head_b], purpose="read"
    )
    (ask_director,) = doc_services.incoming_send(
        incoming=found["to_handle"],
        by=docs.user,
        people=[org.director],
        purpose="instruct",
    )
    doc_services.incoming_instruct(
        hop=ask_director,
        by=org.director.user,
        text="请法规股办理",
        handlers=[org.head_b],
    )
    found["handle_hop"] = Hop.objects.get(person=org.head_b, purpose="handle")
    doc_services.incoming_send(
        incoming=found["secret_in"], by=docs.user, people=[org.head_b], purpose="read"
    )
    found["task"] = doc_services.task_register(
        by=docs.user,
        source="higher",
        title="督办法规清理",
        section=org.section_b,
        supervisor=org.dep_b,
        assigned_on=MONDAY,
        due_on=MONDAY + datetime.timedelta(days=20),
    )
    return found


def _urls(m):
    return {
        "draft": reverse("documents:outgoing", args=[m["draft"].pk]),
        "to_read": reverse("documents:incoming", args=[m["to_read"].pk]),
        "to_handle": reverse("documents:incoming", args=[m["to_handle"].pk]),
        "task": reverse("documents:task", args=[m["task"].pk]),
    }


def _codes(client, urls):
    return {name: client.get(url).status_code for name, url in urls.items()}


def test_doc6_colleague_opens_each_matter_while_the_handover_is_in_force(
    org, matters, client_for
):
    """DOC-6: before the acknowledgement a1 gets 404 on each of head_b's matters;
    once acknowledged, within the period, 200 on each; a2 (not named) still 404."""
    urls = _urls(matters)
    handover = hand_over(org, acknowledge=False)
    assert set(_codes(client_for(org.a1), urls).values()) == {404}
    handover_acknowledge(handover=handover, by=org.a1.user)
    assert set(_codes(client_for(org.a1), urls).values()) == {200}
    assert set(_codes(client_for(org.a2), urls).values()) == {404}


def test_doc6_access_ends_after_the_last_day(org, matters, client_for):
    urls = _urls(matters)
    hand_over(org)
    with time_machine.travel(
        datetime.datetime.combine(
            FRIDAY + datetime.timedelta(days=1), datetime.time(9), tzinfo=TZ
        ),
        tick=False,
    ):
        assert set(_codes(client_for(org.a1), urls).values()) == {404}


def test_doc6_access_starts_on_the_first_day(org, matters, client_for):
    """DOC-6: acknowledged now for next week: nothing yet."""
    urls = _urls(matters)
    hand_over(
        org,
        start=MONDAY + datetime.timedelta(days=7),
        end=FRIDAY + datetime.timedelta(days=7),
    )
    assert set(_codes(client_for(org.a1), urls).values()) == {404}


def test_doc6_acknowledged_after_the_start_counts_from_the_acknowledgement(
    org, matters, client_for
):
    """DOC-6: a handover from last week, acknowledged today, gives access today
    until its last day (not for the days already past)."""
    urls = _urls(matters)
    handover = hand_over(
        org, start=MONDAY - datetime.timedelta(days=7), end=FRIDAY, acknowledge=False
    )
    assert not covers(org.a1, org.head_b.pk, MONDAY)
    handover_acknowledge(handover=handover, by=org.a1.user)
    assert covers(org.a1, org.head_b.pk, MONDAY)
    assert set(_codes(client_for(org.a1), urls).values()) == {200}


def test_doc6_cancelled_handover_gives_nothing(org, matters, ask, client_for):  # noqa: F811
    """DOC-6: head_b's leave handed over to a1 and acknowledged; the leave is
    refused: the handover is cancelled and a1 loses the matters."""
    leave = ask(org.head_b, 2, handover_to=org.a1)
    handover = Handover.objects.get(subject_id=leave.pk)
    handover_acknowledge(handover=handover, by=org.a1.user)
    urls = _urls(matters)
    assert _codes(client_for(org.a1), urls)["draft"] == 200
    approval_decide(
        request=leave.approval, by=org.dep_b.user, decision="refuse", comment="不批"
    )
    handover.refresh_from_db()
    assert handover.status == Handover.Status.CANCELLED
    assert set(_codes(client_for(org.a1), urls).values()) == {404}


def test_doc6_secret_documents_stay_with_who_could_see_them(
    org, docs, matters, client_for
):
    """DOC-6 with DOC-2: the colleague does not get head_b's secret draft or
    secret incoming document; the handover lists them by number only, and says
    so. A secret document also sent to the colleague opens as before."""
    handover = hand_over(org)
    client = client_for(org.a1)
    secret_draft = reverse("documents:outgoing", args=[matters["secret_draft"].pk])
    secret_in = reverse("documents:incoming", args=[matters["secret_in"].pk])
    assert client.get(secret_draft).status_code == 404
    assert client.get(secret_in).status_code == 404
    page = client.get(handover.get_absolute_url()).content.decode()
    assert "涉密草稿标题" not in page and "涉密来文标题" not in page
    assert matters["secret_in"].reg_number in page
    assert 'id="handover-access"' in page
    with translation.override("zh-hans"):
        chinese = client.get(handover.get_absolute_url()).content.decode()
    assert "涉密文件只显示文号" in chinese
    doc_services.incoming_send(
        incoming=matters["secret_in"], by=docs.user, people=[org.a1], purpose="read"
    )
    assert client.get(secret_in).status_code == 200


def test_doc6_reading_for_the_person_is_recorded_with_both_names(
    org, matters, client_for
):
    """DOC-6: a1 marks head_b's circulation hop read and reports head_b's
    handling hop: each hop is head_b's, done by a1 (history user a1); the
    board shows "a1 代 head_b"."""
    hand_over(org)
    client = client_for(org.a1)
    page = client.get(_urls(matters)["to_read"]).content.decode()
    assert f'id="read-for-{org.head_b.pk}"' in page
    client.post(reverse("documents:hop_read", args=[matters["read_hop"].pk]))
    client.post(
        reverse("documents:hop_handle", args=[matters["handle_hop"].pk]),
        {"result": "已按要求报送"},
    )
    for key in ("read_hop", "handle_hop"):
        hop = Hop.objects.get(pk=matters[key].pk)
        assert hop.done_at is not None
        assert (hop.person, hop.done_by) == (org.head_b, org.a1)
        assert hop.history.first().history_user == org.a1.user
    board = client.get(_urls(matters)["to_read"]).content.decode()
    assert f"{org.a1.name} 代 {org.head_b.name}" in board  # the page is in Chinese


def test_doc6_someone_else_cannot_act_for_the_person(org, matters):
    hand_over(org)
    with pytest.raises(doc_services.DocumentError):
        doc_services.incoming_read(hop=matters["read_hop"], by=org.a2.user)
    with pytest.raises(doc_services.DocumentError):
        doc_services.task_follow_up(task=matters["task"], by=org.a2.user, text="x")


def test_doc6_no_acting_for_after_the_period(org, matters):
    hand_over(org)
    with after_the_period(), pytest.raises(doc_services.DocumentError):
        doc_services.incoming_read(hop=matters["read_hop"], by=org.a1.user)
    assert Hop.objects.get(pk=matters["read_hop"].pk).done_at is None


def test_doc6_task_progress_and_report_for_the_section_head(org, matters, client_for):
    """DOC-6: a1, covering head_b, follows up head_b's task and reports it back:
    the notes are a1's for head_b; closing stays with the supervisors."""
    hand_over(org)
    client = client_for(org.a1)
    task = matters["task"]
    page = client.get(_urls(matters)["task"]).content.decode()
    assert 'id="task-on-behalf"' in page and 'id="report-submit"' in page
    assert 'id="check-submit"' not in page
    client.post(reverse("documents:task_note", args=[task.pk]), {"text": "已联系"})
    client.post(reverse("documents:task_report", args=[task.pk]), {"text": "已完成"})
    notes = list(TaskNote.objects.filter(task=task).order_by("pk"))
    assert [(n.kind, n.by, n.acting_for) for n in notes] == [
        ("progress", org.a1, org.head_b),
        ("report", org.a1, org.head_b),
    ]
    task.refresh_from_db()
    assert task.status == "reported"
    page = client.get(_urls(matters)["task"]).content.decode()
    assert f'{org.a1.name} <span class="muted note-for">(代{org.head_b.name})' in page


def test_doc6_home_panel_links_the_matters_while_in_force(org, matters, client_for):
    """DOC-6: after acknowledging, 交接给我的事项 keeps the handover and links each
    matter until the last day; afterwards it is gone."""
    handover = hand_over(org)
    home = reverse("home")
    body = client_for(org.a1).get(home).content.decode()
    assert handover.get_absolute_url() in body
    assert _urls(matters)["draft"] in body
    with after_the_period():
        body = client_for(org.a1).get(home).content.decode()
    assert handover.get_absolute_url() not in body


def test_doc6_handed_over_to_is_one_subquery(org, frozen):  # noqa: F811
    handover = hand_over(org)
    assert set(handed_over_to(org.a1, MONDAY)) == {org.head_b.pk}
    assert set(handed_over_to(org.a2, MONDAY)) == set()
    assert set(handed_over_to(org.a1, FRIDAY + datetime.timedelta(days=1))) == set()
    assert handover.status == Handover.Status.ACKNOWLEDGED


@pytest.mark.parametrize("name", ["documents:outgoing_list", "documents:incoming_list"])
def test_doc6_registers_cost_the_same_with_a_handover(
    org, docs, matters, client_for, django_assert_max_num_queries, name
):
    """DOC-6: the widened scope is one subquery inside the register's query: the
    colleague's register costs what it cost before the handover."""
    # a1 has rows of their own already (an empty page skips fetching its rows).
    draft(org.a1, title="a1的草稿")
    doc_services.incoming_send(
        incoming=register(docs, title="给a1的来文"),
        by=docs.user,
        people=[org.a1],
        purpose="read",
    )
    client = client_for(org.a1)
    url = reverse(name)
    client.get(url)
    with django_assert_max_num_queries(12) as before:
        client.get(url)
    hand_over(org)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url)
    assert len(page.context["page"]) >= 2
