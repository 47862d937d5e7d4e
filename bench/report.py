"""bench/results.md from the results dictionary that bench/run.py measured."""

MAX_QUERIES = 8
DATA_VERSION_QUERIES = 1


def _yes(flag) -> str:
    return "yes" if flag else "**no**"


def _num(value, digits=0) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float) and digits:
        return f"{value:,.{digits}f}"
    return f"{value:,.0f}" if isinstance(value, int | float) else str(value)


def markdown(results: dict) -> str:
    machine = results["machine"]
    versions = machine["versions"]
    big = results["scale_big"]
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m bench` (`make bench`); do not edit by hand. "
        "Targets: issues 7 and 18.",
        "",
        f"- Date: {machine['date']}; whole run {results['seconds']} s",
        f"- Machine: {machine['nproc']} cores, {machine['memory_gb']} GB, {machine['cpu']}; "
        f"{machine['platform']}",
        f"- Load average (1, 5, 15 min) at start {machine['load_average_at_start']}, "
        f"at end {machine.get('load_average_at_end')}",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()),
        f"- Data: `generate_data --seed {results['seed']}` at scale small and scale {big}; "
        + "; ".join(
            f"{scale}: " + ("reused" if info["reused"] else f"generated in {info['seconds']} s")
            for scale, info in results["databases"].items()
        ),
        "",
    ]
    for section, run in results.get("sections_measured_again", {}).items():
        lines += [
            f"- Section `{section}` measured again (`--only {section}`) on {run['date']}, load "
            f"average at start {run['load_average_at_start']}, at end "
            f"{run['load_average_at_end']}",
        ]
    if results.get("sections_measured_again"):
        lines.append("")
    load = machine["load_average_at_start"][0]
    if load > machine["nproc"]:
        lines += [
            f"> The machine was busy when the run started (load {load} on {machine['nproc']} "
            "cores): times are pessimistic, ratios measured in the same run less so.",
            "",
        ]
    lines += _pages(results, big)
    lines += _throughput(results.get("throughput", {}))
    lines += _exports(results.get("exports", {}))
    lines += _imports(results.get("imports", {}), big)
    lines += _figures(results.get("figures", {}), big)
    lines += _profiles(results)
    if results.get("failures"):
        lines += ["## Failures", ""] + [f"- {failure}" for failure in results["failures"]] + [""]
    return "\n".join(lines) + "\n"


def _pages(results: dict, big: str) -> list[str]:
    most = MAX_QUERIES + DATA_VERSION_QUERIES
    lines = [
        "## 1. SQL queries per page, and 2. server time per page",
        "",
        f"Django test client in the benchmark process, scale {big}, median of repeated requests: "
        "warm (the caches as the requests before left them) and cold (every configured cache "
        "cleared before each request, the clearing not timed). Targets: the same number of "
        f"queries at both scales and at most {MAX_QUERIES}, plus {DATA_VERSION_QUERIES} for "
        f"reading the data version the caches are keyed by (issue 18), so {most}; median at most "
        "50 ms for list and detail pages warm and cold, 500 ms for the reports index; the annual "
        "report at most 50 ms warm and 300 ms cold (issue 18). Queries as Django counts them "
        "(`django_assert_num_queries`), which includes BEGIN and COMMIT where a request writes "
        "(a session refresh, a savepoint); the query target is judged on the SQL statements "
        "without those two, warm and cold. The trivial view shows what the middleware alone "
        "costs (session, user).",
        "",
        f"| page | user | queries small | queries {big} | statements {big} warm / cold | "
        f"constant, <= {most} | warm median ms | warm min-max | cold median ms | cold min-max | "
        "n | target warm / cold ms | met warm / cold | KB |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- "
        "| ---: |",
    ]
    pages = results.get("pages", [])
    if isinstance(pages, dict):
        return [*lines[:2], "Failed:", "", "```", pages.get("error", ""), "```", ""]
    for row in pages:
        if row.get("error"):
            lines.append(f"| {row['label']} | {row['user']} | not available: {row['error']} |")
            continue
        targets = (
            "-" if row["target_ms"] is None else f"{row['target_ms']} / {row.get('cold_target_ms')}"
        )
        met = (
            "-"
            if row["time_met"] is None
            else f"{_yes(row['time_met'])} / {_yes(row.get('cold_time_met'))}"
        )
        lines.append(
            f"| {row['label']} | {row['user']} | {_num(row['queries_small'])} | "
            f"{_num(row['queries_big'])} | {_num(row.get('statements_big'))} / "
            f"{_num(row.get('statements_cold'))} | {_yes(row['queries_met'])} | "
            f"{_num(row['ms_median'], 1)} | {_num(row['ms_min'], 1)}-{_num(row['ms_max'], 1)} | "
            f"{_num(row.get('cold_ms_median'), 1)} | {_num(row.get('cold_ms_min'), 1)}-"
            f"{_num(row.get('cold_ms_max'), 1)} | {_num(row.get('repetitions'))} | "
            f"{targets} | {met} | {row['bytes'] / 1024:,.0f} |"
        )
    return [*lines, ""]


def _throughput(throughput: dict) -> list[str]:
    lines = ["## 3. Throughput under load", ""]
    if "error" in throughput:
        return [*lines, "Failed:", "", "```", throughput["error"], "```", ""]
    if "skipped" in throughput or not throughput:
        return [*lines, f"Not available: {throughput.get('skipped', 'not run')}.", ""]
    settings = throughput["gunicorn"]
    lines += [
        f"gunicorn with gunicorn.conf.py ({settings}), `{throughput['command']}` with a signed-in "
        "session cookie; each page beside the trivial view of bench/views.py (same middleware, "
        "same page size), measured right after it. Warm: the configured cache (CACHE_URL, local "
        "memory per process by default), filled by the run's own requests. Cold: the same "
        "server started with `CACHE_URL=dummycache://`, a cache that keeps nothing, so every "
        "request computes everything. Targets (issue 18): each page at least 0.4 of the trivial "
        "view's requests per second warm, 0.2 cold.",
        "",
        "| page | cache | KB | page req/s | trivial req/s | ratio | target | met | "
        "page p50 / p99 | trivial p50 / p99 | non-2xx |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |",
    ]
    for mode in ("warm", "cold"):
        for run in throughput.get(mode, []):
            if "error" in run:
                lines.append(f"| {run['label']} | {mode} | not available: {run['error']} |")
                continue
            page, trivial = run["page"], run["trivial"]
            page_rps = f"{page['rps']:,.1f}" if page["requests"] else "0 (none finished)"
            lines.append(
                f"| {run['label']} | {mode} | {run['bytes'] / 1024:,.0f} | {page_rps} | "
                f"{trivial['rps']:,.1f} | {run['ratio']:.2f} | {run['target']} | "
                f"{_yes(run['met'])} | {page['latency_p50']} / {page['latency_p99']} | "
                f"{trivial['latency_p50']} / {trivial['latency_p99']} | "
                f"{page['non_2xx'] + trivial['non_2xx']} |"
            )
    runs = [
        {**run, "label": f"{run['label']} ({mode})"}
        for mode in ("warm", "cold")
        for run in throughput.get(mode, [])
    ]
    return [*lines, "", *_throughput_cpu(runs), *_mixed(throughput.get("mixed", []))]


