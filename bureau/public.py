"""Pages for citizens under /public/ (ARCHITECTURE.md): no login, CSRF-protected,
rate limited per address, showing nothing internal.

A chapter's public view is wrapped in `public_page(scope)`: it is exempt from the
login requirement, keeps Django's CSRF check (every public form carries
`{% csrf_token %}`) and counts the requests of the given methods per client address
(`bureau.client_ip`, so a proxy's X-Forwarded-For is only believed as far as
TRUSTED_PROXY_COUNT says) in fixed windows of an hour. Past the policy's limit the
client gets a 429 page in the bureau's language and the view does not run. The
limits are the policy `bureau.public_rate_limits` (one number per scope), so the
bureau can tighten them without a code change.

Scopes: "submit" for forms that create something (an online petition, a complaint),
"lookup" for forms that read by a code (a petition's query code) — a guessed code
costs the guesser one lookup each.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.client_ip import client_ip
from bureau.policies import policy_value, register

RATE_LIMITS = "bureau.public_rate_limits"
SCOPES = ("submit", "lookup")
WINDOW_SECONDS = 3600


def _validate_rate_limits(value) -> None:
    if not isinstance(value, dict) or set(value) != set(SCOPES):
        raise ValueError(_("Give the limits of submissions and of look-ups."))
    for scope in SCOPES:
        number = value[scope]
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValueError(_("Each limit must be a whole number of at least 1."))


register(
    RATE_LIMITS,
    {"submit": 10, "lookup": 30},
    label=gettext_lazy("Public forms per address per hour"),
    rule="SYS",
    description=(
        gettext_lazy(
            "Not from the rulebook: how many times an hour one address may send a "
            "public form (online petitions, complaints) and look up a query code."
        )
    ),
    validator=_validate_rate_limits,
)


def over_limit(request, scope: str) -> bool:
    """Count this request against the client's hourly allowance for `scope`; True
    when it goes beyond the policy's limit (the request must then not be served)."""
    if scope not in SCOPES:
        raise ValueError(scope)
    limit = policy_value(RATE_LIMITS, timezone.localdate())[scope]
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    key = f"public-rate:{scope}:{client_ip(request) or '-'}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    return count > limit


def too_many_requests(request):
    return render(request, "public/429.html", status=429)


def public_page(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """A public view: no login, rate limited per address for `methods` in `scope`."""

    def decorate(view):
        @login_not_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and over_limit(request, scope):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
