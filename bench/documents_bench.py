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
year (a word and a character in most titles, a common two-character word, a rare one, a four-character phrase, a rare phrase, a
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


def _sql_array(values) -> str:
    return "ARRAY[" + ",".join(str(v) for v in values) + "]"


def _text_array(values) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _insert_select(model, n: int, exprs: dict, source: str) -> None:
    """INSERT … SELECT over generate_series: every column from `exprs` (SQL over
    the source's columns) or the field's default (NULL where nullable)."""
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        columns.append(connection.ops.quote_name(field.column))
        if field.column in exprs:
            values.append(exprs[field.column])
        elif field.null:
            values.append("NULL")
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM ({source}) s"
    )
    with connection.cursor() as cursor:
        sql = sql.replace(" % ", " %% ").replace("%N", str(n))
        cursor.execute(sql, params)


def seed_sql(n: int, today: datetime.date) -> None:
    """PostgreSQL: the documents written by the database itself (INSERT … SELECT
    over generate_series), the COPY-like way to 500,000 rows in seconds."""
    org = Organisation.objects.get()
    code = (org.doc_code or "示计生").replace("'", "''")
    types = list(DocumentType.objects.filter(is_active=True).values_list("pk", "name"))
    drafters = list(
        Person.objects.exclude(section=None).values_list("pk", "unit_id", "section_id")
    )
    clerk = get_user_model().objects.get(username="docs").pk
    outgoing_n = n * 6 // 10
    started = time.perf_counter()
    source = f"""
        SELECT g, 1 + floor(random() * {len(types)})::int AS k,
               1 + floor(random() * {len(drafters)})::int AS d,
               1 + floor(random() * {len(ACTIONS)})::int AS a,
               1 + floor(random() * {len(TOPICS)})::int AS t,
               now() - random() * interval '{YEARS * 365} days' AS at,
               random() AS r1, random() AS r2, random() AS r3
        FROM generate_series(1, %N) g"""
    is_open = "(s.at > now() - interval '30 days' AND s.r1 < 0.3)"
    title = (
        f"CASE WHEN s.g % 2000 = 7 THEN '关于{RARE}试点情况的' "
        f"ELSE '关于' || ({_text_array(ACTIONS)})[s.a] || "
        f"({_text_array(TOPICS)})[s.t] || '工作的' END"
    )
    urgency = "CASE WHEN s.r2 < 0.02 THEN 2 WHEN s.r2 < 0.10 THEN 1 ELSE 0 END"
    secrecy = "CASE WHEN s.r3 < 0.03 THEN 1 ELSE 0 END"
    _insert_select(
        OutgoingDocument,
        outgoing_n,
        {
            "id": "s.g",
            "level": "'bureau'",
            "doc_type_id": f"({_sql_array(t[0] for t in types)})[s.k]",
            "title": f"{title} || ({_text_array(t[1] for t in types)})[s.k]",
            "main_recipients": "'各乡镇计生办'",
            "urgency": urgency,
            "secrecy": secrecy,
            "drafter_id": f"({_sql_array(d[0] for d in drafters)})[s.d]",
            "unit_id": f"({_sql_array(d[1] for d in drafters)})[s.d]",
            "section_id": f"({_sql_array(d[2] for d in drafters)})[s.d]",
            "status": f"CASE WHEN {is_open} THEN 'checking' ELSE 'filed' END",
            "created_at": "s.at",
            "doc_number": f"CASE WHEN {is_open} THEN '' ELSE '{code}〔' || "
            "extract(year FROM s.at)::int || '〕' || s.g || '号' END",
            "numbered_by_id": f"CASE WHEN {is_open} THEN NULL ELSE {clerk} END",
            "numbered_at": f"CASE WHEN {is_open} THEN NULL ELSE s.at END",
            "filed_by_id": f"CASE WHEN {is_open} THEN NULL ELSE {clerk} END",
        },
        source,
    )
    print(f"  seeded {outgoing_n:,} outgoing", flush=True)
    _insert_select(
        IncomingDocument,
        n - outgoing_n,
        {
            "id": "s.g",
            "reg_number": f"'{code}收〔' || extract(year FROM s.at)::int || '〕' "
            "|| s.g || '号'",
            "sender": f"({_text_array(SENDERS)})[1 + s.g % {len(SENDERS)}]",
            "their_number": "'市卫健〔' || extract(year FROM s.at)::int || '〕' "
            "|| (1 + s.g % 300) || '号'",
            "received_on": "s.at::date",
            "title": f"{title} || (ARRAY['通知','函','通报'])[1 + s.g % 3]",
            "urgency": urgency,
            "secrecy": secrecy,
            "status": f"CASE WHEN {is_open} THEN 'registered' ELSE 'filed' END",
            "registered_by_id": str(clerk),
            "registered_at": "s.at",
            "closed_by_id": f"CASE WHEN {is_open} THEN NULL ELSE {clerk} END",
            "closed_at": f"CASE WHEN {is_open} THEN NULL ELSE s.at END",
        },
        source,
    )
    rate = n / (time.perf_counter() - started)
    print(f"  seeded {n:,} documents ({rate:,.0f}/s)", flush=True)


def seed(n: int, today: datetime.date) -> None:
    rng = random.Random(14)
    if not Organisation.objects.exists():
        with transaction.atomic():
            load_organisation(today)
    if OutgoingDocument.objects.exists():
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            seed_sql(n, today)
        _after_seed()
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
    _after_seed()


def _after_seed() -> None:
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
        ("word in most titles 关于", {"q": "关于", "year": ""}),
        ("character in most titles 的", {"q": "的", "year": ""}),
        ("common word 统计", {"q": "统计", "year": ""}),
        ("rare two-character word 养老", {"q": "养老", "year": ""}),
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
