"""Settings the test suite runs with: the product's, plus the worked example of
docs/new_chapter.md (a toy "car use" chapter) installed as one more chapter.

`pyproject.toml` points pytest-django here. Nothing else reads this module: `manage.py`,
the workers and CI's `makemigrations --check` use `bureau.settings`, where the toy
chapter does not exist. The toy is installed the way any chapter is (its own
migrations, its AppConfig.ready() registering with the engines); its pages are mounted
by `tests.urls`. Run the suite without it with `pytest --ds=bureau.settings`
(the toy's tests then skip).
"""

from bureau.settings import *  # noqa: F403
from bureau.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy_chapter"]
ROOT_URLCONF = "tests.urls"
