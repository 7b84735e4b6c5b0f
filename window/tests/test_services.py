"""SVC-1, SVC-2: the first-inquiry log, slips from the catalogue version in force,
receipts with their number and committed date, hand-offs, refusals; DIS-2 flagged
when a second slip asks for what the first should have listed."""

import datetime

import pytest
import time_machine

from approvals.models import Notification
from bureau.workdays import TZ
from discipline.models import Violation
from numbering.selectors import number_of
from window import services
from window.models import RECEIPT_SERIES, SLIP_SERIES, Contact, Matter, Receipt, Slip
from window.tests.conftest import NEW_VERSION_FROM, materials

pytestmark = pytest.mark.django_db


def _log(org, who=None, **kw):
    kw.setdefault("visitor", "张三")
    kw.setdefault("summary", "办理生育服务证")
    return services.contact_log(window=org.window, by=(who or org.u1).user, **kw)


def _counts():
    return (
        Contact.objects.count(),
        Matter.objects.count(),
        Slip.objects.count(),
        Receipt.objects.count(),
    )


def test_svc1_every_contact_is_logged_with_its_first_inquiry_officer(win, frozen):
    """A call handled on the spot is logged with who received it, when and how."""
    contact = _log(win, outcome="handled", channel="phone", summary="咨询办证地点")
    assert contact.received_by == win.u1
    assert contact.channel == "phone"
    assert contact.received_at == frozen
    assert contact.matter is None
    assert contact.history.first().history_user == win.u1.user


def test_svc1_only_the_windows_posts_log_its_contacts(win, frozen):
    with pytest.raises(services.WindowError):
        _log(win, who=win.a1, outcome="handled")
    assert _counts() == (0, 0, 0, 0)


def test_svc1_handled_now_closes_the_matter(win, frozen):
    contact = _log(win, outcome="handled", service=win.service)
    assert contact.matter.status == Matter.Status.HANDLED
    assert contact.matter.handled_on == frozen.date()
    assert contact.matter.owner == win.u1


def test_svc1_complete_materials_get_a_numbered_receipt_with_committed_date(
    win, frozen
):
    """Accepted on Tue 10 Nov 2026: 5 working days → Tue 17 Nov (the weekend not
    counted); numbered 测计生受〔2026〕1号, then 2号."""
    contact = _log(win, outcome="accepted", service=win.service)
    receipt = contact.receipt
    assert receipt.version == win.old_version
    assert receipt.committed_on == datetime.date(2026, 11, 17)
    assert receipt.policy_id is not None
    assert number_of(receipt, RECEIPT_SERIES).text == "测计生受〔2026〕1号"
    assert contact.matter.status == Matter.Status.ACCEPTED
    second = _log(win, visitor="李四", outcome="accepted", service=win.service)
    assert number_of(second.receipt, RECEIPT_SERIES).text == "测计生受〔2026〕2号"


def test_svc1_a_matter_is_accepted_once(win, frozen):
    first = _log(win, outcome="accepted", service=win.service)
    before = _counts()
    with pytest.raises(services.WindowError):
        _log(win, outcome="accepted", matter=first.matter)
    assert _counts() == before


def test_svc2_slip_drawn_from_the_version_in_force_on_its_date(win, frozen):
    """Before 16 Nov the slip offers and lists the old version's materials; from
    16 Nov the new one's (with 婚育情况证明); a material of the other version is
    refused and nothing is saved."""
    contact = _log(
        win,
        outcome="notified",
        service=win.service,
        missing=materials(win.old_version, "结婚证", "户口簿"),
    )
    slip = contact.slip
    assert slip.version == win.old_version
    assert {m.name for m in slip.missing.all()} == {"结婚证", "户口簿"}
    assert number_of(slip, SLIP_SERIES).text == "测计生告〔2026〕1号"
    assert contact.matter.status == Matter.Status.AWAITING
    before = _counts()
    with pytest.raises(services.WindowError, match="现行目录版本"):
        _log(
            win,
            outcome="notified",
            service=win.service,
            missing=materials(win.new_version, "婚育情况证明"),
        )
    assert _counts() == before
    later = datetime.datetime.combine(NEW_VERSION_FROM, datetime.time(10), tzinfo=TZ)
    with time_machine.travel(later, tick=False):
        other = _log(
            win,
            visitor="王五",
            outcome="notified",
            service=win.service,
            missing=materials(win.new_version, "婚育情况证明"),
        )
    assert other.slip.version == win.new_version


def test_svc2_a_slip_with_no_material_ticked_is_refused(win, frozen):
    """Clear message, nothing half-saved (no contact, matter, slip or number)."""
    with pytest.raises(services.WindowError, match="勾选全部尚缺材料"):
        _log(win, outcome="notified", service=win.service, missing=[])
    assert _counts() == (0, 0, 0, 0)


def test_svc2_a_service_without_version_in_force_is_refused(win):
    before_catalogue = datetime.datetime(2025, 6, 2, 9, tzinfo=TZ)
    with (
        time_machine.travel(before_catalogue, tick=False),
        pytest.raises(services.WindowError, match="没有"),
    ):
        _log(win, outcome="accepted", service=win.service)
    assert _counts() == (0, 0, 0, 0)


