"""What a reader sees of a page, and the English messages of ours and dates found in it.

`visible_text(html)` gives the text segments of a page: each text node, each run of text across
inline elements (a sentence with a link in it), and the attributes people read or hear (title,
aria-label, placeholder, alt, a button's value). Text marked as in another language
(`<option lang="en">English</option>` in the switcher) is left out.
"""

import datetime
import html
import re
from html.parser import HTMLParser

from django.utils import dates, formats, translation

from tests.catalogues import BRACES, PRINTF, our_catalogue

HIDDEN = {"script", "style", "template"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}  # fmt: skip
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
BUTTON_INPUTS = {"submit", "button", "reset"}

# Month first, in figures ("05/14/2004") or in words ("May 14, 2004").
MONTH_FIRST = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b(January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{1,2}, \d{4}\b"
)


def collapse(text: str) -> str:
    return " ".join(text.split())


class _VisibleText(HTMLParser):
    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, whether its content is left out)
        self.segments: list[str] = []
        self.run: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in INLINE:
            self.flush()
        lang = (attributes.get("lang") or "").split("-")[0]
        skip = self.skipping or tag in HIDDEN or (tag != "html" and lang not in ("", self.language))
        if not skip:
            self.add_attributes(tag, attributes)
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self.flush()
        if any(open_tag == tag for open_tag, _skip in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self.skipping:
            return
        self.add(data)
        self.run.append(data)

    def add_attributes(self, tag: str, attributes: dict) -> None:
        for name in READ_ATTRIBUTES:
            self.add(attributes.get(name) or "")
        if tag == "input" and (attributes.get("type") or "").lower() in BUTTON_INPUTS:
            self.add(attributes.get("value") or "")

    def add(self, text: str) -> None:
        text = collapse(text)
        if text:
            self.segments.append(text)

    def flush(self) -> None:
        self.add("".join(self.run))
        self.run = []


def visible_text(page: str, language: str) -> list[str]:
    parser = _VisibleText(language)
    parser.feed(page)
    parser.close()
    parser.flush()
    return list(dict.fromkeys(parser.segments))


class EnglishMessages:
    """The English messages of our catalogue for a language, as they would show on a page.

    A message whose translation is the English text itself ("Erasmus+") is left out: it is
    not a message left in English. An untranslated one is kept.
    """

    def __init__(self, language: str):
        self.exact: dict[str, str] = {}
        self.patterns: list[tuple[re.Pattern, str]] = []
        for entry in our_catalogue(language).entries:
            for english in filter(None, (entry.msgid, entry.msgid_plural)):
                if english not in entry.msgstr:
                    self.add(english, entry.label)

    def add(self, message: str, label: str) -> None:
        literals = _literals(collapse(html.unescape(re.sub(r"<[^>]*>", " ", message))))
        if len(literals) == 1:
            self.exact[literals[0].casefold()] = label
        elif sum(char.isalpha() for part in literals for char in part) >= 4:
            self.patterns.append((_pattern(literals), label))

    def find(self, segment: str) -> str | None:
        """The message this segment is, in English, or None."""
        for candidate in (segment, segment.rstrip(":*").strip()):
            if candidate.casefold() in self.exact:
                return self.exact[candidate.casefold()]
        for pattern, label in self.patterns:
            if pattern.fullmatch(segment):
                return label
        return None


def _pattern(literals: list[str]) -> re.Pattern:
    """A message with its placeholders filled: "%(count)s partners" is "3 partners".

    A placeholder between words may be anything ("Dear %(name)s,"); one at the start or end is
    taken as one word (a number, a date in figures), else "Мои заявки" would be
    "%(counter)s applications" with "Мои" for the number.
    """
    pattern = ""
    for index, literal in enumerate(literals):
        if index:
            inner = literals[index - 1] and literal
            pattern += ".+?" if inner else r"\S+"
        pattern += re.escape(literal).replace(r"\ ", r"\s+")
    return re.compile(pattern, re.I)


def _literals(message: str) -> list[str]:
    """The message's text between its placeholders ("%%" is a percent sign)."""
    pieces, position = [], 0
    for match in re.finditer(f"{PRINTF.pattern}|{BRACES.pattern}", message):
        if match.group() in ("%%", "{{", "}}"):
            continue
        pieces.append(message[position : match.start()])
        position = match.end()
    pieces.append(message[position:])
    return [piece.replace("%%", "%").replace("{{", "{").replace("}}", "}") for piece in pieces]


def date_pattern(language: str) -> re.Pattern:
    """A date in the language's one format (DATE_FORMAT), any day of any month."""
    with translation.override(language):
        example = formats.date_format(datetime.date(2004, 5, 14), "DATE_FORMAT")
        months = [str(month) for month in dates.MONTHS_ALT.values()]
        month = str(dates.MONTHS_ALT[5])
    assert "14" in example and month in example and "2004" in example, example
    pattern = re.escape(example)
    pattern = pattern.replace("14", r"\d{1,2}", 1).replace("2004", r"\d{4}", 1)
    return re.compile(pattern.replace(re.escape(month), f"(?:{'|'.join(months)})", 1))


def all_month_names() -> set[str]:
    names = set()
    for language in ("en", "ru", "be"):
        with translation.override(language):
            for table in (dates.MONTHS, dates.MONTHS_ALT, dates.MONTHS_3, dates.MONTHS_AP):
                names |= {str(name).rstrip(".").casefold() for name in table.values()}
    return names


# Anything that looks like a date, whatever its format: figures ("14.05.2004", "2004-05-14",
# "05/14/2004"), day and month name ("14 May 2004", "14 мая 2004 г."), month name first.
WORD = r"[^\W\d_]+\.?"
ANY_DATE = re.compile(
    # Not part of an address (127.0.0.1) or a file's path (documents/2026/11/107e4...pdf).
    r"(?<![\w./])\d{1,4}([./-])\d{1,2}\1\d{1,4}(?![\w/]|\.\d)"
    rf"|\b\d{{1,2}}\.? (?P<month>{WORD}) \d{{4}}(?: г\.)?"
    rf"|\b(?P<month_first>{WORD}) \d{{1,2}}, \d{{4}}\b"
)


def dates_in(text: str) -> list[str]:
    """The dates in a text, in whatever format they are written."""
    months = all_month_names()
    found = []
    for match in ANY_DATE.finditer(text):
        word = match.group("month") or match.group("month_first")
        if word is None or word.rstrip(".").casefold() in months:
            found.append(match.group())
    return found
