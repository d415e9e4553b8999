"""Releases in Russian and French, imported and published through the workflow, and what the
tests look for on their pages and PDFs: the English words our templates would print."""

import re
from pathlib import Path

import polib
from django.conf import settings

from contacts.services import contact_accept
from myths.importing import release_import
from myths.models import Response
from tests.factories import UserFactory, arrange_state
from tests.factories.content import imported_release_fixed
from tests.fixtures import RELEASE_FR

RELEASE_RU = Path(__file__).resolve().parent / "waterways-pyat-mifov-ru.txt"
LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)s|<[^>]+>")


def published_import(path: Path):
    """The release in `path`, imported as a writer would, verdicts chosen, then published."""
    release = release_import(text_or_bytes=path.read_bytes(), filename=path.name).release
    # The importer leaves verdicts to the editor (the checklist demands one per claim), and
    # proposes the contact it read, which a publisher accepts before publishing.
    Response.objects.filter(release=release).update(verdict=Response.Verdict.FALSE)
    release.refresh_from_db()
    contact_accept(contact=release.contact, actor=UserFactory(role="publisher"))
    # The text names no organisation, and its photo captions come without photos: the quality
    # gate refuses both, and the editor fixes them.
    organisation = {"ru": "Водные пути", "fr": "Voies navigables"}[release.language]
    imported_release_fixed(release, organisation=organisation)
    return arrange_state(release, "published")


def russian_release():
    return published_import(RELEASE_RU)


def french_release():
    return published_import(RELEASE_FR)


def english_labels(language: str, templates: tuple[str, ...]) -> set[str]:
    """The English text of every catalogue entry `templates` use that `language` translates
    differently ("Download PDF", "Press contact", …), cut at its placeholders and tags."""
    labels = set()
    for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")):
        used = any(path.endswith(templates) for path, _line in entry.occurrences)
        translated = entry.msgstr or entry.msgstr_plural.get(0, "")
        if not used or translated == entry.msgid:
            continue
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            for piece in PLACEHOLDER.split(msgid):
                piece = piece.strip(" .,:;·—()[]←→")
                # "Page" in "Page %(number)s of %(total)s" is French as well: not a tell.
                if len(piece) >= 4 and piece not in translated:
                    labels.add(piece)
    return labels


def english_found(text: str, labels: set[str]) -> list[str]:
    """The labels that occur in `text` as whole words ("Myth" is not found in "Mythe")."""
    return sorted(label for label in labels if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text))
