"""Sessions read from the shared cache, kept there for minutes (issue 17).

Django's `cached_db` engine reads a session from the cache and writes it through to
the database: one query less on every request. It keeps a session in the cache for
the session's whole life, so a sign-out during a Redis outage (the cache's delete
fails open, `IGNORE_EXCEPTIONS`) would leave the signed-out session readable from a
persistent Redis for up to the cookie's age. Here the cache holds a session for at
most `SESSION_CACHE_SECONDS` (5 minutes by default); after that it is read from the
database again, where the sign-out did delete it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends import cached_db


class _CappedCache:
    """The session cache, with every timeout cut to `seconds`."""

    def __init__(self, cache, seconds: int):
        self._cache, self._seconds = cache, seconds

    def _cap(self, timeout):
        return self._seconds if timeout is None else min(timeout, self._seconds)

    def set(self, key, value, timeout=None, **kwargs):
        return self._cache.set(key, value, self._cap(timeout), **kwargs)

    async def aset(self, key, value, timeout=None, **kwargs):
        return await self._cache.aset(key, value, self._cap(timeout), **kwargs)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CappedCache(
            self._cache, getattr(settings, "SESSION_CACHE_SECONDS", 300)
        )
