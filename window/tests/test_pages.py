"""Pages by URL and role: window staff see their window's log and queue, the
hand-off's receiver and the asked leader their entry, a leader the windows in
their charge; anyone else 404; citizens only the public catalogue (no login).
Forms sent back keep what was typed; lists cost the same at 2 and many rows."""

import datetime

import pytest
from django.urls import reverse

from window import services
from window.models import Contact, Matter, Slip
from window.tests.conftest import make_version, materials

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(win, frozen):
    slip_contact = services.contact_log(
        window=win.window,
        visitor="张三",
        summary="办证",
        outcome="notified",
        service=win.service,
        missing=materials(win.old_version, "结婚证"),
        by=win.u1.user,
    )
    accepted = services.contact_log(
        window=win.window,
        visitor="李四",
        summary="办证",
        outcome="accepted",
        service=win.service,
        by=win.u1.user,
    )
    handoff = services.contact_log(
        window=win.window,
        visitor="王五",
        summary="信访事项",
        outcome="handed_off",
        handed_to=win.b1,
        by=win.u2.user,
    )
    win.slip = slip_contact.slip
    win.receipt = accepted.receipt
    win.handoff = handoff
    win.matter = accepted.matter
    return win


def _pages(o):
    return [
        reverse("window:queue"),
        reverse("window:contact_new") + f"?window={o.window.pk}",
        reverse("window:contact", args=[o.handoff.pk]),
        reverse("window:matter", args=[o.matter.pk]),
        reverse("window:slip", args=[o.slip.pk]),
        reverse("window:receipt", args=[o.receipt.pk]),
        reverse("window:log") + f"?window={o.window.pk}",
        reverse("window:windows"),
    ]


def test_svc1_pages_by_url_for_each_role(logged, client_for):
    """A and B posts open every page; the unit head (in charge of the posts) all
    but logging a contact; someone of another section gets 404 everywhere but the
    queue (their own, empty)."""
    o = logged
    for person in (o.u1, o.u2):
        client = client_for(person)
        for url in _pages(o):
            assert client.get(url).status_code == 200, (person, url)
    head = client_for(o.unit_head)
    for url in _pages(o):
        expected = 404 if "contacts/new" in url else 200
        assert head.get(url).status_code == expected, url
    stranger = client_for(o.a2)
    for url in _pages(o)[1:]:
        assert stranger.get(url).status_code == 404, url
    assert stranger.get(reverse("window:queue")).status_code == 200


def test_svc1_the_receiver_sees_only_the_hand_off(logged, client_for):
    client = client_for(logged.b1)
    assert (
        client.get(reverse("window:contact", args=[logged.handoff.pk])).status_code
        == 200
    )
    other = Contact.objects.exclude(pk=logged.handoff.pk).first()
    assert client.get(reverse("window:contact", args=[other.pk])).status_code == 404
    assert client.get(reverse("window:slip", args=[logged.slip.pk])).status_code == 404
    response = client.post(reverse("window:contact_take", args=[logged.handoff.pk]))
    assert response.status_code == 302
    logged.handoff.refresh_from_db()
    assert logged.handoff.taken_at is not None


def test_svc1_logging_through_the_page(win, frozen, client_for):
    """The form offers the materials of the version in force; a slip with none
    ticked comes back with the message and what was typed, nothing saved."""
    client = client_for(win.u1)
    url = reverse("window:contact_new")
    page = client.get(url, {"window": win.window.pk, "service": win.service.pk})
    assert "结婚证" in page.content.decode()
    assert "婚育情况证明" not in page.content.decode()  # the later version's
    data = {
        "window": win.window.pk,
        "channel": "visit",
        "visitor": "赵六",
        "summary": "办理生育服务证",
        "service": win.service.pk,
        "outcome": "notified",
    }
    refused = client.post(url + f"?service={win.service.pk}", data)
    assert refused.status_code == 400
    assert "赵六" in refused.content.decode()
    assert Contact.objects.count() == 0
    data["missing"] = [m.pk for m in materials(win.old_version, "结婚证", "户口簿")]
    done = client.post(url + f"?service={win.service.pk}", data)
    assert done.status_code == 302
    slip = Slip.objects.get()
    printed = client.get(reverse("window:slip", args=[slip.pk])).content.decode()
    assert printed.count('class="missing-material"') == 4  # 2 materials × 2 copies
    assert "测计生告〔2026〕1号" in printed


def test_svc1_another_windows_matter_cannot_be_continued(logged, client_for):
    from window.models import Window

    other = Window.objects.create(
        name="另一窗口", unit=logged.organ, post_a=logged.a1, post_b=logged.a2
    )
    client = client_for(logged.a1)
    response = client.get(
        reverse("window:contact_new"),
        {"window": other.pk, "matter": logged.matter.pk},
    )
    assert response.status_code == 404


def test_svc1_handling_through_the_page(logged, client_for):
    url = reverse("window:matter_handle", args=[logged.matter.pk])
    assert client_for(logged.a2).post(url).status_code == 404
    assert client_for(logged.u2).post(url).status_code == 302
    logged.matter.refresh_from_db()
    assert logged.matter.status == Matter.Status.HANDLED


