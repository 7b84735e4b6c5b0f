"""Issue 17: the monthly report at scale — the same rows, a constant number of
queries for the page, one unit's page and the xlsx; the month prepared in the
background (who may ask, who may follow and download, a second delivery)."""

import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats
from openpyxl import load_workbook

from attendance import services
from attendance.models import ReportExport
from attendance.tests.conftest import at
from bureau.models import OutboxMessage, Person, Position
from bureau.testing import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(org, monday):
    with time_machine.travel(at(monday, 7, 59), tick=False):
        services.record_sign_in(by=org.a1.user)
    services.sheets_settle(day=monday, now=at(monday, 23), force=True)
    return monday


def _staff(org, n, start=0):
    for i in range(start, start + n):
        make_person(
            f"extra{i}",
            unit=org.organ,
            section=org.section_a,
            position=Position.SECTION_STAFF,
        )


def _settle_next(monday, days):
    day = monday + datetime.timedelta(days=days)
    services.sheets_settle(day=day, now=at(day, 23), force=True)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def test_att6_report_unit_page_and_xlsx_queries_constant_at_2_and_50_staff(
    org, settled, client_for
):
    """ATT-6: one unit's page and the xlsx cost the same number of queries with 48
    more people on record."""
    client = client_for(org.a2)
    month = f"?month={settled:%Y-%m}"
    unit = reverse("attendance:report") + month + "&unit=" + org.organ.name
    xlsx = reverse("attendance:report_xlsx") + month
    client.get(unit)
    few = (_count(client, unit), _count(client, xlsx))
    _staff(org, 48)
    _settle_next(settled, 1)
    many = (_count(client, unit), _count(client, xlsx))
    assert many == few
    page = client.get(unit)
    assert (
        page.content.count(b"<tr data-person=")
        == Person.objects.filter(unit=org.organ).count()
    )


def test_att6_report_rows_are_escaped_and_formatted_like_the_template(
    org, settled, client_for
):
    """ATT-6: the rows built once in Python escape people's text, show a half day
    as 0.5 and the outcome badge with its reason."""
    Person.objects.filter(pk=org.b1.pk).update(name="<b>b1</b>")
    page = client_for(org.a2).get(
        reverse("attendance:report") + f"?month={settled:%Y-%m}"
    )
    html = page.content.decode()
    assert "&lt;b&gt;b1&lt;/b&gt;" in html and "<b>b1</b>" not in html
    row = html.split(f'data-person="{org.b1.pk}"')[1].split("</tr>")[0]
    b1 = next(r for r in page.context["report"].rows if r.person_id == org.b1.pk)
    assert b1.absence_days == 1  # both sessions
    assert f'<td class="num">{formats.localize(b1.absence_days)}</td>' in row
    assert 'class="badge bad"' in row and "缺勤" in row


def test_att6_inactive_person_with_records_stays_in_the_month(org, settled, client_for):
    """ATT-6: someone who left after the month still has their row; someone who
    left with no record in the month has none."""
    Person.objects.filter(pk=org.a1.pk).update(is_active=False)
    gone = make_person(
        "gone",
        unit=org.organ,
        section=org.section_a,
        position=Position.SECTION_STAFF,
    )
    Person.objects.filter(pk=gone.pk).update(is_active=False)
    page = client_for(org.a2).get(
        reverse("attendance:report") + f"?month={settled:%Y-%m}"
    )
    ids = {row.person_id for row in page.context["report"].rows}
    assert org.a1.pk in ids and gone.pk not in ids


# --- the background export -----------------------------------------------------


def _ask(client, month):
    return client.post(reverse("attendance:report_export_new") + f"?month={month}")


def test_att6_background_export_is_for_who_may_see_the_report(
    org, settled, client_for, django_capture_on_commit_callbacks
):
    """Only who may see the report may ask for it; staff get 403 and nothing is
    queued."""
    month = f"{settled:%Y-%m}"
    assert _ask(client_for(org.a1), month).status_code == 403
    assert not ReportExport.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_att6_background_export_progress_and_download_by_who_asked_only(
    org, settled, client_for, django_capture_on_commit_callbacks
):
    """The clerk asks; the task, through the outbox, writes the file; the progress
    page refreshes itself while the export runs and offers the download when done;
    another person (even the section head) gets 404 on both."""
    month = f"{settled:%Y-%m}"
    client = client_for(org.a2)
    with django_capture_on_commit_callbacks(execute=False):
        response = _ask(client, month)
    export = ReportExport.objects.get()
    assert response.url == reverse("attendance:report_export", args=[export.pk])
    assert OutboxMessage.objects.filter(
        key=f"attendance-report-export:{export.pk}"
    ).exists()
    waiting = client.get(response.url)
    assert b'http-equiv="refresh"' in waiting.content
    assert b'id="export-download"' not in waiting.content
    download = reverse("attendance:report_export_download", args=[export.pk])
    assert client.get(download).status_code == 404
    services.report_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    assert export.rows_done == export.rows_total > 0
    done = client.get(response.url)
    assert b'http-equiv="refresh"' not in done.content
    assert b'id="export-download"' in done.content
    file = client.get(download)
    book = load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    names = {row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert {"a1", "b1"} <= names
    for other in (org.head_a, org.dep_a, org.admin):
        outsider = client_for(other)
        assert outsider.get(response.url).status_code in (403, 404)
        assert outsider.get(download).status_code in (403, 404)


def test_att6_background_export_twice_is_one_file(
    org, settled, client_for, django_capture_on_commit_callbacks
):
    """Two clicks while it runs make one export; a second delivery of the task
    changes nothing."""
    month = f"{settled:%Y-%m}"
    client = client_for(org.a2)
    with django_capture_on_commit_callbacks(execute=False):
        _ask(client, month)
        _ask(client, month)
    export = ReportExport.objects.get()
    services.report_export_build(export_id=export.pk)
    export.refresh_from_db()
    name = export.file.name
    services.report_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.file.name == name and export.status == ReportExport.Status.DONE
    assert services.report_export_build(export_id=export.pk + 999) is None


def test_att6_background_export_through_the_outbox_runs_the_task(
    org, settled, client_for, django_capture_on_commit_callbacks
):
    """The request's commit delivers the outbox row; the (eager) worker builds the
    file."""
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client_for(org.a2), f"{settled:%Y-%m}")
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.DONE and export.file
