"""Lighthouse 12 on the sign-in page, the one page anyone reaches (issue 17).

Accessibility, best practices and SEO depend on the page alone: 100 each, here on every run.
Performance depends on how the portal is served (gunicorn, WhiteNoise's compressed and cached
static files) and on the machine: `make lighthouse` measures it on five pages and records the
scores in bench/lighthouse.md.
"""

import pytest
from django.urls import reverse

from bench.lighthouse import CLI, run_lighthouse, scores, shortfalls

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_scores_100_for_accessibility_best_practices_and_seo(
    live_server, settings, tmp_path
):
    settings.DEBUG = False
    binary = CLI / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        pytest.fail(f"Lighthouse is missing: npm ci --prefix {CLI} (make e2e runs it).")

    result = run_lighthouse(
        binary, live_server.url + reverse("login"), None, "mobile", tmp_path / "sign-in.json"
    )

    got = scores(result)
    wanted = {"accessibility": 100, "best-practices": 100, "seo": 100}
    assert {key: got[key] for key in wanted} == wanted, "\n".join(shortfalls(result, True))
