"""Redis down (issue 8, hole 6): the cache fails open, so the home page, the login
form, staff sign-in and the board keep working from the database."""

import datetime
import logging

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from attendance.models import SessionRecord
from bureau.settings import redis_caches
from bureau.workdays import TZ

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 2)  # a winter working Monday: 08:00 / 14:30
CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens: connection refused


@pytest.fixture
def redis_down(settings):
    """The project's Redis cache configuration, pointed at a Redis that is down."""
    settings.CACHES = redis_caches(CLOSED_PORT)
    yield
    cache.close()


def test_the_cache_settings_ignore_a_redis_outage():
    """With REDIS_URL, the cache is django-redis ignoring (and logging) connection
    errors, with timeouts well under a second."""
    options = redis_caches("redis://127.0.0.1:6379/0")["default"]["OPTIONS"]
    assert options["IGNORE_EXCEPTIONS"] is True
    assert options["SOCKET_CONNECT_TIMEOUT"] <= 0.5
    assert options["SOCKET_TIMEOUT"] <= 0.5
    assert settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS is True


def test_cache_calls_with_redis_down_are_misses_not_errors(redis_down, caplog):
    """A read is a miss, a write is dropped, an increment returns nothing; each is
    logged."""
    with caplog.at_level(logging.ERROR, logger="django_redis"):
        assert cache.get("k") is None
        cache.set("k", 1)
        assert cache.get("k") is None
        assert cache.incr("k") is None
    assert any("ignored" in r.getMessage() for r in caplog.records)


def test_home_login_sign_in_and_board_work_with_redis_down(
    redis_down, org, client_for, caplog
):
    """Staff sign in (ATT-1) with Redis down: the sign-in is recorded, the home page,
    the login form and the board answer 200."""
    from bureau.policies import registry

    registry.load_defaults()
    caplog.set_level(logging.CRITICAL, logger="django_redis")
    client = client_for(org.a1)
    now = datetime.datetime.combine(MONDAY, datetime.time(7, 55), tzinfo=TZ)
    with time_machine.travel(now, tick=False):
        assert client.get(reverse("home")).status_code == 200
        response = client.post(reverse("attendance:sign_in"))
        assert response.status_code == 302
        assert SessionRecord.objects.filter(person=org.a1).count() == 1
        home = client.get(reverse("home"))
        assert home.status_code == 200
        board = client.get(reverse("attendance:board", args=[org.organ.pk]))
        assert board.status_code == 200
        assert client.get(reverse("attendance:board_index")).status_code in (200, 302)
        client.logout()
        assert client.get(reverse("login")).status_code == 200
