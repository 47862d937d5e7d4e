"""Our message catalogues as the tests read them: a small reader of .po files.

The standard library reads compiled .mo files, but those leave out what the tests look for
(untranslated and fuzzy entries, flags, the header's own fuzzy mark), so the .po is read here.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

# The languages we translate into; English is the source.
TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]

# printf-style (%(name)s, %s, %d; "%%" is a percent sign) and str.format ({name}, {0}, {};
# "{{" and "}}" are braces).
PRINTF = re.compile(r"%%|%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACES = re.compile(r"\{\{|\}\}|\{(?:[A-Za-z_]\w*|\d*)(?:[.\[!:][^{}]*)?\}")


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)  # one, or one per plural form
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)  # where the source uses it (#:)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return self.msgctxt, self.msgid, self.msgid_plural

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def __str__(self) -> str:
        return f"{self.label}, line {self.line}"

    @property
    def label(self) -> str:
        context = f" (msgctxt {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"{self.msgid!r}{context}"


@dataclass
class Catalogue:
    path: Path
    header: Entry
    entries: list[Entry]

    @property
    def metadata(self) -> dict[str, str]:
        lines = self.header.msgstr[0].splitlines() if self.header.msgstr else []
        pairs = (line.split(":", 1) for line in lines if ":" in line)
        return {name.strip(): value.strip() for name, value in pairs}


def read_po(path: Path) -> Catalogue:
    """The entries of a .po file, obsolete ones (#~) left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    references: list[str] = []
    target: tuple[str, int] | None = None  # which string a continuation line extends
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#:"):
            references += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _extend(current, target, _unquote(line))
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
                if current is not None:
                    entries.append(current)
                current = Entry(msgid="", flags=flags, references=references, line=number)
                flags, references = set(), []
            target = _keyword_target(keyword)
            _set(current, target, _unquote(rest))
    if current is not None:
        entries.append(current)
    header = next((entry for entry in entries if entry.msgid == "" and entry.msgctxt is None), None)
    assert header is not None, f'{path}: no header entry (msgid "")'
    return Catalogue(path, header, [entry for entry in entries if entry is not header])


def _keyword_target(keyword: str) -> tuple[str, int]:
    if keyword.startswith("msgstr["):
        return "msgstr", int(keyword[len("msgstr[") : -1])
    if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
        return keyword, 0
    raise ValueError(f"unknown .po keyword {keyword!r}")


def _set(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        while len(entry.msgstr) <= index:
            entry.msgstr.append("")
        entry.msgstr[index] = value
    else:
        setattr(entry, name, value)


def _extend(entry: Entry | None, target: tuple[str, int] | None, value: str) -> None:
    assert entry is not None and target is not None, "a continuation line before any keyword"
    name, index = target
    before = entry.msgstr[index] if name == "msgstr" else getattr(entry, name)
    _set(entry, target, before + value)


def _unquote(text: str) -> str:
    # A .po string is a C string literal; Python's reading of \n, \t, \" and \\ is the same.
    return ast.literal_eval(text)


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, sorted: the same list must be in its translation."""
    found = [m.group() for m in PRINTF.finditer(text) if m.group() != "%%"]
    found += [m.group() for m in BRACES.finditer(text) if m.group() not in ("{{", "}}")]
    return sorted(found)


def our_catalogue_path(language: str) -> Path:
    """Our own catalogue (the first of LOCALE_PATHS), which `make messages` writes."""
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def our_catalogue(language: str) -> Catalogue:
    path = our_catalogue_path(language)
    assert path.exists(), f"{path} is missing: run `make messages`, translate it and commit it."
    return read_po(path)
