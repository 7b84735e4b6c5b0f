"""DOC-6: so that a draft does not wait on a drafter who is away, the colleague
of a handover in force proofreads the drafter's signed draft and revises and
sends again their returned draft — recorded as done by the colleague for the
drafter (the approval's requester stays the drafter). Not before the
acknowledgement, after the last day, once cancelled, nor for anyone else; a
secret draft only when the colleague could already see it; two clicks do one
thing."""

import pytest
from django.urls import reverse
from django.utils import translation

from approvals.services import approval_decide
from attachments.testing import upload
from documents import selectors
from documents import services as doc_services
from documents.models import OutgoingDocument
from documents.tests.conftest import after_the_period, draft, hand_over
from handovers.models import Handover
from handovers.services import handover_acknowledge
from leave.tests.conftest import MONDAY, TZ, ask, frozen  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _decide_all(document, decision="approve", comment=""):
    """Whoever the draft waits on decides, until it is signed off (or returned)."""
    while True:
        document = OutgoingDocument.objects.get(pk=document.pk)
        approval = document.current_approval
        if approval is None or not approval.is_open:
            return document
        step = approval.steps.get(order=approval.current_order)
        doc_services.outgoing_decide(
            document=document,
            by=step.approver.user,
            decision=decision,
            comment=comment,
        )


def _signed(person, **extra):
    document = draft(person, title="拟签发的通知", **extra)
    doc_services.outgoing_submit(document=document, by=person.user)
    document = _decide_all(document)
    assert document.status == OutgoingDocument.Status.SIGNED
    return document


def _returned(person, **extra):
    document = draft(person, title="被退回的通知", **extra)
    doc_services.outgoing_submit(document=document, by=person.user)
    document = _decide_all(document, decision="return", comment="请补充数据来源")
    assert document.status == OutgoingDocument.Status.RETURNED
    return document


@pytest.fixture
def drafts(org, frozen):  # noqa: F811
    """head_b's drafts waiting on head_b: one signed (to proofread), one returned."""
    return {"signed": _signed(org.head_b), "returned": _returned(org.head_b)}


def _edit_data(document, title):
    return {
        "level": document.level,
        "doc_type": document.doc_type_id,
        "title": title,
        "main_recipients": document.main_recipients,
        "copy_to": document.copy_to,
        "urgency": document.urgency,
        "secrecy": document.secrecy,
    }


# --- proofreading for the drafter ------------------------------------------------------


