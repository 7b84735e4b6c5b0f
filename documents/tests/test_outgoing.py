"""DOC-1: outgoing documents from draft through check and sign-off to a number."""

import datetime

import pytest
from django.db import transaction

from approvals.models import ApprovalRequest
from approvals.services import approval_record_external
from attachments.testing import upload
from bureau.models import Policy
from documents import rules, selectors, services
from documents.models import OutgoingDocument
from documents.policies import DEFAULT_OUTGOING_CHAINS, OUTGOING_CHAINS
from documents.services import DocumentError
from documents.tests.conftest import decide, draft, proofread, signed
from numbering.models import Number

pytestmark = pytest.mark.django_db
Status = OutgoingDocument.Status


# --- rules ---------------------------------------------------------------------------


def test_doc1_default_chains_pass_their_own_validator():
    rules.validate_outgoing_chains(DEFAULT_OUTGOING_CHAINS)


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"bureau": [], "section": [], "county": []},
        {**DEFAULT_OUTGOING_CHAINS, "extra": DEFAULT_OUTGOING_CHAINS["bureau"]},
        {
            **DEFAULT_OUTGOING_CHAINS,
            "section": [{"action": "inform", "who": "director"}],
        },
    ],
)
def test_doc1_a_bad_chain_table_is_refused(value):
    with pytest.raises(ValueError):
        rules.validate_outgoing_chains(value)


@pytest.mark.parametrize(
    "drafter, deciders, refused",
    [
        (1, [1], True),  # the drafter alone
        (1, [], True),  # nobody
        (1, [1, 1], True),
        (1, [2], False),
        (1, [1, 2], False),
        (1, [None], False),  # a county signatory
    ],
)
def test_doc1_only_signer_is_drafter(drafter, deciders, refused):
    assert rules.only_signer_is_drafter(drafter, deciders) is refused


@pytest.mark.parametrize(
    "level, status, has_number, ready",
    [
        ("bureau", "proofread", False, False),  # filing without a number
        ("bureau", "numbered", True, True),
        ("bureau", "signed", False, False),
        ("section", "proofread", False, True),
        ("section", "signed", False, False),
        ("county", "proofread", False, True),
    ],
)
def test_doc1_ready_to_file(level, status, has_number, ready):
    assert rules.ready_to_file(level, status, has_number) is ready


# --- the journey ---------------------------------------------------------------------


def test_doc1_draft_checked_signed_proofread_numbered_filed(org, docs):
    """A section's draft: the deputy in charge checks, the director signs off, the
    drafter proofreads, the clerk numbers (测计生〔2026〕1号) and files."""
    document = draft(org.b1)
    assert document.status == Status.DRAFT and document.doc_number == ""
    services.outgoing_submit(document=document, by=org.b1.user)
    document.refresh_from_db()
    assert document.status == Status.CHECKING
    approval = document.current_approval
    steps = list(approval.steps.order_by("order"))
    assert [(s.action, s.approver) for s in steps] == [
        ("agree", org.dep_b),
        ("approve", org.director),
    ]
    decide(document, org.dep_b, comment="核稿无误")
    document = decide(document, org.director, comment="同意印发")
    assert document.status == Status.SIGNED and document.signed_on is not None
    assert not Number.objects.exists()  # never numbered before it is proofread
    document = services.outgoing_proofread(document=document, by=org.b1.user)
    assert document.status == Status.PROOFREAD
    document = services.outgoing_number(document=document, by=docs.user)
    year = document.numbered_at.year
    assert document.doc_number == f"测计生〔{year}〕1号"
    assert document.status == Status.NUMBERED
    document = services.outgoing_file(document=document, by=docs.user)
    assert document.status == Status.FILED
    assert document.history.count() >= 6


def test_doc1_numbering_twice_is_refused_and_takes_no_second_number(org, docs):
    document = proofread(org)
    services.outgoing_number(document=document, by=docs.user)
    with pytest.raises(DocumentError, match="文号|number"):
        services.outgoing_number(document=document, by=docs.user)
    assert Number.objects.count() == 1


def test_doc1_no_number_at_draft_or_before_proofreading(org, docs):
    document = draft(org.b1)
    with pytest.raises(DocumentError):
        services.outgoing_number(document=document, by=docs.user)
    document = signed(org, title="第二份")
    with pytest.raises(DocumentError):
        services.outgoing_number(document=document, by=docs.user)
    assert not Number.objects.exists()


def test_doc1_only_the_document_clerk_numbers(org, docs):
    document = proofread(org)
    for person in (org.b1, org.head_a, org.director):
        with pytest.raises(DocumentError):
            services.outgoing_number(document=document, by=person.user)
    assert not Number.objects.exists()


def test_doc1_filing_without_a_number_is_refused(org, docs):
    document = proofread(org)
    with pytest.raises(DocumentError):
        services.outgoing_file(document=document, by=docs.user)
    document.refresh_from_db()
    assert document.status == Status.PROOFREAD


def test_doc1_numbers_are_consecutive_and_a_rolled_back_numbering_leaves_no_gap(
    org, docs
):
    """A numbering rolled back (the transaction fails after the number was taken)
    takes none: the next document gets the same n."""
    first, second, third = (proofread(org, title=f"文件{i}") for i in range(3))
    services.outgoing_number(document=first, by=docs.user)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.outgoing_number(document=second, by=docs.user)
        raise RuntimeError("the printer jammed")
    second.refresh_from_db()
    assert second.doc_number == "" and second.status == Status.PROOFREAD
    third = services.outgoing_number(document=third, by=docs.user)
    second = services.outgoing_number(document=second, by=docs.user)
    ns = sorted(Number.objects.values_list("n", flat=True))
    assert ns == [1, 2, 3]
    assert third.doc_number.endswith("〕2号") and second.doc_number.endswith("〕3号")