def _mixed(runs: list[dict]) -> list[str]:
    if not runs:
        return []
    lines = [
        "### 3b. Reads with writes between them",
        "",
        "The same warm server and wrk run on each page, but every connection sends one write "
        "after each ten reads (bench/mixed.lua): a POST that renames the busiest partner (the "
        "one the partner page shows) through the ORM in its own transaction, as an office edit "
        "is. The writes keep pace with the reads served, one per ten whatever their speed, and "
        "each changes what all three pages show, so the read after it is cold. The ratio is the "
        "reads per second with the writes over the pure reads of the warm run above.",
        "",
        "| page | pure reads req/s | reads with writes req/s | writes | reads per write | ratio | "
        "p50 / p99 | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for run in runs:
        if "error" in run:
            lines.append(f"| {run['label']} | not available: {run['error']} |")
            continue
        page = run["page"]
        lines.append(
            f"| {run['label']} | {run['pure_rps']:,.1f} | "
            f"{run.get('read_rps', page['rps']):,.1f} | {run['writes']} | "
            f"{_num(run['reads_per_write'], 1)} | {run['ratio']:.2f} | "
            f"{page['latency_p50']} / {page['latency_p99']} | {page['non_2xx']} |"
        )
    return [*lines, ""]


def _throughput_cpu(runs: list[dict]) -> list[str]:
    """Where the CPU of one request goes, page and trivial view: the measured bound of the ratio."""
    runs = [
        run
        for run in runs
        if "cpu_ms_per_request" in run.get("page", {})
        and "cpu_ms_per_request" in run.get("trivial", {})
    ]
    if not runs:
        return []
    lines = [
        "CPU per request during the same runs, in milliseconds (gunicorn's arbiter and workers, "
        "every PostgreSQL process, wrk). gunicorn, PostgreSQL and wrk share the two cores, which "
        "are busy throughout a run: requests per second are about 2,000 ms divided by the CPU "
        "of one request, so the ratio a page can reach is the trivial view's CPU per request "
        "over the page's. The profiles at the end show where a page's own time goes.",
        "",
        "| page | page: gunicorn / PostgreSQL / wrk | page CPU | trivial: gunicorn / "
        "PostgreSQL / wrk | trivial CPU | ratio the CPU allows | measured ratio |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for run in runs:
        page, trivial = run["page"]["cpu_ms_per_request"], run["trivial"]["cpu_ms_per_request"]
        page_total, trivial_total = sum(page.values()), sum(trivial.values())
        bound = trivial_total / page_total if page_total else 0
        lines.append(
            f"| {run['label']} | {page['gunicorn']:,.1f} / {page['postgres']:,.1f} / "
            f"{page['wrk']:,.2f} | {page_total:,.1f} | {trivial['gunicorn']:,.1f} / "
            f"{trivial['postgres']:,.1f} / {trivial['wrk']:,.2f} | {trivial_total:,.1f} | "
            f"{bound:.2f} | {run['ratio']:.2f} |"
        )
    missed = [run for run in runs if not run["met"]]
    if missed:
        lines += [
            "",
            "Where the ratio is missed, the page's CPU per request is more than the target allows "
            "over the trivial view's: the trivial view reads the session and the user and writes "
            "bytes, a real page adds its queries (PostgreSQL's column) and its template (most of "
            "gunicorn's). Warm, only a cache of the rendered page or of its figures can bring a "
            "page near the middleware alone.",
        ]
    return [*lines, ""]


def _exports(exports: dict) -> list[str]:
    lines = ["## 4. CSV export", ""]
    if "error" in exports:
        return [*lines, "Failed:", "", "```", exports["error"], "```", ""]
    if "skipped" in exports or not exports:
        return [*lines, f"Not available: {exports.get('skipped', 'not run')}.", ""]
    runs = exports["runs"]
    lines += [
        "Each export in a fresh process writing to /dev/null; `exporter` is "
        "`reporting.exporters.write_records_csv(records, sink)`, what the page, the admin "
        "action and the command share (on PostgreSQL a COPY of "
        "`exchanges.exporters.records_copy_query`: labels, year, "
        "days and the injection rule in SQL); `view` is the records.csv page through the test "
        "client (written to a spooled temporary file, then sent); `copy` is the reference, a "
        "bare `COPY (the raw columns, same joins and order) TO STDOUT WITH CSV`. Peak memory is "
        "the process's ru_maxrss (the baseline is the process before the export, Django loaded).",
        "",
        "| export | path | rows | seconds | rows/s | MB written | baseline MB | peak MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, run in runs.items():
        if "error" in run:
            lines.append(f"| {key} | not available: {run['error'][-200:]} |")
            continue
        lines.append(
            f"| {run['label']} | {run['path']} | {_num(run['rows'])} | {run['seconds']} | "
            f"{_num(run['rows_per_second'])} | {run['megabytes']} | {run['baseline_rss_mb']} | "
            f"{run['peak_rss_mb']} |"
        )
    lines += [
        "",
        "Target: the exporter at least 50% of the rows per second of the bare COPY.",
        "",
        "| export | rows | exporter / COPY | met |",
        "| --- | ---: | ---: | --- |",
    ]
    for item in exports["comparisons"]:
        lines.append(
            f"| {item['label']} | {_num(item['rows'])} | {item['ratio']:.2f} | "
            f"{_yes(item['met'])} |"
        )
    memory = exports.get("memory")
    if memory:
        lines += [
            "",
            f"Peak memory at {_num(memory['rows_small'])} rows: {memory['peak_small_mb']} MB; at "
            f"{_num(memory['rows_big'])} rows: {memory['peak_big_mb']} MB; growth "
            f"{memory['growth']:.0%} (target at most 20%): {_yes(memory['met'])}.",
        ]
    xlsx = exports.get("xlsx")
    if xlsx and "seconds" in xlsx:
        per_100k = xlsx["seconds"] * 100_000 / max(xlsx["rows"], 1)
        lines += [
            "",
            f"XLSX (`core.xlsx.write` of `RecordsExporter.sheet_rows`, constant memory): "
            f"{_num(xlsx['rows'])} rows in "
            f"{xlsx['seconds']} s, {per_100k:.1f} s per 100,000 rows (target at most 15 s): "
            f"{_yes(per_100k <= 15)}; peak {xlsx['peak_rss_mb']} MB.",
        ]
    return [*lines, ""]


def _imports(imports: dict, big: str) -> list[str]:
    lines = [f"## 4b. Import of mobility records at scale {big}", ""]
    if not imports or "error" in imports:
        return [*lines, f"Not available: {imports.get('error', 'not run')}", ""]
    preview, run = imports["preview"], imports["import"]
    lines += [
        "`manage.py import_data records FILE` in a fresh process (CSV, dd.mm.yyyy, partners by "
        "name, half the people by e-mail), every row a new record; the records are deleted "
        "afterwards. Peak memory is the process's ru_maxrss. Targets (issue 15): "
        f"{_num(run['target_seconds'])} s and {run['target_peak_mb']} MB per 100,000 rows, "
        f"the preview (`--dry-run`) of 10,000 rows in {preview['target_seconds']} s.",
        "",
        "| run | rows | seconds | rows/s | baseline MB | peak MB | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, item in (("preview (--dry-run)", preview), ("import", run)):
        lines.append(
            f"| {label} | {_num(item['rows'])} | {item['seconds']} | "
            f"{_num(item['rows_per_second'])} | {item['baseline_rss_mb']} | "
            f"{item['peak_rss_mb']} | {_yes(item['met'])} |"
        )
    lines += [
        "",
        f"Import: {run['seconds_per_100k']} s per 100,000 rows; the command said: {run['summary']}",
        "",
    ]
    return lines


def _figures(figures: dict, big: str) -> list[str]:
    lines = [f"## 5. The annual report's figures at scale {big}", ""]
    if not figures or "error" in figures:
        return [*lines, f"Not available: {figures.get('error', 'not run')}", ""]
    lines += [
        f"Year {figures['year']} (the year with the most records), "
        f"`build_annual_report` in {figures['build_seconds']} s:",
        "",
        f"- Participants: {_num(figures['outgoing'])} outgoing, {_num(figures['incoming'])} "
        f"incoming (year before: {_num(figures['previous_outgoing'])} and "
        f"{_num(figures['previous_incoming'])})",
        f"- Person-days {_num(figures['person_days'])}, average stay "
        f"{figures['average_days']} days; conference trips abroad "
        f"{_num(figures['conference_trips'])}",
        f"- {figures['countries']} countries, {figures['partners']} partner institutions, "
        f"{figures['agreements_listed']} agreements listed",
        "- Top countries: "
        + ", ".join(f"{c['label']} {_num(c['current'])}" for c in figures["top_countries"]),
        "- Top partners: "
        + ", ".join(f"{c['label']} {_num(c['current'])}" for c in figures["top_partners"]),
        "- By category: "
        + ", ".join(f"{c['label']} {_num(c['current'])}" for c in figures["by_category"]),
        "- Trend: " + ", ".join(f"{p['year']}: {_num(p['total'])}" for p in figures["trend"]),
        "",
    ]
    return lines


def _profiles(results: dict) -> list[str]:
    pages = results.get("pages", [])
    over = [row for row in pages if row.get("profile")] if isinstance(pages, list) else []
    if not over:
        return []
    lines = [
        "## Profiles of the pages over a time target, and of the throughput pages",
        "",
        "One profiled request each (in the benchmark process, cold: every cache cleared before "
        "it): time in SQL, the three "
        "slowest statements, and the Python functions by cumulative time.",
        "",
    ]
    for row in over:
        profile = row["profile"]
        lines += [
            f"### {row['label']}: {profile['total_ms']} ms, of which SQL {profile['sql_ms']} ms "
            f"in {profile['queries']} queries",
            "",
        ]
        for statement in profile["slowest_sql"]:
            shown = statement.get("from") or statement["sql"][:400]
            lines += [f"- {statement['ms']} ms: `{shown}`"]
        if profile.get("plan"):
            lines += ["", "Plan of the slowest statement:", "", "```", profile["plan"], "```"]
        lines += ["", "```", profile["python_profile"], "```", ""]
    return lines
