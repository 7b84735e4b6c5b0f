"""Issue 16 leftover: a petition case's time limit links to its "why" page (PET-2,
PET-5): the rule, the policy version the clock was started with, the due date and
whether it is overdue — for whoever may see the case; anyone else gets 404."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from approvals.models import Notification
from bureau.why import why_url
from petitions import selectors, services
from petitions.models import DECIDE
from petitions.tests.conftest import DAY0, at, register, route

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(pet):
    case = register(pet, subject=pet.org.a1)
    route(pet, case)
    return case


def _get(client_for, who, url, days=1):
    with time_machine.travel(at(DAY0 + datetime.timedelta(days=days)), tick=False):
        return client_for(who).get(url)


@pytest.mark.parametrize(
    "who, status",
    [
        ("officer", 200),
        ("b1", 200),  # the handler
        ("dep_b", 200),  # the deputy in charge sees the (masked) case
        ("head_a", 404),
        ("a2", 404),
        ("a1", 404),  # the member of staff the petition is about
        ("inspector", 404),
    ],
)
def test_pet2_why_of_the_time_limit_by_role(pet, case, client_for, who, status):
    """PET-2: who may see the case sees why its clock says what it says; nobody
    else learns that the clock exists. No petitioner's name on the page (PET-7)."""
    deadline = selectors.deadline_of(case, DECIDE)
    person = pet.officer if who == "officer" else getattr(pet.org, who)
    response = _get(client_for, person, why_url("petitions.deadline", deadline.pk))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "PET-2" in body and "PET-5" in body
        assert deadline.due_date.isoformat() in body
        assert "张三" not in body


def test_pet5_why_says_overdue_after_the_due_date(pet, case, client_for):
    """PET-5: past the due date the page says the clock is overdue."""
    deadline = next(d for d in selectors.deadlines_of(case) if d.state == "open")
    days = (deadline.due_date - DAY0).days + 1
    body = _get(
        client_for, pet.officer, why_url("petitions.deadline", deadline.pk), days
    ).content.decode()
    assert "<dt>今日是否逾期</dt><dd>已逾期</dd>" in body, [
        (d.kind, d.state, d.due_date) for d in selectors.deadlines_of(case)
    ]


def test_pet2_case_page_links_each_clock_to_its_why(pet, case, client_for):
    deadline = selectors.deadline_of(case, DECIDE)
    body = _get(
        client_for, pet.officer, reverse("petitions:detail", args=[case.pk])
    ).content.decode()
    assert why_url("petitions.deadline", deadline.pk) in body


def test_why_of_another_chapters_deadline_is_404(pet, case, client_for):
    """The kind is the chapter's own: a petition clock's id under the window's kind
    is not found."""
    deadline = selectors.deadline_of(case, DECIDE)
    response = _get(client_for, pet.officer, why_url("window.deadline", deadline.pk))
    assert response.status_code == 404


def test_pet5_overdue_dashboard_links_each_clock_to_its_why(pet, case, client_for):
    """PET-5: the statistics page's overdue list links each overdue clock to its
    why page (依据), and the reader of the list may open it."""
    deadline = selectors.deadline_of(case, DECIDE)
    days = (deadline.due_date - DAY0).days + 2
    url = why_url("petitions.deadline", deadline.pk)
    body = _get(
        client_for, pet.org.director, reverse("petitions:stats") + "?year=2026", days
    ).content.decode()
    assert url in body and ">依据</a>" in body
    assert _get(client_for, pet.org.director, url, days).status_code == 200


def test_pet5_escalation_notice_has_no_rule_id_and_leads_to_the_case(pet, case):
    """PET-5: the escalation notice names no rule ID in its text; its one link is
    the case's page, where the clock links to its why page."""
    deadline = selectors.deadline_of(case, DECIDE)
    day = deadline.due_date + datetime.timedelta(days=1)
    with time_machine.travel(at(day), tick=False):
        result = services.petitions_escalate(today=day, commit=True)
    assert result.sent
    notice = Notification.objects.get(recipient=result.sent[0][2])
    assert "PET-" not in notice.title + notice.body
    assert "逐级督办至您" in notice.body and "依据见事项页面" in notice.body
    assert notice.url == reverse("petitions:detail", args=[case.pk])
