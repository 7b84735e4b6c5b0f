"""Search by title in the registers (DOC-1, DOC-2): this year by default, every year
with the year field empty, the same query count at any size; on PostgreSQL the
trigram indexes that answer `icontains` exist."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from bureau.workdays import TZ
from documents.tests.conftest import draft, register

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=TZ)
LAST_YEAR = datetime.datetime(2025, 6, 3, 10, 0, tzinfo=TZ)


def _titles(response):
    return sorted(d.title for d in response.context["page"])


def test_doc1_title_search_this_year_or_every_year(org, docs, client_for):
    with time_machine.travel(LAST_YEAR, tick=False):
        draft(org.b1, title="关于去年人口统计工作的通知")
    with time_machine.travel(NOW, tick=False):
        draft(org.b1, title="关于今年人口统计工作的通知")
        draft(org.b1, title="关于安全生产检查的通知")
        client = client_for(docs)
        url = reverse("documents:outgoing_list")
        assert _titles(client.get(url, {"q": "人口统计"})) == [
            "关于今年人口统计工作的通知"
        ]
        assert _titles(client.get(url, {"q": "人口统计", "year": ""})) == sorted(
            ["关于去年人口统计工作的通知", "关于今年人口统计工作的通知"]
        )
        assert _titles(client.get(url, {"q": "人口统计", "year": "2025"})) == [
            "关于去年人口统计工作的通知"
        ]
        # The page sent back keeps the empty year (every year) in its links.
        page = client.get(url, {"q": "通知", "year": ""})
        assert 'name="year" value=""' in page.content.decode()


def test_doc2_title_search_every_year(org, docs, client_for):
    with time_machine.travel(NOW, tick=False):
        register(docs, title="关于做好计生奖励扶助的通知")
        register(
            docs,
            title="关于计生奖励扶助资金的函",
            received_on=datetime.date(2024, 3, 1),
        )
        register(docs, title="关于安全生产的通知")
        client = client_for(docs)
        url = reverse("documents:incoming_list")
        found = _titles(client.get(url, {"q": "奖励扶助", "year": ""}))
    assert found == ["关于做好计生奖励扶助的通知", "关于计生奖励扶助资金的函"]


def test_doc1_search_costs_the_same_at_2_and_20_matches(
    org, docs, client_for, django_assert_max_num_queries
):
    client = client_for(docs)
    url = reverse("documents:outgoing_list")
    params = {"q": "统计", "year": ""}
    for i in range(2):
        draft(org.b1, title=f"统计报表{i}")
    client.get(url, params)
    with django_assert_max_num_queries(12) as small:
        client.get(url, params)
    for i in range(18):
        draft(org.b1, title=f"年度统计{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, params)
    assert len(response.context["page"]) == 20


def test_doc1_search_keeps_the_scope(org, docs, client_for):
    """Searching every year shows only what the user may see."""
    draft(org.b1, title="乙股的统计草稿")
    response = client_for(org.a1).get(
        reverse("documents:outgoing_list"), {"q": "统计", "year": ""}
    )
    assert _titles(response) == []


def test_doc1_trigram_indexes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'doc_%%_trgm'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "doc_out_title_trgm",
        "doc_out_number_trgm",
        "doc_in_title_trgm",
        "doc_in_reg_trgm",
        "doc_in_their_trgm",
    }
