"""Rendered fragments and figures cached under the data version (core/dataversion.py).

A key names everything the value depends on:

    mp:<data version>:<page>:<scope>:<language>:<digest of the parameters, the day and settings>

- the data version changes with every write, so a write makes every older entry unreachable:
  nothing is ever invalidated, old entries age out (TIMEOUT, or the cache's own eviction);
- the scope says whose view it is: "everyone" where every signed-in person sees the same,
  "office", "departments-3-7" for a coordinator's departments, "person-42" for a person's own
  list. A page picks the narrowest scope that its content depends on;
- the parameters are the ones the page reads (`page_query`), the day (statuses and "days to
  expiry" change at midnight) and the settings that shape a page (PAGE_SIZE, the expiry warning).

A fragment holds no CSRF token, message or link of the person who caused it to be rendered:
only a page's content block, built from the data and the parameters.
"""

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation

from core import dataversion

PREFIX = "mp"
# Entries of an older data version are never read again; this only bounds how long they use
# memory where the cache is not full (Redis with allkeys-lru evicts them sooner when it is).
TIMEOUT = 60 * 60
EVERYONE = "everyone"

logger = logging.getLogger(__name__)


def page_query(request: HttpRequest, names) -> QueryDict:
    """Keep only the parameters the page reads, without empty ones, in a fixed order.

    The page is then built from these alone (request.GET is replaced): two addresses that ask for
    the same thing share one entry, and parameters the page ignores never reach its links.
    """
    query = QueryDict(mutable=True)
    for name in sorted(set(names)):
        values = [value for value in request.GET.getlist(name) if value != ""]
        if values:
            query.setlist(name, values)
    query._mutable = False
    request.GET = query
    return query


def departments_scope(department_ids) -> str:
    return "departments-" + "-".join(str(pk) for pk in sorted(set(department_ids)))


def person_scope(user) -> str:
    return f"person-{user.pk}"


def key(request: HttpRequest, name: str, scope: str, *extra) -> str:
    shaping = [
        request.GET.urlencode(),
        timezone.localdate().isoformat(),
        settings.PAGE_SIZE,
        settings.EXPIRY_WARNING_DAYS,
        *extra,
    ]
    digest = hashlib.sha256(repr(shaping).encode()).hexdigest()[:32]
    version = dataversion.for_request(request)
    return f"{PREFIX}:{version}:{name}:{scope}:{translation.get_language()}:{digest}"


def cached(request: HttpRequest, name: str, *, scope: str, build: Callable, extra=()):
    """The value `build()` returns, from the cache when this version of it is there."""
    entry_key = key(request, name, scope, *extra)
    try:
        value = cache.get(entry_key)
    except Exception:  # a cache server that is down slows pages, it does not break them
        logger.warning("The cache could not be read; the page is built without it.", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(entry_key, value, TIMEOUT)
        except Exception:
            logger.warning("The cache could not be written.", exc_info=True)
    return value
