"""Settings of the HTTP benches (bench/http_harness.py): the deployment's own
settings, as gunicorn runs them behind nginx (BUREAU_PROFILE=production, DEBUG off,
HTTPS seen through X-Forwarded-Proto), plus one bare-Django baseline view that only
this module's URLconf mounts — never the product's (tests/test_bench_http.py)."""

import os
from pathlib import Path

from bureau.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
# collectstatic writes the production manifest here, not into the checkout.
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/bureau_bench_static"))
