"""Issue 17: with the shared cache a session is read from it (one query less on
every request) and kept there for minutes only (bureau/sessions.py)."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau.sessions import SessionStore, _CappedCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "bureau.sessions"
    settings.SESSION_CACHE_SECONDS = 300


def test_a_signed_in_request_reads_its_session_from_the_cache(
    cached_sessions, org, client_for
):
    client = client_for(org.u1)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert not [q for q in captured if "django_session" in q["sql"]]


def test_the_cache_keeps_a_session_for_minutes_only():
    timeouts = []

    class _Cache:
        def set(self, key, value, timeout=None):
            timeouts.append(timeout)

    capped = _CappedCache(_Cache(), 300)
    capped.set("k", {}, 1_209_600)  # the cookie's two weeks
    capped.set("k", {}, 60)
    capped.set("k", {}, None)
    assert timeouts == [300, 60, 300]


def test_signing_out_ends_the_session_in_the_database_and_the_cache(
    cached_sessions, org, client_for
):
    client = client_for(org.u1)
    key = client.session.session_key
    assert SessionStore(key).load()[SESSION_KEY] == str(org.u1.user.pk)
    client.post(reverse("logout"))
    assert SessionStore(key).load() == {}
    assert client.get(reverse("home")).status_code == 302


def test_a_session_deleted_while_the_cache_missed_it_ends_within_the_cache_life(
    settings, org, client_for
):
    """A sign-out whose cache delete failed (Redis away): the database no longer has
    the session; the cached copy answers only until its short life ends."""
    settings.SESSION_ENGINE = "bureau.sessions"
    settings.SESSION_CACHE_SECONDS = 1
    client = client_for(org.u1)
    assert client.get(reverse("home")).status_code == 200  # cached now
    key = client.session.session_key
    # The database's delete without the cache's (what a failed cache delete leaves).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_session WHERE session_key = %s", [key])
    assert client.get(reverse("home")).status_code == 200  # the cached copy
    time.sleep(1.2)
    assert client.get(reverse("home")).status_code == 302  # to the sign-in page
