"""Services on the database: recording, deciding, recomputing, appraising."""

import datetime
import io

import pytest

from discipline import registry, rules
from discipline.models import Appraisal, Outcome, OutcomeRevision, Violation
from discipline.services import (
    DisciplineError,
    appraisal_decide,
    discipline_recompute,
    outcome_decide,
    outcome_revise,
    violation_decide,
    violation_dismiss_for_source,
    violation_record_apology,
    window_appraisal_save,
)
from meetings.models import DIRECTOR_OFFICE, TOPIC
from meetings.testing import held_meeting

pytestmark = pytest.mark.django_db


def in_force(person, year=2026):
    return list(
        Outcome.objects.filter(
            person=person, year=year, status=Outcome.Status.IN_FORCE
        ).order_by("violation__occurred_on", "key")
    )


def cap(person, year=2026):
    caps = [o.cap_rank for o in in_force(person, year) if o.cap_rank]
    return max(caps) if caps else None


def test_att11_each_incident_produces_its_outcome_automatically(org, record):
    """ATT-11: the n-th late arrival of the year produces the n-th outcome, linked to
    that violation; the 5th brings a proposal and the 基本稱職 cap."""
    violations = [
        record(org.a1, datetime.date(2026, 3, day), "attendance.late")
        for day in (2, 3, 4, 5, 6)
    ]
    assert [v.ladder_step for v in violations] == [1, 2, 3, 4, 5]
    by_violation = {}
    for outcome in in_force(org.a1):
        by_violation.setdefault(outcome.violation_id, set()).add(outcome.kind)
    assert by_violation[violations[0].pk] == {rules.CRITICISM}
    assert by_violation[violations[1].pk] == {rules.SELF_EXAM_SECTION}
    assert rules.EFFICIENCY_WARNING in by_violation[violations[2].pk]
    assert rules.SANCTION_PROPOSAL in by_violation[violations[4].pk]
    assert cap(org.a1) == rules.RANK[rules.BASIC]


def test_year_boundary_31_december_and_1_january(org, record):
    """DIS-1..4, ATT-11: counts are per calendar year: the 31 December violation is
    the year's 2nd; the 1 January one starts the next year at 1."""
    record(org.a1, "2025-06-01", "discipline.first_inquiry")
    last = record(org.a1, "2025-12-31", "discipline.first_inquiry")
    first = record(org.a1, "2026-01-01", "discipline.first_inquiry")
    assert last.ladder_step == 2
    assert first.ladder_step == 1
    assert cap(org.a1, 2025) == rules.RANK[rules.BASIC]
    assert cap(org.a1, 2026) is None
    assert {o.kind for o in in_force(org.a1, 2026)} == {
        rules.SELF_CRITICISM,
        rules.ADMONITION,
    }


def test_dis2_dismissed_complaint_does_not_count(org, record):
    """DIS-2: a complaint waits for the inspector; dismissed, it counts for nothing,
    and the next upheld one is the 1st."""
    complaint = record(org.b1, "2026-04-01", "discipline.one_time_notice")
    assert complaint.status == Violation.Status.PENDING
    assert in_force(org.b1) == []
    violation_decide(
        violation=complaint, upheld=False, by=org.inspector.user, note="无据"
    )
    second = record(org.b1, "2026-05-01", "discipline.one_time_notice")
    violation_decide(violation=second, upheld=True, by=org.inspector.user)
    second.refresh_from_db()
    complaint.refresh_from_db()
    assert second.ladder_step == 1 and complaint.ladder_step is None
    assert cap(org.b1) == rules.RANK[rules.BASIC]
    assert second.history.first().history_user == org.inspector.user


