"""Issue 17: the deciders' desk at a million requests. "Everything I may see" is
paged by key (submitted_at, id), never counted; a page costs the same wherever it
is; deciding in the admin redirects instead of rebuilding the list."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalRequest
from approvals.services import approval_submit
from bureau.admin_keyset import beyond, decode_cursor, encode_cursor
from bureau.models import Section

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:approvals_approvalrequest_changelist")
ROW = re.compile(r'name="_selected_action" value="(\d+)"')


def _link(html, kind):
    found = re.search(rf'<a href="([^"]+)" class="keyset-{kind}"', html)
    return found and found.group(1).replace("&amp;", "&")


def _requests(org, count, *, requester=None, ties=7):
    """`count` requests of `requester`, `ties` of them at each submission time
    (the sort key's first field ties; the id decides)."""
    requester = requester or org.head_b
    ct = ContentType.objects.get_for_model(Section)
    base = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    start = (
        ApprovalRequest.objects.order_by("-object_id")
        .values_list("object_id", flat=True)
        .first()
        or 0
    )
    rows = [
        ApprovalRequest(
            content_type=ct,
            object_id=start + 1 + i,
            kind="purchase",
            summary=f"请购 {i}",
            requester=requester,
            status=ApprovalRequest.Status.APPROVED,
            submitted_at=base - datetime.timedelta(minutes=i // ties),
        )
        for i in range(count)
    ]
    ApprovalRequest.objects.bulk_create(rows)
    return list(
        ApprovalRequest.objects.filter(requester=requester)
        .order_by("-submitted_at", "-pk")
        .values_list("pk", flat=True)
    )


def _walk(client, url, direction="older"):
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        pages.append([int(pk) for pk in ROW.findall(html)])
        url = _link(html, direction)
        if url and url.startswith("?"):
            url = CHANGELIST + url
        assert len(pages) < 20
    return pages, html


def test_keyset_pages_walk_everything_in_order_with_ties(org, client_for):
    """Older links walk every visible request once, newest first; seven requests
    share each submission time and the id orders them (no row lost or repeated at
    a page boundary inside a tie); newer links walk back the same pages."""
    expected = _requests(org, 123)
    client = client_for(org.head_b)
    pages, html = _walk(client, CHANGELIST + "?waiting=all")
    assert [len(p) for p in pages] == [50, 50, 23]
    assert [pk for page in pages for pk in page] == expected
    assert _link(html, "older") is None
    # From the last page back to the first: the same pages, the same order.
    back, first_html = _walk(client, CHANGELIST + "?" + _last_query(client), "newer")
    assert back[::-1] == pages
    assert _link(first_html, "newer") is None


def _last_query(client):
    html = client.get(CHANGELIST + "?waiting=all").content.decode()
    second = _link(html, "older")
    html = client.get(CHANGELIST + second).content.decode()
    return _link(html, "older").lstrip("?")


def test_keyset_page_exactly_full_has_no_older_link(org, client_for):
    """Exactly 50 visible: one page, no "older" link, no "newer" link."""
    expected = _requests(org, 50)
    html = client_for(org.head_b).get(CHANGELIST + "?waiting=all").content.decode()
    assert [int(pk) for pk in ROW.findall(html)] == expected
    assert _link(html, "older") is None and _link(html, "newer") is None
    assert "本页 50 条" in html


def test_keyset_no_count_and_constant_queries(org, client_for):
    """No COUNT over what the user may see (the menu's unread-notification badge
    is the only count), and the same number of queries for a
    first page and a page further down, at 60 or 200 requests."""
    client = client_for(org.head_b)

    def queries(url):
        client.get(url)  # warm the content-type cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        sqls = [q["sql"] for q in captured.captured_queries]
        counts = [s for s in sqls if "COUNT(" in s.upper()]
        assert not [s for s in counts if "approvals_approvalrequest" in s], counts
        return len(sqls)

    _requests(org, 60)
    small = queries(CHANGELIST + "?waiting=all")
    _requests(org, 140)
    html = client.get(CHANGELIST + "?waiting=all").content.decode()
    assert queries(CHANGELIST + "?waiting=all") == small
    assert queries(CHANGELIST + _link(html, "older")) == small


def test_keyset_scope_unchanged_nobody_sees_another_sections(org, client_for):
    """Paging by key changes no scope: head_a (another section) sees none of head_b's
    requests on any page, head_b sees them all."""
    _requests(org, 60)
    html = client_for(org.head_a).get(CHANGELIST + "?waiting=all").content.decode()
    assert ROW.findall(html) == []
    pages, _html = _walk(client_for(org.head_b), CHANGELIST + "?waiting=all")
    assert sum(len(p) for p in pages) == 60


def test_keyset_tampered_cursor_shows_the_first_page(org, client_for):
    """A cursor that does not read (text, a naive time, too many parts) is the
    first page, not an error page or a redirect to ?e=1."""
    expected = _requests(org, 10)
    client = client_for(org.head_b)
    for cursor in [
        "x",
        "2026-01-01T00:00:00~5",
        "1~2~3",
        "2026-01-01T00:00:00+00:00~x",
    ]:
        response = client.get(CHANGELIST, {"waiting": "all", "after": cursor})
        assert response.status_code == 200
        assert [int(pk) for pk in ROW.findall(response.content.decode())] == expected


def test_keyset_cursor_round_trip_and_condition():
    """The cursor is the row's key; `beyond` is the row-value comparison."""
    moment = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    raw = encode_cursor([moment, 42])
    assert decode_cursor(raw, ["datetime", "int"]) == (moment, 42)
    condition = str(beyond(("submitted_at", "pk"), (moment, 42), older=True))
    assert "submitted_at__lt" in condition and "pk__lt" in condition


# --- deciding in the admin --------------------------------------------------------


def _pending(org, subject):
    return approval_submit(
        subject=subject,
        requester=org.b1,
        chain=[{"action": "approve", "who": "section_head"}],
        by=org.b1.user,
        kind="purchase",
        summary="采购打印纸",
    )


def test_admin_decision_confirm_post_redirects_in_16_queries(org, client_for):
    """Issue 17: the confirm POST of "agree" decides the ticked request and
    redirects (≤ 16 queries), without building the list page first; the list,
    opened after, shows the request decided."""
    _requests(org, 80)
    approval = _pending(org, org.section_b)
    client = client_for(org.head_b)
    client.get(CHANGELIST)  # caches warm as in use (content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            CHANGELIST,
            {
                "action": "approve_selected",
                "_selected_action": [approval.pk],
                "select_across": "0",
                "apply": "1",
                "comment": "同意",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    sqls = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(sqls) <= 16, "\n".join(sqls)
    # No page of the list was read (its LIMIT 51).
    assert not [s for s in sqls if "LIMIT 51" in s]
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.APPROVED


def test_admin_decision_outside_scope_decides_nothing(org, client_for):
    """The fast path keeps the scope: head_a posting b1's request id decides nothing."""
    approval = _pending(org, org.section_b)
    response = client_for(org.head_a).post(
        CHANGELIST,
        {
            "action": "approve_selected",
            "_selected_action": [approval.pk],
            "select_across": "0",
            "apply": "1",
            "comment": "同意",
        },
    )
    assert response.status_code in (302, 403)
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.PENDING


def test_keyset_windows_then_the_scopes_own_query_stay_exact(
    org, client_for, monkeypatch
):
    """Someone who sees one request in two: with tiny windows (5 rows, 2 windows)
    the page is finished by the scope's own query — the same rows, the same order,
    every page, as the scope's query alone."""
    from approvals.admin import WindowedChangeList

    monkeypatch.setattr(WindowedChangeList, "WINDOW", 5)
    monkeypatch.setattr(WindowedChangeList, "MAX_WINDOWS", 2)
    mine = _requests(org, 70, ties=3)
    _requests(org, 70, requester=org.a1, ties=3)
    pages, _html = _walk(client_for(org.head_b), CHANGELIST + "?waiting=all")
    assert [pk for page in pages for pk in page] == mine
    assert [len(p) for p in pages] == [50, 20]


# --- the result table written in one pass -----------------------------------------


def _cells(html):
    """Each row's cells as text (tags dropped, whitespace squeezed)."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_keyset_fast_table_reads_as_the_admins_own(org, client_for):
    """Issue 17: the list's table is written in one pass
    (WindowedChangeList.rows_html); it shows what Django's `result_list` tag
    would, cell for cell, with the same checkboxes, links and columns, both for
    the waiting list and "everything I may see"."""
    from django.contrib.admin.templatetags.admin_list import result_list

    _requests(org, 12)
    waiting = _pending(org, org.section_b)
    client = client_for(org.head_b)
    for query in ("", "?waiting=all"):
        response = client.get(CHANGELIST + query)
        assert response.status_code == 200
        html = response.content.decode()
        cl = response.context["cl"]
        ours = str(cl.rows_html())
        assert ours in html
        theirs = result_list(cl)
        expected = [
            [
                re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", str(item))).strip()
                for item in row
            ]
            for row in theirs["results"]
        ]
        assert _cells(ours.split("<tbody>")[1]) == expected
        headers = [h["text"] for h in theirs["result_headers"]][1:]
        for text in headers:
            assert f"<span>{text[:1].upper()}{text[1:]}</span>" in ours or (
                f"<span>{text}</span>" in ours
            )
        assert [
            f"column-{name}" for name in response.context["cl"].list_display[1:]
        ] == re.findall(r'class="(column-[a-z_]+)"', ours)
        # Each row's link opens the request in the admin; "open" its decision page.
        assert (
            reverse("admin:approvals_approvalrequest_change", args=[waiting.pk]) in ours
        )
        assert reverse("approvals:detail", args=[waiting.pk]) in ours
        assert 'id="action-toggle"' in ours
