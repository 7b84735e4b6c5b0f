"""Access: login, lockout, no state change on GET, admin scoping of the organisation."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from bureau.access import has_role, person_of
from bureau.backends import PersonModelBackend
from bureau.models import Person, Role


@pytest.mark.parametrize(
    "url", ["/", "/calendar/", "/admin/", "/accounts/password_change/"]
)
def test_anonymous_users_are_redirected_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))


def test_health_check_is_open(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_login_form_logs_in_and_home_is_chinese(org, db):
    """The real login form (with django-axes) works; the shell speaks Chinese."""
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": "a1", "password": "test-pass-123"},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "今天" in text or "我的一天" in text
    assert 'lang="zh-hans"' in text


def test_lockout_after_repeated_failed_logins(org, settings):
    """After AXES_FAILURE_LIMIT failures even the right password is refused."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "a1", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "a1", "password": "test-pass-123"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(org, client_for):
    """GET shows the page with the logout button and logs nobody out; POST does."""
    client = client_for(org.a1)
    assert client.get("/accounts/logout/").status_code == 200
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_english_switch(org, client_for):
    client = client_for(org.a1)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/").content.decode()
    assert 'lang="en"' in text and "Today" in text


@pytest.mark.parametrize(
    "url_name", ["admin:bureau_person_changelist", "admin:bureau_policy_changelist"]
)
def test_staff_member_cannot_open_organisation_admin(org, client_for, url_name):
    """Plain staff have no admin at all; a section head has no organisation admin."""
    assert client_for(org.a1).get(reverse(url_name)).status_code == 302
    assert client_for(org.head_a).get(reverse(url_name)).status_code == 403


def test_staff_member_gets_403_on_another_persons_admin_page(org, client_for):
    """Typing the URL of another person's record does not open it."""
    url = reverse("admin:bureau_person_change", args=[org.b1.pk])
    assert client_for(org.head_a).get(url).status_code == 403
    assert client_for(org.a1).get(url).status_code == 302  # to the admin login


def test_administrator_manages_the_organisation(org, client_for):
    client = client_for(org.admin)
    assert client.get(reverse("admin:bureau_person_changelist")).status_code == 200
    url = reverse("admin:bureau_person_change", args=[org.b1.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:bureau_policy_changelist")).status_code == 200


def test_home_page_queries_do_not_grow_with_staff(
    org, client_for, django_assert_max_num_queries
):
    from bureau.testing import make_person

    client = client_for(org.a1)
    client.get("/")
    with django_assert_max_num_queries(40) as first:
        client.get("/")
    for i in range(20):
        make_person(
            f"extra{i}", unit=org.organ, section=org.section_a, position="section_staff"
        )
    with django_assert_max_num_queries(40) as second:
        client.get("/")
    assert len(second.captured_queries) == len(first.captured_queries)
    assert Person.objects.count() > 30


def test_calendar_page_shows_the_month(org, client_for):
    response = client_for(org.a1).get("/calendar/?year=2026&month=10")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2026-10-10" data-working="1"' in text
    assert 'data-date="2026-10-01" data-working="0"' in text
    # A month that cannot be read is a 400 that says why (bureau.params), not a
    # silent jump to another month.
    bad = client_for(org.a1).get("/calendar/?year=x&month=99")
    assert bad.status_code == 400


def test_a_logins_permissions_and_roles_are_one_query(org, django_assert_num_queries):
    """Issue 17: the first permission check reads the login's own permissions, its
    groups' permissions and its roles together; later checks and role questions
    (bureau.access, Person.role_names) read nothing."""
    user = org.head_a.user
    user.user_permissions.add(Permission.objects.get(codename="view_person"))
    user = PersonModelBackend().get_user(user.pk)
    expected = get_user_model().objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert user.has_perm("approvals.decide_approvalrequest")
        assert user.has_perm("bureau.view_person")
        assert not has_role(user, Role.ADMINISTRATOR)
        assert person_of(user).has_role(Role.SECTION_HEAD)
    # The same as Django's own backend reads in its two queries.
    assert user.get_all_permissions() == ModelBackend().get_all_permissions(expected)
    assert "bureau.view_person" in user.get_all_permissions()


def test_a_group_added_is_seen_by_the_same_login_object(org):
    """Roles remembered on a login are forgotten when its groups change."""
    user = org.b1.user
    assert not has_role(user, Role.DOCUMENT_CLERK)
    assert not org.b1.has_role(Role.DOCUMENT_CLERK)
    user.groups.add(Group.objects.get_or_create(name=Role.DOCUMENT_CLERK)[0])
    assert has_role(user, Role.DOCUMENT_CLERK)
    assert org.b1.has_role(Role.DOCUMENT_CLERK)