def test_dismissing_an_upheld_violation_recomputes_and_is_idempotent(org, record):
    """DIS-3/DIS-4: dismissing the 2nd violation withdraws its warning through a
    recorded revision, the 3rd becomes the 2nd; recomputing again changes nothing."""
    v1 = record(org.a1, "2026-02-01")
    v2 = record(org.a1, "2026-03-01")
    v3 = record(org.a1, "2026-04-01")
    assert [
        o.violation_id for o in in_force(org.a1) if o.kind == rules.EFFICIENCY_WARNING
    ] == [v2.pk, v3.pk]
    assert cap(org.a1) == rules.RANK[rules.BASIC]
    with pytest.raises(DisciplineError):
        violation_decide(violation=v2, upheld=False, by=org.inspector.user)
    violation_decide(violation=v2, upheld=False, by=org.inspector.user, note="系误记")
    v3.refresh_from_db()
    assert v3.ladder_step == 2
    warnings = [o for o in in_force(org.a1) if o.kind == rules.EFFICIENCY_WARNING]
    assert [o.violation_id for o in warnings] == [v3.pk]
    assert cap(org.a1) == rules.RANK[rules.COMPETENT]
    withdrawn = Outcome.objects.filter(person=org.a1, status=Outcome.Status.WITHDRAWN)
    assert withdrawn.exists()
    assert (
        OutcomeRevision.objects.filter(outcome__in=withdrawn).count()
        == withdrawn.count()
    )
    before = sorted(Outcome.objects.values_list("pk", "status"))
    result = discipline_recompute(person_id=org.a1.pk, year=2026)
    assert not result.changed
    assert sorted(Outcome.objects.values_list("pk", "status")) == before
    assert v1.outcomes.get().kind == rules.ADMONITION


def test_decided_outcome_changes_only_through_a_recorded_revision(org, record):
    """A decided outcome keeps its decision; a change is a revision with a reason;
    when the violation is dismissed, the withdrawal is a recorded revision too."""
    for month in (1, 2, 3, 4, 5):
        record(org.a1, datetime.date(2026, month, 10), "attendance.late")
    proposal = Outcome.objects.get(person=org.a1, kind=rules.SANCTION_PROPOSAL)
    outcome_decide(outcome=proposal, decision="警告处分", by=org.inspector.user)
    with pytest.raises(DisciplineError):
        outcome_decide(outcome=proposal, decision="记过", by=org.inspector.user)
    with pytest.raises(DisciplineError):
        outcome_revise(
            outcome=proposal, by=org.inspector.user, reason=" ", decision="记过"
        )
    revision = outcome_revise(
        outcome=proposal,
        by=org.inspector.user,
        reason="局务会复议",
        decision="记过处分",
    )
    assert revision.changes == {"decision": ["警告处分", "记过处分"]}
    fifth = proposal.violation
    violation_decide(violation=fifth, upheld=False, by=org.inspector.user, note="补假")
    proposal.refresh_from_db()
    assert proposal.status == Outcome.Status.WITHDRAWN
    assert proposal.decision == "记过处分"
    assert proposal.revisions.count() == 2
    assert "补假" in proposal.revisions.last().reason


def test_violation_record_is_idempotent_per_source(org, record):
    """One violation per kind and source record: a task run twice adds nothing."""
    source = org.head_a  # any model instance stands for the source record
    one = record(org.a1, "2026-03-03", "attendance.late", source=source)
    two = record(org.a1, "2026-03-03", "attendance.late", source=source)
    assert one.pk == two.pk
    assert Violation.objects.count() == 1
    assert (
        violation_dismiss_for_source(
            kind="attendance.late", source=source, by=None, note="补请假 LV-8"
        )
        == 1
    )
    assert in_force(org.a1) == []


def test_dis5_meeting_warning_cites_the_meeting_decision(org, record):
    """DIS-5: the warning cites the bureau affairs meeting's decision by its key."""
    _meeting, (decision,) = held_meeting(org, texts=("给予效能告诫。",))
    with pytest.raises(DisciplineError):
        record(org.b1, "2026-06-01", "discipline.meeting_warning")
    v = record(
        org.b1,
        "2026-06-01",
        "discipline.meeting_warning",
        meeting_decision=decision,
        by=org.inspector.user,
    )
    assert v.meeting_decision == decision
    assert v.reference == ""
    assert sorted(o.kind for o in in_force(org.b1)) == [
        rules.EFFICIENCY_WARNING,
        rules.GRADE_CAP,
    ]
    assert cap(org.b1) == rules.RANK[rules.COMPETENT]


def test_dis5_decision_the_recorder_may_not_see_is_refused(org, record):
    """DIS-5: a topic meeting's decision on section B's item is not the inspector's
    to see (section A; the inspector reads the bureau affairs minutes only): citing
    it is refused with a clear message and nothing is recorded."""
    _meeting, (hidden,) = held_meeting(org, kind=TOPIC, proposers=[org.head_b])
    with pytest.raises(DisciplineError, match="无权查看"):
        record(
            org.b1,
            "2026-06-01",
            "discipline.meeting_warning",
            meeting_decision=hidden,
            by=org.inspector.user,
        )
    assert not Violation.objects.exists()


