"""Every message the code and templates mark has a finished translation in each catalogue, and
each catalogue is compiled from its current text.

The messages are extracted afresh with makemessages, in a copy of the sources (it writes into the
tree it runs in), so a string marked today and not yet translated fails here, not in production.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LANGUAGES = ("fr", "ru", "uk", "de", "es")
PLURAL_FORMS = {"fr": 2, "de": 2, "es": 2, "ru": 3, "uk": 3}
SOURCES = ("manage.py", "pressdesk", "core", "contacts", "myths", "templates")
EXTENSIONS = "html,txt,py,css"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(BASE / "locale" / language / "LC_MESSAGES" / "django.po"))


def key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple]:
    """(context, msgid, plural) of each message marked in the sources, as makemessages sees it."""
    if not shutil.which("xgettext"):
        pytest.fail("gettext is needed (apt-get install gettext); scripts/test installs it")
    copy = tmp_path_factory.mktemp("sources")
    for name in SOURCES:
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "xx", "-e", EXTENSIONS],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "pressdesk.settings"},
    )
    return {key(entry) for entry in polib.pofile(str(copy / "locale/xx/LC_MESSAGES/django.po"))}


def test_extraction_finds_the_templates_and_the_code(extracted):
    messages = {msgid for _context, msgid, _plural in extracted}
    assert "Download PDF" in messages  # a public template
    assert "Waiting for you" in messages  # the admin dashboard
    assert "Submit for review" in messages  # a workflow button, in Python
    assert "%(site)s — latest releases" in messages  # the feed


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_message_is_translated(extracted, language):
    entries = {key(entry): entry for entry in catalogue(language) if not entry.obsolete}
    missing = sorted(msgid for _c, msgid, _p in extracted - entries.keys())
    assert missing == [], f"not in locale/{language}: run makemessages and translate"
    unfinished = [
        entry.msgid
        for k, entry in entries.items()
        if k in extracted
        and ("fuzzy" in entry.flags or not (entry.msgstr or all(entry.msgstr_plural.values())))
    ]
    assert unfinished == [], f"fuzzy or empty in locale/{language}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plurals_have_every_form_of_the_language(language):
    po = catalogue(language)
    forms = PLURAL_FORMS[language]
    assert po.metadata["Plural-Forms"].startswith(f"nplurals={forms};")
    assert not po.metadata_is_fuzzy
    for entry in po:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == forms, entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_current(language):
    folder = BASE / "locale" / language / "LC_MESSAGES"
    compiled = {
        key(entry): entry.msgstr or entry.msgstr_plural
        for entry in polib.mofile(str(folder / "django.mo"))
    }
    for entry in catalogue(language).translated_entries():
        assert compiled.get(key(entry)) == (entry.msgstr or entry.msgstr_plural), (
            f"locale/{language}/LC_MESSAGES/django.mo is older than its .po: compilemessages"
        )
