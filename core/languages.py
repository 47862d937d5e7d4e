"""Names and titles written in several languages, as plain fields beside the English one.

A translated field is the English field plus one field per language, suffixed with the
language code (`name`, `name_ru`, `name_be`). Plain fields rather than a translation package:
no extra dependency to keep up with Django, each form is an ordinary column that filters,
orders and exports like any other, the folded search column (core/search.py) simply lists the
forms among its sources, and the bulk loaders (COPY) write them like any other column.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

# The forms tried, in order, for each language; English (the unsuffixed field) comes last and
# is the one shown for any language not listed here. Belarusian readers read Russian readily.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "be": ("be", "ru", "en"),
    "ru": ("ru", "en"),
    "en": ("en",),
}

# The languages a translated field has a suffixed form for (English is the field itself).
TRANSLATED_LANGUAGES = ("ru", "be")


def active_language() -> str:
    """The active language's base code ("ru" for "ru-ru"), "en" when none is active."""
    return (get_language() or "en").split("-")[0].lower()


def field_for(field: str, language: str) -> str:
    return field if language == "en" else f"{field}_{language}"


def in_active_language(obj, field: str) -> str:
    """The first non-blank form of `field` in the active language's fallback order."""
    for language in FALLBACKS.get(active_language(), ("en",)):
        value = getattr(obj, field_for(field, language))
        if value:
            return value
    return getattr(obj, field)


def in_active_language_sql(field_path: str):
    """The database's counterpart of in_active_language, for values() and exports: the first
    non-blank form of `field_path` (e.g. "partner__name") in the active language's order."""
    forms = [
        NullIf(F(field_for(field_path, language)), Value(""))
        for language in FALLBACKS.get(active_language(), ("en",))
        if language != "en"
    ]
    return Coalesce(*forms, F(field_path)) if forms else F(field_path)


def profile_language(user) -> str:
    """The language on the person's profile, or "" when they chose none (or are signed out).

    Read through the account's `profile` relation by name, without importing people: partners'
    reminders need it and sit below people. The sign-in backend, and the e-mails' queries,
    fetch the profile with the user, so asking costs no query there.
    """
    if not user.is_authenticated:
        return ""
    try:
        language = user.profile.language
    except ObjectDoesNotExist:  # an account written in bulk, without its profile yet
        return ""
    return language if language in dict(settings.LANGUAGES) else ""


def recipient_language(user) -> str:
    """The language e-mails to this person are written in: their choice, else the portal's."""
    return profile_language(user) or settings.LANGUAGE_CODE
