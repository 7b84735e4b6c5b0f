"""SVC-5: the public commitments and the complaint form (no login, CSRF, rate
limited); the inspector investigates; an upheld complaint becomes a violation of
the kind chosen (DIS-1, DIS-2, DIS-3) through discipline; the result goes back by
the query code."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from approvals.models import Notification
from bureau.policies import registry
from bureau.public import RATE_LIMITS
from discipline.models import Violation
from window import services
from window.models import Appointment, Commitment, Complaint
from window.tests.conftest import TUESDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def promise(win):
    win.commitment = Commitment.objects.create(
        title="一次性告知",
        text="材料不全的，一次性告知所需全部材料。",
        effective_from=datetime.date(2026, 1, 1),
    )
    Commitment.objects.create(
        title="未公布", text="草稿", effective_from=TUESDAY, is_published=False
    )
    return win


def _public(promise, **kw):
    data = {
        "complainant": "赵六",
        "contact": "13900000000",
        "commitment": promise.commitment.pk,
        "window": promise.window.pk,
        "person_named": "u1",
        "text": "第二次来又被要求补材料",
    }
    data.update(kw)
    return data


def test_svc5_the_commitments_page_is_public(promise, client):
    page = client.get(reverse("window_public:commitments")).content.decode()
    assert "一次性告知" in page and "草稿" not in page


def test_svc5_a_citizen_complains_online_and_gets_a_query_code(promise, frozen, client):
    response = client.post(reverse("window_public:complaint_new"), _public(promise))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "online" and complaint.recorded_by is None
    assert complaint.commitment == promise.commitment
    assert len(complaint.code) == 10
    assert Notification.objects.filter(recipient=promise.inspector).exists()


def test_svc5_a_bad_public_complaint_keeps_what_was_typed(promise, frozen, client):
    response = client.post(
        reverse("window_public:complaint_new"), _public(promise, contact="")
    )
    assert response.status_code == 400
    assert "第二次来又被要求补材料" in response.content.decode()
    assert not Complaint.objects.exists()


def test_svc5_public_complaints_are_csrf_protected(promise, frozen):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("window_public:complaint_new"), _public(promise))
    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_svc5_public_complaints_are_rate_limited(promise, frozen, client):
    cache.clear()
    limit = registry.get(RATE_LIMITS).default["submit"]
    url = reverse("window_public:complaint_new")
    codes = [
        client.post(url, _public(promise), REMOTE_ADDR="203.0.113.7").status_code
        for _ in range(limit + 1)
    ]
    assert codes[:-1] == [302] * limit and codes[-1] == 429
    assert Complaint.objects.count() == limit


def test_svc5_upheld_complaint_becomes_a_dis2_violation(promise, frozen):
    """Upheld as a one-time-notification breach: an upheld DIS-2 violation of the
    person, with the complaint as its source; the result is read by the code."""
    complaint = services.complaint_register(
        channel="online",
        **{
            k: v
            for k, v in _public(promise).items()
            if k not in ("commitment", "window")
        },
        commitment=promise.commitment,
        window=promise.window,
    )
    with pytest.raises(services.WindowError):
        services.complaint_decide(
            complaint=complaint,
            upheld=True,
            finding="属实",
            by=promise.u2.user,
            person=promise.u1,
            kind="discipline.one_time_notice",
        )
    with pytest.raises(services.WindowError, match="责任人"):
        services.complaint_decide(
            complaint=complaint,
            upheld=True,
            finding="属实",
            by=promise.inspector.user,
            kind="discipline.one_time_notice",
        )
    decided = services.complaint_decide(
        complaint=complaint,
        upheld=True,
        finding="经核实，两次告知材料不一致",
        by=promise.inspector.user,
        person=promise.u1,
        kind="discipline.one_time_notice",
    )
    assert decided.status == Complaint.Status.UPHELD
    violation = Violation.objects.get()
    assert violation.kind == "discipline.one_time_notice"
    assert violation.ladder == "one_time_notice"
    assert violation.status == Violation.Status.UPHELD
    assert violation.person == promise.u1
    assert violation.source_id == complaint.pk
    services.complaint_reply(
        complaint=decided,
        reply="投诉属实，已按规定处理并致歉。",
        by=promise.inspector.user,
    )
    client = Client()
    page = client.post(
        reverse("window_public:complaint_lookup"), {"code": complaint.code.lower()}
    ).content.decode()
    assert "投诉属实" in page


@pytest.mark.parametrize(
    "kind, ladder",
    [
        ("discipline.first_inquiry", "first_inquiry"),
        ("discipline.efficiency.missed_deadline", "efficiency"),
    ],
)
def test_svc5_upheld_as_dis1_or_dis3(promise, frozen, kind, ladder):
    complaint = services.complaint_register(
        channel="phone",
        complainant="钱七",
        contact="13800000000",
        text="推诿",
        by=promise.inspector.user,
    )
    services.complaint_decide(
        complaint=complaint,
        upheld=True,
        finding="属实",
        by=promise.inspector.user,
        person=promise.u2,
        kind=kind,
    )
    assert Violation.objects.get().ladder == ladder


def test_svc5_dismissed_complaint_records_no_violation(promise, frozen):
    complaint = services.complaint_register(
        channel="visit",
        complainant="孙八",
        contact="县城",
        text="态度不好",
        by=promise.inspector.user,
    )
    services.complaint_decide(
        complaint=complaint,
        upheld=False,
        finding="经查不属实",
        by=promise.inspector.user,
    )
    assert not Violation.objects.exists()
    with pytest.raises(services.WindowError):
        services.complaint_decide(
            complaint=complaint, upheld=False, finding="再次", by=promise.inspector.user
        )


def test_svc3_svc5_a_missed_appointment_can_be_complained_about(promise, frozen):
    matter = services.contact_log(
        window=promise.window,
        visitor="周九",
        summary="办证",
        outcome="accepted",
        service=promise.service,
        by=promise.u1.user,
    ).matter
    appointment = services.appointment_book(
        matter=matter, day=datetime.date(2026, 11, 12), part="am", by=promise.u1.user
    )
    with pytest.raises(services.WindowError):
        services.complaint_register(
            channel="phone",
            complainant="周九",
            contact="139",
            text="失约",
            appointment=appointment,
            by=promise.inspector.user,
        )
    services.appointment_close(
        appointment=appointment,
        outcome="missed_bureau",
        note="停电",
        by=promise.u1.user,
        today=datetime.date(2026, 11, 12),
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.MISSED_BY_BUREAU
    complaint = services.complaint_register(
        channel="phone",
        complainant="周九",
        contact="139",
        text="约好了没人办",
        appointment=appointment,
        by=promise.inspector.user,
    )
    assert complaint.window == promise.window


def test_svc5_only_the_inspector_sees_complaints(promise, frozen, client_for):
    complaint = services.complaint_register(
        channel="phone",
        complainant="吴十",
        contact="139",
        text="推诿",
        by=promise.inspector.user,
    )
    urls = [
        reverse("window:complaints"),
        reverse("window:complaint", args=[complaint.pk]),
        reverse("window:complaint_new"),
    ]
    for url in urls:
        assert client_for(promise.inspector).get(url).status_code == 200
        assert client_for(promise.u1).get(url).status_code == 404
        assert client_for(promise.head_a).get(url).status_code == 404
    response = client_for(promise.u1).post(
        reverse("window:complaint_decide", args=[complaint.pk]),
        {"upheld": "0", "finding": "x"},
    )
    assert response.status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REGISTERED
    admin_url = reverse("admin:window_complaint_change", args=[complaint.pk])
    assert client_for(promise.inspector).get(admin_url).status_code == 200
    assert client_for(promise.unit_head).get(admin_url).status_code in (403, 404)


def test_svc5_deciding_through_the_page(promise, frozen, client_for):
    complaint = services.complaint_register(
        channel="phone",
        complainant="郑一",
        contact="139",
        text="首问推诿",
        by=promise.inspector.user,
    )
    client = client_for(promise.inspector)
    client.post(
        reverse("window:complaint_decide", args=[complaint.pk]),
        {
            "upheld": "1",
            "finding": "属实",
            "person": promise.u1.pk,
            "kind": "discipline.first_inquiry",
        },
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.UPHELD
    assert Violation.objects.get().kind == "discipline.first_inquiry"
