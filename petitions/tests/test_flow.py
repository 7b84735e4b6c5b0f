"""PET-1 (registration, routing, objection, duplicates, merge), PET-4 (replies),
PET-6 (the owning leader): services, refusals that save nothing."""

import datetime

import pytest
import time_machine

from attachments.models import Attachment
from attachments.testing import upload
from bureau.models import Policy
from numbering.models import Number
from petitions import selectors, services
from petitions.models import DECIDE, Case, Identity, Routing
from petitions.tests.conftest import (
    DAY0,
    at,
    conclude,
    decide,
    deliver,
    register,
    route,
)

pytestmark = pytest.mark.django_db
days = datetime.timedelta


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"summary": "  "}, "不能为空"),
        ({"phone": "12345"}, "不是有效的电话号码"),
        ({"channel": "visit", "phone": ""}, "联系电话"),
        ({"channel": "phone", "anonymous": True, "name": ""}, "匿名"),
        ({"id_number": "110105194912310021"}, "身份证号码"),
        ({"name": ""}, "姓名"),
    ],
)
def test_pet1_bad_registration_is_refused_and_nothing_is_saved(pet, kw, message):
    """PET-1/PET-4: an empty matter, a phone that is not one, a visit without a
    contact number, an anonymous call, a wrong ID number: a clear message, no case,
    no identity, no number taken."""
    with pytest.raises(services.PetitionError, match=message):
        register(pet, **kw)
    assert (Case.objects.count(), Identity.objects.count(), Number.objects.count()) == (
        0,
        0,
        0,
    )


def test_pet1_registration_number_identity_apart_and_the_letters_scan(pet):
    """PET-1: the number from the series, the 15-day clock from the receipt, the
    identity in its own record, the scan attached to the identity under a name
    that says nothing about the writer."""
    scan = upload("张三的来信.pdf")
    case = register(pet, scan=scan)
    assert case.number == "测计生信〔2026〕1号"
    assert case.identity.name == "张三" and case.identity.phone == "13812345678"
    assert "张三" not in case.summary
    attachment = Attachment.objects.get()
    assert attachment.object_id == case.identity.pk and "张三" not in attachment.name
    assert selectors.deadline_of(case, DECIDE).due_date == DAY0 + days(15)
    assert register(pet, on=DAY0 + days(1)).number == "测计生信〔2026〕2号"


def test_pet1_anonymous_letter_and_visit_with_contact_number(pet):
    assert register(pet, anonymous=True, name="", phone="").anonymous
    case = register(pet, channel="visit", phone="0379-65123456")
    assert case.identity.phone == "037965123456"


def test_pet1_duplicates_within_the_window_and_merge_keeps_both_histories(pet):
    """PET-1: the same phone about the same category within 90 days is a likely
    duplicate; after 91 days or another category it is not. Merging keeps both
    cases and their histories, the merged one's clock cancelled."""
    first = register(pet)
    same = register(pet, on=DAY0 + days(90), name="张三丰")
    later = register(pet, on=DAY0 + days(91))
    other = register(pet, on=DAY0 + days(5), category=pet.land)
    dupes = list(selectors.likely_duplicates(first, 90))
    assert same in dupes and later not in dupes and other not in dupes
    by_id = register(
        pet, on=DAY0 + days(3), phone="13900000000", id_number="11010519491231002X"
    )
    by_id2 = register(
        pet,
        on=DAY0 + days(4),
        phone="13700000000",
        id_number="11010519491231002x",
        category=pet.land,
    )
    assert by_id2 in selectors.likely_duplicates(by_id, 90)
    with time_machine.travel(at(DAY0 + days(90)), tick=False):
        services.case_merge(case=same, into=first, by=pet.officer.user)
    same.refresh_from_db()
    assert same.status == Case.Status.MERGED and same.merged_into == first
    assert selectors.deadline_of(same, DECIDE).state == "cancelled"
    assert same.history.count() >= 2 and first.history.exists()
    with pytest.raises(services.PetitionError):
        services.case_merge(case=first, into=first, by=pet.officer.user)


def test_pet1_routing_objection_within_working_days_and_rerouting_recorded(pet):
    """PET-1: routed Monday 1 June; objecting on Thursday 4 June (3rd working day)
    is accepted, the officer routes again with a reason (recorded) and the clock
    runs on from the receipt."""
    case = register(pet)
    route(pet, case)
    with time_machine.travel(at(DAY0 + days(3)), tick=False):
        services.routing_object(case=case, by=pet.org.b1.user, reason="不属我股职责")
    case.refresh_from_db()
    assert case.status == Case.Status.OBJECTED
    with pytest.raises(services.PetitionError, match="再次转办"):
        route(
            pet, case, on=DAY0 + days(4), section=pet.org.section_a, handler=pet.org.a1
        )
    with time_machine.travel(at(DAY0 + days(4)), tick=False):
        services.case_route(
            case=case,
            by=pet.officer.user,
            section=pet.org.section_a,
            handler=pet.org.a1,
            note="改由综合股办理",
            on=DAY0 + days(4),
        )
    assert Routing.objects.filter(case=case).count() == 2
    deadline = selectors.deadline_of(case, DECIDE)
    assert deadline.due_date == DAY0 + days(15) and deadline.responsible == pet.org.a1


