"""The client's address as the deployment sees it (for the login lockout and logs).

Behind N reverse proxies that each append the address they received from to
X-Forwarded-For (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`),
the client is the N-th address from the right: everything further left was written
by the client itself and may be anything. With no trusted proxy (the embedded
runserver, or gunicorn reached directly) the header is ignored and REMOTE_ADDR is
the client. The number comes from `BUREAU_TRUSTED_PROXIES` (settings
`TRUSTED_PROXY_COUNT`); trusting more proxies than there are lets a client choose
its own address, so it must match the deployment.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address of the client of this request (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    # Fewer entries than trusted proxies: every entry was written by one of them
    # (a client can only add on the left), so the leftmost is the client.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _valid(candidate) or remote
