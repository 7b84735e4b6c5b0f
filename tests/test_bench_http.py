"""Issue 17: the HTTP benches' baseline view (a bare Django view with login, CSRF
and one INSERT) is mounted only by the bench's own URLconf, never the product's."""

from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parent.parent


def test_bench_bare_view_is_not_mounted_in_the_product():
    with pytest.raises(Resolver404):
        resolve("/bench/bare/")


def test_bench_bare_view_is_mounted_by_the_bench_urlconf():
    match = resolve("/bench/bare/", urlconf="bench.http_urls")
    assert match.url_name == "bench_bare"
    # The bench's URLconf is the product's plus that one view.
    assert resolve("/healthz", urlconf="bench.http_urls").url_name == "healthz"


def test_no_product_module_imports_the_benches():
    from tests.test_code_layout import APPS

    found = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "tests" not in path.parts
        and any(
            line.startswith(("from bench", "import bench"))
            for line in path.read_text().splitlines()
        )
    ]
    assert found == []
