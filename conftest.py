"""Fixtures shared by every app's tests."""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _fresh_policies():
    """Policy lookups are cached per process; each test starts from its own DB."""
    from bureau.policies import registry

    registry.clear_cache()
    yield
    registry.clear_cache()


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Tasks run eagerly in tests against the test database, also when REDIS_URL is
    set; only tests marked `broker` send them through the real broker and worker."""
    from bureau.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = "broker" not in request.keywords
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _local_cache(settings, request):
    """Each test starts with an empty per-process cache, also when REDIS_URL is set
    (a shared Redis would carry cached data from one test's database to the next)."""
    if "broker" in request.keywords:
        return
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests",
        }
    }
    # No shared cache, so sessions in the database, as bureau/settings.py decides
    # without Redis (the same statements counted with and without REDIS_URL); the
    # tests of the cached sessions ask for them.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    from django.core.cache import cache

    from attendance.plan import forget_copies

    cache.clear()
    forget_copies()  # a worker's copies of day plans, of another test's database


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    """Uploaded files go to a fresh directory per test, never the checkout's media/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    _forget_uncommitted_files()
    yield
    # The test's transaction never commits: the files it wrote are not another
    # test's business (attachments.storage).
    _forget_uncommitted_files()


def _forget_uncommitted_files():
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "_attachments_uncommitted"):
            connection._attachments_uncommitted.clear()


@pytest.fixture
def org(db):
    """The small organisation of bureau.testing.small_org()."""
    from bureau.testing import small_org

    return small_org()


@pytest.fixture
def client_for(client):
    """client_for(person_or_user) -> the test client logged in as them."""

    def login(who):
        user = getattr(who, "user", who)
        client.force_login(user)
        return client

    return login


# --- Browser tests (headless Debian Chromium through Playwright) ------------------


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def artifacts_dir():
    path = os.path.join(os.path.dirname(__file__), "test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture
def browser_login(live_server, page):
    """browser_login(username) logs in through the real form; returns the page."""

    def login(username, password="test-pass-123"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return login
