"""ORG-1 roster import, hardened (issue 8, hole 9): clear column messages, Chinese
headers both ways, duplicates and other people's logins refused per row, large files
checked and imported by a task with progress, import only with change permission."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from bureau import imports
from bureau.models import ImportJob, Person
from bureau.resources import PersonResource, check_roster
from bureau.roster_rules import RosterColumnsError, map_headers

pytestmark = pytest.mark.django_db

ENGLISH = [
    "employee_no",
    "name",
    "unit",
    "section",
    "position",
    "title",
    "staff_category",
    "phone",
    "username",
    "is_active",
]
CHINESE = [
    "工号",
    "名称",
    "单位",
    "股室",
    "职位",
    "职务",
    "人员类别",
    "电话",
    "登录账号",
    "有效",
]
CSV, XLSX = "1", "0"  # the admin's formats: [SafeXLSX, SafeCSV]


def row(no, name="新人", *, username="", unit="t-organ", section="t-a"):
    return [no, name, unit, section, "section_staff", "", "", "", username, "1"]


def as_csv(rows, headers=CHINESE) -> bytes:
    return tablib.Dataset(*rows, headers=headers).export("csv").encode("utf-8")


def upload(client, content: bytes, fmt=CSV, name="roster.csv"):
    return client.post(
        reverse("admin:bureau_person_import"),
        {
            "resource": "0",
            "format": fmt,
            "import_file": SimpleUploadedFile(name, content, "text/csv"),
        },
    )


def errors_of(result):
    return imports.result_errors(result)


# --- columns ----------------------------------------------------------------------


def test_org1_wrong_columns_are_named_in_chinese_and_nothing_is_saved(org, client_for):
    """A file without 工号 and with an unknown 性别 column: the page names both, no
    traceback, nothing saved."""
    before = Person.objects.count()
    content = as_csv(
        [["赵新", "t-organ", "section_staff", "男"]], ["名称", "单位", "职位", "性别"]
    )
    response = upload(client_for(org.admin), content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "缺少列：工号" in page and "无法识别的列：性别" in page
    assert "Traceback" not in page and "KeyError" not in page
    assert Person.objects.count() == before


def test_org1_wrong_columns_through_the_resource_name_them():
    with pytest.raises(RosterColumnsError) as caught:
        map_headers(["employee_no", "name", "unit", "gender"])
    assert "性别" not in str(caught.value) and "gender" in str(caught.value)
    assert "职位" in str(caught.value)  # the missing required column


def test_org1_english_and_chinese_headers_are_both_accepted(org):
    for headers in (ENGLISH, CHINESE):
        result = PersonResource().import_data(
            tablib.Dataset(row("N100"), headers=list(headers)), dry_run=True
        )
        assert not errors_of(result), headers
        assert result.totals["new"] == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_org1_roster_export_then_import_changes_nothing(org, client_for, fmt):
    """The admin's export (Chinese headers) imported again: every row unchanged."""
    index = {"xlsx": XLSX, "csv": CSV}[fmt]
    client = client_for(org.admin)
    fields = {f"personresource_{name}": "on" for name in ENGLISH}
    exported = client.post(
        reverse("admin:bureau_person_export"),
        {"format": index, "resource": "0", **fields},
    )
    assert exported.status_code == 200
    content = exported.content
    if fmt == "xlsx":
        header = [c.value for c in load_workbook(io.BytesIO(content)).active[1]]
    else:
        header = content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == CHINESE
    dataset = imports.read_dataset(content, fmt)
    result = PersonResource().import_data(dataset, dry_run=True)
    assert not errors_of(result)
    assert result.totals["new"] == 0 and result.totals["update"] == 0
    assert result.totals["skip"] == Person.objects.count()
    # The admin's preview of the same file: no error, a confirm form.
    preview = upload(client, content, index, f"roster.{fmt}")
    assert preview.status_code == 200 and preview.context["confirm_form"] is not None


# --- rows that are refused --------------------------------------------------------


def test_org1_duplicate_employee_number_in_one_file_is_refused_per_row(org):
    """Two rows with N200: the second is an error naming the first; nothing saved."""
    dataset = tablib.Dataset(
        row("N200", "甲"), row("N201", "乙"), row("N200", "丙"), headers=CHINESE
    )
    result = PersonResource().import_data(dataset, dry_run=False)
    errors = errors_of(result)
    assert [e["row"] for e in errors] == [3]
    assert "第 1 行" in " ".join(errors[0]["messages"])
    assert not Person.objects.filter(employee_no__in=["N200", "N201"]).exists()


def test_org1_superusers_login_cannot_be_attached(org):
    """A row naming the superuser's login is refused; the superuser stays
    nobody's person and nothing is saved."""
    dataset = tablib.Dataset(row("N300", username="admin"), headers=CHINESE)
    errors = errors_of(PersonResource().import_data(dataset, dry_run=False))
    assert errors and errors[0]["row"] == 1
    assert "admin" in " ".join(errors[0]["messages"])
    assert not Person.objects.filter(user=org.admin).exists()
    assert not Person.objects.filter(employee_no="N300").exists()


def test_org1_another_persons_login_cannot_be_attached(org):
    """An existing person's login, named for a new person or for another existing
    one, is refused; the logins stay where they were."""
    dataset = tablib.Dataset(
        row("N400", username="a1"),
        [
            org.b1.employee_no,
            "b1",
            "t-organ",
            "t-b",
            "section_staff",
            "",
            "",
            "",
            "a2",
            "1",
        ],
        headers=CHINESE,
    )
    errors = errors_of(PersonResource().import_data(dataset, dry_run=False))
    assert [e["row"] for e in errors] == [1, 2]
    org.b1.refresh_from_db()
    assert org.b1.user.username == "b1"
    assert Person.objects.get(user__username="a1") == org.a1


