"""Finance in the admin: read-only desks scoped by the chapter's selectors
(ReadOnlyAdmin, OnChainAdmin, ReadOnlyInline in finance/admin.py)."""

import pytest
from django.urls import reverse

from finance import services
from finance.tests.conftest import line
from finance.tests.test_reception import form

MODELS = [
    "claim",
    "spending",
    "batch",
    "asset",
    "handover",
    "reception",
    "statement",
    "unitincome",
]


@pytest.fixture
def staff(fin, frozen):
    return fin


@pytest.fixture
def claim_a1(staff, claim_of):
    claim, _ = claim_of(
        staff.a1, [line("250.00", item="碳粉盒")], witness=staff.a2, submit=True
    )
    return claim


@pytest.mark.parametrize("model", MODELS)
def test_fin_admin_lists_open_to_finance_and_nothing_is_added(staff, client_for, model):
    """The finance officer reads every finance list; no add page for anyone."""
    client = client_for(staff.finance)
    assert client.get(reverse(f"admin:finance_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:finance_{model}_add")).status_code == 403


def test_fin5_admin_claim_in_scope_read_only_with_lines_and_chain(
    staff, claim_a1, client_for
):
    """In scope (finance, the section head): the claim with its lines and chain,
    read-only (POST 403); out of scope (another section's head): 404, its history
    too; staff without the admin: the login page."""
    change = reverse("admin:finance_claim_change", args=[claim_a1.pk])
    history = reverse("admin:finance_claim_history", args=[claim_a1.pk])
    for who in (staff.finance, staff.head_a):
        page = client_for(who).get(change)
        text = page.content.decode()
        assert page.status_code == 200
        assert "碳粉盒" in text  # the line, shown by the read-only inline
        assert "250.00" in text
        assert 'name="lines-0-item"' not in text  # no line editable
        assert client_for(who).get(history).status_code == 200
    assert client_for(staff.finance).post(change, {}).status_code == 403
    assert client_for(staff.head_b).get(change).status_code == 404
    assert client_for(staff.head_b).get(history).status_code == 404
    assert client_for(staff.a1).get(change).status_code == 302


def test_fin9_admin_reception_in_scope_only(staff, client_for):
    reception = services.reception_submit(by=staff.a1.user, data=form())
    change = reverse("admin:finance_reception_change", args=[reception.pk])
    assert client_for(staff.finance).get(change).status_code == 200
    assert client_for(staff.head_b).get(change).status_code == 404
    listing = client_for(staff.head_b).get(
        reverse("admin:finance_reception_changelist")
    )
    assert "城关镇计生办" not in listing.content.decode()
