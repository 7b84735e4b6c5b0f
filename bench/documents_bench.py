"""Benchmark of the documents chapter: 500,000 documents over 10 years.

    .venv/bin/python bench/documents_bench.py            # SQLite at /tmp/documents_bench.sqlite3
    DATABASE_URL=postgres://root@localhost/bureau_docs .venv/bin/python bench/documents_bench.py
    options: --n 500000 (documents to seed: 60 % outgoing, 40 % incoming), --reseed,
             --explain (print PostgreSQL's plan of each search)

Seeds the demo organisation, then N documents over ten years in bulk (explicit
ids, no history rows: the benchmark measures reads), titles built from the words
of real titles (关于…的通知), a few hundred with a rare phrase. Prints, beside a bare
baseline (the home page), the median of 7 warm runs and the query count of: the
outgoing and incoming registers' first pages for the document clerk (everything),
a section head and a section's staff member; the search by title across every
year (a common two-character word, a four-character phrase, a rare phrase, a
document number) and within this year.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", "/tmp/documents_bench.sqlite3")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bureau.demo import load_organisation  # noqa: E402
from bureau.models import Organisation, Person, Position  # noqa: E402
from bureau.workdays import TZ  # noqa: E402
from documents.models import (  # noqa: E402
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
)

BATCH = 10_000
YEARS = 10
RARE = "候鸟式养老"
TOPICS = [
    "年度人口统计",
    "计划生育奖励扶助",
    "特别扶助金发放",
    "流动人口服务管理",
    "出生人口性别比治理",
    "家庭发展能力建设",
    "婚育新风进万家",
    "优生优育宣传",
    "基层计生协会",
    "生育登记服务",
    "安全生产检查",
    "干部作风建设",
    "信访维稳工作",
    "财务专项审计",
    "档案规范化管理",
]
ACTIONS = ["做好", "开展", "加强", "印发", "调整", "报送", "转发", "进一步规范"]
SENDERS = ["市卫生健康委员会", "县人民政府办公室", "县委办公室", "市计生协", "县财政局"]


def _title(rng: random.Random, kind: str, n: int) -> str:
    if n % 2000 == 7:
        return f"关于{RARE}试点情况的{kind}"
    return f"关于{rng.choice(ACTIONS)}{rng.choice(TOPICS)}工作的{kind}"


def _moment(rng: random.Random, today: datetime.date) -> datetime.datetime:
    day = today - datetime.timedelta(days=rng.randint(0, YEARS * 365))
    return datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=TZ
    )


def seed(n: int, today: datetime.date) -> None:
    rng = random.Random(14)
    if not Organisation.objects.exists():
        with transaction.atomic():
            load_organisation(today)
    if OutgoingDocument.objects.exists():
        return
    org = Organisation.objects.get()
    code = org.doc_code or "示计生"
    types = list(DocumentType.objects.filter(is_active=True))
    drafters = list(Person.objects.exclude(section=None).select_related("section"))
    clerk = get_user_model().objects.get(username="docs")
    # The seed writes its own timestamps (ten years back).
    OutgoingDocument._meta.get_field("created_at").auto_now_add = False
    IncomingDocument._meta.get_field("registered_at").auto_now_add = False
    outgoing_n = n * 6 // 10
    started = time.perf_counter()
    numbers: dict[int, int] = {}
    for first in range(1, outgoing_n + 1, BATCH):
        rows = []
        for pk in range(first, min(first + BATCH, outgoing_n + 1)):
            doc_type = rng.choice(types)
            drafter = rng.choice(drafters)
            at = _moment(rng, today)
            open_ = (today - at.date()).days < 30 and rng.random() < 0.3
            number = ""
            if not open_:
                numbers[at.year] = numbers.get(at.year, 0) + 1
                number = f"{code}〔{at.year}〕{numbers[at.year]}号"
            rows.append(
                OutgoingDocument(
                    pk=pk,
                    level="bureau",
                    doc_type=doc_type,
                    title=_title(rng, doc_type.name, pk),
                    main_recipients="各乡镇计生办",
                    urgency=rng.choices([0, 1, 2], weights=[90, 8, 2])[0],
                    secrecy=rng.choices([0, 1], weights=[97, 3])[0],
                    drafter=drafter,
                    unit_id=drafter.unit_id,
                    section_id=drafter.section_id,
                    status=rng.choice(["draft", "checking", "signed"])
                    if open_
                    else "filed",
                    created_at=at,
                    doc_number=number,
                    numbered_by=None if open_ else clerk,
                    numbered_at=None if open_ else at,
                    filed_by=None if open_ else clerk,
                )
            )
        with transaction.atomic():
            OutgoingDocument.objects.bulk_create(rows, batch_size=2000)
        print(f"  seeded {rows[-1].pk:,} outgoing", flush=True)
    incoming_n = n - outgoing_n
    for first in range(1, incoming_n + 1, BATCH):
        rows = []
        for pk in range(first, min(first + BATCH, incoming_n + 1)):
            at = _moment(rng, today)
            open_ = (today - at.date()).days < 30 and rng.random() < 0.3
            rows.append(
                IncomingDocument(
                    pk=pk,
                    reg_number=f"{code}收〔{at.year}〕{pk}号",
                    sender=rng.choice(SENDERS),
                    their_number=f"市卫健〔{at.year}〕{rng.randint(1, 300)}号",
                    received_on=at.date(),
                    title=_title(rng, rng.choice(["通知", "函", "通报"]), pk),
                    urgency=rng.choices([0, 1, 2], weights=[90, 8, 2])[0],
                    secrecy=rng.choices([0, 1], weights=[97, 3])[0],
                    status="registered" if open_ else "filed",
                    registered_by=clerk,
                    registered_at=at,
                    closed_by=None if open_ else clerk,
                    closed_at=None if open_ else at,
                )
            )
        with transaction.atomic():
            IncomingDocument.objects.bulk_create(rows, batch_size=2000)
        print(f"  seeded {rows[-1].pk:,} incoming", flush=True)
    rate = n / (time.perf_counter() - started)
    print(f"  seeded {n:,} documents ({rate:,.0f}/s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [OutgoingDocument, IncomingDocument]
            ):
                cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(client, url) -> tuple[float, int]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _i in range(7):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(queries)


def explain(client, url) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if "documents_" in query["sql"] and "LIKE" in query["sql"]:
                cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                print("\n".join("      " + row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500_000)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    today = timezone.localdate()
    if args.reseed:
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    seed(args.n, today)
    print(
        f"{connection.vendor}: {OutgoingDocument.objects.count():,} outgoing, "
        f"{IncomingDocument.objects.count():,} incoming documents over {YEARS} years; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    people = {
        "document clerk": get_user_model().objects.get(username="docs"),
        "section head": Person.objects.filter(position=Position.SECTION_HEAD)
        .exclude(section=None)
        .first()
        .user,
        "section staff": Person.objects.filter(
            position=Position.SECTION_STAFF, outgoing_drafts__isnull=False
        )
        .first()
        .user,
    }
    client = Client()
    client.force_login(people["document clerk"])
    base_ms, base_q = timed(client, "/")
    print(f"  home page (bare baseline): {base_ms:.1f} ms, {base_q} queries")
    for who, user in people.items():
        client.force_login(user)
        for name, url in [
            ("outgoing register", "/documents/"),
            ("incoming register", "/documents/incoming/"),
        ]:
            ms, count = timed(client, url)
            print(
                f"  {name}, page 1, {who}: {ms:.1f} ms, {count} queries "
                "(target ≤ 150 ms)"
            )
    client.force_login(people["document clerk"])
    number = OutgoingDocument.objects.exclude(doc_number="").values_list(
        "doc_number", flat=True
    )[1000]
    searches = [
        ("common word 统计", {"q": "统计", "year": ""}),
        ("phrase 奖励扶助", {"q": "奖励扶助", "year": ""}),
        (f"rare phrase {RARE}", {"q": RARE, "year": ""}),
        (f"number {number}", {"q": number, "year": ""}),
        ("phrase 奖励扶助, this year", {"q": "奖励扶助"}),
    ]
    for name, params in searches:
        for register, path in [
            ("outgoing", "/documents/"),
            ("incoming", "/documents/incoming/"),
        ]:
            url = f"{path}?{urlencode(params)}"
            ms, count = timed(client, url)
            print(
                f"  search {register}, {name}: {ms:.1f} ms, {count} queries "
                "(target ≤ 300 ms)"
            )
            if args.explain and connection.vendor == "postgresql":
                explain(client, url)
    print(f"  load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
