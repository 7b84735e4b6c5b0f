"""DOC-2 pages by URL and by role, bad input, query counts."""

import datetime

import pytest
from django.urls import reverse

from documents import services
from documents.models import Hop, IncomingDocument
from documents.tests.conftest import register

pytestmark = pytest.mark.django_db


def test_doc2_clerk_pages_are_the_clerks(org, docs, client_for):
    incoming = register(docs)
    (hop,) = services.incoming_send(
        incoming=incoming, by=docs.user, people=[org.b1], purpose="read"
    )
    clerk_only = [
        ("get", reverse("documents:incoming_new")),
        ("post", reverse("documents:incoming_propose", args=[incoming.pk])),
        ("post", reverse("documents:incoming_send", args=[incoming.pk])),
        ("post", reverse("documents:incoming_close", args=[incoming.pk])),
        ("post", reverse("documents:hop_urge", args=[hop.pk])),
        ("post", reverse("documents:hop_withdraw", args=[hop.pk])),
    ]
    for method, url in clerk_only:
        response = getattr(client_for(org.b1), method)(url)
        assert response.status_code == 403, url
    assert client_for(docs).get(clerk_only[0][1]).status_code == 200


def test_doc2_pages_by_url_for_each_role(org, docs, client_for):
    incoming = register(docs)
    (hop,) = services.incoming_send(
        incoming=incoming, by=docs.user, people=[org.b1], purpose="read"
    )
    detail = reverse("documents:incoming", args=[incoming.pk])
    hop_url = reverse("documents:hop", args=[hop.pk])
    for person, status in [
        (docs, 200),
        (org.b1, 200),
        (org.head_b, 200),
        (org.dep_b, 200),
        (org.director, 200),
        (org.a1, 404),
        (org.head_a, 404),
        (org.u1, 404),
    ]:
        assert client_for(person).get(detail).status_code == status, person
    assert client_for(org.b1).get(hop_url).status_code == 302
    assert client_for(org.a1).get(hop_url).status_code == 404
    # Someone else cannot read for b1.
    client_for(org.a1).post(reverse("documents:hop_read", args=[hop.pk]))
    hop.refresh_from_db()
    assert hop.done_at is None
    client_for(org.b1).post(reverse("documents:hop_read", args=[hop.pk]))
    hop.refresh_from_db()
    assert hop.done_at is not None


def test_doc2_register_on_the_page_keeps_what_was_typed(org, docs, client_for):
    client = client_for(docs)
    response = client.post(
        reverse("documents:incoming_new"),
        {
            "sender": "县政府办",
            "title": "关于春节值班的通知",
            "urgency": "0",
            "secrecy": "0",
        },
    )
    assert response.status_code == 400
    assert "关于春节值班的通知" in response.content.decode()
    assert not IncomingDocument.objects.exists()
    response = client.post(
        reverse("documents:incoming_new"),
        {
            "sender": "县政府办",
            "title": "关于春节值班的通知",
            "received_on": "2026-11-02",
            "urgency": "1",
            "secrecy": "0",
        },
    )
    assert response.status_code == 302
    assert IncomingDocument.objects.get().urgency == 1


def test_doc2_instruct_on_the_page(org, docs, client_for):
    incoming = register(docs)
    (hop,) = services.incoming_send(
        incoming=incoming, by=docs.user, people=[org.director], purpose="instruct"
    )
    page = client_for(org.director).get(
        reverse("documents:incoming", args=[incoming.pk])
    )
    assert 'id="my-hop-instruct"' in page.content.decode()
    client_for(org.director).post(
        reverse("documents:hop_instruct", args=[hop.pk]),
        {"text": "请法规股办理", "handlers": [org.b1.pk]},
    )
    assert Hop.objects.filter(purpose="handle", person=org.b1).exists()


def test_doc2_register_costs_the_same_at_2_and_20_documents(
    org, docs, client_for, django_assert_max_num_queries
):
    client = client_for(docs)
    url = reverse("documents:incoming_list")
    for i in range(2):
        register(docs, title=f"来文{i}")
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for i in range(18):
        register(docs, title=f"更多{i}", received_on=datetime.date(2026, 10, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
