"""Security headers and a Content Security Policy that the pages pass.

The policy (settings.CONTENT_SECURITY_POLICY, django-csp) allows script and style
only from our own static files. These tests crawl the staff pages as several roles,
following every link from the home page (so a page a future chapter adds is
crawled too), and fail on anything the policy would block: inline <script>
(except JSON data blocks), on*= handlers, javascript: links, <style> elements and
style attributes. The browser test (test_csp_browser.py) checks the same pages
in Chromium."""

import datetime
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html
import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from bureau.workdays import TZ

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 2)
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)
# Not crawled: state changes behind a form (POST only anyway), downloads, and the
# admin (checked below with its own allowance).
SKIP_PREFIXES = ("/admin/", "/accounts/logout/", "/i18n/", "/static/", "/media/")
SKIP_SUFFIXES = (".xlsx", ".csv", ".pdf")


def header_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:]
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def policy_breaches(html: bytes, allowed_styles=(), allowed_handlers=()) -> list[str]:
    """What the policy would block in this page (or what needs 'unsafe-inline')."""
    tree = lxml.html.fromstring(html)
    found = []
    for script in tree.iter("script"):
        if not script.get("src") and script.get("type") != "application/json":
            found.append(f"inline <script>: {(script.text or '')[:60]!r}")
    for element in tree.iter("style"):
        found.append(f"<style> element: {(element.text or '')[:60]!r}")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on") and value not in allowed_handlers:
                found.append(f"<{element.tag} {name}={value!r}>")
            if name.lower() == "style" and value not in allowed_styles:
                found.append(f"<{element.tag} style={value!r}>")
            if name.lower() in (
                "href",
                "src",
                "action",
            ) and value.strip().lower().startswith("javascript:"):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def crawl(client, start="/", limit=120):
    """GET every same-site page reachable by links from `start` (each path with
    each set of query parameter names once) -> {url: response}."""
    queue, seen, pages = [start], set(), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = (parts.path, tuple(sorted({k for k, _v in parse_qsl(parts.query)})))
        if key in seen or parts.path.startswith(SKIP_PREFIXES):
            continue
        if parts.path.endswith(SKIP_SUFFIXES):
            continue
        seen.add(key)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or not response["Content-Type"].startswith(
            "text/html"
        ):
            continue
        pages[url] = response
        for href in lxml.html.fromstring(response.content).xpath("//a/@href"):
            target = urlsplit(urljoin(url, href))
            if target.scheme in ("", "http") and target.netloc in ("", "testserver"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


@pytest.fixture
def bureau_day(org):
    """Monday 09:00 with a pending 2-day leave request of a1 (its detail page and
    its printable form)."""
    from leave.services import leave_submit

    with time_machine.travel(NOW, tick=False):
        leave_submit(
            by=org.a1.user,
            leave_type="sick",
            start_date=MONDAY + datetime.timedelta(days=1),
            start_half="am",
            end_date=MONDAY + datetime.timedelta(days=2),
            end_half="pm",
            reason="看病",
            handover_note="交 a2",
        )
        yield org


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/leave/new/", "/admin/", "/calendar/"]
)
def test_pages_carry_the_content_security_policy_and_referrer_policy(
    bureau_day, client_for, url
):
    response = client_for(bureau_day.a1).get(url)
    directives = header_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert directives["style-src"] == ["'self'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_login_page_for_anonymous_has_the_policy_too(client, db):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("role", ["a1", "head_a", "a2", "inspector", "director"])
def test_crawled_pages_have_no_inline_script_handler_or_style(
    bureau_day, client_for, role
):
    """Every page a role reaches from the home page passes the policy."""
    pages = crawl(client_for(getattr(bureau_day, role)))
    assert len(pages) >= 8, sorted(pages)
    breaches = {url: policy_breaches(r.content) for url, r in pages.items()}
    assert {url: found for url, found in breaches.items() if found} == {}


def test_crawl_reaches_the_pages_that_used_to_have_handlers(bureau_day, client_for):
    """The crawl is not vacuous: the clerk reaches the report (unit picker, print
    view) and the printable leave form exists for its owner."""
    pages = crawl(client_for(bureau_day.a2))
    paths = {urlsplit(url).path for url in pages}
    assert {"/attendance/report/", "/attendance/sheet/"} <= paths
    leave = bureau_day.a1.leave_requests.get()
    response = client_for(bureau_day.a1).get(reverse("leave:form", args=[leave.pk]))
    assert response.status_code == 200
    assert policy_breaches(response.content) == []
    assert b"data-print" in response.content


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("admin:index", []),
        ("admin:bureau_person_changelist", []),
        ("admin:bureau_person_change", ["a1"]),
        ("admin:bureau_person_history", ["a1"]),
        ("admin:bureau_person_export", []),
        ("admin:bureau_person_import", []),
        ("admin:approvals_approvalrequest_changelist", []),
        ("admin:leave_leaverequest_changelist", []),
    ],
)
def test_admin_pages_need_no_inline_script_and_only_hashed_styles(
    bureau_day, client_for, url_name, args
):
    """The Django admin and its add-ons pass the policy: no inline script; the few
    fixed style and handler attributes of third-party templates are the hashed ones
    (script-src-attr / style-src-attr)."""
    args = [getattr(bureau_day, a).pk for a in args]
    response = client_for(bureau_day.admin).get(reverse(url_name, args=args))
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    found = policy_breaches(
        response.content,
        allowed_styles=settings.THIRD_PARTY_STYLE_ATTRIBUTES,
        allowed_handlers=settings.THIRD_PARTY_EVENT_HANDLERS,
    )
    assert found == []
