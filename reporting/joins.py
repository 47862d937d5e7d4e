"""SQL the ORM cannot write: counts joined to names after grouping, not before.

Both halves are the ORM's own SQL with their parameters kept apart; only the join is ours.
"""

from django.db import connection
from django.db.models import Count, Q, QuerySet


def participants(condition: Q | None = None) -> Count:
    """The number of records that meet `condition`.

    It counts their start dates, which are never empty, rather than their ids: every index the
    report reads holds the start date and none holds the id, so the counts come from the index
    alone (Django's Count("*") takes no condition).
    """
    return Count("start_date", filter=condition)


def fetch_dicts(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # nosec B608
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def left_join(rows: QuerySet, key: str, details: QuerySet, details_key: str, *more) -> list[dict]:
    """Each of `rows` with the columns of its matching row of `details` (None where none matches).

    Django cannot join a queryset to a grouped one; this joins the names of partners, departments
    or agreements to the few rows of counts after grouping, instead of carrying them through every
    record's row before it. Both halves are the ORM's own SQL with their parameters kept apart;
    only the join is ours. The column names of the halves must differ. `more` gives further
    (key, details, details_key) triples, each joined the same way in the same query.
    """
    joins = [(key, details, details_key), *zip(more[::3], more[1::3], more[2::3], strict=True)]
    rows_sql, params = rows.query.sql_with_params()
    params = list(params)
    quote = connection.ops.quote_name
    selected, joined = ["r.*"], []
    for number, (row_key, table, table_key) in enumerate(joins):
        table_sql, table_params = table.query.sql_with_params()
        params.extend(table_params)
        selected.append(f"d{number}.*")
        joined.append(
            f"LEFT JOIN ({table_sql}) d{number} "
            f"ON d{number}.{quote(table_key)} = r.{quote(row_key)}"
        )
    sql = (
        f"SELECT {', '.join(selected)} FROM ({rows_sql}) r "  # noqa: S608  # nosec B608
        + " ".join(joined)
    )
    return fetch_dicts(sql, params)