def test_doc6_colleague_proofreads_a_signed_draft_for_the_drafter(
    org, drafts, client_for
):
    """DOC-6: a1 proofreads head_b's signed draft: proofread_by a1, proofread_for
    head_b, the history row a1's for head_b; the page says "a1 代 head_b"; a
    second click changes nothing."""
    hand_over(org)
    document = drafts["signed"]
    url = reverse("documents:outgoing", args=[document.pk])
    client = client_for(org.a1)
    page = client.get(url).content.decode()
    assert 'id="proofread"' in page and 'id="drafter-on-behalf"' in page
    assert f"代{org.head_b.name}校对完毕" in page  # the pages are in Chinese
    client.post(reverse("documents:outgoing_proofread", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.PROOFREAD
    assert (document.proofread_by, document.proofread_for) == (org.a1, org.head_b)
    row = document.history.first()
    assert (row.history_user, row.done_by) == (org.a1.user, org.a1)
    first_at, rows = document.proofread_at, document.history.count()
    client.post(reverse("documents:outgoing_proofread", args=[document.pk]))
    document.refresh_from_db()
    assert (document.proofread_at, document.history.count()) == (first_at, rows)
    with translation.override("zh-hans"):
        page = client.get(url).content.decode()
    assert f"{org.a1.name} 代 {org.head_b.name}" in page
    assert 'id="done-for-drafter"' in page


def test_doc6_the_drafters_own_proofreading_is_not_for_anyone(org, drafts):
    """DOC-6: the drafter's own path is unchanged: no proofread_for, no row done
    for them (a handover in force changes nothing for the drafter)."""
    hand_over(org)
    document = doc_services.outgoing_proofread(
        document=drafts["signed"], by=org.head_b.user
    )
    assert (document.proofread_by, document.proofread_for) == (org.head_b, None)
    assert not selectors.done_for_drafter(document)


# --- revising and sending again for the drafter ----------------------------------------


def test_doc6_colleague_revises_a_returned_draft_and_sends_it_again(
    org, drafts, client_for
):
    """DOC-6: a1 revises head_b's returned draft with a new file (both versions
    kept, the new one uploaded by a1) and sends it again: round 2 asks for
    head_b (the requester), round 1's comment stays, the history rows are a1's
    for head_b and the page shows "代"; a second click opens no third round."""
    hand_over(org)
    document = drafts["returned"]
    client = client_for(org.a1)
    edit = reverse("documents:outgoing_edit", args=[document.pk])
    page = client.get(edit)
    assert page.status_code == 200 and 'id="drafter-on-behalf"' in page.content.decode()
    data = _edit_data(document, "被退回的通知（修改稿）")
    data["upload"] = upload("修改稿.pdf")
    response = client.post(edit, data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "被退回的通知（修改稿）"
    versions = list(selectors.draft_versions(document).order_by("pk"))
    assert [v.uploaded_by for v in versions] == [org.head_b.user, org.a1.user]
    submit = reverse("documents:outgoing_submit", args=[document.pk])
    client.post(submit)
    client.post(submit)
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.CHECKING
    approvals = list(document.approvals.order_by("round"))
    assert [a.round for a in approvals] == [1, 2]
    assert approvals[1].requester == org.head_b
    assert approvals[1].history.first().history_user == org.a1.user
    assert approvals[0].steps.filter(comment="请补充数据来源").exists()
    done = selectors.done_for_drafter(document)
    assert [(r.status, r.done_by) for r in done] == [
        ("returned", org.a1),
        ("checking", org.a1),
    ]
    assert all(r.history_user == org.a1.user for r in done)
    with translation.override("zh-hans"):
        page = client.get(reverse("documents:outgoing", args=[document.pk]))
    body = page.content.decode()
    assert f"{org.a1.name} 代 {org.head_b.name}" in body
    assert f"(代{org.head_b.name})" in body  # the version a1 uploaded


def test_doc6_colleague_signs_nothing_the_chain_stays_the_drafters(org, drafts):
    """DOC-6: sent by a1, the chain is resolved for head_b (a1's own chain would
    go to a1's deputy in charge): the same deciders as head_b's first round."""
    hand_over(org)
    document = drafts["returned"]
    first = [s.approver_id for s in document.approvals.get(round=1).steps.all()]
    doc_services.outgoing_submit(document=document, by=org.a1.user)
    second = [s.approver_id for s in document.approvals.get(round=2).steps.all()]
    assert second == first


# --- refused ---------------------------------------------------------------------------


def _action_urls(drafts):
    return {
        "edit": reverse("documents:outgoing_edit", args=[drafts["returned"].pk]),
        "submit": reverse("documents:outgoing_submit", args=[drafts["returned"].pk]),
        "proofread": reverse(
            "documents:outgoing_proofread", args=[drafts["signed"].pk]
        ),
    }


def _unchanged(drafts):
    returned = OutgoingDocument.objects.get(pk=drafts["returned"].pk)
    signed = OutgoingDocument.objects.get(pk=drafts["signed"].pk)
    return (
        returned.status == OutgoingDocument.Status.RETURNED
        and returned.approvals.count() == 1
        and signed.status == OutgoingDocument.Status.SIGNED
        and signed.proofread_by_id is None
    )


def test_doc6_someone_else_gets_403_or_the_message(org, drafts, client_for):
    """DOC-6: b1 (head_b's section, who reads the draft) is not the colleague:
    the edit page 403, sending and proofreading refused with the message; a2
    (another section) gets 404 on each."""
    hand_over(org)
    urls = _action_urls(drafts)
    client = client_for(org.b1)
    assert client.get(urls["edit"]).status_code == 403
    for name in ("submit", "proofread"):
        response = client.post(urls[name], follow=True)
        assert "只有拟稿人，或在交接期间接手" in response.content.decode()
    page = client.get(reverse("documents:outgoing", args=[drafts["signed"].pk]))
    assert 'id="proofread"' not in page.content.decode()
    client = client_for(org.a2)
    assert client.get(urls["edit"]).status_code == 404
    assert client.post(urls["submit"]).status_code == 404
    assert client.post(urls["proofread"]).status_code == 404
    assert _unchanged(drafts)


def test_doc6_not_before_the_acknowledgement_nor_after_the_last_day(
    org, drafts, client_for
):
    handover = hand_over(org, acknowledge=False)
    urls = _action_urls(drafts)
    client = client_for(org.a1)
    assert client.get(urls["edit"]).status_code == 404
    assert client.post(urls["submit"]).status_code == 404
    assert client.post(urls["proofread"]).status_code == 404
    with pytest.raises(doc_services.DocumentError):
        doc_services.outgoing_proofread(document=drafts["signed"], by=org.a1.user)
    handover_acknowledge(handover=handover, by=org.a1.user)
    with after_the_period():
        assert client.get(urls["edit"]).status_code == 404
        assert client.post(urls["submit"]).status_code == 404
        assert client.post(urls["proofread"]).status_code == 404
        with pytest.raises(doc_services.DocumentError):
            doc_services.outgoing_submit(document=drafts["returned"], by=org.a1.user)
    assert _unchanged(drafts)


def test_doc6_not_once_the_handover_is_cancelled(org, drafts, ask, client_for):  # noqa: F811
    """DOC-6: head_b's leave handed to a1, acknowledged, then refused: the
    handover is cancelled and a1 no longer acts on the drafts."""
    leave = ask(org.head_b, 2, handover_to=org.a1)
    handover = Handover.objects.get(subject_id=leave.pk)
    handover_acknowledge(handover=handover, by=org.a1.user)
    assert selectors.acts_for_drafter(org.a1.user, drafts["signed"]) == org.head_b
    approval_decide(
        request=leave.approval, by=org.dep_b.user, decision="refuse", comment="不批"
    )
    urls = _action_urls(drafts)
    client = client_for(org.a1)
    assert client.get(urls["edit"]).status_code == 404
    assert client.post(urls["submit"]).status_code == 404
    assert client.post(urls["proofread"]).status_code == 404
    with pytest.raises(doc_services.DocumentError):
        doc_services.outgoing_proofread(document=drafts["signed"], by=org.a1.user)
    assert _unchanged(drafts)


def test_doc6_taking_back_stays_the_drafters(org, drafts):
    """DOC-6: taking back a draft being checked is not done for the drafter."""
    hand_over(org)
    doc_services.outgoing_submit(document=drafts["returned"], by=org.a1.user)
    with pytest.raises(doc_services.DocumentError):
        doc_services.outgoing_withdraw(document=drafts["returned"], by=org.a1.user)


def test_doc6_secret_draft_only_for_a_colleague_who_could_see_it(org, docs, frozen):  # noqa: F811
    """DOC-6 with DOC-2: a1 does not act on head_b's secret draft; the document
    clerk, who sees every register, does when head_b hands over to them."""
    secret = _signed(org.head_b, secrecy=1)
    hand_over(org)
    assert selectors.acts_for_drafter(org.a1.user, secret) is None
    with pytest.raises(doc_services.DocumentError):
        doc_services.outgoing_proofread(document=secret, by=org.a1.user)
    Handover.objects.update(status=Handover.Status.CANCELLED)
    hand_over(org, colleague=docs)
    assert selectors.acts_for_drafter(docs.user, secret) == org.head_b
    document = doc_services.outgoing_proofread(document=secret, by=docs.user)
    assert (document.proofread_by, document.proofread_for) == (docs, org.head_b)


def test_doc6_the_handover_page_says_what_the_colleague_does_with_drafts(
    org, drafts, client_for
):
    handover = hand_over(org)
    with translation.override("zh-hans"):
        page = client_for(org.a1).get(handover.get_absolute_url()).content.decode()
    assert 'id="handover-drafts"' in page
    assert "重新送核稿签发" in page and "发起签发的仍是交接人" in page
