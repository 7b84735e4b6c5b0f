"""DOC-3: the year's catalogue with retention from policy (printable, exportable),
loans with due dates on the deadline engine and their returns."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from approvals.models import Notification
from bureau.workdays import TZ
from deadlines.models import Deadline
from deadlines.services import deadlines_scan
from documents import rules, services
from documents.models import ArchiveEntry, Loan
from documents.policies import RETENTION
from documents.services import DocumentError
from documents.tests.conftest import proofread, register

pytestmark = pytest.mark.django_db
LAST_YEAR = datetime.datetime(2025, 11, 3, 10, 0, tzinfo=TZ)
NOW = datetime.datetime(2026, 1, 12, 10, 0, tzinfo=TZ)


def test_doc3_retention_and_policy_validator():
    from bureau.policies import registry  # noqa: PLC0415

    default = registry.get(RETENTION).default
    rules.validate_retention_policy(default)
    assert rules.retention_years(default, kind="outgoing", type_code="decision") == 0
    assert rules.retention_years(default, kind="outgoing", type_code="notice") == 10
    assert rules.retention_years(default, kind="outgoing", type_code="report") == 30
    assert rules.retention_years(default, kind="incoming") == 10
    for bad in ({}, {**default, "default": -1}, {**default, "by_type": {"x": "10"}}):
        with pytest.raises(ValueError):
            rules.validate_retention_policy(bad)


@pytest.mark.parametrize(
    "year, today, allowed",
    [
        (2025, datetime.date(2026, 1, 2), True),
        (2026, datetime.date(2026, 12, 31), False),
        (2027, datetime.date(2026, 1, 2), False),
    ],
)
def test_doc3_may_archive_a_past_year_only(year, today, allowed):
    assert rules.may_archive_year(year, today) is allowed


@pytest.mark.parametrize(
    "lent, due, refused",
    [
        (datetime.date(2026, 1, 12), datetime.date(2026, 1, 11), True),
        (datetime.date(2026, 1, 12), datetime.date(2026, 1, 12), False),
        (datetime.date(2026, 1, 12), datetime.date(2026, 1, 26), False),
    ],
)
def test_doc3_loan_due_before_start(lent, due, refused):
    assert rules.loan_due_before_start(lent, due) is refused


@pytest.fixture
def filed_last_year(org, docs):
    """Two bureau documents (a notice and a decision) and an incoming one, all
    finished in 2025."""
    with time_machine.travel(LAST_YEAR, tick=False):
        made = []
        for type_code in ("notice", "decision"):
            document = proofread(org, doc_type=type_code, title=f"2025年{type_code}")
            document = services.outgoing_number(document=document, by=docs.user)
            made.append(services.outgoing_file(document=document, by=docs.user))
        incoming = register(docs, received_on=datetime.date(2025, 11, 3))
        (hop,) = services.incoming_send(
            incoming=incoming, by=docs.user, people=[org.b1], purpose="read"
        )
        services.incoming_read(hop=hop, by=org.b1.user)
        services.incoming_close(incoming=incoming, by=docs.user, outcome="filed")
    return made


@time_machine.travel(NOW, tick=False)
def test_doc3_yearly_filing_with_a_catalogue_and_retention(org, docs, filed_last_year):
    made = services.archive_year(year=2025, by=docs.user)
    rows = [(e.item_no, e.kind, e.number, e.retention_years) for e in made]
    assert rows == [
        (1, "outgoing", "测计生〔2025〕1号", 10),
        (2, "outgoing", "测计生〔2025〕2号", 0),
        (3, "incoming", "市卫健〔2026〕88号", 10),
    ]
    assert services.archive_year(year=2025, by=docs.user) == []  # nothing twice
    with pytest.raises(DocumentError):
        services.archive_year(year=2026, by=docs.user)
    with pytest.raises(DocumentError):
        services.archive_year(year=2025, by=org.head_a.user)


@time_machine.travel(NOW, tick=False)
def test_doc3_catalogue_page_and_export_are_scoped(
    org, docs, filed_last_year, client_for
):
    services.archive_year(year=2025, by=docs.user)
    page = client_for(docs).get(reverse("documents:archive"), {"year": 2025})
    assert len(page.context["entries"]) == 3
    assert (
        len(
            client_for(org.director)
            .get(reverse("documents:archive"), {"year": 2025})
            .context["entries"]
        )
        == 3
    )
    assert (
        client_for(org.b1)
        .get(reverse("documents:archive"), {"year": 2025})
        .context["entries"]
        == []
    )
    body = (
        client_for(docs)
        .get(reverse("documents:archive_export"), {"year": 2025, "format": "csv"})
        .content.decode("utf-8-sig")
    )
    assert "测计生〔2025〕2号" in body and "永久" in body
    xlsx = client_for(docs).get(reverse("documents:archive_export"), {"year": 2025})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client_for(org.b1).post(
        reverse("documents:archive_file") + "?year=2025", {"confirm": "on"}
    )
    assert ArchiveEntry.objects.count() == 3


def test_doc3_loan_due_before_start_refused_and_one_loan_at_a_time(
    org, docs, filed_last_year
):
    with time_machine.travel(NOW, tick=False):
        entry = services.archive_year(year=2025, by=docs.user)[0]
        monday = datetime.date(2026, 1, 12)
        with pytest.raises(DocumentError):
            services.loan_register(
                entry=entry,
                by=docs.user,
                borrower=org.b1,
                purpose="查阅",
                lent_on=monday,
                due_on=monday - datetime.timedelta(days=1),
            )
        assert (
            not Loan.objects.exists()
            and not Deadline.objects.filter(kind="documents.loan").exists()
        )
        loan = services.loan_register(
            entry=entry,
            by=docs.user,
            borrower=org.b1,
            purpose="起草年度总结参考",
            lent_on=monday,
            due_on=datetime.date(2026, 1, 19),
        )
        with pytest.raises(DocumentError):
            services.loan_register(
                entry=entry,
                by=docs.user,
                borrower=org.a1,
                purpose="查阅",
                lent_on=monday,
                due_on=datetime.date(2026, 1, 19),
            )
        with pytest.raises(DocumentError):
            services.loan_register(
                entry=entry,
                by=org.b1.user,
                borrower=org.b1,
                purpose="查阅",
                lent_on=monday,
                due_on=datetime.date(2026, 1, 19),
            )
    deadline = Deadline.objects.get(kind="documents.loan", object_id=loan.pk)
    assert deadline.due_date == datetime.date(2026, 1, 19)
    assert deadline.responsible == org.b1


def test_doc3_overdue_loan_reminder_sent_once_and_return_recorded(
    org, docs, filed_last_year
):
    with time_machine.travel(NOW, tick=False):
        entry = services.archive_year(year=2025, by=docs.user)[0]
        loan = services.loan_register(
            entry=entry,
            by=docs.user,
            borrower=org.b1,
            purpose="查阅",
            lent_on=datetime.date(2026, 1, 12),
            due_on=datetime.date(2026, 1, 19),
        )
    Notification.objects.all().delete()
    for _ in range(2):
        deadlines_scan(today=datetime.date(2026, 1, 18), commit=True)
    assert list(
        Notification.objects.values_list("recipient__user__username", flat=True)
    ) == ["b1"]
    for _ in range(2):
        deadlines_scan(today=datetime.date(2026, 1, 21), commit=True)
    overdue = Notification.objects.exclude(recipient=org.b1)
    assert list(overdue.values_list("recipient__user__username", flat=True)) == [
        "head_b"
    ]
    with time_machine.travel(
        datetime.datetime(2026, 1, 22, 10, 0, tzinfo=TZ), tick=False
    ):
        services.loan_return(loan=loan, by=docs.user, on=datetime.date(2026, 1, 22))
    loan.refresh_from_db()
    assert loan.returned_on == datetime.date(2026, 1, 22)
    assert Deadline.objects.get(kind="documents.loan").state == "missed"


def test_doc3_loan_pages_by_url(org, docs, filed_last_year, client_for):
    with time_machine.travel(NOW, tick=False):
        entry = services.archive_year(year=2025, by=docs.user)[0]
    client_for(org.b1).post(
        reverse("documents:loan_new") + "?year=2025",
        {
            "entry": entry.pk,
            "borrower": org.b1.pk,
            "purpose": "x",
            "lent_on": "2026-01-12",
            "due_on": "2026-01-19",
        },
    )
    assert not Loan.objects.exists()
    client_for(docs).post(
        reverse("documents:loan_new") + "?year=2025",
        {
            "entry": entry.pk,
            "borrower": org.b1.pk,
            "purpose": "查阅",
            "lent_on": "2026-01-12",
            "due_on": "2026-01-05",
        },
    )
    assert not Loan.objects.exists()
    client_for(docs).post(
        reverse("documents:loan_new") + "?year=2025",
        {
            "entry": entry.pk,
            "borrower": org.b1.pk,
            "purpose": "查阅",
            "lent_on": "2026-01-12",
            "due_on": "2026-01-19",
        },
    )
    loan = Loan.objects.get()
    assert (
        client_for(org.b1).get(reverse("documents:loans")).context["loans"][0] == loan
    )
    assert (
        list(client_for(org.a1).get(reverse("documents:loans")).context["loans"]) == []
    )
    assert (
        client_for(org.b1)
        .post(
            reverse("documents:loan_return", args=[loan.pk]),
            {"returned_on": "2026-01-15"},
        )
        .status_code
        == 403
    )
