"""The data version: one value that changes in the same transaction as any write a page shows.

Database triggers bump it: on PostgreSQL one statement-level trigger per table (INSERT, UPDATE,
DELETE, TRUNCATE; COPY fires it too), on SQLite one row-level trigger per table and operation.
`install_triggers` runs after every `migrate` (core/apps.py) and covers every table of our apps
and the accounts' tables, so a new model cannot be forgotten; tests/core/test_dataversion.py
fails if a table lacks its trigger. Paths that switch triggers off (the generator's bulk load,
a restore) call `bump` themselves.

The bump is an UPDATE of one row, committed with the write: a reader that sees a version sees
every write made before it, so nothing older than a version is ever cached under it. Its cost:
transactions that write take that row's lock in turn, from their first write to their commit
(a portal writes little and briefly; reads never wait).
"""

import secrets

from django.apps import apps
from django.conf import settings
from django.db import connections

# Our apps, whose every table bumps the version unless it is listed in UNVERSIONED.
VERSIONED_APPS = ("core", "partners", "people", "exchanges", "reporting")
# Tables no cached page shows: the outbox, which the e-mail worker writes on every attempt while
# it holds the e-mail's row during the send (it must not hold the version's lock that long), and
# the version itself (a trigger on it would bump forever). Sessions, sign-in attempts and the
# task queue are tables of other apps, never versioned.
UNVERSIONED = {"core_dataversion", "core_outgoingemail"}
TRIGGER = "core_data_version"
FUNCTION = "core_bump_data_version"
ROW_ID = 1


def new_value() -> str:
    return secrets.token_hex(16)


def versioned_tables() -> list[str]:
    """Every table a cached page may show: our apps' (many-to-many and history tables too) and
    the accounts, groups and group memberships that names and roles are read from."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    models = [user_model, apps.get_model("auth", "Group"), user_model.groups.through]
    for label in VERSIONED_APPS:
        models += apps.get_app_config(label).get_models(include_auto_created=True)
    tables = {
        model._meta.db_table
        for model in models
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    }
    return sorted(tables - UNVERSIONED)


def _quoted(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def tables_with_triggers(using: str = "default") -> set[str]:
    """The tables whose writes bump the version, as the database says."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
                [TRIGGER],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER}%"],
        )
        names = cursor.fetchall()
    operations = ("INSERT", "UPDATE", "DELETE")
    return {
        table
        for table, _ in names
        if all((table, _sqlite_trigger(table, op)) in names for op in operations)
    }


def _sqlite_trigger(table: str, operation: str) -> str:
    return f"{TRIGGER}_{operation.lower()}_{table}"


def install_triggers(using: str = "default") -> list[str]:
    """Give every versioned table that lacks one its trigger; returns the tables given one."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return []
    existing = set(connection.introspection.table_names())
    covered = tables_with_triggers(using)
    missing = [table for table in versioned_tables() if table in existing and table not in covered]
    with connection.cursor() as cursor:
        for table in missing:
            for statement in _trigger_sql(connection, table):
                cursor.execute(statement)
    return missing


def _trigger_sql(connection, table: str) -> list[str]:
    # Table names come from our models' Meta, quoted; nothing here comes from a request.
    if connection.vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {_quoted(connection, table)}",
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {_quoted(connection, table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
        ]
    statements = []
    for op in ("INSERT", "UPDATE", "DELETE"):
        name = _sqlite_trigger(table, op)
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {op} ON {_quoted(connection, table)} "  # nosec B608
            f"BEGIN UPDATE core_dataversion SET value = lower(hex(randomblob(16))) "
            f"WHERE id = {ROW_ID}; END",
        ]
    return statements


def read(using: str = "default") -> str:
    """The current version: one primary-key read (the row is made again after a flush)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM core_dataversion WHERE id = %s", [ROW_ID])
        row = cursor.fetchone()
    return row[0] if row else bump(using)


def for_request(request) -> str:
    """The version, read once per request: a page's fragments share one version."""
    if not hasattr(request, "_data_version"):
        request._data_version = read()
    return request._data_version


def bump(using: str = "default") -> str:
    """A new version, for writes that run with triggers off (bulk load, restore)."""
    value = new_value()
    with connections[using].cursor() as cursor:
        # One statement that also makes the row if a flush removed it, even in two requests
        # at once.
        cursor.execute(
            "INSERT INTO core_dataversion (id, value) VALUES (%s, %s) "
            "ON CONFLICT (id) DO UPDATE SET value = excluded.value",
            [ROW_ID, value],
        )
    return value


def bump_if_installed(using: str = "default") -> None:
    """`bump` where the table may not exist yet (a restored backup from an older release: its
    next `migrate` makes the table with a new value anyway)."""
    if "core_dataversion" in connections[using].introspection.table_names():
        bump(using)


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: triggers for new tables, and a new version, since a new release may render
    the same data differently (its fragments must not be the old release's)."""
    install_triggers(using)
    bump_if_installed(using)
