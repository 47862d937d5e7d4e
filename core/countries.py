"""Country names from ISO 3166-1 codes, in the active language (django-countries' names)."""

from django_countries import countries


def country_names() -> dict[str, str]:
    """Every known code with its name, computed once per call: exports and reports look up
    thousands of rows that share a few dozen codes. An unknown code has no entry."""
    return {code: str(name) for code, name in countries}
