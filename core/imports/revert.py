"""Undoing an import from the admin, while nothing has changed its rows since.

The rows an import wrote are its history rows (django-simple-history): of the imported model,
with the import's reason ("import of FILE"), written while it ran. A revert deletes the rows it
created and puts the rows it updated back as their previous version, in one transaction, and
only if each row's latest version is still the import's own; otherwise it refuses, naming what
changed, and writes nothing.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalChanges

BATCH = 5000
NAMED = 5


class RevertRefused(Exception):
    pass


def history_model(log):
    model = log.content_type.model_class() if log.content_type_id else None
    manager = getattr(model, "history", None)
    if (
        log.started_at is None
        or manager is None
        or not issubclass(manager.model, HistoricalChanges)
    ):
        return None
    return manager.model


def revert_import(log, *, by) -> dict[str, int]:
    """Undo the import of `log`; the counts of rows deleted and restored, or RevertRefused."""
    if log.reverted_at is not None:
        raise RevertRefused(_("This import has already been reverted."))
    History = history_model(log)
    if History is None:
        raise RevertRefused(_("No history is kept of these rows: this import cannot be reverted."))
    # Each row's last version by the import, and the rows it created (a later row of the same
    # file may have updated one of those: it is deleted all the same).
    versions, created = {}, set()
    for pk, version_id, kind in (
        History.objects.filter(
            history_change_reason=log.history_reason,
            history_date__gte=log.started_at,
            history_date__lte=log.imported_at,
        )
        .order_by("history_id")
        .values_list("id", "history_id", "history_type")
    ):
        versions[pk] = version_id
        if kind == "+":
            created.add(pk)
    _refuse_if_changed_since(History, versions)
    reason = _("revert of the import of %(file)s") % {"file": log.file_name}
    deleted = restored = 0
    with transaction.atomic():
        for pk, version_id in versions.items():
            if pk in created:
                _delete(History, pk, reason, by)
                deleted += 1
            else:
                _restore_previous(History, pk, version_id, reason, by)
                restored += 1
        log.reverted_at = timezone.now()
        log.reverted_by = by
        log.save(update_fields=["reverted_at", "reverted_by"])
    return {"deleted": deleted, "restored": restored}


def _refuse_if_changed_since(History, versions: dict[int, int]) -> None:
    changed = []
    pks = list(versions)
    for first in range(0, len(pks), BATCH):
        latest = (
            History.objects.filter(id__in=pks[first : first + BATCH])
            .values("id")
            .annotate(last=Max("history_id"))
            .values_list("id", "last")
        )
        changed += [last for pk, last in latest if last != versions[pk]]
    if not changed:
        return
    named = History.objects.filter(history_id__in=changed[:NAMED]).select_related("history_user")
    names = "; ".join(_changed_since(version) for version in named)
    raise RevertRefused(
        ngettext(
            "Not reverted, nothing was changed: %(count)d row was changed after the import "
            "(%(names)s).",
            "Not reverted, nothing was changed: %(count)d rows were changed after the import "
            "(%(names)s).",
            len(changed),
        )
        % {"count": len(changed), "names": names}
    )


def _changed_since(version) -> str:
    what = _("deleted") if version.history_type == "-" else _("edited")
    return _("%(object)s: %(what)s by %(user)s on %(date)s") % {
        "object": version.instance,
        "what": what,
        "user": version.history_user or _("someone unknown"),
        "date": timezone.localtime(version.history_date).strftime("%Y-%m-%d %H:%M"),
    }


def _delete(History, pk, reason, by):
    obj = History.instance_type._default_manager.get(pk=pk)
    obj._change_reason = reason
    if by is not None:
        obj._history_user = by
    obj.delete()


def _restore_previous(History, pk, version_id, reason, by):
    previous = (
        History.objects.filter(id=pk, history_id__lt=version_id).order_by("-history_id").first()
    )
    obj = previous.instance
    obj._change_reason = reason
    if by is not None:
        obj._history_user = by
    obj.save()
