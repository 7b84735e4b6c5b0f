"""The pure rules: display names, kinds by extension and content, the policy value."""

import pytest

from attachments import rules
from attachments.testing import DOCM, DOCX, EXE, JPEG, OFD, PDF, PNG, XLSX

ALL = ["pdf", "png", "jpeg", "docx", "xlsx", "ofd"]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("病假证明.pdf", "病假证明.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\发票.jpg", "发票.jpg"),
        ("C:\\Users\\王\\扫描件.png", "扫描件.png"),
        ("a\x00b.pdf", "ab.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # no right-to-left trick
        ("  ..hidden.pdf  ", "hidden.pdf"),
        ("tab\tand\nnewline.pdf", "tab and newline.pdf"),
        ("", ""),
        (None, ""),
        ("../..", ""),
        ("/", ""),
        ("\x00\x01", ""),
        ("\u200b\u202e", ""),
    ],
)
def test_display_name_is_cleaned(raw, shown):
    """The name is only for display: path parts, control and invisible characters
    go; nothing left means the file is refused."""
    assert rules.clean_display_name(raw) == shown


def test_very_long_names_are_shortened_keeping_the_extension():
    name = rules.clean_display_name("长" * 500 + ".pdf")
    assert len(name) == rules.MAX_NAME_CHARS and name.endswith(".pdf")
    assert len(rules.clean_display_name("x" * 1000)) == rules.MAX_NAME_CHARS


def _judge(name, content, **kw):
    names = rules.zip_names(content) if content.startswith(b"PK") else None
    return rules.judge(
        name=name,
        size=kw.get("size", len(content)),
        head=content[: rules.HEAD_BYTES],
        names_in_zip=names,
        max_bytes=kw.get("max_bytes", 1000),
        allowed=kw.get("allowed", ALL),
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", PDF, "pdf"),
        ("a.PNG", PNG, "png"),
        ("a.jpg", JPEG, "jpeg"),
        ("a.jpeg", JPEG, "jpeg"),
        ("a.docx", DOCX, "docx"),
        ("a.xlsx", XLSX, "xlsx"),
        ("a.ofd", OFD, "ofd"),
    ],
)
def test_each_allowed_kind_is_recognised_by_name_and_content(name, content, kind):
    verdict = _judge(name, content)
    assert verdict.problem is None and verdict.kind.code == kind


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("", PDF, rules.EMPTY_NAME),
        ("a.pdf", b"", rules.EMPTY_FILE),
        ("virus.pdf", EXE, rules.CONTENT_MISMATCH),  # an .exe renamed .pdf
        ("virus.exe", EXE, rules.TYPE_NOT_ALLOWED),
        ("page.html", b"<html>", rules.TYPE_NOT_ALLOWED),
        ("passwd", PDF, rules.TYPE_NOT_ALLOWED),
        (".pdf", PDF, rules.TYPE_NOT_ALLOWED),  # no name before the extension
        ("photo.png", JPEG, rules.CONTENT_MISMATCH),
        ("macro.docx", DOCM, rules.CONTENT_MISMATCH),  # macros refused
        ("sheet.xlsx", DOCX, rules.CONTENT_MISMATCH),
        ("fake.docx", b"PK\x03\x04broken", rules.CONTENT_MISMATCH),
    ],
)
def test_refusals(name, content, problem):
    assert _judge(name, content).problem == problem


def test_size_limit_boundary():
    assert _judge("a.pdf", PDF, size=1000).problem is None
    assert _judge("a.pdf", PDF, size=1001).problem == rules.TOO_LARGE


def test_a_kind_the_policy_leaves_out_is_refused():
    assert _judge("a.png", PNG, allowed=["pdf"]).problem == rules.TYPE_NOT_ALLOWED


@pytest.mark.parametrize(
    "value",
    [
        {"max_bytes": 0, "types": ["pdf"]},
        {"max_bytes": "10", "types": ["pdf"]},
        {"max_bytes": True, "types": ["pdf"]},
        {"max_bytes": 10, "types": []},
        {"max_bytes": 10, "types": ["exe"]},
        {"max_bytes": 10},
        ["pdf"],
    ],
)
def test_bad_policy_values_are_refused(value):
    with pytest.raises(ValueError):
        rules.validate_limits(value)


def test_default_policy_is_valid():
    from attachments.policies import DEFAULT_LIMITS

    rules.validate_limits(DEFAULT_LIMITS)
