"""DOC-1 pages by URL and by role: who sees, who acts, bad input, query counts."""

import pytest
from django.urls import reverse

from attachments.testing import upload
from documents import services
from documents.models import AccessLog, OutgoingDocument
from documents.tests.conftest import draft, proofread

pytestmark = pytest.mark.django_db


def test_doc1_pages_by_url_for_each_role(org, docs, client_for):
    """The drafter, their section, the approvers, the clerk and the director see a
    document; another section's staff get 404 on every page of it."""
    document = draft(org.b1)
    services.outgoing_submit(document=document, by=org.b1.user)
    pages = [
        reverse("documents:outgoing", args=[document.pk]),
        reverse("documents:outgoing_sheet", args=[document.pk]),
    ]
    for person, status in [
        (org.b1, 200),
        (org.head_b, 200),
        (org.dep_b, 200),
        (org.director, 200),
        (docs, 200),
        (org.a1, 404),
        (org.u1, 404),
        (org.head_a, 404),
    ]:
        client = client_for(person)
        for url in pages:
            assert client.get(url).status_code == status, (person, url)
    # Another section's list does not name it.
    body = client_for(org.a1).get(reverse("documents:outgoing_list")).content.decode()
    assert document.title not in body


def test_doc1_a_secret_draft_is_hidden_from_the_section_and_each_view_logged(
    org, docs, client_for
):
    document = draft(org.b1, secrecy=1)
    url = reverse("documents:outgoing", args=[document.pk])
    assert client_for(org.head_b).get(url).status_code == 404
    assert client_for(org.dep_b).get(url).status_code == 404
    assert client_for(docs).get(url).status_code == 200
    assert client_for(org.b1).get(url).status_code == 200
    logged = list(AccessLog.objects.values_list("user__username", "what"))
    assert logged == [("b1", "view"), ("docs", "view")] or sorted(logged) == sorted(
        [("docs", "view"), ("b1", "view")]
    )
    services.outgoing_submit(document=document, by=org.b1.user)
    assert client_for(org.dep_b).get(url).status_code == 200  # it reached him


def test_doc1_draft_on_the_page_and_a_bad_form_keeps_what_was_typed(org, client_for):
    client = client_for(org.b1)
    url = reverse("documents:outgoing_new")
    response = client.post(
        url,
        {
            "level": "bureau",
            "doc_type": "",
            "title": "关于开展宣传月活动的通知",
            "main_recipients": "各乡镇",
            "urgency": "0",
            "secrecy": "0",
        },
    )
    assert response.status_code == 400
    assert "关于开展宣传月活动的通知" in response.content.decode()
    assert not OutgoingDocument.objects.exists()
    notice = response.context["form"].fields["doc_type"].queryset.get(code="notice")
    response = client.post(
        url,
        {
            "level": "bureau",
            "doc_type": notice.pk,
            "title": "关于开展宣传月活动的通知",
            "main_recipients": "各乡镇",
            "urgency": "1",
            "secrecy": "0",
            "upload": upload("草稿.pdf"),
        },
    )
    document = OutgoingDocument.objects.get()
    assert response.status_code == 302 and document.urgency == 1
    response = client.post(reverse("documents:outgoing_submit", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == "checking"


def test_doc1_decide_on_the_document_page(org, client_for):
    document = draft(org.b1)
    services.outgoing_submit(document=document, by=org.b1.user)
    url = reverse("documents:outgoing", args=[document.pk])
    page = client_for(org.dep_b).get(url).content.decode()
    assert 'id="decide"' in page and "草稿.pdf" in page
    assert 'id="decide"' not in client_for(org.b1).get(url).content.decode()
    decide = reverse("documents:outgoing_decide", args=[document.pk])
    # The director cannot decide a step that is not his yet.
    client_for(org.director).post(decide, {"decision": "approve"})
    document.refresh_from_db()
    assert document.current_approval.current_order == 1
    # An unknown decision changes nothing.
    client_for(org.dep_b).post(decide, {"decision": "maybe"})
    assert document.current_approval.steps.get(order=1).status == "pending"
    client_for(org.dep_b).post(decide, {"decision": "approve", "comment": "核稿"})
    assert document.current_approval.steps.get(order=1).decision == "agreed"


def test_doc1_numbering_asks_for_confirmation_and_only_the_clerk_may(
    org, docs, client_for
):
    document = proofread(org)
    url = reverse("documents:outgoing_number", args=[document.pk])
    assert client_for(org.b1).post(url, {"confirm": "on"}).status_code == 403
    client_for(docs).post(url, {})
    document.refresh_from_db()
    assert document.doc_number == ""
    client_for(docs).post(url, {"confirm": "on"})
    document.refresh_from_db()
    assert document.doc_number.endswith("〕1号")
    sheet = client_for(docs).get(
        reverse("documents:outgoing_sheet", args=[document.pk])
    )
    assert document.doc_number in sheet.content.decode()
    client_for(docs).post(
        reverse("documents:outgoing_file", args=[document.pk]), {"confirm": "on"}
    )
    document.refresh_from_db()
    assert document.status == "filed"


def test_doc1_register_costs_the_same_at_2_and_20_documents(
    org, docs, client_for, django_assert_max_num_queries
):
    client = client_for(docs)
    url = reverse("documents:outgoing_list")
    for i in range(2):
        draft(org.b1, title=f"文件{i}")
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for i in range(18):
        draft(org.b1, title=f"更多{i}", urgency=i % 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    rows = [d.urgency for d in response.context["page"]]
    assert rows == sorted(rows, reverse=True)  # urgent first


def test_doc1_admin_is_scoped_and_read_only(org, docs, client_for):
    document = draft(org.b1)
    change = reverse("admin:documents_outgoingdocument_change", args=[document.pk])
    history = reverse("admin:documents_outgoingdocument_history", args=[document.pk])
    assert client_for(docs).get(change).status_code == 200
    assert client_for(org.head_b).get(change).status_code == 200
    assert client_for(org.head_b).get(history).status_code == 200
    assert client_for(org.head_a).get(change).status_code == 404
    assert client_for(org.head_a).get(history).status_code == 404
    response = client_for(docs).post(change, {"title": "改"})
    document.refresh_from_db()
    assert document.title != "改" and response.status_code in (403, 200)
    add = reverse("admin:documents_outgoingdocument_add")
    assert client_for(docs).get(add).status_code == 403
