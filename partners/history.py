"""An agreement's change history as the office reads it: who changed which fields, and when."""

from partners.models import Agreement


def agreement_changes(agreement: Agreement) -> list[dict]:
    """The agreement's history, newest first, each entry with the fields it changed.

    Consecutive historical records are diffed in memory: one query for the records and their
    users, one per related model whose value changed, never one per entry.
    """
    records = list(
        agreement.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = newer.diff_against(older).changes if older is not None else []
        entries.append({"record": newer, "changes": changes})
    fields = {field.name: field for field in Agreement._meta.concrete_fields}
    related_ids: dict[type, set] = {}
    for entry in entries:
        for change in entry["changes"]:
            field = fields.get(change.field)
            if field is not None and field.is_relation:
                ids = related_ids.setdefault(field.related_model, set())
                ids.update(v for v in (change.old, change.new) if v is not None)
    related = {model: model._default_manager.in_bulk(ids) for model, ids in related_ids.items()}

    def shown(field, value):
        if value is None or value == "":
            return "—"
        if field is None:
            return value
        if field.is_relation:
            return related[field.related_model].get(value, value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    for entry in entries:
        entry["changes"] = [
            {
                "field": fields[c.field].verbose_name if c.field in fields else c.field,
                "old": shown(fields.get(c.field), c.old),
                "new": shown(fields.get(c.field), c.new),
            }
            for c in entry["changes"]
        ]
    return entries