def test_pet1_objection_after_the_working_days_is_refused(pet):
    case = register(pet)
    route(pet, case)
    with (
        time_machine.travel(at(DAY0 + days(4)), tick=False),
        pytest.raises(services.PetitionError, match="2026-06-04"),
    ):
        services.routing_object(case=case, by=pet.org.b1.user, reason="不属我股职责")
    case.refresh_from_db()
    assert case.status == Case.Status.ROUTED


def test_pet1_restart_policy_counts_the_15_days_from_the_rerouting(pet):
    Policy(
        key="petitions.objection",
        effective_from=datetime.date(2026, 1, 1),
        value={"working_days": 3, "restart_clock": True},
    ).save()
    case = register(pet)
    route(pet, case)
    with time_machine.travel(at(DAY0 + days(2)), tick=False):
        services.routing_object(case=case, by=pet.org.b1.user, reason="不属我股职责")
    with time_machine.travel(at(DAY0 + days(5)), tick=False):
        services.case_route(
            case=case,
            by=pet.officer.user,
            section=pet.org.section_a,
            note="改派",
            on=DAY0 + days(5),
        )
    assert selectors.deadline_of(case, DECIDE).due_date == DAY0 + days(5 + 15)


def test_pet1_township_case_answers_entered_by_the_officer(pet):
    """PET-1: a local matter routed to the township: the officer enters the
    township's decision and conclusion; the township's section head cannot."""
    case = register(pet, category=pet.land)
    with time_machine.travel(at(DAY0), tick=False):
        services.case_route(case=case, by=pet.officer.user, township=pet.east, on=DAY0)
    with pytest.raises(services.PetitionError):
        decide(pet, case, on=DAY0 + days(1), by=pet.org.head_b)
    decide(pet, case, on=DAY0 + days(1), by=pet.officer)
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED


def test_pet4_signed_letter_cannot_close_without_a_delivered_written_reply(pet):
    """PET-4: concluded but not delivered: closing is refused; a phone call is not a
    written reply to a signed letter."""
    case = register(pet)
    route(pet, case)
    decide(pet, case, on=DAY0)
    conclude(pet, case, on=DAY0 + days(5))
    with time_machine.travel(at(DAY0 + days(50)), tick=False):
        with pytest.raises(services.PetitionError, match="尚未送达"):
            services.case_close(case=case, by=pet.officer.user)
        with pytest.raises(services.PetitionError, match="书面答复"):
            services.reply_deliver(
                case=case,
                by=pet.officer.user,
                method="phone",
                delivered_on=DAY0 + days(6),
            )
    case.refresh_from_db()
    assert case.status == Case.Status.CONCLUDED


def test_pet4_a_visit_gets_its_result_back_by_phone(pet):
    case = register(pet, channel="visit")
    route(pet, case)
    decide(pet, case, on=DAY0)
    conclude(pet, case, on=DAY0 + days(5), outcome="explain")
    reply = deliver(pet, case, on=DAY0 + days(6), method="phone")
    assert reply.method == "phone" and reply.delivered_on == DAY0 + days(6)


def test_pet4_not_accepted_gets_a_notice_from_the_template(pet):
    case = register(pet)
    route(pet, case)
    decide(pet, case, on=DAY0 + days(2), decision="not_accepted")
    notice = case.replies.get()
    assert (
        notice.kind == "notice"
        and "不属于本机关职责" in notice.text
        and case.number in notice.text
    )


def test_pet4_anonymous_letter_closes_once_concluded(pet):
    case = register(pet, anonymous=True, name="", phone="")
    route(pet, case)
    decide(pet, case, on=DAY0)
    conclude(pet, case, on=DAY0 + days(3))
    with time_machine.travel(at(DAY0 + days(3)), tick=False):
        services.case_close(case=case, by=pet.officer.user)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_pet6_owner_is_a_leader_not_the_subject(pet):
    case = register(pet, subject=pet.org.dep_a)
    with pytest.raises(services.PetitionError):
        services.case_set_owner(case=case, by=pet.officer.user, owner=pet.org.head_a)
    with pytest.raises(services.PetitionError):
        services.case_set_owner(case=case, by=pet.officer.user, owner=pet.org.dep_a)
    services.case_set_owner(case=case, by=pet.officer.user, owner=pet.org.dep_b)
    assert selectors.cases_owned_by(pet.org.dep_b) == [case]


def test_pet7_routing_to_the_subject_is_refused(pet):
    case = register(pet, subject=pet.org.b1)
    with pytest.raises(services.PetitionError, match="PET-7"):
        route(pet, case)
