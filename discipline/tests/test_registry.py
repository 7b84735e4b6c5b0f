"""The registry of violation kinds and ladders: a chapter plugs in without editing
discipline. A toy chapter is registered for a test and taken away again, so the
other tests see the product's registry only."""

import datetime
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from openpyxl import load_workbook

from bureau import policies
from discipline import registry, rules
from discipline.models import Outcome, Violation
from discipline.rules import (
    ADMONITION,
    BASIC,
    COMPETENT,
    CRITICISM,
    EFFICIENCY_WARNING,
    GRADE_CAP,
    RANK,
    rung,
)
from discipline.services import violation_record

YEAR = datetime.date.today().year
PRODUCT_LADDERS = ["attendance", "first_inquiry", "one_time_notice", "efficiency"]
PRODUCT_LADDERS.append("meeting")
PRODUCT_LADDERS.append("vehicle_trips")
# The worked example of docs/new_chapter.md (tests/toy_chapter) is installed when the
# suite runs with tests.settings: a chapter like any other, its ladder after ours.
EXAMPLE = apps.is_installed("tests.toy_chapter")
LADDERS = PRODUCT_LADDERS + (["toy_car_trips"] if EXAMPLE else [])

TOY_LADDER = registry.Ladder(
    "toy",
    rule="TOY-1",
    label="Toy trips (TOY-1)",
    short_label="Toy trips",
    policy_key="tests.toy.ladder",
    default={
        "steps": [
            rung([CRITICISM]),
            rung([ADMONITION]),
            rung([EFFICIENCY_WARNING], BASIC),
        ]
    },
)
TOY_KIND = registry.ViolationKind(
    "toy.trip_without_dispatch", "Trip without dispatch", "TOY-1", "toy"
)


@pytest.fixture
def toy_chapter():
    """A chapter with one kind on its own ladder, registered for one test only."""
    with registry.registered("toy", kinds=[TOY_KIND], ladders=[TOY_LADDER]):
        yield
    assert registry.find_ladder("toy") is None


@pytest.fixture
def orphan_kind():
    """A chapter whose kind counts on a ladder nobody registered."""
    orphan = registry.ViolationKind("toy.orphan", "Orphan", "TOY-2", "nowhere")
    with registry.registered("toy-orphan", kinds=[orphan]):
        yield orphan


def test_product_registry_passes_the_start_up_check():
    """Every kind the chapters register counts on a registered ladder; the ladders
    come in the dashboard's order (ATT-11 first, then DIS-1, DIS-2, DIS-3, DIS-5)."""
    assert registry.check_registry() == []
    assert checks.run_checks(tags=["discipline"]) == []
    assert [ladder.code for ladder in registry.ladders()] == LADDERS
    assert [ladder.rule for ladder in registry.ladders()] == [
        "ATT-11",
        "DIS-1",
        "DIS-2",
        "DIS-3",
        "DIS-5",
        "VEH-5",
    ] + (["TOY-2"] if EXAMPLE else [])
    assert {k.ladder for k in registry.all_kinds()} == set(LADDERS)


def test_kind_on_an_unregistered_ladder_fails_the_system_check(orphan_kind):
    """A kind on a ladder nobody registered is an error at start-up (E001), with a
    message naming the kind, the chapter and the ladder — not a missing outcome."""
    errors = registry.check_registry()
    assert [e.id for e in errors] == ["discipline.E001"]
    assert "'toy.orphan'" in errors[0].msg
    assert "'toy-orphan'" in errors[0].msg
    assert "'nowhere'" in errors[0].msg
    assert "attendance" in errors[0].hint  # the registered ladders are listed
    with pytest.raises(SystemCheckError, match="discipline.E001"):
        call_command("check")


@pytest.mark.django_db
def test_kind_on_an_unregistered_ladder_is_refused_when_recorded(org, orphan_kind):
    """Recording it anyway (no check run, e.g. a worker) fails loudly too."""
    with pytest.raises(ImproperlyConfigured, match="nowhere"):
        violation_record(
            person=org.a1, occurred_on=datetime.date(YEAR, 1, 5), kind="toy.orphan"
        )
    assert not Violation.objects.exists()


