"""Writing generated rows fast, and clearing them away again: the generator's plumbing.

Rows go to the database in bulk: PostgreSQL's COPY, plain multi-row INSERTs elsewhere. Neither
sends model signals, so no history rows are written for generated data. Generated rows are
recognised by their `gen-` slugs and usernames and their `generated.example` e-mail addresses;
that is how `real_data_found` knows a database holds nothing else.
"""

import contextlib
import csv
import datetime
import io
import itertools
from collections.abc import Callable, Iterable, Sequence

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Max, Q

from devdata.vocabulary import EMAIL_DOMAIN, PREFIX
from exchanges.models import Application, MobilityRecord, Program
from partners.models import Agreement, AgreementQuota, Contact, Department, Partner

CHUNK = 20_000


class RealDataPresent(Exception):
    """The database holds rows the generator did not write."""


def utc(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


# --- Guard and clean-up ------------------------------------------------------------------------
def real_data_found() -> list[str]:
    """What in the database the generator did not write, as short descriptions."""
    User = get_user_model()
    checks = {
        "partners": Partner.objects.exclude(slug__startswith=PREFIX),
        "users": User.objects.exclude(username__startswith=PREFIX),
        "departments": Department.objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}"),
        "programs": Program.objects.exclude(slug__startswith=PREFIX),
        "mobility records": MobilityRecord.objects.exclude(
            Q(partner__slug__startswith=PREFIX) | Q(program__slug__startswith=PREFIX)
        ),
    }
    return [
        f"{qs.count()} {name} (e.g. {qs.first()})" for name, qs in checks.items() if qs.exists()
    ]


def generated_tables() -> list[str]:
    tables = set()
    # reporting: the summary made from the records, emptied and analysed with them (a TRUNCATE
    # of the records fires no trigger; stale statistics give the report's queries bad plans).
    for label in ("partners", "exchanges", "reporting"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    User = get_user_model()
    tables |= {
        User._meta.db_table,
        User.groups.through._meta.db_table,
        User.user_permissions.through._meta.db_table,
        "django_admin_log",
        "django_session",
    }
    existing = set(connection.introspection.table_names())
    return sorted(tables & existing)


def wipe_all() -> None:
    """Empty every table the generator writes; only when they hold nothing but generated rows."""
    statements = connection.ops.sql_flush(
        no_style(), generated_tables(), reset_sequences=True, allow_cascade=True
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            run_deferred_checks(cursor)
        for sql in statements:
            cursor.execute(sql)


def delete_generated() -> None:
    """Remove earlier generated rows beside real ones (with --force), children first.

    `_raw_delete` because the ORM's delete would load every row to send history signals.
    """
    User = get_user_model()
    gen_partner = Q(partner__slug__startswith=PREFIX)
    gen_users = User.objects.filter(username__startswith=PREFIX)
    querysets = [
        MobilityRecord.objects.filter(gen_partner | Q(program__slug__startswith=PREFIX)),
        Application.objects.filter(
            Q(applicant__username__startswith=PREFIX) | Q(program__slug__startswith=PREFIX)
        ),
        Program.subject_areas.through.objects.filter(program__slug__startswith=PREFIX),
        Program.objects.filter(slug__startswith=PREFIX),
        AgreementQuota.objects.filter(agreement__partner__slug__startswith=PREFIX),
        Agreement.subject_areas.through.objects.filter(agreement__partner__slug__startswith=PREFIX),
        Agreement.objects.filter(gen_partner),
        Contact.objects.filter(gen_partner),
        Partner.objects.filter(slug__startswith=PREFIX),
        Department.coordinators.through.objects.filter(
            department__email__endswith=f"@{EMAIL_DOMAIN}"
        ),
        Department.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}"),
        User.groups.through.objects.filter(user__username__startswith=PREFIX),
        gen_users,
    ]
    for qs in querysets:
        qs.model.objects.filter(pk__in=list(qs.values_list("pk", flat=True)))._raw_delete(qs.db)


# --- Writing -----------------------------------------------------------------------------------
class Writer:
    """Writes rows of plain values (in the order of `columns`, attnames) to a model's table."""

    def __init__(self, progress: Callable[[str, int, int], None] | None = None):
        self.progress = progress or (lambda label, done, total: None)
        self.is_postgresql = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}

    def write(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: Iterable[Sequence],
        total: int | None,
        label: str,
    ) -> int:
        fields = [model._meta.get_field(name) for name in columns]
        # Fields the generator does not set get their model default, e.g. fields added later.
        defaults = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in columns and not f.primary_key and f.has_default()
        ]
        fields += defaults
        default_values = tuple(f.get_default() for f in defaults)
        if default_values:
            rows = (tuple(row) + default_values for row in rows)
        table = connection.ops.quote_name(model._meta.db_table)
        column_sql = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        done = 0
        rows = iter(rows)
        with connection.cursor() as cursor:
            while chunk := list(itertools.islice(rows, CHUNK)):
                if self.is_postgresql:
                    buffer = io.StringIO()
                    # None unquoted is NULL, everything else quoted: '' stays an empty string.
                    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL).writerows(chunk)
                    buffer.seek(0)
                    cursor.copy_expert(
                        f"COPY {table} ({column_sql}) FROM STDIN WITH (FORMAT csv)", buffer
                    )
                else:
                    placeholders = ", ".join(["%s"] * len(fields))
                    cursor.executemany(
                        # Table and column names come from the models, never from input.
                        f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})",  # nosec B608
                        [
                            tuple(
                                f.get_db_prep_save(v, connection)
                                for f, v in zip(fields, row, strict=True)
                            )
                            for row in chunk
                        ],
                    )
                done += len(chunk)
                self.progress(label, done, total)
        self.progress(label, done, done)
        self.counts[label] = self.counts.get(label, 0) + done
        return done


def run_deferred_checks(cursor) -> None:
    """Run pending deferred foreign-key checks now: DDL refuses tables that still have some."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def bulk_load(model: type[models.Model]):
    """On PostgreSQL, build a big table's secondary indexes once after loading, not row by row.

    The indexes are recreated from their own definitions, so the schema ends as migrations
    left it. Where the role may (superusers), foreign-key triggers are skipped for the load:
    every id the generator writes was written by it moments before.
    """
    if connection.vendor != "postgresql":
        yield
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """,
            [table],
        )
        indexes = cursor.fetchall()
        run_deferred_checks(cursor)
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            pass  # not a superuser: the checks run at commit instead
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        run_deferred_checks(cursor)
        for _, definition in indexes:
            cursor.execute(definition)
