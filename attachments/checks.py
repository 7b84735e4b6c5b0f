"""System check: nothing serves the attachments' storage as public files.

Files are reached only through attachments.views.download. The project's URLconf
has no static()/serve() route for MEDIA_URL, nginx (deploy/nginx.conf) passes every
path to the application, and whitenoise serves STATIC_ROOT (and WHITENOISE_ROOT, if
set) only: this check fails start-up if MEDIA_ROOT is inside any of them, or if a
URL pattern serves MEDIA_URL.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.urls import get_resolver
from django.views.static import serve


def _inside(child, parent) -> bool:
    if not child or not parent:
        return False
    child, parent = Path(child).resolve(), Path(parent).resolve()
    return child == parent or child.is_relative_to(parent)


def media_served_by_urls() -> bool:
    media = settings.MEDIA_URL.lstrip("/")

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if hasattr(entry, "url_patterns"):
                yield from walk(entry, route)
            elif getattr(entry, "callback", None) is serve or (
                media and route.lstrip("^/").startswith(media)
            ):
                yield route

    return any(True for _ in walk(get_resolver()))


def media_is_not_public(app_configs=None, **kwargs):
    errors = []
    public_roots = [
        getattr(settings, "STATIC_ROOT", None),
        getattr(settings, "WHITENOISE_ROOT", None),
        *[
            d[1] if isinstance(d, list | tuple) else d
            for d in getattr(settings, "STATICFILES_DIRS", [])
        ],
    ]
    for root in public_roots:
        if _inside(settings.MEDIA_ROOT, root):
            errors.append(
                checks.Error(
                    f"MEDIA_ROOT ({settings.MEDIA_ROOT}) overlaps a directory served "
                    f"as public files ({root}): attachments would bypass the "
                    "permission check.",
                    id="attachments.E001",
                )
            )
    if media_served_by_urls():
        errors.append(
            checks.Error(
                f"A URL pattern serves MEDIA_URL ({settings.MEDIA_URL}): attachments "
                "are served only through attachments.views.download.",
                id="attachments.E002",
            )
        )
    return errors