def test_unregistering_takes_the_kind_ladder_and_policy_away(toy_chapter):
    """What a test registers leaves no trace: kinds, ladder and its policy go."""
    assert policies.registry.get("tests.toy.ladder").rule == "TOY-1"
    registry.unregister("toy")
    assert registry.find_kind(TOY_KIND.code) is None
    assert registry.find_ladder("toy") is None
    with pytest.raises(KeyError):
        policies.registry.get("tests.toy.ladder")
    assert registry.check_registry() == []


def test_registration_is_one_call_per_chapter_and_codes_are_unique(toy_chapter):
    """The same call again is a no-op (ready() may run twice); a different one, or
    a kind or ladder code another chapter holds, is refused."""
    registry.register("toy", kinds=[TOY_KIND], ladders=[TOY_LADDER])
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register("toy", kinds=[TOY_KIND])
    with pytest.raises(ImproperlyConfigured, match="already registered by 'toy'"):
        registry.register("thief", kinds=[TOY_KIND])
    with pytest.raises(ImproperlyConfigured, match="already registered by 'toy'"):
        registry.register("thief", ladders=[TOY_LADDER])
    assert registry.find_kind(TOY_KIND.code) == TOY_KIND


def test_a_ladder_with_a_bad_default_is_refused_at_registration():
    """The default steps are checked like any policy version."""
    broken = registry.Ladder(
        "broken",
        rule="TOY-3",
        label="Broken",
        short_label="Broken",
        policy_key="tests.broken.ladder",
        default={"steps": [{"outcomes": ["nonsense"], "cap": None}]},
    )
    with pytest.raises(ValueError, match="Step 1: an outcome|第 1 级：有一项处理结果"):
        registry.register("broken", ladders=[broken])
    assert registry.find_ladder("broken") is None


def test_judge_year_counts_on_the_ladders_it_is_given():
    """A registered ladder is pure data for the rules: the n-th violation gets the
    n-th step, past the last the last repeats; its warning counts under DIS-4."""

    def policy_at(key, on):
        value = {
            TOY_LADDER.policy_key: TOY_LADDER.default,
            rules.DIS4_KEY: rules.DEFAULT_DIS4,
        }[key]
        return SimpleNamespace(value=value, id=None)

    violations = [
        rules.Counted(i, datetime.date(2026, 3, i), TOY_KIND.code, "toy")
        for i in range(1, 5)
    ]
    judgement = rules.judge_year(violations, policy_at, {"toy": TOY_LADDER})
    assert judgement.steps == {1: 1, 2: 2, 3: 3, 4: 4}
    by_violation = {
        i: sorted((o.kind, o.rule) for o in judgement.outcomes if o.violation_id == i)
        for i in range(1, 5)
    }
    assert by_violation[1] == [(CRITICISM, "TOY-1")]
    assert by_violation[2] == [(ADMONITION, "TOY-1")]
    assert by_violation[3] == [
        (EFFICIENCY_WARNING, "TOY-1"),
        (GRADE_CAP, "DIS-4"),
        (GRADE_CAP, "TOY-1"),
    ]
    assert by_violation[4] == by_violation[3]  # the 4th is judged like the 3rd
    # Not handed the ladder: nothing is counted on it.
    assert rules.judge_year(violations, policy_at, {}).outcomes == []


@pytest.mark.django_db
def test_registered_toy_ladder_produces_its_outcome_for_the_nth_violation(
    org, toy_chapter
):
    """Through the one service: the 1st toy violation is a criticism, the 2nd an
    admonition, the 3rd an efficiency warning capping the grade at 基本称职 (and the
    warning counts under DIS-4)."""
    recorded = [
        violation_record(
            person=org.a1,
            occurred_on=datetime.date(YEAR, month, 5),
            kind=TOY_KIND.code,
            evidence="car 3 out without a dispatch order",
        )
        for month in (1, 2, 3)
    ]
    assert [v.ladder for v in recorded] == ["toy"] * 3
    assert [v.ladder_step for v in recorded] == [1, 2, 3]
    outcomes = Outcome.objects.filter(status=Outcome.Status.IN_FORCE)
    assert [
        (o.kind, o.rule, o.cap_rank)
        for o in outcomes.filter(violation=recorded[0]).order_by("pk")
    ] == [(CRITICISM, "TOY-1", None)]
    assert [o.kind for o in outcomes.filter(violation=recorded[1])] == [ADMONITION]
    third = {
        (o.kind, o.rule, o.cap_rank) for o in outcomes.filter(violation=recorded[2])
    }
    assert third == {
        (EFFICIENCY_WARNING, "TOY-1", None),
        (GRADE_CAP, "TOY-1", RANK[BASIC]),
        (GRADE_CAP, "DIS-4", RANK[COMPETENT]),
    }
    assert recorded[0].kind_label == "Trip without dispatch"
    assert recorded[0].rule == "TOY-1"


