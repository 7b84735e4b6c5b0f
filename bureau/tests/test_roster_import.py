"""ORG-1: the staff roster is imported and exported (xlsx, csv); bad files change nothing."""

import pytest
import tablib
from django.urls import reverse

from bureau.models import Person
from bureau.resources import PersonResource

HEADERS = [
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


def dataset(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


GOOD = [
    "N001",
    "赵新",
    "t-organ",
    "t-a",
    "section_staff",
    "科员",
    "",
    "",
    "zhaoxin",
    "1",
]
GOOD_LABEL = [
    "N002",
    "钱新",
    "t-station",
    "",
    "单位工作人员",
    "",
    "事业单位人员",
    "",
    "",
    "1",
]
BAD_UNIT = ["N003", "孙新", "no-such-unit", "", "unit_staff", "", "", "", "", "1"]
BAD_POSITION = ["N004", "李新", "t-organ", "t-a", "boss", "", "", "", "", "1"]


def test_org1_roster_dry_run_previews_without_writing(org):
    before = Person.objects.count()
    result = PersonResource().import_data(dataset(GOOD, GOOD_LABEL), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2
    assert Person.objects.count() == before


@pytest.mark.parametrize("bad", [BAD_UNIT, BAD_POSITION])
def test_org1_roster_with_one_bad_row_imports_nothing(org, bad):
    """A file with one bad row: the row is named, and no row of the file is saved."""
    before = Person.objects.count()
    resource = PersonResource()
    preview = resource.import_data(dataset(GOOD, bad, GOOD_LABEL), dry_run=True)
    assert preview.has_errors() or preview.has_validation_errors()
    result = resource.import_data(dataset(GOOD, bad, GOOD_LABEL), dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert Person.objects.count() == before
    assert not Person.objects.filter(employee_no__in=["N001", "N002"]).exists()


def test_org1_roster_import_creates_people_and_logins(org):
    result = PersonResource().import_data(dataset(GOOD, GOOD_LABEL), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    zhao = Person.objects.get(employee_no="N001")
    assert zhao.user.username == "zhaoxin" and zhao.section == org.section_a
    assert zhao.has_role("bureau_staff")
    qian = Person.objects.get(employee_no="N002")
    assert qian.position == "unit_staff" and qian.staff_category == "public_institution"


CHINESE_HEADERS = [
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


def test_org1_roster_export_round_trips(org):
    exported = PersonResource().export()
    assert exported.headers == CHINESE_HEADERS
    row = dict(
        zip(
            HEADERS,
            exported[[r[0] for r in exported].index(org.a1.employee_no)],
            strict=True,
        )
    )
    assert row["unit"] == "t-organ" and row["section"] == "t-a"
    assert row["username"] == "a1" and row["position"] == "section_staff"
    xlsx = exported.export("xlsx")
    assert xlsx[:2] == b"PK"


def test_org1_roster_import_page_is_the_administrators(org, client_for):
    url = reverse("admin:bureau_person_import")
    assert client_for(org.admin).get(url).status_code == 200
    assert client_for(org.head_a).get(url).status_code == 403


def test_org1_admin_import_previews_row_errors_and_saves_nothing(org, client_for):
    """The admin's import: a csv with a bad row shows the row's error; no row saved."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = dataset(GOOD, BAD_UNIT).export("csv").encode()
    client = client_for(org.admin)
    before = Person.objects.count()
    response = client.post(
        reverse("admin:bureau_person_import"),
        {
            "resource": "0",
            "format": "1",  # formats = [XLSX, CSV]
            "import_file": SimpleUploadedFile("roster.csv", csv, "text/csv"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "no-such-unit" in page or "errors" in page.lower() or "错误" in page
    assert Person.objects.count() == before
