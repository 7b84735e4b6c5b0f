"""Why page of a leave request's chain (issue 16 item 6): LV-1's text and the
version of the chains policy the request was routed by; the applicant and the
approver see it, another staff member gets 404."""

import pytest
from django.urls import reverse

from bureau.policies import registry

pytestmark = pytest.mark.django_db


def test_lv1_why_chain_shows_rule_and_chain_version(org, ask, client_for):
    leave = ask(org.a1, 1)
    assert leave.chain_policy_id
    url = reverse("rules:why", args=["leave.request", leave.pk])
    page = client_for(org.a1).get(url)
    assert page.status_code == 200
    assert "股室负责人" in page.text  # LV-1's original text
    assert str(registry.label("leave.chains")) in page.text


def test_lv1_why_chain_seen_by_the_approver_not_by_a_colleague(org, ask, client_for):
    leave = ask(org.a1, 1)
    url = reverse("rules:why", args=["leave.request", leave.pk])
    assert client_for(org.head_a).get(url).status_code == 200
    assert client_for(org.b1).get(url).status_code == 404


def test_leave_page_links_to_why(org, ask, client_for):
    leave = ask(org.a1, 1)
    page = client_for(org.a1).get(reverse("leave:detail", args=[leave.pk]))
    assert reverse("rules:why", args=["leave.request", leave.pk]) in page.text