def test_doc1_returned_draft_keeps_its_history_comment_and_versions(org, docs):
    """Returned with a comment: the drafter revises (a new file version) and sends
    it again as round 2; round 1, its comment and the first file stay."""
    document = draft(org.b1)
    services.outgoing_submit(document=document, by=org.b1.user)
    with pytest.raises(DocumentError):
        decide(document, org.dep_b, decision="return", comment="")
    document = decide(document, org.dep_b, decision="return", comment="数据需核实")
    assert document.status == Status.RETURNED
    services.outgoing_update(
        document=document,
        by=org.b1.user,
        level="bureau",
        doc_type="notice",
        title="关于做好年度统计工作的通知（修改稿）",
        main_recipients="各乡镇计生办",
        upload=upload("修改稿.pdf"),
    )
    services.outgoing_submit(document=document, by=org.b1.user)
    rounds = list(
        ApprovalRequest.objects.filter(object_id=document.pk).order_by("round")
    )
    assert [r.status for r in rounds] == ["refused", "pending"]
    assert rounds[0].steps.get(order=1).comment == "数据需核实"
    assert [a.name for a in selectors.draft_versions(document)] == [
        "草稿.pdf",
        "修改稿.pdf",
    ]
    titles = set(document.history.values_list("title", flat=True))
    assert "关于做好年度统计工作的通知" in titles


def test_doc1_signing_off_ones_own_draft_as_the_only_signer_is_refused(org):
    """A chain that would leave the drafter as the only signer (here a policy where
    the end of the chain is only acknowledged, drafted by the director) is refused
    and nothing is sent."""
    value = {
        **DEFAULT_OUTGOING_CHAINS,
        "bureau": {
            "steps": [{"action": "approve", "who": "director"}],
            "top": "acknowledged",
        },
    }
    Policy.objects.create(
        key=OUTGOING_CHAINS, effective_from=datetime.date(2020, 1, 1), value=value
    )
    document = draft(org.director)
    with pytest.raises(DocumentError, match="DOC-1"):
        services.outgoing_submit(document=document, by=org.director.user)
    document.refresh_from_db()
    assert document.status == Status.DRAFT
    assert not ApprovalRequest.objects.exists()


def test_doc1_the_director_never_decides_his_own_draft(org):
    """The director's own bureau document goes to the deputy of the comprehensive
    section (the chain's top), never to himself."""
    document = draft(org.director)
    services.outgoing_submit(document=document, by=org.director.user)
    approvers = {s.approver for s in document.current_approval.steps.all()}
    assert org.director not in approvers and approvers == {org.dep_a}


def test_doc1_section_level_signed_by_the_deputy_and_filed_by_the_section(org, docs):
    document = draft(org.b1, level="section")
    services.outgoing_submit(document=document, by=org.b1.user)
    steps = list(document.current_approval.steps.all())
    assert [(s.action, s.approver) for s in steps] == [("approve", org.dep_b)]
    decide(document, org.dep_b)
    services.outgoing_proofread(document=document, by=org.b1.user)
    with pytest.raises(DocumentError):
        services.outgoing_number(document=document, by=docs.user)
    with pytest.raises(DocumentError):
        services.outgoing_file(document=document, by=docs.user)
    document = services.outgoing_file(document=document, by=org.head_b.user)
    assert document.status == Status.FILED and document.doc_number == ""


def test_doc1_county_draft_goes_through_the_director_to_the_county(org, docs):
    """For the county: deputy, director, then the county's signatory, whose decision
    the clerk records with the county's reference."""
    document = draft(org.b1, level="county")
    services.outgoing_submit(document=document, by=org.b1.user)
    decide(document, org.dep_b)
    decide(document, org.director)
    approval = document.current_approval
    assert approval.steps.get(order=3).action == "external"
    approval_record_external(
        request=approval,
        by=docs.user,
        decision="approve",
        reference="县政办〔2026〕8号",
    )
    document.refresh_from_db()
    assert document.status == Status.SIGNED
    services.outgoing_proofread(document=document, by=org.b1.user)
    document = services.outgoing_file(document=document, by=docs.user)
    assert document.status == Status.FILED


@pytest.mark.parametrize(
    "change, message",
    [
        ({"doc_type": "memo"}, "Unknown type|未知"),
        ({"title": ""}, "title|标题"),
        ({"main_recipients": ""}, "recipients|主送"),
        ({"urgency": 7}, "urgency|紧急"),
        ({"level": "nation"}, "issued|方式"),
    ],
)
def test_doc1_bad_input_is_refused_and_nothing_is_saved(org, change, message):
    fields = {"level": "bureau", "title": "标题"}
    fields.update(change)
    level = fields.pop("level")
    with pytest.raises(DocumentError, match=message):
        draft(org.b1, level=level, **fields)
    assert not OutgoingDocument.objects.exists()


def test_doc1_sending_without_a_draft_file_is_refused(org):
    document = draft(org.b1, upload=None)
    with pytest.raises(DocumentError):
        services.outgoing_submit(document=document, by=org.b1.user)
    assert not ApprovalRequest.objects.exists()


def test_doc1_only_the_drafter_sends_revises_and_proofreads(org):
    document = draft(org.b1)
    with pytest.raises(DocumentError):
        services.outgoing_submit(document=document, by=org.head_b.user)
    document = signed(org, title="另一份")
    with pytest.raises(DocumentError):
        services.outgoing_proofread(document=document, by=org.head_b.user)