def test_org1_a_persons_own_login_and_a_free_login_are_accepted(org):
    from bureau.testing import UserFactory

    UserFactory(username="free", is_staff=False)
    dataset = tablib.Dataset(
        row("N500", username="free"),
        [
            org.a1.employee_no,
            "a1",
            "t-organ",
            "t-a",
            "section_staff",
            "",
            "",
            "",
            "a1",
            "1",
        ],
        headers=CHINESE,
    )
    result = PersonResource().import_data(dataset, dry_run=False)
    assert not errors_of(result)
    assert Person.objects.get(employee_no="N500").user.username == "free"


def test_org1_admin_preview_lists_row_errors_without_traceback(org, client_for):
    content = as_csv([row("N600", username="admin"), row("N600")])
    response = upload(client_for(org.admin), content)
    page = response.content.decode()
    assert response.status_code == 200 and "Traceback" not in page
    assert "管理员账号" in page and "第 1 行" in page
    assert not Person.objects.filter(employee_no="N600").exists()


# --- the in-memory check agrees with the import -----------------------------------


def test_org1_check_roster_finds_what_the_import_refuses(org):
    rows = [
        row("N700", "甲"),
        row("N701", username="admin"),
        row("N700", "丙"),
        row("N702", unit="no-such-unit"),
        row("N703", section=""),  # section staff need a section
        row("N704", username="a1"),
        [
            org.a1.employee_no,
            "a1 改名",
            "t-organ",
            "t-a",
            "section_staff",
            "",
            "",
            "",
            "a1",
            "1",
        ],
        [
            org.b1.employee_no,
            "b1",
            "t-organ",
            "t-b",
            "section_staff",
            "",
            "",
            "",
            "b1",
            "1",
        ],
    ]
    progress = []
    result = check_roster(
        tablib.Dataset(*rows, headers=CHINESE), progress=progress.append, every=3
    )
    assert [e["row"] for e in result.errors] == [2, 3, 4, 5, 6]
    assert result.totals == {"new": 1, "update": 1, "skip": 1}
    assert progress == [3, 6, 8]
    imported = PersonResource().import_data(
        tablib.Dataset(*rows, headers=CHINESE), dry_run=True
    )
    assert [e["row"] for e in errors_of(imported)] == [2, 3, 4, 5, 6]


# --- large files: a job, checked and imported by tasks ------------------------------


@pytest.fixture
def small_threshold(settings):
    settings.ROSTER_IMPORT_TASK_ROWS = 3


def test_org1_large_file_with_errors_goes_through_a_job(
    org, client_for, small_threshold, django_capture_on_commit_callbacks
):
    """Above the threshold the upload becomes a job; the task checks it, the page
    shows the progress and the row errors and offers no import."""
    rows = [row(f"N8{i:02d}") for i in range(5)] + [row("N800")]
    client = client_for(org.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, as_csv(rows))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:bureau_person_import_job", args=[job.pk]
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert job.total_rows == job.processed_rows == 6
    assert job.error_count == 1 and job.errors[0]["row"] == 6
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "<progress" in text
    assert "第 1 行" in text and 'id="confirm-import"' not in text
    assert 'http-equiv="refresh"' not in text  # finished: no more refreshing
    assert not Person.objects.filter(employee_no__startswith="N8").exists()


def test_org1_large_clean_file_is_confirmed_and_imported_by_the_task(
    org, client_for, small_threshold, django_capture_on_commit_callbacks
):
    rows = [row(f"N9{i:02d}", username=f"new{i}") for i in range(5)]
    client = client_for(org.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, as_csv(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.VALID and job.totals["new"] == 5
    page = client.get(response["Location"]).content.decode()
    assert 'id="confirm-import"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.totals["new"] == 5
    assert job.confirmed_by == org.admin
    person = Person.objects.get(employee_no="N904")
    assert person.user.username == "new4"
    assert person.history.first().history_user == org.admin
    # Run again (a redelivered task): nothing happens twice.
    assert imports.import_job_run(job_id=job.pk) is None


def test_org1_running_job_page_refreshes_itself(org, client_for):
    job = ImportJob.objects.create(
        file_name="big.csv", file_format="csv", data=b"", total_rows=50000
    )
    job.processed_rows = 12000
    job.save()
    page = client_for(org.admin).get(
        reverse("admin:bureau_person_import_job", args=[job.pk])
    )
    text = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in text
    assert 'value="12000"' in text and "24%" in text
    # The refresh is a meta tag: no inline script for the Content-Security-Policy.
    content = text.split('id="import-job"')[1]
    assert "<script" not in content


def test_org1_job_is_confirmed_only_once_clean(org):
    job = ImportJob.objects.create(
        file_name="x.csv",
        file_format="csv",
        data=b"",
        status=ImportJob.Status.INVALID,
    )
    with pytest.raises(imports.ImportJobError):
        imports.import_job_confirm(job=job, by=org.admin)


# --- who may import -----------------------------------------------------------------


def test_org1_only_people_who_may_change_persons_import(org, client_for):
    """The clerk (no change permission on people) gets 403 on the import page, on
    posting a file and on a job's page; the administrator may."""
    job = ImportJob.objects.create(file_name="x.csv", file_format="csv", data=b"")
    job_url = reverse("admin:bureau_person_import_job", args=[job.pk])
    clerk = client_for(org.a2)
    assert clerk.get(reverse("admin:bureau_person_import")).status_code == 403
    assert upload(clerk, as_csv([row("N990")])).status_code == 403
    assert clerk.get(job_url).status_code == 403
    assert clerk.post(job_url).status_code == 403
    assert not Person.objects.filter(employee_no="N990").exists()
    assert client_for(org.admin).get(job_url).status_code == 200
