"""The message catalogues: complete, not fuzzy, placeholders kept, compiled, and in sync.

Our catalogue is locale/<language>/LC_MESSAGES/django.po (`make messages` writes it from the
source and compiles it); the other catalogues of LOCALE_PATHS (our corrections to Django's) are
checked the same way, except for the comparison with the source, which is ours alone.
"""

import gettext
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.catalogues import (
    TRANSLATED_LANGUAGES,
    our_catalogue,
    our_catalogue_path,
    placeholders,
    read_po,
)

ROOT = Path(settings.BASE_DIR)
# Copied for makemessages: what it reads (sources, templates, settings) and the catalogues.
NOT_COPIED = [".*", "__pycache__", "var", "media", "staticfiles", "test-results", "build", "*.mo"]


def every_catalogue() -> list[Path]:
    """Every .po file of LOCALE_PATHS in a language we translate into."""
    return sorted(
        path
        for locale_path in settings.LOCALE_PATHS
        for language in TRANSLATED_LANGUAGES
        for path in (Path(locale_path) / language / "LC_MESSAGES").glob("*.po")
    )


def listing(entries) -> str:
    return "\n".join(f"  - {entry}" for entry in entries)


def gettext_tool(name: str) -> str:
    tool = shutil.which(name)
    assert tool, f"{name} is missing: these tests need GNU gettext (apt-get install gettext)"
    return tool


def test_every_language_we_translate_into_has_our_catalogue_and_it_is_checked():
    assert TRANSLATED_LANGUAGES == ["ru", "be"]
    assert {our_catalogue_path(language) for language in TRANSLATED_LANGUAGES} <= set(
        every_catalogue()
    ), "run `make messages`: our catalogue is missing"


@pytest.mark.parametrize("path", every_catalogue(), ids=lambda path: str(path.relative_to(ROOT)))
class TestEachCatalogue:
    def test_the_header_is_not_fuzzy_and_names_its_language(self, path):
        catalogue = read_po(path)
        language = path.parent.parent.name
        assert not catalogue.header.fuzzy, f"{path}: remove the header's `#, fuzzy` line"
        assert catalogue.metadata.get("Language") == language, f"{path}: set `Language: {language}`"
        assert "nplurals=" in catalogue.metadata.get("Plural-Forms", ""), path

    def test_every_message_is_translated_in_every_plural_form(self, path):
        catalogue = read_po(path)
        forms = int(re.search(r"nplurals=(\d+)", catalogue.metadata["Plural-Forms"]).group(1))
        untranslated = [
            entry
            for entry in catalogue.entries
            if not entry.translated
            or (entry.msgid_plural is not None and len(entry.msgstr) != forms)
        ]
        assert not untranslated, (
            f"{len(untranslated)} untranslated message(s) in {path} (plural ones need "
            f"{forms} forms):\n{listing(untranslated)}"
        )

    def test_no_message_is_fuzzy(self, path):
        fuzzy = [entry for entry in read_po(path).entries if entry.fuzzy]
        assert not fuzzy, (
            f"{len(fuzzy)} fuzzy message(s) in {path}: check each translation and remove its "
            f"`#, fuzzy` line:\n{listing(fuzzy)}"
        )

    def test_each_translation_keeps_the_placeholders_of_its_message(self, path):
        wrong = []
        for entry in read_po(path).entries:
            # Every plural form is also used for other numbers (21 is "one" in Russian), so
            # each keeps the placeholders of the plural message.
            expected = placeholders(entry.msgid_plural or entry.msgid)
            wrong += [
                f"  - {entry}: {placeholders(text)} in {text!r}, {expected} expected"
                for text in entry.msgstr
                if text and placeholders(text) != expected
            ]
        assert not wrong, f"placeholders changed in {path}:\n" + "\n".join(wrong)

    def test_the_committed_mo_file_is_the_po_file_compiled(self, path, tmp_path):
        committed = path.with_suffix(".mo")
        assert committed.exists(), f"{committed} is missing: run `make messages` and commit it"
        fresh = tmp_path / committed.name
        # As compilemessages compiles: placeholders checked where the message says python-format.
        compiled = subprocess.run(
            [gettext_tool("msgfmt"), "--check-format", "-o", fresh, path],
            capture_output=True,
            text=True,
            check=False,
        )
        assert compiled.returncode == 0, f"msgfmt refuses {path}:\n{compiled.stderr}"
        # The same messages and header; the bytes may differ between versions of msgfmt.
        committed_messages = mo_messages(committed)
        fresh_messages = mo_messages(fresh)
        differ = sorted(
            repr(key)
            for key in committed_messages.keys() | fresh_messages.keys()
            if committed_messages.get(key) != fresh_messages.get(key)
        )
        assert not differ, (
            f"{committed} is not {path} compiled: run `make messages` and commit the .mo file. "
            f"Messages that differ: {', '.join(differ[:20])}"
        )


def mo_messages(path: Path) -> dict:
    with path.open("rb") as stream:
        return dict(gettext.GNUTranslations(stream)._catalog)


def makemessages_arguments() -> list[str]:
    """The arguments of `make messages`'s makemessages, read from the Makefile."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if "manage.py makemessages" in line:
            words = shlex.split(line)
            return words[words.index("makemessages") + 1 :]
    raise AssertionError("no `manage.py makemessages` line in the Makefile's messages target")


def test_the_catalogues_are_in_sync_with_the_source(tmp_path):
    """makemessages, run in a copy of the project, finds the messages the catalogues have."""
    for tool in ("xgettext", "msguniq", "msgmerge"):
        gettext_tool(tool)
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
    completed = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--verbosity=0", *makemessages_arguments()],
        cwd=copy,
        env={**os.environ, "SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    problems = []
    for language in TRANSLATED_LANGUAGES:
        committed = {entry.key: entry for entry in our_catalogue(language).entries}
        path = our_catalogue_path(language)
        fresh = {entry.key: entry for entry in read_po(copy / path.relative_to(ROOT)).entries}
        new = [fresh[key] for key in fresh.keys() - committed.keys()]
        gone = [committed[key] for key in committed.keys() - fresh.keys()]
        if new:
            problems.append(
                f"{len(new)} message(s) in the source but not in {path.relative_to(ROOT)}:\n"
                + "\n".join(
                    f"  - {entry.label}, used in {' '.join(entry.references)}"
                    for entry in sorted(new, key=str)
                )
            )
        if gone:
            problems.append(
                f"{len(gone)} message(s) in {path.relative_to(ROOT)} that the source no longer "
                "has:\n" + listing(sorted(gone, key=str))
            )
    assert not problems, (
        "The catalogues are not in sync with the source: run `make messages`, translate the new "
        "messages and run `make messages` again to compile.\n" + "\n".join(problems)
    )
