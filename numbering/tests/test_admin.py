"""The register in the admin: read-only, seen by who keeps it, voided through the
service by who may void; permission boundaries by URL, constant query count."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from bureau.models import Role
from bureau.testing import make_person
from numbering.models import Number
from numbering.services import number_take
from numbering.tests.conftest import DOCS

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:numbering_number_changelist")


@pytest.fixture
def clerk(org):
    return make_person(
        "docclerk",
        unit=org.organ,
        section=org.section_a,
        position="section_staff",
        duties=[Role.DOCUMENT_CLERK],
    )


@pytest.fixture
def given(org, series, owners):
    """given(k) -> k numbers in the test document series."""

    def make(k):
        with transaction.atomic():
            return [
                number_take(series=DOCS, owner=o, on=datetime.date(2026, 3, 2))
                for o in owners(k)
            ]

    return make


def test_doc1_register_is_read_only_and_kept_by_the_comprehensive_section(
    org, clerk, given, client_for
):
    """The document clerk and the director read it; staff and section heads get
    403; nobody adds, changes or deletes (the pages refuse)."""
    (number,) = given(1)
    change = reverse("admin:numbering_number_change", args=[number.pk])
    for who in (clerk, org.director):
        client = client_for(who)
        page = client.get(CHANGELIST).content.decode()
        assert "测计生〔2026〕1号" in page
        assert client.get(change).status_code == 200
    for who in (org.a1, org.head_b, org.unit_head):
        client = client_for(who)
        assert client.get(CHANGELIST).status_code in (302, 403)
        assert client.get(change).status_code in (302, 403)
    client = client_for(org.admin)  # even the superuser
    assert client.get(reverse("admin:numbering_number_add")).status_code == 403
    delete = reverse("admin:numbering_number_delete", args=[number.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(change, {"text": "改号", "n": 9})
    assert response.status_code == 403
    number.refresh_from_db()
    assert (number.text, number.n) == ("测计生〔2026〕1号", 1)


def test_doc1_void_action_keeps_the_number_with_its_reason(clerk, given, client_for):
    numbers = given(3)
    client = client_for(clerk)
    response = client.post(
        CHANGELIST,
        {
            "action": "void_selected",
            "_selected_action": [numbers[1].pk],
            "apply": "1",
            "reason": "文号重复使用，作废",
        },
    )
    assert response.status_code == 302
    voided = Number.objects.get(pk=numbers[1].pk)
    assert voided.voided and voided.reason == "文号重复使用，作废"
    assert voided.voided_by == clerk.user
    assert Number.objects.count() == 3
    history = reverse("admin:numbering_number_history", args=[voided.pk])
    assert client.get(history).status_code == 200


def test_void_without_a_reason_is_refused_and_nothing_voided(clerk, given, client_for):
    numbers = given(1)
    response = client_for(clerk).post(
        CHANGELIST,
        {
            "action": "void_selected",
            "_selected_action": [numbers[0].pk],
            "apply": "1",
            "reason": "",
        },
    )
    assert response.status_code == 400
    assert "作废理由" in response.content.decode()
    assert not Number.objects.filter(voided=True).exists()


def test_reading_the_register_does_not_let_one_void(org, given, client_for):
    """The director reads the register; the void action is not his (DOC-1)."""
    numbers = given(1)
    client = client_for(org.director)
    assert "void_selected" not in client.get(CHANGELIST).content.decode()
    client.post(
        CHANGELIST,
        {
            "action": "void_selected",
            "_selected_action": [numbers[0].pk],
            "apply": "1",
            "reason": "越权作废",
        },
    )
    assert not Number.objects.filter(voided=True).exists()


def test_register_list_costs_the_same_at_2_and_50_rows(
    clerk, given, client_for, django_assert_max_num_queries
):
    client = client_for(clerk)
    counts = []
    for k in (2, 48):
        given(k)
        client.get(CHANGELIST)  # warm the per-process caches (content types)
        with django_assert_max_num_queries(12) as captured:
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        rows = response.content.decode().count('class="field-text"')
        assert rows == len(counts) * 48 + 2
        counts.append(len(captured))
    assert counts[0] == counts[1]