@pytest.mark.django_db
def test_dashboard_and_export_columns_come_from_the_registry(
    org, record, client_for, toy_chapter
):
    """A registered ladder gets its dashboard column (after the product's, by its
    order), its legend entry, its export header and its admin filter; its kind is
    offered on the inspector's form. Nothing in discipline was edited for it."""
    record(org.a1, datetime.date(YEAR, 1, 5), TOY_KIND.code)
    record(org.b1, datetime.date(YEAR, 1, 7), "discipline.first_inquiry")
    client = client_for(org.inspector)

    page = client.get(reverse("discipline:dashboard"), {"year": YEAR})
    assert [code for code, *_rest in page.context["ladders"]] == [*LADDERS, "toy"]
    html = page.content.decode()
    assert "Toy trips" in html and "TOY-1" in html
    assert "Toy trips (TOY-1)" in str(page.context["chart"])
    a1 = next(t for t in page.context["tallies"].people if t.id == org.a1.pk)
    assert a1.ladder_counts == [0] * len(LADDERS) + [1]

    book = load_workbook(
        BytesIO(client.get(reverse("discipline:export"), {"year": YEAR}).content)
    )
    header = [c.value for c in book.worksheets[0][1]]
    end = 3 + len(LADDERS) + 1
    assert header[3:end] == [registry.ladder_label(code) for code in LADDERS] + [
        "Toy trips (TOY-1)"
    ]
    rows = {row[1]: row for row in book.worksheets[0].iter_rows(values_only=True)}
    assert rows[org.a1.name][3:end] == (0,) * len(LADDERS) + (1,)
    assert rows[org.b1.name][3:end] == (0, 1) + (0,) * (len(LADDERS) - 1)

    form = client.get(reverse("discipline:violation_new")).content.decode()
    assert f'value="{TOY_KIND.code}"' in form

    changelist = client.get(reverse("admin:discipline_violation_changelist"))
    assert "ladder=toy" in changelist.content.decode()


@pytest.mark.django_db
def test_dashboard_columns_without_the_toy_chapter(org, record, client_for):
    """The same page with the registered chapters only: no toy column."""
    record(org.a1, datetime.date(YEAR, 1, 5))
    page = client_for(org.inspector).get(reverse("discipline:dashboard"))
    assert [code for code, *_rest in page.context["ladders"]] == LADDERS
    assert "TOY-1" not in page.content.decode()


def test_violation_kind_is_validated_against_the_registry_not_choices():
    """No closed choices on the model (a new kind needs no migration); clean()
    refuses a kind nobody registered and a ladder other than the kind's."""
    assert not Violation._meta.get_field("kind").choices
    assert not Violation._meta.get_field("ladder").choices
    with pytest.raises(ValidationError) as error:
        Violation(kind="nope.unknown", ladder="").clean()
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Violation(kind="attendance.late", ladder="efficiency").clean()
    assert "ladder" in error.value.message_dict
    Violation(kind="attendance.late", ladder="attendance").clean()


def test_dismissal_kind_of_another_ladder_fails_the_check(toy_chapter):
    """ATT-12-like dismissal rules name kinds of their own ladder (E002)."""
    strict = registry.Ladder(
        "strict",
        rule="TOY-4",
        label="Strict",
        short_label="Strict",
        policy_key="tests.strict.ladder",
        default={"steps": [rung([CRITICISM])]},
        dismissal=registry.Dismissal(
            rule="TOY-5",
            policy_key="tests.strict.dismissal",
            default={
                "dismissal_kinds": [TOY_KIND.code],
                "max_days_per_year": 10,
            },
        ),
    )
    with registry.registered("strict", ladders=[strict]):
        assert [e.id for e in registry.check_registry()] == ["discipline.E002"]
    assert registry.check_registry() == []
    with pytest.raises(KeyError):
        policies.registry.get("tests.strict.dismissal")
