"""Whether a new revision changes any word the public reads: the test of a silent typography fix.

`text_words()` reduces a text to its sequence of words, numbers and meaningful symbols, so that
punctuation, spacing, quotation-mark style, apostrophe style, dashes, soft hyphens and Unicode
composition no longer count. `wording_changes()` compares two `ReleaseContent`s field by field on
those sequences and says, per place, which words went and which came. A letter's case is part of
its word ("US" is not "us"), and so are accents ("ou" is not "où") and the Russian ё.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext

from core.typography import quotation_marks

from ..models import Release
from .content import ReleaseContent

# Characters that only say how a text is set, not what it says: apostrophe variants become one
# apostrophe, minus and dash variants one hyphen-minus (a minus sign before a number is kept as
# the number's sign, whichever glyph it was set in).
_APOSTROPHES = "\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032\uff07"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_TRANSLATE = {ord(c): "'" for c in _APOSTROPHES} | {ord(c): "-" for c in _DASHES}

# Letters and digits (\w without the underscore) and combining marks, which NFC leaves apart where
# no precomposed letter exists (a Cyrillic stress mark, say): they belong to their letter's word.
_ALNUM = r"(?:[^\W_]|[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff])"
_TOKEN = re.compile(
    # A sign only where it starts a number ("-5", "−5"), not between words or digits ("5-7").
    rf"(?:(?<![^\W_])-(?=\d))?"
    # A word: letters and digits, joined inside by apostrophes ("don't", "м'ясо") and, between
    # digits, by a decimal or thousands separator, which is part of the number ("3,5" ≠ "3.5").
    rf"{_ALNUM}+(?:(?:'|(?<=\d)[.,](?=\d)){_ALNUM}+)*"
    # Or any other visible character; only the meaningful symbols below are kept of these.
    r"|[^\w\s]"
)
# Symbols that change what a sentence says: currencies (Unicode category Sc) and these.
MEANINGFUL_SYMBOLS = frozenset("%‰‱°№§+±×÷=<>≤≥≈≠")


def _is_format(char: str) -> bool:
    # Soft hyphens, zero-width spaces and joiners, byte-order marks: invisible, never a word.
    return unicodedata.category(char) == "Cf"


def text_words(text: str) -> list[str]:
    """The words, numbers and meaningful symbols of `text`, in order; everything that is only
    typesetting (punctuation, spaces, quote and dash styles, soft hyphens) left out."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = "".join(char for char in text if not _is_format(char))
    words = []
    for token in _TOKEN.findall(text):
        if len(token) == 1 and not token.isalnum():
            if token in MEANINGFUL_SYMBOLS or unicodedata.category(token) == "Sc":
                words.append(token)
            continue
        words.append(token)
    return words


# --- Which fields of a release are text the public reads ------------------------------------------

# Bookkeeping a revision records that no reader reads as words: ids (any `id` or `*_id` field),
# the place in the release (its order is compared anyway), image sizes, and what is derived from
# another field (the answer's HTML from its Markdown, slugs from titles).
NOT_WORDS = frozenset({"number", "width", "height", "body_html", "slug", "claim_slug"})


def _is_public_field(name: str) -> bool:
    return name not in NOT_WORDS and name != "id" and not name.endswith("_id")


def _flatten(value, path: tuple, into: dict[tuple, list[str]]) -> None:
    """Collect the words of every public text field under `value`, keyed by its path."""
    if value is None:
        return
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            if _is_public_field(field.name):
                _flatten(getattr(value, field.name), (*path, field.name), into)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _flatten(item, (*path, index), into)
    elif isinstance(value, dict):
        for key in sorted(value):
            if _is_public_field(str(key)):
                _flatten(value[key], (*path, key), into)
    else:
        if isinstance(value, date | datetime):
            value = value.isoformat()
        into.setdefault(path, []).extend(text_words(str(value)))


def content_words(content: ReleaseContent) -> dict[tuple, list[str]]:
    """Every public text field of `content` (titles, lede, claims, answers, captions, alt text,
    credits, sources, the contact block, …) as its word sequence, keyed by its path in the
    content: ("title",), ("responses", 0, "figures", 1, "caption"), …

    Read from the typed content's fields, so a field added to ReleaseContent later is compared too.
    """
    words: dict[tuple, list[str]] = {}
    _flatten(content, (), words)
    return words


@dataclass(frozen=True)
class WordingChange:
    """Words one place of the release lost (`removed`) and gained (`added`)."""

    path: tuple
    removed: tuple[str, ...]
    added: tuple[str, ...]

    @property
    def place(self) -> str:
        """Where the change is, as an editor names it: "title", "Myth 2", "press contact"."""
        head = self.path[0]
        if head == "responses" and len(self.path) > 1:
            return gettext("Myth %(number)s") % {"number": self.path[1] + 1}
        return str(_release_field_label(head))

    def __str__(self):
        opening, closing = quotation_marks()
        removed = f"{opening}{' '.join(self.removed)}{closing}" if self.removed else "—"
        added = f"{opening}{' '.join(self.added)}{closing}" if self.added else "—"
        return gettext("%(place)s: %(removed)s → %(added)s") % {
            "place": self.place,
            "removed": removed,
            "added": added,
        }


def _release_field_label(name: str) -> str | Promise:
    # The release's fields and the snapshot's share their names: the form's label names the place.
    try:
        return Release._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a content field with no model field of that name
        return name.replace("_", " ")


def wording_changes(old: ReleaseContent, new: ReleaseContent) -> list[WordingChange]:
    """Each run of words that differs between `old` and `new`, place by place (empty when the
    new content differs from the old in typography only)."""
    before, after = content_words(old), content_words(new)
    changes = []
    # In reading order: the new content's places as it lists them, then the places it lost.
    for path in [*after, *(path for path in before if path not in after)]:
        left, right = before.get(path, []), after.get(path, [])
        if left == right:
            continue
        for i1, i2, j1, j2 in _changed_runs(left, right):
            changes.append(WordingChange(path, tuple(left[i1:i2]), tuple(right[j1:j2])))
    return changes


# Changed runs this close (in unchanged words between them) are told as one: "harbour dredging"
# → "dredging the harbour" reads better than a word added here and the same word removed there.
JOIN_WITHIN = 3


def _changed_runs(left: list[str], right: list[str]) -> list[tuple[int, int, int, int]]:
    """The (i1, i2, j1, j2) spans where `left` and `right` differ, near ones joined."""
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    runs: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if runs and i1 - runs[-1][1] <= JOIN_WITHIN and j1 - runs[-1][3] <= JOIN_WITHIN:
            runs[-1][1], runs[-1][3] = i2, j2
        else:
            runs.append([i1, i2, j1, j2])
    return [tuple(run) for run in runs]
