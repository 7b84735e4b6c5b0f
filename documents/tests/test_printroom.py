"""DOC-4: every print or copy job logged with who asked, what, copies and the
copy numbers of a secret document; no job without a work reason; a monthly
summary per section."""

import datetime

import pytest
from django.urls import reverse

from documents import rules, services
from documents.models import PrintJob
from documents.services import DocumentError

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 3)


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("1-3,5", [1, 2, 3, 5]),
        ("7", [7]),
        (" 1 - 2 ，4", [1, 2, 4]),
        ("", None),
        ("0-2", None),
        ("3-1", None),
        ("1,1", None),
        ("a-b", None),
        ("1-2-3", None),
    ],
)
def test_doc4_parse_copy_numbers(text, numbers):
    assert rules.parse_copy_numbers(text) == numbers


@pytest.mark.parametrize(
    "reason, copies, secret, copy_numbers, problem",
    [
        ("", 5, False, "", "reason"),
        ("   ", 5, False, "", "reason"),
        ("印发通知", 0, False, "", "copies"),
        ("印发通知", 5, False, "", None),
        ("印发通知", 3, True, "1-3", None),
        ("印发通知", 3, True, "1-2", "copy_numbers"),
        ("印发通知", 3, True, "", "copy_numbers"),
    ],
)
def test_doc4_print_job_problem(reason, copies, secret, copy_numbers, problem):
    assert (
        rules.print_job_problem(
            reason=reason, copies=copies, secret=secret, copy_numbers=copy_numbers
        )
        == problem
    )


def _log(by, **extra):
    fields = {
        "kind": "print",
        "what": "关于开展宣传月活动的通知",
        "doc_number": "测计生〔2026〕3号",
        "copies": 20,
        "reason": "印发各乡镇",
        "done_on": DAY,
    }
    fields.update(extra)
    return services.print_job_log(by=by.user, **fields)


def test_doc4_jobs_without_a_work_reason_are_refused_and_nothing_is_logged(org, docs):
    with pytest.raises(DocumentError, match="DOC-4"):
        _log(org.b1, reason="")
    with pytest.raises(DocumentError):
        _log(org.b1, secrecy=1, copies=3, copy_numbers="1-2")
    with pytest.raises(DocumentError):
        _log(org.b1, requested_by=org.a1)  # only the print room logs for others
    assert not PrintJob.objects.exists()
    job = _log(org.b1, secrecy=1, copies=3, copy_numbers="1-3")
    assert (job.requested_by, job.section, job.copy_numbers) == (
        org.b1,
        org.section_b,
        "1-3",
    )
    other = _log(docs, requested_by=org.a1, copies=2)
    assert other.requested_by == org.a1 and other.logged_by == docs.user


def test_doc4_monthly_summary_per_section_and_the_log_is_scoped(org, docs, client_for):
    _log(org.b1, copies=20)
    _log(org.b1, copies=5)
    _log(org.a1, copies=3)
    _log(org.a1, copies=4, done_on=datetime.date(2026, 10, 30))
    page = client_for(docs).get(
        reverse("documents:print_summary"), {"month": "2026-11"}
    )
    rows = {r["section__name"]: (r["jobs"], r["copies"]) for r in page.context["rows"]}
    assert rows == {"法规股": (2, 25), "综合股": (1, 3)}
    assert page.context["total_copies"] == 28
    own = client_for(org.b1).get(reverse("documents:print_log"), {"month": "2026-11"})
    assert {j.requested_by for j in own.context["page"]} == {org.b1}
    head = client_for(org.head_b).get(
        reverse("documents:print_log"), {"month": "2026-11"}
    )
    assert len(head.context["page"]) == 2
    assert (
        client_for(org.a2)
        .get(reverse("documents:print_log"), {"month": "2026-11"})
        .context["page"]
        .paginator.count
        == 0
    )


def test_doc4_log_on_the_page_keeps_what_was_typed(org, client_for):
    client = client_for(org.b1)
    response = client.post(
        reverse("documents:print_log"),
        {
            "kind": "copy",
            "what": "会议材料",
            "copies": "10",
            "secrecy": "0",
            "reason": "",
            "done_on": "2026-11-03",
        },
    )
    assert response.status_code == 400 and "会议材料" in response.content.decode()
    assert not PrintJob.objects.exists()
    response = client.post(
        reverse("documents:print_log"),
        {
            "kind": "copy",
            "what": "会议材料",
            "copies": "10",
            "secrecy": "0",
            "reason": "局务会用",
            "done_on": "2026-11-03",
            "requested_by": "999",
        },
    )
    assert response.status_code == 302
    assert PrintJob.objects.get().requested_by == org.b1