def test_svc2_the_public_catalogue_needs_no_login(win, frozen, client):
    """Anonymous: the list and a service's page with its materials; a service
    without a version in force is not shown (404)."""
    response = client.get(reverse("window_public:services"))
    assert response.status_code == 200
    assert "生育服务证" in response.content.decode()
    detail = client.get(reverse("window_public:service", args=[win.service.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "结婚证" in text and "婚育情况证明" not in text
    from window.models import Service

    later = Service.objects.create(name="独生子女父母光荣证")
    make_version(later, datetime.date(2027, 1, 1), [])
    assert (
        client.get(reverse("window_public:service", args=[later.pk])).status_code == 404
    )
    assert (
        "光荣证" not in client.get(reverse("window_public:services")).content.decode()
    )


def test_svc1_queue_and_log_cost_the_same_at_2_and_40_contacts(
    win, frozen, client_for, django_assert_max_num_queries
):
    client = client_for(win.u1)
    for i in range(2):
        services.contact_log(
            window=win.window,
            visitor=f"访客{i}",
            summary="咨询",
            outcome="accepted",
            service=win.service,
            by=win.u1.user,
        )
    urls = [reverse("window:queue"), reverse("window:log") + f"?window={win.window.pk}"]
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(40) as few:
            client.get(url)
        counts[url] = len(few.captured_queries)
    for i in range(38):
        services.contact_log(
            window=win.window,
            visitor=f"访客{i}",
            summary="咨询",
            outcome="accepted",
            service=win.service,
            by=win.u1.user,
        )
    for url in urls:
        with django_assert_max_num_queries(40) as many:
            client.get(url)
        assert len(many.captured_queries) == counts[url], url


def test_svc1_queue_shows_a_page_of_open_matters_at_constant_cost(
    win, frozen, client_for, django_assert_max_num_queries
):
    """Rows are bounded whatever the volume: 50 open matters a page with a pager
    and their count; the same number of queries with 2 and with 62 open matters
    (and on the second page)."""
    client = client_for(win.u1)

    def add(n):
        Matter.objects.bulk_create(
            Matter(
                window=win.window,
                service=win.service,
                applicant=f"申请人{i}",
                owner=win.u1,
                opened_on=frozen.date(),
            )
            for i in range(n)
        )

    add(2)
    url = reverse("window:queue")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        page = client.get(url).content.decode()
    assert page.count("data-matter=") == 2
    assert 'id="queue-pages"' not in page
    add(60)
    with django_assert_max_num_queries(40) as many:
        page = client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count("data-matter=") == 50
    assert (
        'id="queue-pages"' in page
        and '<span class="muted" id="queue-matter-count">62' in page
    )
    with django_assert_max_num_queries(40) as second:
        page = client.get(url + "?page=2").content.decode()
    assert len(second.captured_queries) == len(few.captured_queries)
    assert page.count("data-matter=") == 12


def test_svc1_matter_page_with_its_clock_costs_the_same_for_any_matter(
    win, frozen, client_for, django_assert_max_num_queries
):
    """The matter page (with the committed date's clock) is a constant number of
    queries: a matter with one slip and two contacts, and one with three slips and
    five contacts."""
    client = client_for(win.u1)
    ticks = list(win.old_version.materials.all())

    def matter_with(slips: int):
        matter = None
        for i in range(slips):
            matter = services.contact_log(
                window=win.window,
                visitor="乙",
                summary=f"第{i + 1}次",
                outcome="notified",
                service=win.service,
                matter=matter,
                missing=ticks[: i + 1],
                by=win.u1.user,
            ).matter
        services.contact_log(
            window=win.window,
            visitor="乙",
            summary="补齐材料",
            outcome="accepted",
            matter=matter,
            by=win.u1.user,
        )
        for _ in range(slips - 1):
            services.contact_log(
                window=win.window,
                visitor="乙",
                summary="询问进度",
                outcome="outside",
                note="已告知办理进度",
                by=win.u1.user,
            )
        return matter

    small, big = matter_with(1), matter_with(3)
    client.get(reverse("window:matter", args=[small.pk]))
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("window:matter", args=[small.pk]))
    with django_assert_max_num_queries(40) as other:
        response = client.get(reverse("window:matter", args=[big.pk]))
    assert b'id="matter-clock"' in response.content
    assert len(other.captured_queries) == len(one.captured_queries)


def test_svc2_admin_catalogue_and_read_only_log(logged, client_for, admin_client):
    """The administrator adds versions; a version a slip cites cannot be changed;
    the log is read-only and scoped (another section's head: 404)."""
    response = admin_client.get(
        reverse("admin:window_serviceversion_change", args=[logged.old_version.pk])
    )
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert (
        admin_client.get(
            reverse("admin:window_serviceversion_change", args=[logged.new_version.pk])
        ).content.count(b'name="_save"')
        == 1
    )
    contact_url = reverse("admin:window_contact_change", args=[logged.handoff.pk])
    assert client_for(logged.unit_head).get(contact_url).status_code == 200
    assert client_for(logged.head_b).get(contact_url).status_code == 404
    history = reverse("admin:window_contact_history", args=[logged.handoff.pk])
    assert client_for(logged.head_b).get(history).status_code == 404
