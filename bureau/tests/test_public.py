"""bureau.public: public pages are open without login, keep CSRF and are rate limited."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from bureau.policies import registry
from bureau.public import RATE_LIMITS, public_page

pytestmark = pytest.mark.django_db


@public_page("submit")
def _form(request):
    return HttpResponse("ok")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _post(ip="203.0.113.5"):
    return _form(RequestFactory().post("/public/x/", REMOTE_ADDR=ip))


def test_public_page_serves_up_to_the_limit_then_429():
    limit = registry.get(RATE_LIMITS).default["submit"]
    codes = [_post().status_code for _ in range(limit + 1)]
    assert codes[:-1] == [200] * limit
    assert codes[-1] == 429


def test_public_page_limit_is_per_address():
    limit = registry.get(RATE_LIMITS).default["submit"]
    for _ in range(limit + 1):
        _post("203.0.113.5")
    assert _post("203.0.113.6").status_code == 200


def test_public_page_get_is_not_counted_and_needs_no_login():
    limit = registry.get(RATE_LIMITS).default["submit"]
    for _ in range(limit + 3):
        response = _form(RequestFactory().get("/public/x/", REMOTE_ADDR="203.0.113.9"))
        assert response.status_code == 200
    assert getattr(_form, "login_required", True) is False


def test_public_rate_limit_policy_validator_refuses_bad_values():
    validator = registry.get(RATE_LIMITS).validator
    validator({"submit": 1, "lookup": 5})
    for bad in (
        {"submit": 0, "lookup": 5},
        {"submit": 1},
        {"submit": True, "lookup": 5},
    ):
        with pytest.raises(ValueError):
            validator(bad)
