"""The annual report's summary of mobility records, kept by the database itself.

`RecordSummary` holds the counted records (neither cancelled nor archived) grouped the ways the
whole-university report reads them, per calendar year and per academic year. Triggers on the
records table (`summary_trigger_sql`) add and subtract a statement's rows in the same
transaction, so every write path keeps it current: the ORM, the admin, `QuerySet.update()` and
`delete()`, bulk_create, raw SQL, COPY. Only a load that switches triggers off (the data
generator's `session_replication_role = replica`) must call `RecordSummary.objects.rebuild()`
itself. A restore brings the summary with the records it was made from.

Rows per dimension (the other key columns stay empty: '' or 0, never NULL, so that a key is
unique and an upsert finds it; 0 is "none" for the partner, program, department or agreement):
- figures: direction, category, purpose, program and, for outgoing conference trips only, the
  country, with the summed stay length (end minus start, in days);
- where: direction, partner, the record's country and program;
- department: direction and department;
- agreement: the agreement, per year and once more for all years (period "all", year 0).

Cancelled and archived records are not in it; rows that drop to zero are removed.
"""

from django.db import connection, models, transaction

CALENDAR, ACADEMIC, ALL_YEARS = "calendar", "academic", "all"
FIGURES, WHERE, DEPARTMENT, AGREEMENT = "figures", "where", "department", "agreement"

KEY_COLUMNS = (
    "dimension", "period", "year", "direction", "category", "purpose", "country",
    "partner_key", "program_key", "department_key", "agreement_key",
)  # fmt: skip
RECORDS_TABLE = "exchanges_mobilityrecord"
SUMMARY_TABLE = "reporting_recordsummary"
# The records' columns the summary reads: what a trigger's row source must offer.
RECORD_COLUMNS = (
    "status", "is_archived", "start_date", "end_date", "direction", "category", "purpose",
    "country", "partner_id", "program_id", "department_id", "agreement_id",
)  # fmt: skip


class RecordSummaryQuerySet(models.QuerySet):
    def rebuild(self) -> None:
        """Recompute the whole summary from the records, in one transaction."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SUMMARY_TABLE}")  # noqa: S608  # nosec B608
            cursor.execute(summary_upsert_sql(connection.vendor, RECORDS_TABLE, sign="1"))


class RecordSummary(models.Model):
    dimension = models.CharField(max_length=12)
    period = models.CharField(max_length=8)
    year = models.IntegerField()
    direction = models.CharField(max_length=10, blank=True)
    category = models.CharField(max_length=20, blank=True)
    purpose = models.CharField(max_length=30, blank=True)
    country = models.CharField(max_length=2, blank=True)
    partner_key = models.IntegerField(default=0)
    program_key = models.IntegerField(default=0)
    department_key = models.IntegerField(default=0)
    agreement_key = models.IntegerField(default=0)
    participants = models.IntegerField()
    span_days = models.BigIntegerField()

    objects = RecordSummaryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=KEY_COLUMNS, name="record_summary_key"),
        ]

    def __str__(self):
        return f"{self.dimension} {self.period} {self.year}: {self.participants}"


# --- the SQL the triggers and rebuild() run ------------------------------------------------------


def _year_sql(vendor: str, period: str) -> str:
    """The report year of r.start_date: calendar, or academic (September to August)."""
    if vendor == "sqlite":
        shift = ", '-8 months'" if period == ACADEMIC else ""
        return f"CAST(strftime('%Y', r.start_date{shift}) AS INTEGER)"
    shift = " - INTERVAL '8 months'" if period == ACADEMIC else ""
    return f"CAST(EXTRACT(YEAR FROM r.start_date{shift}) AS INTEGER)"


def _span_sql(vendor: str) -> str:
    if vendor == "sqlite":
        return "CAST(julianday(r.end_date) - julianday(r.start_date) AS INTEGER)"
    return "(r.end_date - r.start_date)"


def summary_upsert_sql(vendor: str, source: str, sign: str) -> str:
    """Add `sign` (1 or -1) times the counted records of `source` (a table or a subquery with
    RECORD_COLUMNS) to the summary: one grouped upsert (REMOVE_EMPTY_SQL to follow)."""

    def each(figures, where, department, agreement):
        return (
            f"CASE d.dimension WHEN '{FIGURES}' THEN {figures} WHEN '{WHERE}' THEN {where} "
            f"WHEN '{DEPARTMENT}' THEN {department} ELSE {agreement} END"
        )

    conference = (
        "CASE WHEN r.direction = 'outgoing' AND r.purpose = 'conference' THEN r.country ELSE '' END"  # noqa: E501
    )
    columns = {
        "dimension": "d.dimension",
        "period": "p.period",
        "year": (
            f"CASE p.period WHEN '{CALENDAR}' THEN {_year_sql(vendor, CALENDAR)} "
            f"WHEN '{ACADEMIC}' THEN {_year_sql(vendor, ACADEMIC)} ELSE 0 END"
        ),
        "direction": each("r.direction", "r.direction", "r.direction", "''"),
        "category": each("r.category", "''", "''", "''"),
        "purpose": each("r.purpose", "''", "''", "''"),
        "country": each(conference, "r.country", "''", "''"),
        "partner_key": each("0", "COALESCE(r.partner_id, 0)", "0", "0"),
        "program_key": each("COALESCE(r.program_id, 0)", "COALESCE(r.program_id, 0)", "0", "0"),
        "department_key": each("0", "0", "COALESCE(r.department_id, 0)", "0"),
        "agreement_key": each("0", "0", "0", "COALESCE(r.agreement_id, 0)"),
    }
    periods = " UNION ALL ".join(f"SELECT '{p}' AS period" for p in (CALENDAR, ACADEMIC, ALL_YEARS))
    dimensions = " UNION ALL ".join(
        f"SELECT '{d}' AS dimension" for d in (FIGURES, WHERE, DEPARTMENT, AGREEMENT)
    )
    keys = ", ".join(KEY_COLUMNS)
    selected = ", ".join(f"{sql} AS {name}" for name, sql in columns.items())
    return (
        f"INSERT INTO {SUMMARY_TABLE} ({keys}, participants, span_days) "  # noqa: S608  # nosec B608
        f"SELECT {keys}, SUM(change), SUM(change * span) FROM ("
        f"SELECT {selected}, {sign} AS change, {_span_sql(vendor)} AS span "
        f"FROM {source} r CROSS JOIN ({periods}) p CROSS JOIN ({dimensions}) d "
        "WHERE r.status <> 'cancelled' AND NOT r.is_archived "
        f"AND (p.period <> '{ALL_YEARS}' OR d.dimension = '{AGREEMENT}') "
        f"AND (d.dimension <> '{AGREEMENT}' OR r.agreement_id IS NOT NULL)"
        # WHERE true: SQLite's parser needs it before an upsert's ON CONFLICT.
        f") changes WHERE true GROUP BY {keys} ORDER BY {keys} "
        f"ON CONFLICT ({keys}) DO UPDATE SET "
        f"participants = {SUMMARY_TABLE}.participants + excluded.participants, "
        f"span_days = {SUMMARY_TABLE}.span_days + excluded.span_days"
    )


# Rows a statement brought to zero go. Below zero only where a summary emptied before its records
# (SQLite's flush deletes table by table): nothing to count there either. SQLite's row triggers
# find them by a partial index that stays empty (EMPTY_ROWS_INDEX_SQL, SQLite only); PostgreSQL's
# by the ids its upsert returns: an index on `participants` would make every update of a summary
# row write new index entries (no HOT update), which made a large import a third slower.
REMOVE_EMPTY_SQL = f"DELETE FROM {SUMMARY_TABLE} WHERE participants <= 0"  # noqa: S608  # nosec B608
EMPTY_ROWS_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS record_summary_empty ON {SUMMARY_TABLE} (participants) "
    "WHERE participants <= 0"
)
# PostgreSQL: room on each page for the new versions of its rows, so that the triggers' updates
# stay on the page (HOT) and write no index entry.
FILLFACTOR = 70


def _sqlite_row(alias: str) -> str:
    """A trigger's NEW or OLD row as a one-row subquery, for the shared upsert."""
    return "(SELECT " + ", ".join(f"{alias}.{c} AS {c}" for c in RECORD_COLUMNS) + ")"


