"""The deployed settings, plus one URLconf with a trivial page to compare the real pages with.

Selected with DJANGO_SETTINGS_MODULE=bench.settings by the benchmark only; everything else is
exactly mobility_portal.settings as read from the environment (DEBUG off, cached templates,
persistent database connections, whitenoise's hashed static files).
"""

from mobility_portal.settings import *  # noqa: F403
from mobility_portal.settings import ALLOWED_HOSTS, BASE_DIR

ROOT_URLCONF = "bench.urls"
# The Django test client's host, for the in-process measurements.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# collectstatic output of the benchmark, kept out of the deployment's own STATIC_ROOT.
STATIC_ROOT = BASE_DIR / "bench" / "out" / "static"
# The generated office signs in with a password and gives no second factor (see MAX_QUERIES in
# bench/run.py for what a verified session costs).
REQUIRE_2FA_FOR_OFFICE = False
