"""Numbering's pure rules and the series registry, on their boundaries."""

import pytest

from numbering import registry, rules


@pytest.mark.parametrize(
    ("template", "code", "year", "n", "text"),
    [
        ("{code}〔{year}〕{n}号", "示计生", 2026, 12, "示计生〔2026〕12号"),
        ("{code}〔{year}〕{n}号", "示计生", 2026, 1, "示计生〔2026〕1号"),
        ("{code}〔{year}〕{n}号", "示计生", 2027, 100, "示计生〔2027〕100号"),
        ("局务会纪要〔{year}〕{n}号", "", 2026, 3, "局务会纪要〔2026〕3号"),
    ],
)
def test_doc1_number_is_printed_without_padding_in_hexagonal_brackets(
    template, code, year, n, text
):
    """DOC-1: the organ's code, the year in 〔〕, the number as it is, 号."""
    assert rules.format_number(template, code=code, year=year, n=n) == text


@pytest.mark.parametrize(
    ("numbers", "upto", "gaps"),
    [
        ([], 0, []),
        ([1, 2, 3], 0, []),
        ([1, 2, 3], 3, []),
        ([2, 3], 0, [(1, 1)]),
        ([1, 2, 5, 9], 0, [(3, 4), (6, 8)]),
        ([1, 2], 4, [(3, 4)]),
        ([], 2, [(1, 2)]),
        ([1, 1, 2], 0, []),
    ],
)
def test_gaps_are_the_missing_ranges_up_to_the_counter(numbers, upto, gaps):
    assert rules.gaps_in(numbers, upto=upto) == gaps


def test_audit_of_a_series_year_finds_duplicates_gaps_and_a_counter_behind():
    clean = rules.audit_series_year("s", 2026, [1, 2, 3], counter=3)
    assert clean.ok
    found = rules.audit_series_year("s", 2026, [1, 2, 2, 5], counter=4)
    assert found.duplicates == [2]
    assert found.gaps == [(3, 4)]
    assert found.counter_behind  # the next take would be 5, which exists
    assert not found.ok
    assert rules.audit_series_year("s", 2026, [1], counter=None).counter_behind
    assert rules.ranges_text([(3, 4), (7, 7)]) == "3–4, 7"


@pytest.mark.parametrize(
    "template",
    ["{code}〔{year}〕号", "{code}〔{year}〕{n}号{unit}", "{code}〔{year}〕{n号"],
)
def test_a_series_template_names_n_and_only_known_placeholders(template):
    with pytest.raises(ValueError):
        registry.register_series("test.bad", label="bad", template=template)
    assert registry.get_series("test.bad") is None


def test_a_series_registered_twice_must_be_the_same():
    registry.register_series("test.twice", label="x", template="{year}-{n}")
    try:
        # ready() run again: the same series is a no-op.
        registry.register_series("test.twice", label="x", template="{year}-{n}")
        with pytest.raises(ValueError):
            registry.register_series("test.twice", label="x", template="{n}")
    finally:
        registry.unregister_series("test.twice")


def test_leave_registers_its_form_series():
    """LV-7: the leave chapter registers the printed form's series in its ready()."""
    spec = registry.get_series("leave.form")
    assert spec is not None
    assert spec.uses_code
    assert rules.format_number(spec.template, code="示计生", year=2026, n=5) == (
        "示计生请假〔2026〕5号"
    )
