"""Claims through the services (FIN-3, FIN-4, FIN-5)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import Notification
from attachments.services import attachment_add
from bureau.rulebook import RULE_ID
from finance import services
from finance.models import Claim, ClaimLine, InvoiceUse
from finance.services import FinanceError
from finance.tests.conftest import decide_all, line

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def staff(fin, frozen):
    return fin


def test_fin4_lines_are_itemised_and_the_total_stored_once(staff, claim_of):
    claim, findings = claim_of(
        staff.a1,
        [line("12.35", qty="3"), line("0.05", qty="0.5", voucher="receipt")],
        witness=staff.a2,
    )
    amounts = list(claim.lines.values_list("amount", flat=True))
    assert amounts == [Decimal("37.05"), Decimal("0.03")]
    assert claim.total == Decimal("37.08")
    assert claim.status == Claim.Status.DRAFT
    assert findings == []


@pytest.mark.parametrize(
    "bad, message",
    [
        (line(qty="0"), "数量"),
        (line(qty="-1"), "数量"),
        (line("1.005"), "两位小数"),
        (line(number="1234567"), "发票"),
        (line(code="12345678901", number="12345678"), "发票"),
    ],
)
def test_fin4_bad_lines_are_refused_and_nothing_is_saved(staff, claim_of, bad, message):
    with pytest.raises(FinanceError) as error:
        claim_of(staff.a1, [line(), bad], witness=staff.a2)
    assert "第2行" in str(error.value) or "Line 2" in str(error.value)
    assert Claim.objects.count() == 0
    assert ClaimLine.objects.count() == 0


def test_fin4_an_amount_that_is_not_quantity_times_price_is_refused(staff, claim_of):
    bad = line("10.00", qty="2", amount="25.00")
    with pytest.raises(FinanceError):
        claim_of(staff.a1, [bad], witness=staff.a2)
    assert Claim.objects.count() == 0


def test_fin5_witness_is_not_the_claimant(staff, claim_of):
    with pytest.raises(FinanceError):
        claim_of(staff.a1, witness=staff.a1)


def test_fin3_200_on_a_receipt_blocks_submission_199_99_does_not(staff, claim_of):
    """The rule table runs on save (shown) and on submit (blocks)."""
    ok, findings = claim_of(
        staff.a1, [line("199.99", voucher="receipt")], witness=staff.a2, submit=True
    )
    assert ok.status == Claim.Status.PENDING and findings == []
    draft, findings = claim_of(
        staff.a1, [line("200.00", voucher="receipt")], witness=staff.a2
    )
    assert [f.code for f in findings] == ["invoice_required"]
    assert findings[0].rule == "FIN-3" and findings[0].line == 0
    with pytest.raises(FinanceError):
        services.claim_submit(claim=draft, by=staff.a1.user)
    draft.refresh_from_db()
    assert draft.status == Claim.Status.DRAFT
    with pytest.raises(FinanceError):
        claim_of(
            staff.a1, [line("200.00", voucher="receipt")], witness=staff.a2, submit=True
        )
    assert Claim.objects.count() == 2  # the refused submission saved nothing


def test_fin3_999_99_in_cash_passes_1000_in_cash_blocks(staff, claim_of):
    ok, _ = claim_of(
        staff.a1, [line("999.99")], witness=staff.a2, payment_method="cash", submit=True
    )
    assert ok.status == Claim.Status.PENDING
    with pytest.raises(FinanceError) as error:
        claim_of(
            staff.a1,
            [line("1000.00")],
            witness=staff.a2,
            payment_method="cash",
            submit=True,
        )
    assert "转账" in str(error.value) or "transfer" in str(error.value)


def test_fin5_the_same_invoice_is_refused_anywhere(staff, claim_of):
    first, _ = claim_of(
        staff.a1, [line(number="12345678901234567890")], witness=staff.a2
    )
    with pytest.raises(FinanceError):
        claim_of(staff.b1, [line(number="12345678901234567890")], witness=staff.head_b)
    assert Claim.objects.count() == 1
    # Saving its own claim again is not a duplicate.
    again, _ = claim_of(
        staff.a1, [line(number="12345678901234567890")], witness=staff.a2, claim=first
    )
    assert InvoiceUse.objects.get().claim == again
    # Old-style invoices are the code and the number together.
    claim_of(staff.a1, [line(code="1234567890", number="12345678")], witness=staff.a2)
    claim_of(staff.a1, [line(code="1234567899", number="12345678")], witness=staff.a2)
    with pytest.raises(FinanceError):
        claim_of(
            staff.b1, [line(code="1234567890", number="12345678")], witness=staff.head_b
        )


def test_fin5_same_payee_date_amount_warns_the_approver(staff, claim_of):
    claim_of(staff.a1, [line("88.00")], witness=staff.a2, submit=True)
    second, findings = claim_of(
        staff.b1, [line("88.00")], witness=staff.head_b, submit=True
    )
    assert second.status == Claim.Status.PENDING  # a warning does not block
    assert [(f.code, f.severity) for f in findings] == [("same_payment", "warn")]


def test_fin5_the_same_image_elsewhere_warns(staff, claim_of):
    first, _ = claim_of(staff.a1, witness=staff.a2)
    second, _ = claim_of(staff.b1, witness=staff.head_b)
    for claim, who in [(first, staff.a1), (second, staff.b1)]:
        attachment_add(
            by=who.user,
            obj=claim,
            file=SimpleUploadedFile("发票.png", PNG, content_type="image/png"),
            purpose="invoice",
        )
    findings = services.claim_findings(second)
    assert [f.code for f in findings] == ["same_image"]


def test_fin5_claim_names_its_approver_and_unapproved_is_not_paid(staff, claim_of):
    claim, _ = claim_of(staff.a1, witness=staff.a2, submit=True)
    assert claim.handler == staff.a1 and claim.witness == staff.a2
    with pytest.raises(FinanceError):
        services.batch_create(by=staff.finance.user)  # nothing approved yet
    steps = list(claim.current_approval.steps.order_by("order"))
    assert [s.approver for s in steps] == [staff.head_a, staff.director]
    decide_all(claim)
    assert claim.status == Claim.Status.APPROVED
    assert claim.approver == staff.director


def test_fin5_finance_sends_back_and_the_claimant_corrects(staff, claim_of):
    claim, _ = claim_of(staff.a1, witness=staff.a2, submit=True)
    decide_all(claim)
    with pytest.raises(FinanceError):
        services.claim_send_back(claim=claim, by=staff.a1.user, reason="缺发票")
    services.claim_send_back(claim=claim, by=staff.finance.user, reason="缺少验收单")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETURNED
    assert claim.finance_reason == "缺少验收单" and claim.finance_by == staff.finance
    assert Notification.objects.filter(recipient=staff.a1).exists()
    again, _ = claim_of(staff.a1, witness=staff.a2, claim=claim, submit=True)
    assert again.status == Claim.Status.PENDING
    assert again.approvals.count() == 2  # a second round


def test_fin5_finance_rejects_untrue_and_reports_to_the_director(staff, claim_of):
    claim, _ = claim_of(staff.a1, witness=staff.a2, submit=True)
    decide_all(claim)
    services.claim_reject(claim=claim, by=staff.finance.user, reason="发票系伪造")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    report = Notification.objects.get(
        recipient=staff.director, body__contains="发票系伪造"
    )
    assert not RULE_ID.search(report.title)  # a title is a label (issue 16)
    assert "发票系伪造" in report.body
    with pytest.raises(FinanceError):
        services.batch_create(by=staff.finance.user)
    with pytest.raises(FinanceError):  # not editable any more
        claim_of(staff.a1, witness=staff.a2, claim=claim)


def test_fin5_finance_reason_requires_text_and_changes_nothing(staff, claim_of):
    claim, _ = claim_of(staff.a1, witness=staff.a2, submit=True)
    decide_all(claim)
    with pytest.raises(FinanceError):
        services.claim_reject(claim=claim, by=staff.finance.user, reason="  ")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED


def test_fin5_only_the_claimant_edits_and_not_after_submission(staff, claim_of):
    claim, _ = claim_of(staff.a1, witness=staff.a2, submit=True)
    with pytest.raises(FinanceError):
        claim_of(staff.a1, witness=staff.a2, claim=claim)
    draft, _ = claim_of(staff.a1, witness=staff.a2)
    with pytest.raises(FinanceError):
        claim_of(staff.b1, witness=staff.a2, claim=draft)
