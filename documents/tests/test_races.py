"""DOC-1 on PostgreSQL: the clerk's numberings at the same moment give distinct,
consecutive numbers; a rolled-back numbering leaves no gap; one document asked
for at once by two gets one number."""

import threading

import pytest
from django.db import connection, connections, transaction

from bureau.models import Position, Role
from bureau.policies import registry
from bureau.testing import make_person, small_org
from documents import services
from documents.models import DocumentType, OutgoingDocument
from documents.tests.conftest import proofread
from numbering.models import Number

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def world(db):
    registry.load_defaults()
    # A transactional test empties the tables the migration seeded.
    DocumentType.objects.get_or_create(code="notice", defaults={"name": "通知"})
    org = small_org()
    org.docs = make_person(
        "docs",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.DOCUMENT_CLERK],
    )
    return org


def _ready(org, count):
    """One document through the whole journey, the others copied at the same
    stage (signed and proofread) to keep the setup short."""
    first = proofread(org)
    notice = DocumentType.objects.get(code="notice")
    others = [
        OutgoingDocument.objects.create(
            level="bureau",
            doc_type=notice,
            title=f"文件{i}",
            main_recipients="各乡镇",
            drafter=org.b1,
            unit=org.organ,
            section=org.section_b,
            status=OutgoingDocument.Status.PROOFREAD,
        )
        for i in range(count - 1)
    ]
    return [first, *others]


def _run_all(targets, work):
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def run(target):
        try:
            barrier.wait()
            outcomes.append(work(target))
        except Exception as exc:  # noqa: BLE001  (counted by the test)
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_doc1_50_concurrent_numberings_give_50_distinct_consecutive_numbers(world):
    documents = _ready(world, 50)
    outcomes = _run_all(
        documents,
        lambda d: services.outgoing_number(document=d, by=world.docs.user).doc_number,
    )
    assert len(set(outcomes)) == 50
    assert sorted(Number.objects.values_list("n", flat=True)) == list(range(1, 51))
    numbers = set(OutgoingDocument.objects.values_list("doc_number", flat=True))
    assert numbers == set(outcomes)


def test_doc1_concurrent_numberings_of_which_some_roll_back_leave_no_gap(world):
    documents = _ready(world, 20)

    def work(document):
        with transaction.atomic():
            services.outgoing_number(document=document, by=world.docs.user)
            if document.pk % 4 == 0:
                raise RuntimeError("rolled back")
        return "ok"

    outcomes = _run_all(documents, work)
    committed = outcomes.count("ok")
    assert sorted(Number.objects.values_list("n", flat=True)) == list(
        range(1, committed + 1)
    )


def test_doc1_one_document_numbered_by_ten_at_once_gets_one_number(world):
    (document,) = _ready(world, 1)
    outcomes = _run_all(
        [document] * 10,
        lambda d: services.outgoing_number(document=d, by=world.docs.user).doc_number,
    )
    assert Number.objects.count() == 1
    assert outcomes.count("DocumentError") == 9
