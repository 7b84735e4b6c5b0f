"""History version pages only show a version (issue 8, hole 1): a POST is refused for
everyone, every field is read-only (no drop-down of people), and third-party admins
are the superuser's."""

import datetime

import lxml.html
import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from attendance.models import ClerkAssignment
from bureau.models import CalendarDay, Person
from bureau.testing import UserFactory

SPRING_FESTIVAL = datetime.date(2026, 2, 17)


def _version_url(model, obj, version):
    info = model._meta.app_label, model._meta.model_name
    return reverse(
        "admin:{}_{}_simple_history".format(*info), args=[obj.pk, version.history_id]
    )


def _festival():
    day = CalendarDay.objects.get(date=SPRING_FESTIVAL)
    assert not day.is_working_day
    return day, day.history.order_by("history_id").first()


def _as_working_day(day):
    return {
        "date": day.date.isoformat(),
        "is_working_day": "on",
        "kind": CalendarDay.Kind.BUREAU_WORKDAY,
        "name": "上班",
        "source": CalendarDay.Source.OVERRIDE,
        "_save": "Save",
    }


@pytest.mark.parametrize("who", ["a2", "admin"])
def test_cal_history_version_post_is_405_and_the_day_stays_a_holiday(
    org, client_for, who
):
    """Seen: a unit clerk made a Spring Festival day a working day by posting the
    history page. Now a POST is 405 for the clerk (view only) and for the
    superuser (who may change the day on its change form) alike; no row, no
    history row changes."""
    day, version = _festival()
    versions = day.history.count()
    response = client_for(getattr(org, who)).post(
        _version_url(CalendarDay, day, version), _as_working_day(day)
    )
    assert response.status_code == 405
    day.refresh_from_db()
    assert not day.is_working_day
    assert day.history.count() == versions


def test_cal_clerk_cannot_change_a_day_on_the_change_form_either(org, client_for):
    """The attendance clerk has view permission on the calendar only: the change
    form refuses the POST (403)."""
    day, _version = _festival()
    response = client_for(org.a2).post(
        reverse("admin:bureau_calendarday_change", args=[day.pk]),
        _as_working_day(day),
    )
    assert response.status_code == 403
    day.refresh_from_db()
    assert not day.is_working_day


def test_org1_history_version_shows_every_field_read_only_without_dropdowns(
    org, client_for
):
    """A version of a person shows their unit and section as text: the page holds no
    <select> (which listed every person and user) and no editable input."""
    person = Person.objects.get(pk=org.a1.pk)
    version = person.history.order_by("history_id").first()
    page = client_for(org.admin).get(_version_url(Person, person, version))
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.content.decode())
    form = doc.xpath('//form[@id="historicalperson_form"]')[0]
    assert form.xpath(".//select|.//textarea") == []
    editable = [
        i.get("name")
        for i in form.xpath(".//input")
        if i.get("type") not in ("hidden", "submit")
    ]
    assert editable == []
    text = form.text_content()
    assert org.organ.name in text and org.section_a.name in text
    # No revert button.
    assert form.xpath('.//input[@name="_save"]') == []
    # Nobody else's name is offered.
    assert org.b1.name not in text


def test_history_version_with_a_bad_version_id_is_404(org, client_for):
    day, _version = _festival()
    url = reverse("admin:bureau_calendarday_history", args=[day.pk]) + "abc/"
    assert client_for(org.admin).get(url).status_code == 404


def test_att_clerk_assignment_history_is_the_administrators(org, client_for):
    """ClerkAssignment uses the scoped history admin: its history is 404 to a clerk."""
    assignment = ClerkAssignment.objects.create(person=org.a2, unit=org.unit)
    version = assignment.history.first()
    url = _version_url(ClerkAssignment, assignment, version)
    assert client_for(org.a2).get(url).status_code in (403, 404)
    assert client_for(org.admin).get(url).status_code == 200
    assert client_for(org.admin).post(url, {}).status_code == 405


@pytest.mark.django_db
def test_third_party_admin_is_the_superusers_even_with_a_granted_permission(client):
    """Users, groups, lockouts and the beat schedule: a staff member whose group was
    given the change permission on users still cannot open or change them."""
    group = Group.objects.create(name="helpdesk")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="auth", codename__in=["view_user", "change_user"]
        )
    )
    staff = UserFactory(username="helpdesk", is_staff=True)
    staff.groups.add(group)
    target = UserFactory(username="target")
    client.force_login(staff)
    change = reverse("admin:auth_user_change", args=[target.pk])
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    response = client.post(change, {"username": "renamed", "_save": "Save"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.username == "target"
