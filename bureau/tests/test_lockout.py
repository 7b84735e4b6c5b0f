"""The login lockout locks an account, not everyone behind the same address.

The deployment has a reverse proxy in front of gunicorn (docker-compose.yml): every
request reaches the application from the proxy's address, and the client's is in
X-Forwarded-For. These tests go through the real login form (django-axes)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from bureau.client_ip import client_ip

LOGIN = "/accounts/login/"
PROXY = "172.18.0.5"  # the nginx container
OFFICE = "203.0.113.7"  # the bureau's NAT: every desk in the building


def via_proxy(client_address):
    """A browser behind the bureau's NAT, reaching gunicorn through the proxy."""
    return Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": client_address})


def log_in(client, username, password="test-pass-123"):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def lock_out(username, client, settings):
    """AXES_FAILURE_LIMIT wrong passwords; the last one is answered "locked"."""
    codes = [
        log_in(client, username, "wrong").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert codes[-1] == 429 and set(codes[:-1]) == {200}


def test_another_user_at_the_same_address_can_still_log_in(org, behind_proxy):
    """Five wrong passwords for a1 lock a1, not b1 at the same desk (same NAT
    address, same proxy, same X-Forwarded-For)."""
    lock_out("a1", via_proxy(OFFICE), behind_proxy)
    assert log_in(via_proxy(OFFICE), "a1").status_code == 429
    colleague = via_proxy(OFFICE)
    response = log_in(colleague, "b1")
    assert response.status_code == 302
    assert "_auth_user_id" in colleague.session


def test_another_user_can_log_in_without_a_proxy(org, settings):
    """The embedded setup (no proxy): the same holds for REMOTE_ADDR alone."""
    lock_out("a1", Client(REMOTE_ADDR="10.0.0.9"), settings)
    assert log_in(Client(REMOTE_ADDR="10.0.0.9"), "b1").status_code == 302


def test_locked_account_stays_locked_from_any_address(org, behind_proxy):
    """Once a1 is locked, the right password from another address is refused too,
    and a forged X-Forwarded-For does not unlock it."""
    lock_out("a1", via_proxy(OFFICE), behind_proxy)
    assert log_in(via_proxy("198.51.100.20"), "a1").status_code == 429
    forged = Client(
        REMOTE_ADDR=PROXY,
        headers={"X-Forwarded-For": f"192.0.2.1, 198.51.100.77, {OFFICE}"},
    )
    assert log_in(forged, "a1").status_code == 429
    assert log_in(Client(REMOTE_ADDR="10.9.9.9"), "a1").status_code == 429


def test_failed_attempts_record_the_client_address_from_the_proxy_header(
    org, behind_proxy
):
    """With one trusted proxy the recorded address is the client's from the header
    (the proxy's own address would make everyone one client)."""
    log_in(via_proxy(OFFICE), "a1", "wrong")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [OFFICE]


def test_without_trusted_proxies_the_header_is_ignored(org, settings):
    """With no proxy configured a client cannot choose its address."""
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client(REMOTE_ADDR="10.0.0.9", headers={"X-Forwarded-For": "1.2.3.4"})
    log_in(client, "a1", "wrong")
    assert AccessAttempt.objects.get().ip_address == "10.0.0.9"


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "1.2.3.4", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # client-written part ignored
        (1, "203.0.113.7, not-an-address", "10.0.0.1"),
        (2, "6.6.6.6, 203.0.113.7, 172.18.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", headers=headers)
    assert client_ip(request) == expected
