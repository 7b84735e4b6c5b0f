"""The pure rules at their boundaries (no database)."""

import datetime

import pytest

from bureau.policies import registry
from deadlines import rules as clock
from petitions import rules

D = datetime.date
# 2026: Labour Day holiday 1–5 May, Saturday 9 May a make-up working day.
MAY = {
    D(2026, 5, 1): False,
    D(2026, 5, 4): False,
    D(2026, 5, 5): False,
    D(2026, 5, 9): True,
}


@pytest.mark.parametrize(
    "phone, ok",
    [
        ("13812345678", True),
        ("138 1234 5678", True),
        ("+86 138-1234-5678", True),
        ("0379-65123456", True),
        ("65123456", True),
        ("12812345678", False),
        ("1381234567", False),
        ("12345", False),
        ("abc", False),
        ("", False),
    ],
)
def test_pet4_contact_number_must_be_a_phone_number(phone, ok):
    """PET-4: a visit or call keeps a contact number; a number that is not one is
    refused."""
    assert rules.valid_phone(phone) is ok


def test_pet1_id_number_checksum():
    """PET-1: the optional ID number is checked (GB 11643 check character)."""
    assert rules.valid_id_number("11010519491231002X")
    assert not rules.valid_id_number("110105194912310021")
    assert not rules.valid_id_number("1101051949123100")


def test_pet4_visits_and_calls_need_a_contact_number_only_letters_may_be_anonymous():
    assert rules.needs_contact_number("visit") and rules.needs_contact_number("phone")
    assert not rules.needs_contact_number("letter")
    assert rules.may_be_anonymous("letter")
    assert not any(rules.may_be_anonymous(c) for c in ("visit", "phone", "email"))


@pytest.mark.parametrize(
    "days_apart, same_id, same_phone, same_category, expected",
    [
        (90, True, False, False, True),
        (91, True, False, False, False),
        (10, False, True, True, True),
        (10, False, True, False, False),
        (10, False, False, True, False),
    ],
)
def test_pet1_likely_duplicate_within_the_window(
    days_apart, same_id, same_phone, same_category, expected
):
    """PET-1: same petitioner, or same phone and category, within 90 days (both
    ends included)."""
    a = D(2026, 1, 1)
    assert (
        rules.likely_duplicate(
            a_received=a,
            b_received=a + datetime.timedelta(days=days_apart),
            window_days=90,
            same_id_number=same_id,
            same_phone=same_phone,
            same_category=same_category,
        )
        is expected
    )


def test_pet1_objection_counts_working_days():
    """PET-1: routed Thursday 30 April 2026, 3 working days: the holiday 1–5 May
    does not count, Wednesday 6, Thursday 7 and Friday 8 do: last day 8 May."""
    last = rules.objection_last_day(
        routed_on=D(2026, 4, 30), working_days=3, exceptions=MAY
    )
    assert last == D(2026, 5, 8)
    assert rules.may_object(on=D(2026, 5, 8), last_day=last)
    assert not rules.may_object(on=D(2026, 5, 9), last_day=last)


@pytest.mark.parametrize("days, ok", [(0, False), (1, True), (30, True), (31, False)])
def test_pet2_extension_at_most_30_days(days, ok):
    """PET-2: an extension of 30 days is allowed, 31 is not."""
    assert rules.extension_days_allowed(days, 30) is ok


def test_pet2_extension_only_once():
    assert rules.may_extend(granted_or_pending=0, max_times=1)
    assert not rules.may_extend(granted_or_pending=1, max_times=1)


def test_pet2_day_15_is_on_time_day_16_is_late_calendar():
    """PET-2: received 1 June 2026: 15 calendar days end 16 June."""
    due = clock.due_date(start=D(2026, 6, 1), length=15, day_type="calendar")
    assert due == D(2026, 6, 16)
    assert rules.on_time(done_on=D(2026, 6, 16), due=due)
    assert not rules.on_time(done_on=D(2026, 6, 17), due=due)


