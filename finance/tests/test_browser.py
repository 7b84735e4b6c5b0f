"""End to end in headless Chromium (FIN-6, FIN-5, FIN-8): a section head asks to use
6,000 yuan; the document clerk cites the bureau affairs meeting's decision; the
director approves; the section head claims it; after approval the finance officer
puts it in Tuesday's batch, pays it and prints the list."""

import datetime
import os

import pytest
import time_machine

from bureau.models import Position, Role
from bureau.testing import make_person
from bureau.workdays import TZ
from finance import services
from finance.models import Batch, Claim, Spending
from finance.tests.conftest import MONDAY, TUESDAY
from meetings.testing import held_meeting

pytestmark = [pytest.mark.browser]


def test_fin6_fin8_fund_use_6000_meeting_director_claim_paid_in_tuesday_batch(
    transactional_db, org, live_server, page, browser_login, artifacts_dir
):
    shots = artifacts_dir
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)) as clock:
        from bureau.policies import registry

        registry.load_defaults()
        officer = make_person(
            "finance",
            unit=org.organ,
            section=org.section_a,
            position=Position.SECTION_STAFF,
            duties=[Role.FINANCE_OFFICER],
        )
        make_person(
            "docs",
            unit=org.organ,
            section=org.section_a,
            position=Position.SECTION_STAFF,
            duties=[Role.DOCUMENT_CLERK],
        )
        _meeting, (decision,) = held_meeting(
            org, texts=["同意法规股使用宣传经费6000元。"], held_on=MONDAY
        )

        # 1. The section head asks to use 6,000 yuan.
        browser_login("head_b")
        page.goto(f"{live_server.url}/finance/spending/new/")
        page.select_option("#id_kind", "fund_use")
        page.fill("#id_title", "普法宣传月经费")
        page.fill("#id_purpose", "宣传月活动物料与场地")
        page.select_option("#id_category", "printing")
        page.fill("#id_amount", "6000.00")
        page.fill("#id_needed_on", "2026-03-10")
        page.click("#submit-spending")
        page.wait_for_load_state("networkidle")
        spending = Spending.objects.get()
        assert spending.tier == 2
        assert "陆仟元整" in page.locator("#spending-detail").inner_text()
        page.screenshot(
            path=os.path.join(shots, "finance-1-fund-use.png"), full_page=True
        )

        # 2. The document clerk cites the meeting's decision.
        page.context.clear_cookies()
        browser_login("docs")
        page.goto(f"{live_server.url}/finance/spending/{spending.pk}/")
        page.select_option("#id_decision", "approve")
        page.select_option("#id_meeting_decision", str(decision.pk))
        page.screenshot(path=os.path.join(shots, "finance-2-cite.png"), full_page=True)
        page.click("#record-decision")
        page.wait_for_load_state("networkidle")
        spending.refresh_from_db()
        assert spending.meeting_decision == decision

        # 3. The director approves.
        page.context.clear_cookies()
        browser_login("director")
        page.goto(f"{live_server.url}/finance/spending/{spending.pk}/")
        assert decision.citation in page.locator("#meeting-decision").inner_text()
        page.select_option("#id_decision", "approve")
        page.click("#decide-spending")
        page.wait_for_load_state("networkidle")
        spending.refresh_from_db()
        assert spending.status == Spending.Status.APPROVED

        # 4. The section head claims the expense (invoice, bank transfer).
        page.context.clear_cookies()
        browser_login("head_b")
        page.goto(f"{live_server.url}/finance/claims/new/")
        page.fill("#id_purpose", "普法宣传月物料")
        page.fill("#id_payee", "县印刷厂")
        page.fill("#id_expense_date", "2026-03-02")
        page.select_option("#id_payment_method", "bank_transfer")
        page.select_option("#id_handler", str(org.head_b.pk))
        page.select_option("#id_witness", str(org.b1.pk))
        page.fill("#id_lines-0-item", "宣传折页")
        page.fill("#id_lines-0-unit", "份")
        page.fill("#id_lines-0-quantity", "6000")
        page.fill("#id_lines-0-unit_price", "1.00")
        page.select_option("#id_lines-0-voucher", "invoice")
        page.fill("#id_lines-0-invoice_number", "26442000000000006000")
        page.click("#submit-claim")
        page.wait_for_load_state("networkidle")
        claim = Claim.objects.get()
        assert claim.status == Claim.Status.PENDING
        for approver in (org.dep_b, org.director):
            services.claim_decide(claim=claim, by=approver.user, decision="approve")

        # 5. Finance makes Tuesday's batch, pays it on Tuesday, prints the list.
        page.context.clear_cookies()
        browser_login("finance")
        page.goto(f"{live_server.url}/finance/batches/")
        page.click("#make-batch")
        page.wait_for_load_state("networkidle")
        batch = Batch.objects.get()
        assert batch.pay_on == TUESDAY and batch.created_by == officer
        clock.move_to(datetime.datetime(2026, 3, 3, 9, 0, tzinfo=TZ))
        page.click("#pay-batch")
        page.wait_for_load_state("networkidle")
        assert "陆仟元整" in page.locator("#confirm-pay").inner_text()
        page.screenshot(path=os.path.join(shots, "finance-3-pay.png"), full_page=True)
        page.click("#confirm-pay-button")
        page.wait_for_load_state("networkidle")
        claim.refresh_from_db()
        assert claim.status == Claim.Status.PAID
        page.click("#print-batch")
        page.wait_for_load_state("networkidle")
        printed = page.locator("#batch-print").inner_text()
        assert (
            batch.number in printed and "6000.00" in printed and "陆仟元整" in printed
        )
        assert page.locator("#signature-line").count() == 1
        page.screenshot(path=os.path.join(shots, "finance-4-list.png"), full_page=True)
