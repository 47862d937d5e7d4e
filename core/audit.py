"""The audit log: who did what and when, one line per event, safe against log injection.

Every line is the UTC time and one JSON object. User input (a username typed at sign-in, a
decision comment) goes inside JSON strings, where a newline is written as \\n: it cannot start
a forged line.
"""

import datetime
import json
import logging
import time

from django.conf import settings

logger = logging.getLogger("mobility.audit")
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's API)
        moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def client_ip(request) -> str:
    """The client's address; behind our TLS proxy, the last address it appended."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def audit(event: str, *, user=None, request=None, **details) -> None:
    entry = {"event": event}
    if user is not None:
        entry["user"] = user.get_username() if hasattr(user, "get_username") else str(user)
    if request is not None:
        entry["ip"] = client_ip(request)
    entry.update(details)
    logger.info(json.dumps(entry, ensure_ascii=False, default=str, sort_keys=False))


def _record_changed(sender, instance, history_instance, **kwargs):
    """Every change to a partner or an agreement, from the admin or anywhere else."""
    model = type(instance).__name__.lower()
    previous = history_instance.prev_record
    changed = (
        sorted(change.field for change in history_instance.diff_against(previous).changes)
        if previous is not None
        else []
    )
    audit(
        f"{model}_{ACTIONS[history_instance.history_type]}",
        user=history_instance.history_user or "system",
        id=instance.pk,
        name=str(instance),
        fields=changed,
    )


def audit_history_of(*models) -> None:
    """Audit each historical record simple-history writes for these models (from ready())."""
    from simple_history.signals import post_create_historical_record

    for model in models:
        post_create_historical_record.connect(
            _record_changed,
            sender=model.history.model,
            dispatch_uid=f"audit_{model._meta.label}",
        )
