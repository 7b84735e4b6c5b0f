import datetime

import pytest
import time_machine

from attachments.testing import upload
from bureau.models import Position, Role
from bureau.testing import make_person
from documents import services
from handovers.models import Handover
from handovers.services import handover_acknowledge, handover_open
from leave.tests.conftest import MONDAY, TZ

FRIDAY = MONDAY + datetime.timedelta(days=4)


@pytest.fixture
def docs(org):
    """The comprehensive section's document clerk (文书)."""
    return make_person(
        "docs",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
        duties=[Role.DOCUMENT_CLERK],
    )


def draft(person, *, level="bureau", title="关于做好年度统计工作的通知", **extra):
    fields = {
        "doc_type": "notice",
        "main_recipients": "各乡镇计生办",
        "copy_to": "县政府办",
        "urgency": 0,
        "secrecy": 0,
        "upload": upload("草稿.pdf"),
    }
    fields.update(extra)
    return services.outgoing_create(by=person.user, level=level, title=title, **fields)


def decide(document, person, decision="approve", comment=""):
    return services.outgoing_decide(
        document=document, by=person.user, decision=decision, comment=comment
    )


def signed(org, person=None, **extra):
    """A bureau document of b1 (section B), checked by dep_b and signed off by the
    director."""
    person = person or org.b1
    document = draft(person, **extra)
    services.outgoing_submit(document=document, by=person.user)
    decide(document, org.dep_b)
    return decide(document, org.director)


def proofread(org, **extra):
    document = signed(org, **extra)
    return services.outgoing_proofread(document=document, by=org.b1.user)


def register(docs, *, title="关于做好2026年度人口统计工作的通知", **extra):
    fields = {
        "sender": "市卫生健康委员会",
        "their_number": "市卫健〔2026〕88号",
        "received_on": datetime.date(2026, 11, 2),
        "urgency": 0,
        "secrecy": 0,
    }
    fields.update(extra)
    return services.incoming_register(by=docs.user, title=title, **fields)


def hand_over(org, colleague=None, start=MONDAY, end=FRIDAY, acknowledge=True):
    """DOC-6: head_b, away on a trip (Monday to Friday unless told), hands over to
    a colleague (a1 unless told), who acknowledges unless told not to."""
    colleague = colleague or org.a1
    handover = handover_open(
        by=org.head_b.user,
        colleague=colleague,
        start_date=start,
        end_date=end,
        kind=Handover.Kind.TRIP,
    )
    if acknowledge:
        handover = handover_acknowledge(handover=handover, by=colleague.user)
    return handover


def after_the_period():
    """The Monday after the handover's Friday, 09:00."""
    return time_machine.travel(
        datetime.datetime.combine(
            FRIDAY + datetime.timedelta(days=3), datetime.time(9), tzinfo=TZ
        ),
        tick=False,
    )