def test_dis5_decision_of_another_kind_of_meeting_is_refused(org, record):
    """DIS-5: only the bureau affairs meeting decides the warning."""
    _meeting, (office,) = held_meeting(org, kind=DIRECTOR_OFFICE)
    with pytest.raises(DisciplineError, match="局务会"):
        record(
            org.b1,
            "2026-06-01",
            "discipline.meeting_warning",
            meeting_decision=office,
            by=org.admin,
        )
    assert not Violation.objects.exists()


def test_dis1_apology_is_recorded(org, record):
    """DIS-1, DIS-2: the apology to the person served is part of the record."""
    v = record(org.a1, "2026-03-03", "discipline.first_inquiry")
    with pytest.raises(DisciplineError):
        violation_record_apology(
            violation=v, made_on=datetime.date(2026, 3, 1), note="x", by=None
        )
    violation_record_apology(
        violation=v,
        made_on=datetime.date(2026, 3, 4),
        note="当面向群众道歉",
        by=org.inspector.user,
    )
    v.refresh_from_db()
    assert v.apology_made_on == datetime.date(2026, 3, 4)
    other = record(org.a1, "2026-03-05", "attendance.late")
    with pytest.raises(DisciplineError):
        violation_record_apology(
            violation=other,
            made_on=datetime.date(2026, 3, 6),
            note="x",
            by=None,
        )


def test_dis6_final_grade_above_the_cap_is_refused(org, record):
    """DIS-6: with one efficiency warning (cap 稱職) the committee cannot record
    優秀: refused with a clear message, nothing changes; 稱職 is accepted."""
    record(org.a1, "2026-02-01")
    record(org.a1, "2026-03-01")
    with pytest.raises(DisciplineError) as refused:
        appraisal_decide(
            person=org.a1,
            year=2026,
            grade=rules.EXCELLENT,
            by=org.inspector.user,
        )
    assert "Excellent" in str(refused.value) or "优秀" in str(refused.value)
    assert not Appraisal.objects.exists()
    appraisal = appraisal_decide(
        person=org.a1, year=2026, grade=rules.COMPETENT, by=org.inspector.user
    )
    assert appraisal.cap_rank == rules.RANK[rules.COMPETENT]
    with pytest.raises(DisciplineError):
        appraisal_decide(
            person=org.a1,
            year=2026,
            grade=rules.EXCELLENT,
            by=org.inspector.user,
        )
    appraisal.refresh_from_db()
    assert appraisal.final_grade == rules.COMPETENT


def test_dis6_both_grade_scales(org, record, settings):
    """DIS-6 Reading: civil servants 優秀/稱職/基本稱職/不稱職; public-institution
    staff 優秀/合格/基本合格/不合格, rank for rank."""
    from django.utils import translation

    from bureau.models import StaffCategory

    org.u1.staff_category = StaffCategory.PUBLIC_INSTITUTION
    org.u1.save()
    for person in (org.a1, org.u1):
        record(person, "2026-02-01", "discipline.one_time_notice", needs_decision=False)
    with translation.override("zh-hans"):
        with pytest.raises(DisciplineError) as refused:
            appraisal_decide(
                person=org.u1,
                year=2026,
                grade=rules.COMPETENT,
                by=org.inspector.user,
            )
        assert "合格" in str(refused.value) and "基本合格" in str(refused.value)
        a = appraisal_decide(
            person=org.u1, year=2026, grade=rules.BASIC, by=org.inspector.user
        )
        b = appraisal_decide(
            person=org.a1, year=2026, grade=rules.BASIC, by=org.inspector.user
        )
        assert a.grade_display == "基本合格"
        assert b.grade_display == "基本称职"


def test_dis7_window_appraisal_inputs(org):
    """DIS-7: self-report, democratic and peer rating make the composite."""
    record = window_appraisal_save(
        person=org.u1,
        year=2026,
        window="城关镇计生服务窗口",
        self_report="全年受理业务 320 件",
        self_score=92,
        democratic_score=88,
        peer_score=90,
        by=org.inspector.user,
    )
    assert float(record.composite_score) == 89.6
    assert record.suggested_grade == rules.COMPETENT
    with pytest.raises(DisciplineError):
        window_appraisal_save(
            person=org.u1,
            year=2026,
            window="x",
            self_report="x",
            self_score=120,
            democratic_score=1,
            peer_score=1,
        )


