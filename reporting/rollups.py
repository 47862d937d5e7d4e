"""Sums over the few grouped rows the report's queries return: the breakdowns' rows."""

import datetime
from collections.abc import Iterable

from partners.choices import Direction
from reporting.rows import DurationRow, GroupRow

COUNT_KEYS = ("outgoing", "incoming", "previous_outgoing", "previous_incoming")
SPAN_KEYS = ("span", "previous_span")


def rollup(rows: Iterable[dict], *fields: str, keys=COUNT_KEYS) -> list[dict]:
    """Sum grouped rows over every field but `fields`: the counts per group of those fields."""
    sums: dict[tuple, dict] = {}
    for row in rows:
        group = tuple([row[name] for name in fields])
        total = sums.get(group)
        if total is None:
            total = sums[group] = {name: row[name] for name in fields} | dict.fromkeys(keys)
        for key in keys:
            if row[key] is not None:
                total[key] = row[key] if total[key] is None else total[key] + row[key]
    return list(sums.values())


def group_rows(counts: list[dict], key_field: str, label, detail=None) -> list[GroupRow]:
    rows = [
        GroupRow(
            key=item[key_field],
            label=label(item),
            detail=detail(item) if detail else "",
            outgoing=item["outgoing"],
            incoming=item["incoming"],
            previous_outgoing=item["previous_outgoing"],
            previous_incoming=item["previous_incoming"],
        )
        for item in counts
    ]
    # Largest first; groups without a name ("no partner") last among equals; two partners of the
    # same name in the order of their keys, whatever order the database grouped them in.
    return sorted(
        rows, key=lambda row: (-row.current, -row.previous, row.key is None, row.label, row.key)
    )


def choice_rows(counts: list[dict], field_name: str, choices) -> list[GroupRow]:
    """Rows for a choice field in the choices' own order, every choice shown, even at zero."""
    found = {item[field_name]: item for item in counts}
    zero = {"outgoing": 0, "incoming": 0, "previous_outgoing": 0, "previous_incoming": 0}
    rows = [
        GroupRow(key=value, label=str(label), **{k: found.get(value, zero)[k] for k in zero})
        for value, label in choices.choices
    ]
    for value in found.keys() - set(choices.values):
        # A record without one (no program) or with a value no longer offered: its own row.
        item = found[value]
        label = "" if value in (None, "") else str(value)
        rows.append(GroupRow(key=value or None, label=label, **{k: item[k] for k in zero}))
    return rows


def duration_rows(figures: list[dict]) -> list[DurationRow]:
    counts = {
        item["direction"]: item
        for item in rollup(figures, "direction", keys=COUNT_KEYS + SPAN_KEYS)
    }

    def days(item: dict | None, span_key: str, participants: int) -> int:
        if not item:
            return 0
        total = item[span_key] or datetime.timedelta(0)
        return total.days + participants

    rows = []
    for direction in Direction:
        item = counts.get(direction.value)
        participants = item["outgoing"] + item["incoming"] if item else 0
        previous = item["previous_outgoing"] + item["previous_incoming"] if item else 0
        rows.append(
            DurationRow(
                label=str(direction.label),
                participants=participants,
                person_days=days(item, "span", participants),
                previous_participants=previous,
                previous_person_days=days(item, "previous_span", previous),
            )
        )
    rows.append(
        DurationRow(
            label="",  # the total
            participants=sum(row.participants for row in rows),
            person_days=sum(row.person_days for row in rows),
            previous_participants=sum(row.previous_participants for row in rows),
            previous_person_days=sum(row.previous_person_days for row in rows),
        )
    )
    return rows
