"""PET-7 by URL: who sees the case, who sees the identity, the access log written
on every view, export and download; the admin and its history pages; the online
channel (rate limit, query code); query counts."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from attachments.models import Attachment
from attachments.testing import upload
from bureau.models import Policy
from deadlines.models import Deadline
from petitions import services
from petitions.models import DECIDE, Case, IdentityAccess
from petitions.tests.conftest import DAY0, at, decide, register, route

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(pet):
    case = register(pet, subject=pet.org.a1, scan=upload("张三来信.pdf"))
    route(pet, case)
    return case


def _get(client_for, who, url):
    with time_machine.travel(at(DAY0 + datetime.timedelta(days=1)), tick=False):
        return client_for(who).get(url)


@pytest.mark.parametrize(
    "who, status, identity",
    [
        ("officer", 200, True),
        ("b1", 200, True),  # the handler
        ("head_b", 200, True),  # the handling section's head
        ("dep_b", 200, False),  # the deputy in charge: the clocks, masked
        ("director", 200, False),  # masked
        ("head_a", 404, False),  # a section head outside the case
        ("a2", 404, False),  # anyone else
        ("a1", 404, False),  # the member of staff the petition is about
        ("inspector", 404, False),
    ],
)
def test_pet7_case_page_by_role(pet, case, client_for, who, status, identity):
    """PET-7: the identity only for the officer and the case's handlers, each view
    logged; the deputy and the director see a masked case; the subject and
    outsiders get 404."""
    person = pet.officer if who == "officer" else getattr(pet.org, who)
    response = _get(client_for, person, reverse("petitions:detail", args=[case.pk]))
    assert response.status_code == status
    body = response.content.decode() if status == 200 else ""
    assert ("张三" in body) is identity
    assert ("13812345678" in body) is identity
    assert IdentityAccess.objects.filter(user=person.user).count() == (
        1 if identity else 0
    )
    if identity:
        log = IdentityAccess.objects.get()
        assert log.action == "view" and log.case == case and log.address == "127.0.0.1"


def test_pet7_owning_leader_sees_the_identity_the_director_only_the_log(
    pet, case, client_for
):
    services.case_set_owner(case=case, by=pet.officer.user, owner=pet.org.dep_a)
    assert (
        "张三"
        in _get(
            client_for, pet.org.dep_a, reverse("petitions:detail", args=[case.pk])
        ).content.decode()
    )
    log = _get(
        client_for, pet.org.director, reverse("petitions:access_log")
    ).content.decode()
    assert pet.org.dep_a.name in log and case.number in log
    assert (
        _get(client_for, pet.org.inspector, reverse("petitions:access_log")).status_code
        == 200
    )
    assert (
        _get(client_for, pet.org.head_a, reverse("petitions:access_log")).status_code
        == 404
    )
    # The inspector is the subject of another case: its log rows are not shown.
    about_inspector = register(pet, subject=pet.org.inspector)
    services.identity_access_log(
        case=about_inspector, by=pet.officer.user, action="view"
    )
    log = _get(client_for, pet.org.inspector, reverse("petitions:access_log"))
    assert about_inspector.number not in log.content.decode()


def test_pet7_the_scan_is_downloaded_only_by_those_who_see_the_identity_and_logged(
    pet, case, client_for
):
    attachment = Attachment.objects.get()
    url = reverse("attachments:download", args=[attachment.pk])
    assert _get(client_for, pet.org.director, url).status_code == 404
    assert _get(client_for, pet.org.a1, url).status_code == 404
    assert _get(client_for, pet.org.b1, url).status_code == 200
    assert (
        IdentityAccess.objects.filter(action="download", user=pet.org.b1.user).count()
        == 1
    )


def test_pet7_export_with_names_is_the_officers_and_logged(pet, case, client_for):
    url = reverse("petitions:export")
    assert _get(client_for, pet.org.director, url).status_code == 404
    response = _get(client_for, pet.officer, url)
    assert response.status_code == 200
    assert IdentityAccess.objects.filter(action="export", case=case).count() == 1


def test_pet7_list_is_masked_and_the_subject_sees_nothing(pet, case, client_for):
    body = _get(
        client_for, pet.org.director, reverse("petitions:list")
    ).content.decode()
    assert case.number in body and "张三" not in body
    assert (
        case.number
        not in _get(client_for, pet.org.a1, reverse("petitions:list")).content.decode()
    )


def test_pet7_admin_and_its_history_never_show_the_identity(pet, case, client_for):
    director = client_for(pet.org.director)
    change = director.get(reverse("admin:petitions_case_change", args=[case.pk]))
    assert change.status_code == 200 and "张三" not in change.content.decode()
    history = director.get(reverse("admin:petitions_case_history", args=[case.pk]))
    assert history.status_code == 200 and "张三" not in history.content.decode()
    version = case.history.first()
    page = director.get(
        reverse(
            "admin:petitions_case_simple_history", args=[case.pk, version.history_id]
        )
    )
    assert "张三" not in page.content.decode()
    subject = client_for(pet.org.a1)
    assert subject.get(
        reverse("admin:petitions_case_history", args=[case.pk])
    ).status_code in (403, 404, 302)
    assert client_for(pet.org.head_a).get(
        reverse("admin:petitions_case_change", args=[case.pk])
    ).status_code in (403, 404, 302)


def test_pet2_moves_by_url_only_for_who_may(pet, case, client_for):
    """Deciding is the handler's: another section's head gets 404, the deputy a
    refusal message and nothing changes; a bad decision value is a 400."""
    url = reverse("petitions:decide", args=[case.pk])
    data = {"decision": "accepted", "text": "予以受理", "on": "2026-06-02"}
    with time_machine.travel(at(DAY0 + datetime.timedelta(days=1)), tick=False):
        assert client_for(pet.org.head_a).post(url, data).status_code == 404
        client_for(pet.org.dep_b).post(url, data)
        case.refresh_from_db()
        assert case.status == Case.Status.ROUTED
        assert (
            client_for(pet.org.b1).post(url, {**data, "decision": "maybe"}).status_code
            == 400
        )
        assert client_for(pet.org.b1).post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED


def test_pet1_register_page_keeps_what_was_typed_on_refusal(pet, client_for):
    client = client_for(pet.officer)
    data = {
        "channel": "visit",
        "received_on": "2026-06-01",
        "name": "李四",
        "phone": "",
        "category": pet.policy.pk,
        "summary": "反映问题",
    }
    with time_machine.travel(at(DAY0), tick=False):
        response = client.post(reverse("petitions:new"), data)
        assert response.status_code == 400 and "李四" in response.content.decode()
        assert Case.objects.count() == 0
        assert client_for(pet.org.b1).get(reverse("petitions:new")).status_code == 404
        response = client_for(pet.officer).post(
            reverse("petitions:new"), {**data, "phone": "13812345678"}
        )
    assert response.status_code == 302 and Case.objects.count() == 1


def test_list_costs_the_same_at_2_and_20_cases(
    pet, client_for, django_assert_max_num_queries
):
    for i in range(2):
        day = DAY0 + datetime.timedelta(days=i)
        route(pet, register(pet, on=day), on=day)
    client = client_for(pet.officer)
    with (
        time_machine.travel(at(DAY0 + datetime.timedelta(days=30)), tick=False),
        django_assert_max_num_queries(12) as few,
    ):
        client.get(reverse("petitions:list"))
    for i in range(18):
        register(pet, on=DAY0 + datetime.timedelta(days=i))
    with (
        time_machine.travel(at(DAY0 + datetime.timedelta(days=30)), tick=False),
        django_assert_max_num_queries(len(few.captured_queries)),
    ):
        client.get(reverse("petitions:list"))


def test_online_petition_query_code_shows_only_status_and_reply(pet, client):
    with time_machine.travel(at(DAY0), tick=False):
        response = client.post(
            reverse("petitions_public:submit"),
            {
                "name": "王五",
                "phone": "13812345678",
                "category": pet.policy.pk,
                "summary": "我叫王五，反映……",
            },
        )
    assert response.status_code == 200
    code = response.context["code"]
    case = Case.objects.get()
    assert (
        case.channel == "online" and code.replace("-", "") not in case.query_code_hash
    )
    assert "王五" not in case.summary and case.identity.report.startswith("我叫王五")
    found = client.post(reverse("petitions_public:query"), {"code": code})
    body = found.content.decode()
    assert found.status_code == 200 and case.number in body and "王五" not in body
    assert (
        client.post(
            reverse("petitions_public:query"), {"code": "0000-0000-0000-0000"}
        ).status_code
        == 404
    )


def test_online_guessing_is_rate_limited(pet, client):
    Policy(
        key="bureau.public_rate_limits",
        effective_from=datetime.date(2026, 1, 1),
        value={"submit": 2, "lookup": 3},
    ).save()
    cache.clear()
    codes = [
        client.post(
            reverse("petitions_public:query"), {"code": f"guess{i}"}
        ).status_code
        for i in range(5)
    ]
    assert codes == [404, 404, 404, 429, 429]
    bad = client.post(
        reverse("petitions_public:submit"), {"name": "x", "phone": "123", "summary": ""}
    )
    assert bad.status_code == 400 and Case.objects.count() == 0


def test_online_form_needs_csrf(pet):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("petitions_public:submit"), {"name": "x"})
    assert response.status_code == 403


def test_decide_after_decision_journey_by_url(pet, case, client_for):
    decide(pet, case, on=DAY0 + datetime.timedelta(days=1))
    assert (
        _get(
            client_for, pet.org.b1, reverse("petitions:detail", args=[case.pk])
        ).status_code
        == 200
    )


def test_pet7_deadline_dashboard_hides_the_clock_from_the_subject(pet, client_for):
    """PET-7 on the deadline engine's pages: a petition about the deputy in charge
    of the handling section is handled in their charge, but its overdue clock is
    neither listed nor counted on their dashboard, and its deadline's page is a
    404; a case they may see still shows; the director sees both."""
    about_deputy = register(pet, subject=pet.org.dep_b, summary="反映某领导问题")
    route(pet, about_deputy)
    other = register(pet, name="李四", phone="13912345678")
    route(pet, other)
    hidden = Deadline.objects.get(object_id=about_deputy.pk, kind=DECIDE)
    shown = Deadline.objects.get(object_id=other.pk, kind=DECIDE)
    late = DAY0 + datetime.timedelta(days=20)
    url = reverse("deadlines:dashboard")
    with time_machine.travel(at(late), tick=False):
        deputy = client_for(pet.org.dep_b)
        response = deputy.get(url)
        assert response.status_code == 200
        items = [d.pk for d in response.context["items"]]
        assert shown.pk in items and hidden.pk not in items
        assert sum(row["overdue"] for row in response.context["sections"]) == 1
        body = response.content.decode()
        assert about_deputy.number not in body and other.number in body
        detail = reverse("deadlines:detail", args=[hidden.pk])
        assert deputy.get(detail).status_code == 404
        assert deputy.get(reverse("deadlines:detail", args=[shown.pk])).status_code == (
            200
        )
        director = client_for(pet.org.director).get(url)
        items = [d.pk for d in director.context["items"]]
        assert shown.pk in items and hidden.pk in items
        # The head of another section, above nobody in the case: nothing.
        head_a = client_for(pet.org.head_a).get(url)
        assert about_deputy.number not in head_a.content.decode()


def test_pet7_director_who_is_the_subject_does_not_see_the_clock(pet, client_for):
    case = register(pet, subject=pet.org.director, summary="反映局长问题")
    route(pet, case)
    hidden = Deadline.objects.get(object_id=case.pk, kind=DECIDE)
    with time_machine.travel(at(DAY0 + datetime.timedelta(days=20)), tick=False):
        response = client_for(pet.org.director).get(reverse("deadlines:dashboard"))
    assert hidden.pk not in [d.pk for d in response.context["items"]]
    assert case.number not in response.content.decode()