def summary_trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements of the triggers that keep the summary current."""
    if vendor == "sqlite":
        counted = "{0}.status <> 'cancelled' AND NOT {0}.is_archived"
        plan = [
            ("insert", "INSERT", "NEW", "1"),
            ("delete", "DELETE", "OLD", "-1"),
            ("update_old", "UPDATE", "OLD", "-1"),
            ("update_new", "UPDATE", "NEW", "1"),
        ]
        create = [
            f"CREATE TRIGGER reporting_summary_{name} AFTER {event} ON {RECORDS_TABLE} "
            f"FOR EACH ROW WHEN {counted.format(row)} BEGIN "
            f"{summary_upsert_sql(vendor, _sqlite_row(row), sign)}; {REMOVE_EMPTY_SQL}; END"
            for name, event, row, sign in plan
        ]
        return create, [f"DROP TRIGGER IF EXISTS reporting_summary_{name}" for name, *_ in plan]
    # PostgreSQL: once per statement, over its transition tables (a COPY of a million rows is
    # one grouped upsert, not a million).
    sources = {
        "insert": ("INSERT", "REFERENCING NEW TABLE AS new_rows", ["new_rows", "1"]),
        "delete": ("DELETE", "REFERENCING OLD TABLE AS old_rows", ["old_rows", "-1"]),
        "update": (
            "UPDATE",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            ["old_rows", "-1", "new_rows", "1"],
        ),
    }
    create, drop = [], []
    for name, (event, referencing, parts) in sources.items():
        function = f"reporting_summary_{name}"
        # Each upsert returns the rows it brought to zero or below; they go at the end, if the
        # statement's other half (an update's new rows) did not fill them again.
        body = "".join(
            f"WITH changed AS ({summary_upsert_sql(vendor, table, sign)} "  # nosec B608
            "RETURNING id, participants) "
            "SELECT emptied || COALESCE(array_agg(id), '{}') INTO emptied FROM changed "
            "WHERE participants <= 0; "
            for table, sign in zip(parts[::2], parts[1::2], strict=True)
        )
        create.append(
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # nosec B608
            f"DECLARE emptied bigint[] := '{{}}'; BEGIN {body}"
            f"DELETE FROM {SUMMARY_TABLE} WHERE id = ANY(emptied) AND participants <= 0; "
            "RETURN NULL; END $$"
        )
        create.append(
            f"CREATE TRIGGER {function} AFTER {event} ON {RECORDS_TABLE} {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {function} ON {RECORDS_TABLE}")
        drop.append(f"DROP FUNCTION IF EXISTS {function}()")
    return create, drop


def install_summary_triggers(schema_editor) -> None:
    create, _drop = summary_trigger_sql(schema_editor.connection.vendor)
    for statement in create:
        schema_editor.execute(statement, params=None)


def remove_summary_triggers(schema_editor) -> None:
    _create, drop = summary_trigger_sql(schema_editor.connection.vendor)
    for statement in drop:
        schema_editor.execute(statement, params=None)