def test_svc2_second_slip_asking_a_new_material_is_flagged_dis2(win, frozen):
    """The visitor comes back with what the first slip listed and is told of one
    more material the catalogue already required: a DIS-2 violation of the first
    slip's officer, pending for the inspector, who is notified."""
    first = _log(
        win,
        outcome="notified",
        service=win.service,
        missing=materials(win.old_version, "结婚证"),
    )
    with time_machine.travel(frozen + datetime.timedelta(days=1), tick=False):
        second = _log(
            win,
            who=win.u2,
            outcome="notified",
            matter=first.matter,
            missing=materials(win.old_version, "户口簿"),
        )
    assert second.matter == first.matter
    assert second.matter.owner == win.u1  # the first-inquiry officer keeps it
    violation = Violation.objects.get()
    assert violation.kind == "discipline.one_time_notice"
    assert violation.person == win.u1
    assert violation.status == Violation.Status.PENDING
    assert "户口簿" in violation.evidence
    assert Notification.objects.filter(recipient=win.inspector).exists()


def test_svc2_asking_again_for_a_listed_material_is_no_breach(win, frozen):
    first = _log(
        win,
        outcome="notified",
        service=win.service,
        missing=materials(win.old_version, "结婚证", "户口簿"),
    )
    _log(
        win,
        outcome="notified",
        matter=first.matter,
        missing=materials(win.old_version, "户口簿"),
    )
    assert not Violation.objects.exists()


def test_svc2_a_material_the_catalogue_added_since_is_no_breach(win, frozen):
    first = _log(
        win,
        outcome="notified",
        service=win.service,
        missing=materials(win.old_version, "结婚证"),
    )
    later = datetime.datetime.combine(NEW_VERSION_FROM, datetime.time(10), tzinfo=TZ)
    with time_machine.travel(later, tick=False):
        _log(
            win,
            outcome="notified",
            matter=first.matter,
            missing=materials(win.new_version, "婚育情况证明"),
        )
    assert not Violation.objects.exists()


def test_svc1_incomplete_then_complete_then_handled(win, frozen):
    """The journey: a slip, back complete → a receipt on the same matter, then
    handled."""
    first = _log(
        win,
        outcome="notified",
        service=win.service,
        missing=materials(win.old_version, "结婚证"),
    )
    back = _log(win, who=win.u2, outcome="accepted", matter=first.matter)
    assert back.receipt.matter == first.matter
    matter = services.matter_handle(matter=first.matter, by=win.u2.user)
    assert matter.status == Matter.Status.HANDLED
    with pytest.raises(services.WindowError):
        _log(win, outcome="handled", matter=matter)


def test_svc1_a_hand_off_must_name_its_receiver(win, frozen):
    with pytest.raises(services.WindowError, match="接收人"):
        _log(win, outcome="handed_off", summary="咨询社会抚养费")
    assert _counts() == (0, 0, 0, 0)
    with pytest.raises(services.WindowError):
        _log(win, outcome="handed_off", handed_to=win.u1)


def test_svc1_the_receiver_sees_the_hand_off_and_takes_it(win, frozen):
    contact = _log(win, outcome="handed_off", handed_to=win.b1, summary="政策咨询")
    assert Notification.objects.filter(recipient=win.b1).exists()
    from window.selectors import queue_for

    assert contact in queue_for(win.b1, frozen)["handoffs"]
    with pytest.raises(services.WindowError):
        services.contact_take(contact=contact, by=win.u2.user)
    services.contact_take(contact=contact, by=win.b1.user)
    contact.refresh_from_db()
    assert contact.taken_at == frozen
    assert contact not in queue_for(win.b1, frozen)["handoffs"]


def test_svc1_unclear_is_asked_of_a_leader_who_answers(win, frozen):
    with pytest.raises(services.WindowError, match="领导"):
        _log(win, outcome="asked_leader", leader=win.a1)
    contact = _log(win, outcome="asked_leader", leader=win.unit_head)
    with pytest.raises(services.WindowError):
        services.contact_answer(contact=contact, answer="可以办", by=win.u2.user)
    services.contact_answer(contact=contact, answer="可以办理", by=win.unit_head.user)
    contact.refresh_from_db()
    assert contact.answer == "可以办理"
    assert Notification.objects.filter(recipient=win.u1).exists()


def test_svc2_a_refusal_states_its_reason_and_basis(win, frozen):
    with pytest.raises(services.WindowError, match="依据"):
        _log(win, outcome="refused", service=win.service, note="不符合条件")
    contact = _log(
        win,
        outcome="refused",
        service=win.service,
        note="不符合条件",
        basis="《条例》第十条",
    )
    assert contact.matter.status == Matter.Status.REFUSED


def test_svc1_outside_the_system_is_explained(win, frozen):
    with pytest.raises(services.WindowError):
        _log(win, outcome="outside", summary="咨询社保")
    contact = _log(win, outcome="outside", summary="咨询社保", note="请到人社局")
    assert contact.note == "请到人社局"


def test_svc1_bad_text_is_refused_with_nothing_saved(win, frozen):
    with pytest.raises(services.WindowError):
        _log(win, outcome="handled", visitor="a\x00b")
    with pytest.raises(services.WindowError):
        _log(win, outcome="handled", summary="长" * 201)
    with pytest.raises(services.WindowError):
        _log(win, outcome="lost")
    assert _counts() == (0, 0, 0, 0)