def test_pet2_day_60_is_on_time_day_61_is_late():
    due = clock.due_date(start=D(2026, 6, 1), length=60, day_type="calendar")
    assert due == D(2026, 7, 31)
    assert rules.on_time(done_on=D(2026, 7, 31), due=due)
    assert not rules.on_time(done_on=D(2026, 8, 1), due=due)


def test_pet2_extension_counts_in_the_clocks_day_type():
    """PET-2: 30 more calendar days after 31 July is 30 August; 30 working days
    after Thursday 30 April 2026 skip the May holiday and count Saturday 9 May."""
    assert rules.extended_due(due=D(2026, 7, 31), days=30, day_type="calendar") == D(
        2026, 8, 30
    )
    assert rules.extended_due(
        due=D(2026, 4, 30), days=3, day_type="working", exceptions=MAY
    ) == D(2026, 5, 8)


def test_pet3_review_window_day_30_open_day_31_closed():
    """PET-3: delivered 1 June: a request on 1 July (day 30) is in time; from 2 July
    (day 31) the case can be closed."""
    window_due = clock.due_date(start=D(2026, 6, 1), length=30, day_type="calendar")
    assert window_due == D(2026, 7, 1)
    assert rules.review_window_open(on=D(2026, 7, 1), window_due=window_due)
    assert not rules.review_window_open(on=D(2026, 7, 2), window_due=window_due)
    assert not rules.may_close_after_window(on=D(2026, 7, 1), window_due=window_due)
    assert rules.may_close_after_window(on=D(2026, 7, 2), window_due=window_due)


@pytest.mark.parametrize(
    "channel, anonymous, method, delivered, ok",
    [
        ("letter", False, "post", True, True),
        ("letter", False, "phone", True, False),
        ("letter", False, "post", False, False),
        ("letter", True, "", False, True),
        ("visit", False, "phone", True, True),
        ("phone", False, "phone", False, False),
        ("online", False, "online", True, True),
    ],
)
def test_pet4_what_must_go_back_before_closing(
    channel, anonymous, method, delivered, ok
):
    """PET-4: a signed letter needs a written reply delivered; visits and calls the
    result returned; an anonymous letter nothing."""
    assert (
        rules.reply_satisfies(
            channel=channel, anonymous=anonymous, method=method, delivered=delivered
        )
        is ok
    )


def test_pet4_templates_fill_known_placeholders_only():
    text = rules.fill_template(
        "{number}：{matter}{unknown}", {"number": "1号", "matter": "事"}
    )
    assert text == "1号：事{unknown}"


LADDER = [
    {"after_days": 0, "to": "section_head"},
    {"after_days": 3, "to": "deputy_in_charge"},
    {"after_days": 7, "to": "director"},
]


@pytest.mark.parametrize(
    "overdue, rungs",
    [(0, []), (1, [0]), (3, [0]), (4, [0, 1]), (7, [0, 1]), (8, [0, 1, 2])],
)
def test_pet5_ladder_rungs_by_days_overdue(overdue, rungs):
    """PET-5: section head the day after the due date, deputy after 3 days overdue,
    director after 7."""
    assert rules.rungs_due(overdue_days=overdue, ladder=LADDER) == rungs


def test_pet5_ladder_validator_refuses_unknown_relations_and_disorder():
    rules.validate_ladder(
        {"ladder": LADDER}, relations=["section_head", "deputy_in_charge", "director"]
    )
    with pytest.raises(ValueError):
        rules.validate_ladder({"ladder": LADDER}, relations=["section_head"])
    with pytest.raises(ValueError):
        rules.validate_ladder({"ladder": list(reversed(LADDER))})


def test_pet7_query_code_hash_ignores_dashes_and_case():
    assert rules.hash_query_code("ab12-cd34") == rules.hash_query_code("AB12CD34")
    assert len(rules.hash_query_code("x")) == 64
    assert rules.public_status("routed") == "received"
    assert rules.public_status("replied") == "answered"


def test_policy_defaults_pass_their_validators():
    for key in (
        "petitions.duplicate_window",
        "petitions.objection",
        "petitions.extension",
        "petitions.extension_chain",
        "petitions.escalation",
        "petitions.reply_templates",
    ):
        definition = registry.get(key)
        definition.validator(definition.default)