def test_policy_versions_judge_by_the_date(org, record):
    """Ladders are policy data: a new version from 1 July changes later violations
    only; outcomes store the version they were judged by."""
    from bureau.models import Policy

    ladder = registry.find_ladder("efficiency").default
    stricter = {"steps": [{"outcomes": [rules.EFFICIENCY_WARNING], "cap": None}]}
    Policy.objects.create(
        key="discipline.ladder.efficiency",
        effective_from=datetime.date(2026, 7, 1),
        value=stricter,
    )
    assert ladder != stricter
    early = record(org.a1, "2026-06-30")
    late = record(org.b1, "2026-07-01")
    assert early.outcomes.get().kind == rules.ADMONITION
    assert {o.kind for o in late.outcomes.all()} == {
        rules.EFFICIENCY_WARNING,
        rules.GRADE_CAP,
    }
    version = Policy.objects.get(
        key="discipline.ladder.efficiency", effective_from="2026-07-01"
    )
    assert (
        late.outcomes.get(kind=rules.EFFICIENCY_WARNING).policy_version_id == version.pk
    )


def test_rebuild_year_matches_per_person_recompute(org, record):
    """DIS-1..4, ATT-11: the bulk rebuild (after a policy change) gives the same
    outcomes as judging each person, and a second run changes nothing."""
    from django.core.management import call_command

    from bureau.models import Policy
    from discipline.services import discipline_rebuild_year

    for day in (2, 3, 4):
        record(org.a1, datetime.date(2026, 3, day))
    record(org.b1, "2026-03-05", "discipline.first_inquiry")
    assert not discipline_rebuild_year(year=2026).changed
    Policy.objects.create(
        key="discipline.ladder.efficiency",
        effective_from=datetime.date(2026, 1, 1),
        value={"steps": [{"outcomes": [rules.ADMONITION], "cap": None}]},
    )
    call_command("discipline_recompute", "--year", "2026", stdout=io.StringIO())
    assert cap(org.a1) == rules.RANK[rules.BASIC]  # dry run: unchanged
    result = discipline_rebuild_year(year=2026)
    assert result.withdrawn and cap(org.a1) is None
    bulk = sorted((o.person_id, o.key, o.violation_id) for o in in_force(org.a1))
    discipline_recompute(person_id=org.a1.pk, year=2026)
    assert (
        sorted((o.person_id, o.key, o.violation_id) for o in in_force(org.a1)) == bulk
    )
    assert not discipline_rebuild_year(year=2026).changed


def test_dis_outcome_withdrawn_by_revision_stays_withdrawn(org, record):
    """A decided outcome withdrawn through a recorded revision stays withdrawn when
    the year is judged again (a later violation, the nightly rebuild): the rules
    do not bring back what a person withdrew with a reason."""
    from discipline.services import discipline_rebuild_year

    first = record(org.a1, "2026-02-02", "discipline.first_inquiry")
    admonition = first.outcomes.get(kind=rules.ADMONITION)
    outcome_decide(outcome=admonition, decision="诫勉谈话", by=None)
    outcome_revise(
        outcome=admonition,
        by=org.inspector.user,
        reason="局务会复议：改为批评教育",
        withdraw=True,
    )
    record(org.a1, "2026-03-02", "discipline.first_inquiry")
    discipline_recompute(person_id=org.a1.pk, year=2026)
    discipline_rebuild_year(year=2026)
    kinds = [o.kind for o in in_force(org.a1) if o.violation_id == first.pk]
    assert kinds == [rules.SELF_CRITICISM]
    admonition.refresh_from_db()
    assert (
        admonition.status == Outcome.Status.WITHDRAWN and admonition.withdrawn_by_hand
    )
    assert Outcome.objects.filter(person=org.a1, kind=rules.ADMONITION).count() == 1


def test_dis_rebuild_task_and_beat_entry(org, record):
    """The nightly Celery task judges the year again through the same service; a
    second run changes nothing. Its beat entry is declared."""
    from bureau.celery import app
    from discipline.tasks import rebuild_year, recompute_person

    record(org.a1, "2026-02-02", "discipline.first_inquiry")
    Outcome.objects.filter(person=org.a1).delete()
    first = rebuild_year.delay(2026).get()
    assert first["created"] == 2
    assert rebuild_year.delay(2026).get() == {
        "created": 0,
        "withdrawn": 0,
        "steps_changed": 0,
    }
    assert recompute_person.delay(org.a1.pk, 2026).get() is False
    assert recompute_person.delay(10**9, 2026).get() is None
    entry = app.conf.beat_schedule["discipline-rebuild-year"]
    assert entry["task"] == "discipline.tasks.rebuild_year"
