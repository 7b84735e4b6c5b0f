"""A refused request is logged as one line, without a traceback."""

import logging

from django.urls import reverse


def _formatted(records):
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return [formatter.format(record) for record in records]


def test_forbidden_request_is_logged_as_one_line_without_traceback(
    org, client_for, caplog
):
    """A 403 (PermissionDenied in the admin) is one WARNING line with the method,
    path, user id and status, and no traceback."""
    url = reverse("admin:bureau_person_change", args=[org.b1.pk])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(org.head_a).get(url)
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    (line,) = _formatted(records)
    assert "\n" not in line and "Traceback" not in line
    assert records[0].exc_info is None
    assert f"GET {url} user={org.head_a.user.pk} status=403" in line
    assert line.startswith("WARNING django.request Forbidden (Permission denied)")


def test_csrf_refusal_is_one_line_too(org, caplog):
    """A POST without a CSRF token: one line from django.security.csrf."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING):
        response = client.post("/accounts/login/", {"username": "a1"})
    assert response.status_code == 403
    lines = _formatted(r for r in caplog.records if r.levelno >= logging.WARNING)
    assert len(lines) == 1
    assert "Traceback" not in lines[0] and "\n" not in lines[0]
    assert "POST /accounts/login/ user=- status=403" in lines[0]


def test_other_warnings_keep_their_message(org, client_for, caplog):
    """A 404 is not rewritten."""
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client_for(org.a1).get("/no-such-page/")
    (line,) = _formatted(r for r in caplog.records if r.name == "django.request")
    assert line == "WARNING django.request Not Found: /no-such-page/"
