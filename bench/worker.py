"""The benchmark's Django side: one task per process, JSON on stdout.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python -m bench.worker TASK [options]

bench/run.py starts these against the benchmark's own databases; each export runs in a fresh
process so that its peak memory (ru_maxrss) is its own.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import ExtractYear  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from devdata.generator import COORDINATOR_USERNAME, OFFICE_USERNAME, PREFIX, STUDENT_USERNAME  # noqa: E402,E501
from exchanges.models import MobilityRecord, Program  # noqa: E402
from partners.models import Partner  # noqa: E402

# The backend a password sign-in ends with (django-axes only guards the door).
BACKEND = next(path for path in settings.AUTHENTICATION_BACKENDS if "axes" not in path)
# Server time targets in milliseconds, warm (the caches filled by the requests before) and cold
# (every cache cleared before each request): issue 7's 50 ms for list and detail pages and 500 ms
# for the reports index; issue 18's 50 ms warm and 300 ms cold for the annual report.
TARGET_MS = {"list": 50, "detail": 50, "report": 50, "report_index": 500, "trivial": None}
COLD_TARGET_MS = {"list": 50, "detail": 50, "report": 300, "report_index": 500, "trivial": None}
PAGE_BUDGET_SECONDS = 10


def largest_year() -> int:
    row = (
        MobilityRecord.objects.counted()
        .annotate(year=ExtractYear("start_date"))
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    return row["year"]


def pages() -> list[dict]:
    """The pages of issue 7, each as the user who sees the most on it."""
    partner = Partner.objects.filter(slug__startswith=PREFIX).order_by("pk").first()
    program = Program.objects.filter(slug__startswith=PREFIX).order_by("pk").first()
    year = largest_year()
    office, student = OFFICE_USERNAME, STUDENT_USERNAME
    return [
        {"key": "trivial", "label": "Trivial view: middleware only (bench/views.py)",
         "url": "/bench/trivial/?size=20000", "user": office},
        {"key": "dashboard", "label": "Dashboard (office)", "url": "/", "user": office},
        {"key": "dashboard_coordinator", "label": "Dashboard (coordinator)", "url": "/",
         "user": COORDINATOR_USERNAME},
        {"key": "partners", "label": "Partners list", "url": "/partners/", "user": office},
        {"key": "partners_filtered", "label": "Partners list, filtered and sorted",
         "url": "/partners/?q=medical&country=PL&has_active_agreement=yes&sort=-participants",
         "user": office},
        {"key": "partners_deep", "label": "Partners list, last page",
         "url": "/partners/?page=last", "user": office},
        {"key": "partner", "label": f"Partner page ({partner.name})",
         "url": partner.get_absolute_url(), "user": office},
        {"key": "agreements", "label": "Agreements list", "url": "/agreements/", "user": office},
        {"key": "programs", "label": "Programs list", "url": "/programs/", "user": student},
        {"key": "program", "label": "Program page", "url": program.get_absolute_url(),
         "user": student},
        {"key": "applications", "label": "My applications", "url": "/applications/",
         "user": student},
        {"key": "review", "label": "Review queue (office)", "url": "/review/", "user": office},
        {"key": "report_index", "label": "Reports index", "url": "/reports/", "user": office},
        {"key": "report", "label": f"Annual report {year}", "url": f"/reports/{year}/",
         "user": office},
    ]  # fmt: skip


def kind_of(key: str) -> str:
    if key in ("trivial", "report", "report_index"):
        return key
    return "detail" if key in ("partner", "program") else "list"


def signed_in_client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username), backend=BACKEND)
    return client


def clear_caches() -> None:
    """Every configured cache emptied: the next request computes everything (cold)."""
    for cache in caches.all():
        cache.clear()


def statements(captured: list[dict]) -> int:
    # BEGIN and COMMIT count as queries for Django; the statements column leaves them out.
    return sum(1 for q in captured if q["sql"] not in ("BEGIN", "COMMIT"))


def timed_requests(client: Client, url: str, repetitions: int, cold: bool) -> dict:
    """Median, min and max milliseconds of repeated requests; cold ones after clear_caches(),
    which is not timed. A slow page gets fewer repetitions (at least 3)."""
    client.get(url)  # warm: connections, templates, and the caches filled
    times = []
    budget = time.perf_counter() + PAGE_BUDGET_SECONDS
    while len(times) < repetitions and (len(times) < 3 or time.perf_counter() < budget):
        if cold:
            clear_caches()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "repetitions": len(times),
        "median": round(statistics.median(times), 1),
        "min": round(min(times), 1),
        "max": round(max(times), 1),
    }


def measure_pages(
    repetitions: int, timing: bool, profile_over_target: bool, profile_also: set[str]
) -> dict:
    results = {}
    clients: dict[str, Client] = {}
    for page in pages():
        client = clients.get(page["user"]) or signed_in_client(page["user"])
        clients[page["user"]] = client
        entry = dict(page, kind=kind_of(page["key"]))
        response = client.get(page["url"])
        entry["status"] = response.status_code
        entry["bytes"] = len(response.content)
        if response.status_code != 200:
            entry["error"] = f"HTTP {response.status_code}"
            results[page["key"]] = entry
            continue
        counts = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                client.get(page["url"])
            counts.append(len(queries.captured_queries))
        entry["queries"] = int(statistics.median(counts))
        entry["statements"] = statements(queries.captured_queries)
        entry["query_list"] = [q["sql"][:160] for q in queries.captured_queries]
        clear_caches()
        with CaptureQueriesContext(connection) as cold_queries:
            client.get(page["url"])
        entry["queries_cold"] = len(cold_queries.captured_queries)
        entry["statements_cold"] = statements(cold_queries.captured_queries)
        if timing:
            warm = timed_requests(client, page["url"], repetitions, cold=False)
            cold = timed_requests(client, page["url"], repetitions, cold=True)
            entry["repetitions"] = warm["repetitions"]
            entry["ms_median"], entry["ms_min"], entry["ms_max"] = (
                warm["median"], warm["min"], warm["max"],
            )  # fmt: skip
            entry["cold_repetitions"] = cold["repetitions"]
            entry["cold_ms_median"], entry["cold_ms_min"], entry["cold_ms_max"] = (
                cold["median"], cold["min"], cold["max"],
            )  # fmt: skip
            entry["target_ms"] = TARGET_MS[entry["kind"]]
            entry["cold_target_ms"] = COLD_TARGET_MS[entry["kind"]]
            over_target = entry["target_ms"] is not None and (
                entry["ms_median"] > entry["target_ms"]
                or entry["cold_ms_median"] > entry["cold_target_ms"]
            )
            if profile_over_target and (over_target or page["key"] in profile_also):
                # Cold: where the time goes when nothing is cached.
                clear_caches()
                entry["profile"] = profile_request(client, page["url"])
        results[page["key"]] = entry
    return results


PROJECT_ROOT = f"{Path(__file__).resolve().parent.parent}/"


def _without_machine_paths(text: str) -> str:
    """File names as the reader knows them: the project's from its root, libraries' from their
    package (where this machine keeps them says nothing)."""
    return re.sub(r"\S*/site-packages/", "", text).replace(PROJECT_ROOT, "")


def profile_request(client: Client, url: str) -> dict:
    """Where one request spends its time: the slowest SQL statements and the Python hot spots."""
    timings = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - started) * 1000, sql, params))

    profiler = cProfile.Profile()
    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        profiler.enable()
        client.get(url)
        profiler.disable()
        total = (time.perf_counter() - started) * 1000
    # The portal's own functions by cumulative time, then everything by own time.
    project = io.StringIO()
    pstats.Stats(profiler, stream=project).sort_stats("cumulative").print_stats(
        r"^/(?!.*\.venv).*(partners|exchanges|mobility_portal)/", 12
    )
    own = io.StringIO()
    pstats.Stats(profiler, stream=own).sort_stats("tottime").print_stats(12)

    def table(out):
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        return _without_machine_paths("\n".join(line for line in lines[start:] if line.strip()))

    sql_ms = sum(ms for ms, *_ in timings)
    slowest = sorted(timings, key=lambda t: -t[0])[:3]
    return {
        "total_ms": round(total, 1),
        "sql_ms": round(sql_ms, 1),
        "queries": len(timings),
        "slowest_sql": [
            {"ms": round(ms, 1), "sql": sql[:600], "from": _from_part(sql)}
            for ms, sql, _ in slowest
        ],
        "plan": explain(*slowest[0][1:]) if slowest else "",
        "python_profile": (
            "Portal functions by cumulative time:\n"
            + table(project)
            + "\n\nAll functions by own time:\n"
            + table(own)
        )[:5000],
    }


def _from_part(sql: str) -> str:
    """A statement without its select list: what it reads, and how it filters and groups."""
    head, _, rest = sql.partition(" FROM ")
    return (head[:60] + " … FROM " + rest)[:900] if rest else sql[:900]


def explain(sql: str, params) -> str:
    """The plan of one statement, as PostgreSQL ran it."""
    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}", params)
        lines = [row[0] for row in cursor.fetchall()]
    return "\n".join(lines[:40])


def session(username: str) -> dict:
    client = signed_in_client(username)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


# --- exports ---------------------------------------------------------------------------------
def export_queryset(which: str, sample: int):
    from reporting.figures import counted_records, period_bounds

    if which == "annual":
        year = largest_year()
        return counted_records(*period_bounds(year)), f"year {year}"
    records = MobilityRecord.objects.counted()
    if which == "sample":
        first = MobilityRecord.objects.order_by("pk").values_list("pk", flat=True).first()
        return records.filter(pk__lt=first + sample), f"first {sample:,} ids"
    return records, "all years"


class CountingSink:
    """Where the CSV goes: /dev/null, counting what was written (text or bytes)."""

    def __init__(self):
        self.file = open("/dev/null", "wb")  # noqa: SIM115
        self.chars = 0

    def write(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.chars += len(data)
        return self.file.write(data)


def run_export(which: str, sample: int, path: str) -> dict:
    """One export in this fresh process: rows per second and the process's peak memory."""
    from core import xlsx
    from exchanges.exporters import RecordsExporter
    from reporting import exporters

    queryset, label = export_queryset(which, sample)
    MobilityRecord.objects.exists()  # connection and imports warm before the baseline
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sink = CountingSink()
    started = time.perf_counter()
    if path == "copy":
        rows = copy_export(queryset, sink)
    elif path == "view":
        year = largest_year()
        client = signed_in_client(OFFICE_USERNAME)
        response = client.get(f"/reports/{year}/records.csv")
        rows = -1  # the header
        for chunk in response.streaming_content:
            rows += chunk.count(b"\n")
            sink.write(chunk)
    elif path == "xlsx":
        counted = 0

        def counting(rows):
            nonlocal counted
            for row in rows:
                counted += 1
                yield row

        # The workbook's records sheet as the page writes it (record_sheet_rows: COPY on
        # PostgreSQL, read back), without the small figure sheets.
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
            xlsx.write(target.name, [("Records", counting(RecordsExporter(queryset).sheet_rows()))])
            sink.chars = os.path.getsize(target.name)
        rows = counted - 1  # the header
    else:
        # What the page, the admin action and the command run: COPY on PostgreSQL.
        rows = exporters.write_records_csv(queryset, sink)
    seconds = time.perf_counter() - started
    return {
        "which": which,
        "label": label,
        "path": path,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if rows else 0,
        "megabytes": round(sink.chars / 1e6, 1),
        "baseline_rss_mb": round(baseline_kb / 1024, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def export_sql(queryset) -> str:
    """The exporter's own query, as plain SQL."""
    from exchanges.exporters import RECORD_FIELDS
    from reporting.figures import CALENDAR, period_year_expression

    values = (
        queryset.annotate(report_year=period_year_expression(CALENDAR))
        .order_by("start_date", "full_name", "pk")
        .values_list(*RECORD_FIELDS)
    )
    sql, params = values.query.sql_with_params()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params).decode()


def copy_export(queryset, sink) -> int:
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY ({export_sql(queryset)}) TO STDOUT WITH CSV HEADER", sink)
        return cursor.rowcount


def figures(year: int | None) -> dict:
    from reporting.figures import build_annual_report

    year = year or largest_year()
    started = time.perf_counter()
    report = build_annual_report(year)
    seconds = time.perf_counter() - started
    totals = report.totals
    duration = report.total_duration

    def top(rows, n=5):
        return [
            {"label": str(r.label), "current": r.current, "previous": r.previous}
            for r in sorted(rows, key=lambda r: -r.current)[:n]
        ]

    return {
        "year": year,
        "build_seconds": round(seconds, 3),
        "outgoing": totals.outgoing,
        "incoming": totals.incoming,
        "previous_outgoing": totals.previous_outgoing,
        "previous_incoming": totals.previous_incoming,
        "person_days": duration.person_days,
        "average_days": duration.average_days,
        "conference_trips": report.conference_trip_total.current,
        "countries": len(report.by_country),
        "partners": len(report.by_partner),
        "agreements_listed": len(report.agreements),
        "top_countries": top(report.by_country),
        "top_partners": top(report.by_partner),
        "by_category": top(report.by_category, 10),
        "trend": [{"year": p.year, "total": p.total} for p in report.trend],
    }


# --- imports ---------------------------------------------------------------------------------
IMPORT_HEADER = [
    "full_name", "person", "category", "direction", "partner", "purpose", "start_date",
    "end_date", "country", "status", "notes",
]  # fmt: skip


def write_records_file(path: str, rows: int, seed: int = 7) -> dict:
    """A records file as an office would have it (CSV, dd.mm.yyyy, partners by name, half the
    people by e-mail and half by name only), from this database's people and partners; every
    row a record the database does not have yet."""
    import csv
    import datetime
    import random

    from exchanges.choices import Purpose
    from partners.choices import Direction
    from people.choices import Category

    rng = random.Random(seed)
    people = list(
        get_user_model().objects.exclude(email="").values_list("email", "first_name", "last_name")
    )
    partners = list(Partner.objects.values_list("name", "country"))
    seen = set()
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(IMPORT_HEADER)
        n = 0
        while n < rows:
            email, first, last = rng.choice(people)
            partner, country = rng.choice(partners)
            start = datetime.date(2005, 1, 1) + datetime.timedelta(days=rng.randrange(7300))
            by_email = n % 2 == 0
            name = f"{first} {last}" if by_email else f"Imported Traveller {n:06d}"
            key = (email if by_email else name, start, partner)
            if key in seen:
                continue
            seen.add(key)
            writer.writerow([
                name, email if by_email else "", rng.choice(Category.values),
                rng.choice(Direction.values), partner, rng.choice(Purpose.values),
                start.strftime("%d.%m.%Y"),
                (start + datetime.timedelta(days=rng.randrange(3, 120))).strftime("%d.%m.%Y"),
                country, "completed", "bench import",
            ])  # fmt: skip
            n += 1
    return {"rows": rows, "megabytes": round(os.path.getsize(path) / 1e6, 1)}


def run_import(path: str, dry_run: bool) -> dict:
    """import_data records FILE in this fresh process: seconds, rows per second and the
    process's peak memory; the records it wrote are deleted afterwards (with their history and
    the import's log), so the benchmark's data stay as generated."""
    from django.core.management import call_command

    from core.models import ImportLog

    MobilityRecord.objects.exists()  # connection and imports warm before the baseline
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    last_log = ImportLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    out = io.StringIO()
    started = time.perf_counter()
    status = 0
    try:
        args = ["records", path, *(["--dry-run"] if dry_run else [])]
        call_command("import_data", *args, stdout=out, stderr=io.StringIO())
    except Exception as error:  # the summary says what went wrong
        status, out = 1, io.StringIO(f"{out.getvalue()}{error}")
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(path, encoding="utf-8") as file:
        rows = sum(1 for _line in file) - 1
    summary = out.getvalue().strip().splitlines()[-1:] or [""]
    result = {
        "rows": rows,
        "dry_run": dry_run,
        "status": status,
        "summary": _without_machine_paths(summary[0])[:300],
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if seconds else 0,
        "baseline_rss_mb": round(baseline_kb / 1024, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }
    started = time.perf_counter()
    result["cleaned_up_records"] = delete_imported(last_log, os.path.basename(path))
    result["cleanup_seconds"] = round(time.perf_counter() - started, 2)
    return result


def delete_imported(after_log: int, file_name: str) -> int:
    """The records an import of the file created, their history rows and its log, deleted."""
    from django.db import transaction
    from django.utils.translation import gettext as _

    from core.models import ImportLog

    History = MobilityRecord.history.model
    reason = _("import of %(file)s") % {"file": file_name}
    with transaction.atomic():
        versions = History.objects.filter(history_change_reason=reason)
        created = list(versions.filter(history_type="+").values_list("id", flat=True))
        deleted = 0
        for first in range(0, len(created), 10_000):
            # Fresh records have nothing attached: deleted without collecting related rows.
            batch = MobilityRecord.objects.filter(pk__in=created[first : first + 10_000])
            deleted += batch._raw_delete(batch.db)
        versions._raw_delete(versions.db)
        ImportLog.objects.filter(pk__gt=after_log).delete()
    return deleted


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    sub = parser.add_subparsers(dest="task", required=True)
    p = sub.add_parser("pages")
    p.add_argument("--repetitions", type=int, default=15)
    p.add_argument("--timing", action="store_true")
    p.add_argument("--profile", action="store_true")
    p.add_argument("--profile-also", default="", help="page keys to profile within their target")
    s = sub.add_parser("session")
    s.add_argument("--username", default=OFFICE_USERNAME)
    e = sub.add_parser("export")
    e.add_argument("--which", choices=["annual", "sample", "all"], required=True)
    e.add_argument("--path", choices=["exporter", "view", "copy", "xlsx"], required=True)
    e.add_argument("--sample", type=int, default=100_000)
    w = sub.add_parser("import-file")
    w.add_argument("--path", required=True)
    w.add_argument("--rows", type=int, default=100_000)
    i = sub.add_parser("import")
    i.add_argument("--path", required=True)
    i.add_argument("--dry-run", action="store_true")
    f = sub.add_parser("figures")
    f.add_argument("--year", type=int)
    args = parser.parse_args(argv)
    if args.task == "pages":
        profile_also = set(filter(None, args.profile_also.split(",")))
        result = measure_pages(args.repetitions, args.timing, args.profile, profile_also)
    elif args.task == "session":
        result = session(args.username)
    elif args.task == "export":
        result = run_export(args.which, args.sample, args.path)
    elif args.task == "import-file":
        result = write_records_file(args.path, args.rows)
    elif args.task == "import":
        result = run_import(args.path, args.dry_run)
    else:
        result = figures(args.year)
    json.dump(result, sys.stdout, default=str)


if __name__ == "__main__":
    main()
