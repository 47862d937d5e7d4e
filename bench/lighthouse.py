"""Lighthouse on five pages of the portal as deployed: `make lighthouse` writes bench/lighthouse.md.

The portal runs under gunicorn with DEBUG off and hashed, compressed static files, on its own
database (SQLite under bench/out unless LIGHTHOUSE_DATABASE_URL is set) holding the demo data.
Lighthouse 12 (npm, locked in bench/lighthouse_cli/package-lock.json) drives Chromium
(CHROME_PATH, else Debian's /usr/bin/chromium) with its default mobile settings: a phone-sized
screen, a slow 4G network and a 4x slower CPU, simulated. The pages behind sign-in get the
session cookie of the demo coordinator, who sees every one of them.

    .venv/bin/python -m bench.lighthouse [--preset desktop] [--runs 3]

Targets (issue 17): accessibility 100, best practices 100, SEO 100 where the page is public,
performance at least 95. With --runs N each page is measured N times and the median performance
score counts (Lighthouse's advice: performance varies with the machine's load).
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "lighthouse"
CLI = ROOT / "bench" / "lighthouse_cli"
RESULTS = ROOT / "bench" / "lighthouse.md"
PYTHON = sys.executable
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
USERNAME = "coordinator"

# The page's URLs, the session cookie of the demo coordinator and the partner with the most
# agreements, from the served database.
SETUP = """
import json
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.contrib.auth import get_user_model
from partners.models import Partner
from django.db.models import Count
client = Client()
client.force_login(get_user_model().objects.get(username=%r))
partner = Partner.objects.annotate(n=Count("agreements")).order_by("-n", "pk").first()
cookie = settings.SESSION_COOKIE_NAME
year = timezone.localdate().year
print(json.dumps({
    "cookie": f"{cookie}={client.cookies[cookie].value}",
    "pages": [
        ["Sign-in", reverse("login"), True],
        ["Partners", reverse("partners:partner-list"), False],
        ["Partner", partner.get_absolute_url(), False],
        ["Agreements", reverse("partners:agreement-list"), False],
        ["Annual report", reverse("reports:detail", args=[year]), False],
    ],
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env() -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DEBUG="0",
        DEVDATA="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=os.environ.get(
            "LIGHTHOUSE_DATABASE_URL", f"sqlite:///{OUT / 'lighthouse.sqlite3'}"
        ),
        STATIC_ROOT=str(OUT / "static"),
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def install_cli() -> Path:
    binary = CLI / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CLI, check=True
        )
    return binary


def wait_for(url: str, server: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310  # nosec B310 loopback
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def html_bytes(url: str, cookie: str | None) -> tuple[int, int]:
    """The page's body as sent without and with `Accept-Encoding: gzip`, in bytes."""
    sizes = []
    for encoding in ("identity", "gzip"):
        headers = {"Accept-Encoding": encoding} | ({"Cookie": cookie} if cookie else {})
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310  # nosec B310
            sizes.append(len(response.read()))
    return sizes[0], sizes[1]


def run_lighthouse(binary: Path, url: str, cookie: str | None, preset: str, path: Path) -> dict:
    command = [
        str(binary),
        url,
        "--output=json",
        f"--output-path={path}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = os.environ | {"CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, env=env, check=True, timeout=300)
    return json.loads(path.read_text())


def scores(result: dict) -> dict[str, int]:
    return {key: round(result["categories"][key]["score"] * 100) for key in CATEGORIES}


def shortfalls(result: dict, public: bool) -> list[str]:
    """Audits that cost points in a category that is below its target."""
    lines = []
    for key in CATEGORIES:
        category = result["categories"][key]
        if key == "seo" and not public:
            continue
        if round(category["score"] * 100) >= TARGETS[key]:
            continue
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                lines.append(f"{key}: {audit['title']} ({audit['score']:.2f}) {value}".rstrip())
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lighthouse", description=__doc__)
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median counts)")
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    binary = install_cli()
    env = server_env()
    if not args.skip_setup:
        print("migrate, load_demo, collectstatic", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", "--force")
        shutil.rmtree(OUT / "static", ignore_errors=True)
        manage(env, "collectstatic", "--noinput", "-v0")
    setup = json.loads(manage(env, "shell", "-c", SETUP % USERNAME).strip().splitlines()[-1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115  # open while the server runs
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py"]
        + ["mobility_portal.wsgi:application"],
        cwd=ROOT,
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    rows, notes = [], []
    try:
        wait_for(base + setup["pages"][0][1], server)
        for name, path, public in setup["pages"]:
            runs = []
            for number in range(args.runs):
                print(f"{name} ({number + 1}/{args.runs})", flush=True)
                report = OUT / f"{path.strip('/').replace('/', '-') or 'root'}-{number}.json"
                cookie = None if public else setup["cookie"]
                runs.append(run_lighthouse(binary, base + path, cookie, args.preset, report))
            runs.sort(key=lambda result: result["categories"]["performance"]["score"])
            median = runs[len(runs) // 2]
            page_scores = scores(median)
            page_scores["performance"] = round(
                statistics.median(scores(result)["performance"] for result in runs)
            )
            size = median["audits"]["total-byte-weight"]["numericValue"]
            html = html_bytes(base + path, None if public else setup["cookie"])
            rows.append((name, path, public, page_scores, size, html, median))
            notes += [f"- {name}: {line}" for line in shortfalls(median, public)]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    write_results(rows, notes, args)
    failed = [
        name
        for name, _, public, page_scores, _, _, _ in rows
        for key, target in TARGETS.items()
        if (public or key != "seo") and page_scores[key] < target
    ]
    print(RESULTS.read_text())
    return 1 if failed else 0


def write_results(rows, notes, args) -> None:
    version = rows[0][-1]["lighthouseVersion"]
    browser = rows[0][-1]["environment"]["hostUserAgent"]
    lines = [
        "# Lighthouse",
        "",
        f"`make lighthouse` ({'--preset desktop, ' if args.preset == 'desktop' else ''}"
        f"{args.runs} run{'s' if args.runs > 1 else ''} per page) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC: Lighthouse {version}, {args.preset} settings",
        f"(simulated slow 4G and 4x CPU slowdown for mobile), {browser.split(') ')[-1]}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}. The portal under "
        "gunicorn, DEBUG off, hashed static files, the demo data; pages other than sign-in",
        f"signed in as `{USERNAME}`. SEO counts only where the page is public (sign-in).",
        "",
        "| page | path | performance | accessibility | best practices | SEO | transferred |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, path, public, page_scores, size, _, _ in rows:
        seo = str(page_scores["seo"]) if public else f"({page_scores['seo']}, not public)"
        lines.append(
            f"| {name} | `{path}` | {page_scores['performance']} | "
            f"{page_scores['accessibility']} | {page_scores['best-practices']} | {seo} | "
            f"{size / 1024:.0f} KB |"
        )
    lines += [
        "",
        "Targets (issue 17): performance at least 95, accessibility 100, best practices 100, "
        "SEO 100 on public pages.",
        "",
        "## Below target",
        "",
        *(notes or ["Nothing: every page meets every target."]),
        "",
        "## The page itself, compressed by the portal",
        "",
        "The HTML of each page as gunicorn sends it without and with `Accept-Encoding: gzip`",
        "(mobility_portal.security.CompressTextMiddleware; docs/deploy.md says why the portal",
        "compresses and not the proxy):",
        "",
        "| page | uncompressed | gzip | saved |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {name} | {plain:,} B | {packed:,} B | {1 - packed / plain:.0%} |"
            for name, _, _, _, _, (plain, packed), _ in rows
        ),
        "",
    ]
    RESULTS.write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
